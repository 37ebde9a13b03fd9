"""GET /api/shows/<id>/metrics through uvicorn, beside the best single SQL query for the same points."""

import random
import time
from datetime import UTC, datetime

import httpx
import psycopg

from bench.procs import percentile
from sources.series.rollups import STEP, bucket_of
from sources.series.show_series import MEAN_BY_SOURCE, MEAN_METRICS, default_resolution, parse_window

WINDOWS = ("24h", "7d", "30d", "90d", "1y")

# Hour buckets (24h, 7d): one pass over the window's rows through the (show, observed_at) index, grouped
# by series and bucket, the mean for counting metrics and the newest value for levels (what
# sources/series/show_series.py defines).
FLOOR_RAW_SQL = """
SELECT src.key, s.metric, s.scope, s.period, date_trunc(%(res)s, s.observed_at, 'UTC') AS bucket,
       CASE WHEN s.metric = ANY(%(mean)s) OR (src.key || '/' || s.metric) = ANY(%(mean_by_source)s)
            THEN avg(s.value)
            ELSE (array_agg(s.value ORDER BY s.observed_at DESC, s.id DESC))[1] END
FROM source_snapshots s JOIN sources_source src ON src.id = s.source_id
WHERE s.show_id = %(show)s AND s.observed_at >= %(start)s AND s.observed_at <= %(end)s
GROUP BY src.key, s.metric, s.scope, s.period, bucket
ORDER BY src.key, s.metric, s.scope, s.period, bucket
"""
# Day and week buckets (30d, 90d, 1y): with the rollups the database's least work for the same points
# is the same as the endpoint's: each whole bucket's rollup row, and the raw rows inside the window of
# the first (and, when rows lie past the window's end, the last) bucket, which the window cuts.
FLOOR_ROLLUP_SQL = """
WITH src AS MATERIALIZED (SELECT id, key FROM sources_source),  -- hashed once, not probed per point
roll AS (
    SELECT * FROM source_snapshot_rollups
    WHERE show_id = %(show)s AND resolution = %(res)s AND bucket >= %(b0)s AND bucket <= %(bn)s
), cut AS (
    SELECT source_id, metric, scope, period, bucket FROM roll
    WHERE first_observed_at < %(start)s OR last_observed_at > %(end)s
), edge_rows AS (
    SELECT s.source_id, s.metric, s.scope, s.period, %(b0)s::timestamptz AS bucket, s.value, s.observed_at
    FROM source_snapshots s
    WHERE s.show_id = %(show)s AND s.observed_at >= %(start)s AND s.observed_at < %(b1)s
      AND s.observed_at <= %(end)s AND EXISTS (SELECT FROM cut WHERE bucket = %(b0)s)
    UNION ALL
    SELECT s.source_id, s.metric, s.scope, s.period, %(bn)s::timestamptz, s.value, s.observed_at
    FROM source_snapshots s
    WHERE s.show_id = %(show)s AND s.observed_at >= %(bn_from)s AND s.observed_at <= %(end)s
      AND EXISTS (SELECT FROM cut WHERE bucket = %(bn)s)
), edge AS (
    SELECT source_id, metric, scope, period, bucket, sum(value) AS value_sum, count(*) AS value_count,
           (array_agg(value ORDER BY observed_at DESC))[1] AS last_value
    FROM edge_rows GROUP BY 1, 2, 3, 4, 5
), points AS (
    SELECT source_id, metric, scope, period, bucket, value_sum, value_count, last_value FROM roll
    WHERE first_observed_at >= %(start)s AND last_observed_at <= %(end)s
    UNION ALL
    SELECT e.* FROM edge e JOIN cut USING (source_id, metric, scope, period, bucket)
)
SELECT src.key, p.metric, p.scope, p.period, p.bucket,
       CASE WHEN p.metric = ANY(%(mean)s) OR (src.key || '/' || p.metric) = ANY(%(mean_by_source)s)
            THEN p.value_sum / p.value_count ELSE p.last_value END
FROM points p JOIN src ON src.id = p.source_id
ORDER BY src.key, p.metric, p.scope, p.period, p.bucket
"""


