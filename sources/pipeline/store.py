"""Idempotent upsert of normalized snapshots, keeping superseded values as revisions.

On Postgres the batch goes in with COPY into a temporary table, then three statements do the rest in
the database: the revisions (the stored values a batch changes), one INSERT … ON CONFLICT … DO UPDATE
that writes only new and changed values, and the rollups of the buckets it touched. On SQLite (the
embedded default) the ORM path reads the batch's stored rows and compares them in Python.
"""

import json
import math
from dataclasses import dataclass
from datetime import datetime

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from sources.base import SnapshotIn
from sources.models import Snapshot, SnapshotRevision, Source
from sources.series.rollups import rollups_refresh, rollups_refresh_touched


@dataclass
class UpsertCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def _key(show_id, metric, scope, period, observed_at) -> tuple:
    return (show_id, metric, scope, period, observed_at)


def snapshots_upsert(*, source: Source, items: list[SnapshotIn], fetched_at: datetime) -> UpsertCounts:
    if not items:
        return UpsertCounts()
    # The pipeline drops out-of-range values first (sources/pipeline/validation.py); this is the last line,
    # so a
    # NaN can never reach a row that the API would then emit as invalid JSON.
    if any(not math.isfinite(i.value) for i in items):
        raise ValueError("refusing to store a value that is not finite")
    # The same key twice in one batch: the later value wins, as a later fetch would.
    wanted = {_key(i.show_id, i.metric, i.scope, i.period, i.observed_at): i for i in items}
    with transaction.atomic():
        if connection.vendor == "postgresql":
            return _upsert_postgres(source, list(wanted.values()), fetched_at)
        return _upsert_orm(source, wanted, fetched_at)


_BATCH = "snapshot_batch"
_TOUCHED = "snapshot_written"
_COLUMNS = "show_id, metric, scope, period, observed_at"
# Temporary tables live with the session: created once per connection, emptied by every commit.
_CREATE = (
    f"CREATE TEMP TABLE IF NOT EXISTS {_BATCH} (show_id bigint, metric text, scope text, period text, "
    "observed_at timestamptz, value double precision, attrs jsonb) ON COMMIT DELETE ROWS",
    f"CREATE TEMP TABLE IF NOT EXISTS {_TOUCHED} (show_id bigint, metric text, scope text, period text, "
    "observed_at timestamptz, created boolean) ON COMMIT DELETE ROWS",
    f"TRUNCATE {_BATCH}, {_TOUCHED}",  # a second upsert in the same transaction
)
_SAME_KEY = (
    "s.source_id = %s AND s.metric = b.metric AND s.scope = b.scope AND s.period = b.period "
    "AND s.observed_at = b.observed_at"
)
_OLD = "b.show_id, b.metric, b.scope, b.period, b.observed_at, b.value, b.attrs, s.id, s.value, s.fetched_at"
# One pass: each batch row joined to its stored row (by the unique key's index), then the revisions (the
# stored values it changes, before they are overwritten), the changed values, the new rows; an unchanged
# value is not rewritten (no new row version, no fetched_at bump), as the ORM path leaves it. No
# ON CONFLICT: the advisory lock keeps other upserts of the source out, so a missing row stays missing.
# A value of no show (a list-level one) matches by "IS NULL", which no index answers inside the same join.
_WRITE = f"""
WITH old (show_id, metric, scope, period, observed_at, value, attrs, id, was, was_fetched) AS MATERIALIZED (
    SELECT {_OLD} FROM {_BATCH} b LEFT JOIN source_snapshots s ON s.show_id = b.show_id AND {_SAME_KEY}
    WHERE b.show_id IS NOT NULL
    UNION ALL
    SELECT {_OLD} FROM {_BATCH} b LEFT JOIN source_snapshots s ON s.show_id IS NULL AND {_SAME_KEY}
    WHERE b.show_id IS NULL
), revised AS (
    INSERT INTO sources_snapshotrevision (snapshot_id, value, fetched_at, superseded_at)
    SELECT id, was, was_fetched, %s FROM old WHERE id IS NOT NULL AND was IS DISTINCT FROM value
), changed AS (
    UPDATE source_snapshots s SET value = o.value, fetched_at = %s, attrs = o.attrs FROM old o
    WHERE s.id = o.id AND o.was IS DISTINCT FROM o.value
    RETURNING s.show_id, s.metric, s.scope, s.period, s.observed_at
), created AS (
    INSERT INTO source_snapshots (source_id, {_COLUMNS}, value, fetched_at, attrs)
    SELECT %s, {_COLUMNS}, value, %s, attrs FROM old WHERE id IS NULL ORDER BY {_COLUMNS}
    RETURNING {_COLUMNS}
)
INSERT INTO {_TOUCHED} SELECT *, false FROM changed UNION ALL SELECT *, true FROM created
"""  # noqa: S608 - module constants only


