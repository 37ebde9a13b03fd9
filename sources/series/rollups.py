"""Day and week rollups of the snapshots (sources.models.SnapshotRollup), so that a 90-day or 1-year
chart reads one row per series and bucket instead of every raw row.

A rollup row holds the sum, the count and the newest value of its bucket, whatever the metric's rule
(sources/series/show_series.py picks the mean or the last when it reads): a change of rule needs no rebuild.

Kept in the transaction that writes the snapshots: `rollups_refresh` recomputes the touched buckets from
the stored rows (day buckets from the raw rows, then week buckets from those days), so a revised value
is simply read again; it never adds deltas that could drift. Concurrent refreshes of one source are
serialized by a transaction-level advisory lock on Postgres (on SQLite every write transaction is
already alone), taken before the recompute reads: the second sees the first's committed rows.
`rollups_rebuild` recomputes everything (the data migration, the benchmark's COPY load, tests that
write rows with bulk_create).

Plain SQL that runs on Postgres and SQLite alike; only the full rebuild truncates dates itself.
"""

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from django.db import connections
from django.db.models.signals import post_save
from django.dispatch import receiver

from sources.models import Snapshot

TABLE = "source_snapshot_rollups"
STEP = {"day": timedelta(days=1), "week": timedelta(days=7)}
_COLUMNS = (
    "resolution, show_id, source_id, metric, scope, period, bucket, value_sum, value_count, last_value, "
    "first_observed_at, last_observed_at"
)
_CONFLICT = (
    "ON CONFLICT (show_id, resolution, bucket, source_id, metric, scope, period) DO UPDATE SET "
    "value_sum = excluded.value_sum, value_count = excluded.value_count, last_value = excluded.last_value, "
    "first_observed_at = excluded.first_observed_at, last_observed_at = excluded.last_observed_at"
)
# What a bucket is computed from: the raw rows for days, the day rollups for weeks.
_RAW = {
    "table": "source_snapshots",
    "sum": "x.value",
    "count": "1",
    "first": "x.observed_at",
    "last": "x.observed_at",
    "value": "x.value",
    "time": "x.observed_at",
    "only": "",
}
_DAYS = {
    "table": TABLE,
    "sum": "x.value_sum",
    "count": "x.value_count",
    "first": "x.first_observed_at",
    "last": "x.last_observed_at",
    "value": "x.last_value",
    "time": "x.bucket",
    "only": "AND x.resolution = 'day'",
}
_SAME_SERIES = (
    "x.source_id = %s AND x.show_id = {g}.show_id AND x.metric = {g}.metric AND x.scope = {g}.scope "
    "AND x.period = {g}.period"
)
# Postgres joins each touched bucket to its rows by index (LATERAL): a hash join on the series, which it
# picks otherwise, pairs every touched bucket with every row of its series. SQLite loops by index anyway.
_GROUPED = {
    "postgresql": """
    SELECT t.show_id, t.metric, t.scope, t.period, t.bucket, t.bucket_end, a.value_sum, a.value_count,
           a.first_at, a.last_at
    FROM touched t CROSS JOIN LATERAL (
        SELECT SUM({sum}) AS value_sum, SUM({count}) AS value_count, MIN({first}) AS first_at,
               MAX({last}) AS last_at
        FROM {table} x WHERE {same_t} AND {time} >= t.bucket AND {time} < t.bucket_end {only}
    ) a WHERE a.last_at IS NOT NULL""",
    "sqlite": """
    SELECT t.show_id, t.metric, t.scope, t.period, t.bucket, t.bucket_end, SUM({sum}) AS value_sum,
           SUM({count}) AS value_count, MIN({first}) AS first_at, MAX({last}) AS last_at
    FROM touched t JOIN {table} x ON {same_t} AND {time} >= t.bucket AND {time} < t.bucket_end {only}
    GROUP BY t.show_id, t.metric, t.scope, t.period, t.bucket, t.bucket_end""",
}
_REFRESH = """
WITH touched (show_id, metric, scope, period, bucket, bucket_end) AS ({touched}),
grouped AS ({grouped})
INSERT INTO {rollups} ({columns})
SELECT %s, g.show_id, %s, g.metric, g.scope, g.period, g.bucket, g.value_sum, g.value_count,
       (SELECT {value} FROM {table} x WHERE {same_g} AND {time} >= g.bucket AND {time} < g.bucket_end
        AND {last} = g.last_at {only}),
       g.first_at, g.last_at
FROM grouped g WHERE true
{conflict}
"""
_BATCH = 2000  # touched buckets per statement: 6 parameters each, under SQLite's 32,766


def bucket_of(at: datetime, resolution: str) -> datetime:
    """UTC start of the hour, day or ISO week (Monday) holding `at`, as the database truncates."""
    at = at.astimezone(UTC)
    if resolution == "hour":
        return at.replace(minute=0, second=0, microsecond=0)
    day = at.replace(hour=0, minute=0, second=0, microsecond=0)
    return day if resolution == "day" else day - timedelta(days=day.weekday())


def _lock(cursor, vendor: str, source_id: int) -> None:
    if vendor == "postgresql":
        cursor.execute("SELECT pg_advisory_xact_lock(1414, %s)", [source_id])


