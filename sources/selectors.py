"""Reads about sources for the API and the pages, in a fixed number of queries."""

import logging
from collections.abc import Iterator
from datetime import datetime

from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from shows.models import Show

from . import cache, credentials, health, quota
from .base import WatchedShow
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


def watched_shows(*, show_id: int | None = None) -> list[WatchedShow]:
    """The watchlist as runners see it; with show_id, that one show whether watched or not (backfill)."""
    shows = Show.objects.filter(pk=show_id) if show_id else Show.objects.filter(on_watchlist=True)
    return [
        WatchedShow(
            id=s.id,
            title=s.title,
            season=s.season,
            wikipedia_article=s.wikipedia_article,
            wikipedia_project=s.wikipedia_project,
            youtube_trailer_ids=tuple(s.youtube_trailer_ids),
            subreddits=tuple(s.subreddits),
            hashtags=tuple(s.hashtags),
            search_terms=tuple(s.search_terms),
            flixpatrol_slug=s.flixpatrol_slug,
            kalshi_tickers=tuple(s.kalshi_tickers),
        )
        for s in shows.order_by("id")
    ]


def show_latest_values(*, show_id: int) -> list[dict]:
    """The newest value of each (source, metric, scope, period) series of a show, in one query."""
    series = [F("source_id"), F("metric"), F("scope"), F("period")]
    rows = (
        Snapshot.objects.filter(show_id=show_id)
        .annotate(
            newest_first=Window(
                RowNumber(), partition_by=series, order_by=[F("observed_at").desc(), F("id").desc()]
            )
        )
        .filter(newest_first=1)
        .order_by("source__key", "metric", "scope", "period")
        .values("source__key", "metric", "scope", "period", "observed_at", "value", "fetched_at")
    )
    return [
        {
            "source": r["source__key"],
            "metric": r["metric"],
            "scope": r["scope"],
            "period": r["period"],
            "observedAt": r["observed_at"],
            "value": r["value"],
            "fetchedAt": r["fetched_at"],
        }
        for r in rows
    ]
