"""Reads about sources for the API and the pages, in a fixed number of queries."""

import logging
from collections.abc import Iterator
from datetime import datetime

from django.db import connection, transaction
from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from core import cache, credentials
from shows.models import Show
from sources.base import WatchedShow
from sources.models import Snapshot, Source
from sources.pipeline import health, quota
from sources.pipeline.schedules import describe

log = logging.getLogger(__name__)


def _latest_values(sources: list[Source]) -> dict[str, tuple[dict | None, str]]:
    # From Redis; a miss or Redis down answers from the copy each Source row keeps (core.cache).
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
            # A source with several ways to fetch (FlixPatrol) remembers the one that last worked.
            "backend": (s.state or {}).get("backend", ""),
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


# COPY writes exactly what csv.writer writes for a snapshot_rows() row (sources/api/views.py): floats as
# Python's repr (positional below 1e16, so 2e+06 becomes 2000000.0), times as isoformat() in UTC,
# NULL and '' both as an empty unquoted field (COPY would quote '' to tell it from NULL).
_AS_REPR = """CASE
  WHEN abs({v}) >= 1e15 AND abs({v}) < 1e16
    THEN {v}::text::numeric::text || CASE WHEN {v} = trunc({v}) THEN '.0' ELSE '' END
  WHEN {v} = trunc({v}) AND abs({v}) < 1e15 THEN {v}::text || '.0'
  ELSE {v}::text END"""
# Whole seconds (every observed_at) take the plain text form, which is ISO: psycopg reads timestamps in
# no other DateStyle, so the app already needs it; to_char, slower, only where microseconds must show.
_AS_ISOFORMAT = """CASE WHEN date_trunc('second', {t}) = {t}
  THEN replace(({t} AT TIME ZONE 'UTC')::text, ' ', 'T') || '+00:00'
  ELSE to_char({t} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') || '+00:00' END"""
_COPY_SNAPSHOTS = """COPY (
  SELECT NULLIF(src.key, ''), s.show_id, NULLIF(sh.title, ''), NULLIF(sh.season, ''), NULLIF(s.metric, ''),
         NULLIF(s.scope, ''), NULLIF(s.period, ''), {observed}, {value}, {fetched}
  FROM source_snapshots s JOIN sources_source src ON src.id = s.source_id
  LEFT JOIN shows_show sh ON sh.id = s.show_id
  WHERE {where}
  ORDER BY s.observed_at, s.id
) TO STDOUT (FORMAT csv)"""
COPY_CHUNK_BYTES = 64 * 1024


def snapshot_csv_copy(
    *,
    show_id: int | None = None,
    source: str = "",
    metric: str = "",
    start: datetime | None = None,
    end: datetime | None = None,
) -> Iterator[bytes]:
    """snapshot_rows() as CSV lines (no header) from Postgres's COPY, in chunks of about 64 KB: the
    database formats the rows, Python only passes them on (Postgres only)."""
    from psycopg import sql

    where = [sql.SQL("TRUE")]
    for column, op, value in (
        ("s.show_id", "=", show_id),
        ("src.key", "=", source or None),
        ("s.metric", "=", metric or None),
        ("s.observed_at", ">=", start),
        ("s.observed_at", "<=", end),
    ):
        if value is not None:
            where.append(sql.SQL(f"{column} {op} {{}}").format(sql.Literal(value)))
    statement = sql.SQL(_COPY_SNAPSHOTS).format(
        observed=sql.SQL(_AS_ISOFORMAT.format(t="s.observed_at")),
        value=sql.SQL(_AS_REPR.format(v="s.value")),
        fetched=sql.SQL(_AS_ISOFORMAT.format(t="s.fetched_at")),
        where=sql.SQL(" AND ").join(where),
    )
    # A client leaving early ends the COPY by cancelling it, which aborts the transaction around it:
    # in one of its own (a savepoint inside another), rolled back then, the connection stays usable.
    with transaction.atomic(), connection.cursor() as cursor:
        # Literals are bound here: COPY takes no server-side parameters.
        with cursor.copy(statement.as_string(cursor.connection)) as copy:
            chunk = bytearray()
            for block in copy:
                chunk += block
                if len(chunk) >= COPY_CHUNK_BYTES:
                    yield bytes(chunk)
                    chunk.clear()
            if chunk:
                yield bytes(chunk)


def watched_shows(*, show_id: int | None = None, show_ids: list[int] | None = None) -> list[WatchedShow]:
    """The watchlist as runners see it; with show_id, that one show whether watched or not (backfill);
    with show_ids, those of the watched shows (a backfill's batch)."""
    shows = Show.objects.filter(pk=show_id) if show_id else Show.objects.filter(on_watchlist=True)
    if show_ids is not None and not show_id:
        shows = shows.filter(pk__in=show_ids)
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
