"""Reads about sources for the API and the pages, in a fixed number of queries."""

import logging
from collections.abc import Iterator
from datetime import datetime

from django.utils import timezone

from . import cache, credentials, health, quota
from .models import Snapshot, Source
from .schedules import describe

log = logging.getLogger(__name__)


def _latest_values(sources: list[Source]) -> dict[str, tuple[dict | None, str]]:
    # From Redis; a miss or Redis down answers from the copy each Source row keeps (sources.cache).
    return cache.latest_or_stored({s.key: s.latest_payload for s in sources})


def _quota_left(key: str, now: datetime) -> int | None:
    status = quota.status(key, now)
    return status["remaining"] if status else None


def source_list() -> list[dict]:
    """Every source; one query (its periodic task and schedule come joined) plus one Redis MGET."""
    sources = list(Source.objects.select_related("periodic_task__interval", "periodic_task__crontab"))
    now = timezone.now()
    latest = _latest_values(sources)
    return [
        {
            "key": s.key,
            "name": s.name,
            "enabled": s.enabled,
            "health": health.compute(s, now),
            "lastUpdated": s.last_success_at.isoformat() if s.last_success_at else None,
            "lastRun": s.last_run_at.isoformat() if s.last_run_at else None,
            "lastError": s.last_error,
            # A permanent error holds the source until its settings change or an admin releases it.
            "heldReason": s.held_reason,
            "heldAt": s.held_at.isoformat() if s.held_at else None,
            "cadence": describe(s.periodic_task),
            # Keyed sources count their quota in Redis; skip the reads when Redis is already known down.
            "quotaLeft": _quota_left(s.key, now) if cache.available() else None,
            "missingCredentials": credentials.missing(s.key),
            "latest": latest[s.key][0],
            "latestFrom": latest[s.key][1],
        }
        for s in sources
    ]


SNAPSHOT_COLUMNS = (
    "source__key",
    "show_id",
    "show__title",
    "show__season",
    "metric",
    "scope",
    "period",
    "observed_at",
    "value",
    "fetched_at",
)


def snapshot_rows(
    *,
    show_id: int | None = None,
    source: str = "",
    metric: str = "",
    start: datetime | None = None,
    end: datetime | None = None,
) -> Iterator[tuple]:
    """Stored snapshots as SNAPSHOT_COLUMNS tuples, oldest first, read through a server-side cursor."""
    rows = Snapshot.objects.all()
    if show_id is not None:
        rows = rows.filter(show_id=show_id)
    if source:
        rows = rows.filter(source__key=source)
    if metric:
        rows = rows.filter(metric=metric)
    if start is not None:
        rows = rows.filter(observed_at__gte=start)
    if end is not None:
        rows = rows.filter(observed_at__lte=end)
    return rows.order_by("observed_at", "id").values_list(*SNAPSHOT_COLUMNS).iterator(chunk_size=2000)