def _text(value: str) -> str:
    """A COPY text field: backslash, tab and line breaks escaped."""
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return value


def _copy_lines(items: list[SnapshotIn]):
    for i in items:
        at = i.observed_at if timezone.is_aware(i.observed_at) else timezone.make_aware(i.observed_at)
        show = "\\N" if i.show_id is None else str(i.show_id)
        attrs = _text(json.dumps(i.attrs)) if i.attrs else "{}"
        yield (
            f"{show}\t{_text(i.metric)}\t{_text(i.scope)}\t{_text(i.period)}\t{at.isoformat()}\t"
            f"{float(i.value)!r}\t{attrs}\n"
        )


def _upsert_postgres(source: Source, items: list[SnapshotIn], fetched_at: datetime) -> UpsertCounts:
    with connection.cursor() as cursor:
        # One upsert of a source at a time, from before its reads to its commit (the rollups recompute
        # from the stored rows, which a concurrent, uncommitted batch would be missing from).
        cursor.execute("SELECT pg_advisory_xact_lock(1414, %s)", [source.id])
        for sql in _CREATE:
            cursor.execute(sql)
        with cursor.cursor.copy(f"COPY {_BATCH} ({_COLUMNS}, value, attrs) FROM STDIN") as copy:
            lines = _copy_lines(items)
            while chunk := "".join(line for _, line in zip(range(5000), lines, strict=False)):
                copy.write(chunk)
        if len(items) > 1000:
            cursor.execute(f"ANALYZE {_BATCH}")  # the join below is planned on its real size
        cursor.execute(_WRITE, [source.id, source.id, fetched_at, fetched_at, source.id, fetched_at])
        cursor.execute(f"SELECT count(*) FILTER (WHERE created), count(*) FROM {_TOUCHED}")  # noqa: S608
        created, written = cursor.fetchone()
        rollups_refresh_touched(cursor, source_id=source.id, table=_TOUCHED)
    return UpsertCounts(created=created, updated=written - created, unchanged=len(items) - written)


def _upsert_orm(source: Source, wanted: dict, fetched_at: datetime) -> UpsertCounts:
    counts = UpsertCounts()
    observed = [i.observed_at for i in wanted.values()]
    # Only the batch's shows: a one-show backfill window must not read every show's year (the benchmark
    # measured 5.9 GB for a watchlist's Wikipedia backfill before this).
    shows = {i.show_id for i in wanted.values()}
    of_shows = Q(show_id__in=shows - {None})
    if None in shows:
        of_shows |= Q(show_id__isnull=True)
    existing = {
        _key(s.show_id, s.metric, s.scope, s.period, s.observed_at): s
        for s in Snapshot.objects.filter(
            of_shows,
            source=source,
            metric__in={i.metric for i in wanted.values()},
            observed_at__gte=min(observed),
            observed_at__lte=max(observed),
        )
    }
    new, changed, revisions = [], [], []
    for key, item in wanted.items():
        row = existing.get(key)
        if row is None:
            new.append(
                Snapshot(
                    source=source,
                    show_id=item.show_id,
                    metric=item.metric,
                    scope=item.scope,
                    period=item.period,
                    observed_at=item.observed_at,
                    value=item.value,
                    fetched_at=fetched_at,
                    attrs=item.attrs,
                )
            )
        elif row.value != item.value:
            revisions.append(
                SnapshotRevision(
                    snapshot=row, value=row.value, fetched_at=row.fetched_at, superseded_at=fetched_at
                )
            )
            row.value, row.fetched_at, row.attrs = item.value, fetched_at, item.attrs
            changed.append(row)
        else:
            counts.unchanged += 1
    Snapshot.objects.bulk_create(new, batch_size=1000)
    Snapshot.objects.bulk_update(changed, ["value", "fetched_at", "attrs"], batch_size=1000)
    SnapshotRevision.objects.bulk_create(revisions, batch_size=1000)
    # The charts' day and week buckets, in the same transaction as the rows they sum.
    touched = [_key(r.show_id, r.metric, r.scope, r.period, r.observed_at) for r in (*new, *changed)]
    rollups_refresh(source_id=source.id, keys=touched)
    counts.created, counts.updated = len(new), len(changed)
    return counts