def rollups_refresh(*, source_id: int, keys: Iterable[tuple], using: str = "default") -> None:
    """Recompute the day and week buckets holding these (show_id, metric, scope, period, observed_at)
    keys of one source. Call it inside the transaction that wrote them."""
    connection = connections[using]
    days = {(k[0], k[1], k[2], k[3], bucket_of(k[4], "day")) for k in keys if k[0] is not None}
    if not days:
        return
    weeks = {(*k[:4], bucket_of(k[4], "week")) for k in days}
    with connection.cursor() as cursor:
        _lock(cursor, connection.vendor, source_id)
        for resolution, touched, origin in (("day", days, _RAW), ("week", weeks, _DAYS)):
            touched = sorted(touched)
            for n in range(0, len(touched), _BATCH):
                _refresh(cursor, connection, source_id, resolution, touched[n : n + _BATCH], origin)


def _refresh(cursor, connection, source_id, resolution, touched, origin) -> None:
    adapt = connection.ops.adapt_datetimefield_value
    params: list = []
    for show_id, metric, scope, period, bucket in touched:
        params += [show_id, metric, scope, period, adapt(bucket), adapt(bucket + STEP[resolution])]
    values = "VALUES " + ", ".join(["(%s, %s, %s, %s, %s, %s)"] * len(touched))
    cursor.execute(
        _refresh_sql(connection.vendor, values, origin), [*params, *_params(source_id, resolution)]
    )


def _params(source_id: int, resolution: str) -> list:
    return [source_id, resolution, source_id, source_id]  # grouped's, then the SELECT's, then its lookup's


def _refresh_sql(vendor: str, touched: str, origin: dict) -> str:
    same = {"same_t": _SAME_SERIES.format(g="t"), "same_g": _SAME_SERIES.format(g="g")}
    return _REFRESH.format(
        touched=touched,
        grouped=_GROUPED[vendor].format(**origin, **same),
        rollups=TABLE,
        columns=_COLUMNS,
        conflict=_CONFLICT,
        **same,
        **origin,
    )


# The Postgres upsert (sources/pipeline/store.py) leaves the keys it inserted or changed in this temporary
# table.
_TOUCHED = (
    "SELECT DISTINCT show_id, metric, scope, period, date_trunc('{res}', observed_at, 'UTC'), "
    "date_trunc('{res}', observed_at, 'UTC') + interval '{step}' FROM {table} WHERE show_id IS NOT NULL"
)


def rollups_refresh_touched(cursor, *, source_id: int, table: str) -> None:
    """rollups_refresh for the keys in a temporary table of (show_id, metric, scope, period,
    observed_at), on Postgres, without carrying them through Python."""
    _lock(cursor, "postgresql", source_id)
    for resolution, step, origin in (("day", "1 day", _RAW), ("week", "7 days", _DAYS)):
        touched = _TOUCHED.format(res=resolution, step=step, table=table)
        cursor.execute(_refresh_sql("postgresql", touched, origin), _params(source_id, resolution))


# The full rebuild groups by the truncated time itself; "%%" because the statements carry parameters.
_TRUNC = {
    "postgresql": {"day": "date_trunc('day', {t}, 'UTC')", "week": "date_trunc('week', {t}, 'UTC')"},
    "sqlite": {
        "day": "strftime('%%Y-%%m-%%d 00:00:00', {t})",
        "week": "strftime('%%Y-%%m-%%d 00:00:00', {t}, 'weekday 0', '-6 days')",
    },
}
_REBUILD = """
INSERT INTO {rollups} ({columns})
SELECT %s, g.show_id, g.source_id, g.metric, g.scope, g.period, g.bucket, g.value_sum, g.value_count,
       (SELECT {value} FROM {table} x WHERE x.source_id = g.source_id AND x.show_id = g.show_id
        AND x.metric = g.metric AND x.scope = g.scope AND x.period = g.period AND {last} = g.last_at
        AND {time} >= g.bucket {only}),
       g.first_at, g.last_at
FROM (
    SELECT x.show_id, x.source_id, x.metric, x.scope, x.period, {bucket} AS bucket, SUM({sum}) AS value_sum,
           SUM({count}) AS value_count, MIN({first}) AS first_at, MAX({last}) AS last_at
    FROM {table} x WHERE x.show_id IS NOT NULL {only} {shows}
    GROUP BY x.show_id, x.source_id, x.metric, x.scope, x.period, {bucket}
) g
"""


def rollups_rebuild(*, show_ids: Iterable[int] | None = None, using: str = "default") -> None:
    """Recompute every rollup (of these shows) from the stored snapshots."""
    connection = connections[using]
    shows, params = "", []
    if show_ids is not None:
        params = sorted(set(show_ids))
        if not params:
            return
        shows = f"AND {{t}}show_id IN ({', '.join(['%s'] * len(params))})"
    trunc = _TRUNC[connection.vendor]
    with connection.cursor() as cursor:
        delete = f"DELETE FROM {TABLE} WHERE true {shows.format(t='')}"  # noqa: S608 - placeholders only
        cursor.execute(delete, params)
        for resolution, origin in (("day", _RAW), ("week", _DAYS)):
            sql = _REBUILD.format(
                rollups=TABLE,
                columns=_COLUMNS,
                bucket=trunc[resolution].format(t=origin["time"]),
                shows=shows.format(t="x."),
                **origin,
            )
            cursor.execute(sql, [resolution, *params])


@receiver(post_save, sender=Snapshot)
def _refresh_saved_snapshot(sender, instance: Snapshot, raw: bool = False, **kwargs) -> None:
    # A row saved one at a time (the admin, a fixture): the pipeline's bulk path calls rollups_refresh.
    if raw or instance.show_id is None:
        return
    key = (instance.show_id, instance.metric, instance.scope, instance.period, instance.observed_at)
    rollups_refresh(source_id=instance.source_id, keys=[key], using=kwargs.get("using") or "default")
