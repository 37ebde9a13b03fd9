"""Reads about sources for the API and the pages, in a fixed number of queries."""

import logging

import redis
from django.utils import timezone

from . import cache, health
from .models import Source
from .schedules import describe

log = logging.getLogger(__name__)


def source_list() -> list[dict]:
    sources = list(Source.objects.select_related("periodic_task__interval", "periodic_task__crontab"))
    now = timezone.now()
    try:
        latest = cache.latest_many([s.key for s in sources])
        latest_from = "redis"
    except redis.RedisError as exc:
        # Redis down: the copy kept in Postgres is as fresh as the last successful run.
        log.warning("redis unavailable for latest values: %s", exc)
        latest, latest_from = {s.key: s.latest_payload for s in sources}, "database"
    return [
        {
            "key": s.key,
            "name": s.name,
            "enabled": s.enabled,
            "health": health.compute(s, now),
            "lastUpdated": s.last_success_at.isoformat() if s.last_success_at else None,
            "lastRun": s.last_run_at.isoformat() if s.last_run_at else None,
            "lastError": s.last_error,
            "cadence": describe(s.periodic_task),
            "latest": latest.get(s.key),
            "latestFrom": latest_from,
        }
        for s in sources
    ]