def _floor(show: int, window: str, end: datetime) -> tuple[str, dict]:
    span = parse_window(window)
    res = default_resolution(span)
    start = end - span
    params = {
        "res": res,
        "mean": list(MEAN_METRICS),
        "mean_by_source": [f"{s}/{m}" for s, m in MEAN_BY_SOURCE],
        "show": show,
        "start": start,
        "end": end,
    }
    if res == "hour":
        return FLOOR_RAW_SQL, params
    b0, bn = bucket_of(start, res), bucket_of(end, res)
    b1 = b0 + STEP[res]
    return FLOOR_ROLLUP_SQL, {**params, "b0": b0, "b1": b1, "bn": bn, "bn_from": max(bn, b1)}


def floor_query(conn, *, show: int, window: str, end: datetime) -> list[tuple]:
    sql, params = _floor(show, window, end)
    return conn.execute(sql, params, prepare=True).fetchall()


def run(base_url: str, dsn: str, shows: list[int], *, requests: int, log=print) -> dict:
    rng = random.Random(7)
    out = {}
    with httpx.Client(base_url=base_url, timeout=60) as client, psycopg.connect(dsn, autocommit=True) as conn:
        for window in WINDOWS:
            picks = [rng.choice(shows) for _ in range(requests)]
            api, sql, points, sql_points = [], [], 0, 0
            for show in picks[:3]:  # warm-up: connections, prepared statements, the first pages read
                client.get(f"/api/shows/{show}/metrics", params={"window": window}).raise_for_status()
            for show in picks:
                t0 = time.perf_counter()
                response = client.get(f"/api/shows/{show}/metrics", params={"window": window})
                api.append((time.perf_counter() - t0) * 1000)
                response.raise_for_status()
                points = sum(len(s["points"]) for s in response.json()["series"])
            for show in picks:
                end = datetime.now(UTC)
                t0 = time.perf_counter()
                rows = floor_query(conn, show=show, window=window, end=end)
                sql.append((time.perf_counter() - t0) * 1000)
                sql_points = len(rows)
            p50, sql_p50 = percentile(api, 50), percentile(sql, 50)
            out[window] = {
                "resolution": default_resolution(parse_window(window)),
                "p50_ms": round(p50, 2),
                "p99_ms": round(percentile(api, 99), 2),
                "sql_p50_ms": round(sql_p50, 2),
                "sql_p99_ms": round(percentile(sql, 99), 2),
                "ratio_p50": round(p50 / sql_p50, 2),
                "points": points,
                "sql_points": sql_points,
                "requests": requests,
            }
            log(f"  metrics {window:>4}: api p50 {p50:.1f} ms p99 {out[window]['p99_ms']:.1f} ms; "
                f"sql p50 {sql_p50:.1f} ms; {points} points (sql {sql_points})")  # fmt: skip
    return out


def explain(dsn: str, show: int, window: str) -> dict:
    """EXPLAIN (ANALYZE, BUFFERS) of the endpoint's query and of the floor query, for docs/performance.md."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from sources.series.show_series import bucket_rows

    span = parse_window(window)
    end = timezone.now()
    # The endpoint's own SQL, as Django sends it (bucket_rows hands back an iterator, not a queryset).
    with transaction.atomic(), CaptureQueriesContext(connection) as captured:
        list(bucket_rows(show_id=show, start=end - span, end=end, resolution=default_resolution(span)))
    sql = next(q["sql"] for q in captured.captured_queries if "source_snapshots" in q["sql"])
    sql = sql[sql.index("SELECT") :] if "CURSOR" in sql[:200].upper() else sql
    with connection.cursor() as cur:
        cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        endpoint = "\n".join(r[0] for r in cur.fetchall())
    floor_sql, params = _floor(show, window, end)
    with psycopg.connect(dsn) as conn:
        rows = conn.execute("EXPLAIN (ANALYZE, BUFFERS) " + floor_sql, params).fetchall()
    return {"endpoint": endpoint, "floor": "\n".join(r[0] for r in rows)}
