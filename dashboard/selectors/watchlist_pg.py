"""The watchlist's two snapshot reads on Postgres, each reading only the rows it returns.

A window function over every stored row of the watched shows (the portable form in watchlist.py) costs
what the history weighs: 7.3 s at 4 M rows, sorting 2.3 M rows on disk to keep 1,000. Here each series
is found by skipping through the unique index (source, show, metric, scope, period, observed_at) one
(scope, period) at a time, and its newest rows are read backwards from the end of that index range: a
few index pages per series, whatever the history's length. The sparklines read the day rollups instead
of every hour of seven days (docs/performance.md, "Watchlist").
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from django.db import connection, transaction

NEWEST_TWO = """
WITH RECURSIVE
pairs AS (
  SELECT sh.id AS show_id, src.id AS source_id, src.key AS source_key, sig.metric
  FROM unnest(%s::bigint[]) AS sh(id)
  CROSS JOIN unnest(%s::text[], %s::text[]) AS sig(source_key, metric)
  JOIN sources_source src ON src.key = sig.source_key
),
series AS (
  SELECT p.show_id, p.source_id, p.source_key, p.metric, first.scope, first.period
  FROM pairs p CROSS JOIN LATERAL (
    SELECT s.scope, s.period FROM source_snapshots s
    WHERE s.source_id = p.source_id AND s.show_id = p.show_id AND s.metric = p.metric
    ORDER BY s.scope, s.period LIMIT 1
  ) first
  UNION ALL
  SELECT r.show_id, r.source_id, r.source_key, r.metric, next.scope, next.period
  FROM series r CROSS JOIN LATERAL (
    SELECT s.scope, s.period FROM source_snapshots s
    WHERE s.source_id = r.source_id AND s.show_id = r.show_id AND s.metric = r.metric
      AND (s.scope, s.period) > (r.scope, r.period)
    ORDER BY s.scope, s.period LIMIT 1
  ) next
)
SELECT r.show_id, r.source_key, r.metric, r.scope, r.period, n.observed_at, n.value, n.newest_first
FROM series r CROSS JOIN LATERAL (
  SELECT s.observed_at, s.value, row_number() OVER (ORDER BY s.observed_at DESC) AS newest_first
  FROM source_snapshots s
  WHERE s.source_id = r.source_id AND s.show_id = r.show_id AND s.metric = r.metric
    AND s.scope = r.scope AND s.period = r.period
  ORDER BY s.observed_at DESC LIMIT 2
) n
ORDER BY 1, 2, 3, 4, 5, 8
"""

# Per chosen series, its day rollups (sources/series/rollups.py) from `since`: a few rows per series and show.
DAILY_MEANS = """
SELECT c.n, r.value_sum / r.value_count
FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::text[], %s::text[]) WITH ORDINALITY
  AS c(show_id, source_key, metric, scope, period, n)
JOIN sources_source src ON src.key = c.source_key
JOIN source_snapshot_rollups r ON r.show_id = c.show_id AND r.resolution = 'day' AND r.bucket >= %s
  AND r.source_id = src.id AND r.metric = c.metric AND r.scope = c.scope AND r.period = c.period
ORDER BY c.n, r.bucket
"""


@contextmanager
def without_jit() -> Iterator[None]:
    """The reads below run a few thousand cheap index probes that the planner prices like a large scan,
    so JIT would compile them for longer than they run (894 ms of 1.1 s at 40 M rows): off, for them."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        yield


def _fetch(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def newest_two(show_ids: list[int], signals: list[tuple[str, str]]) -> list[tuple]:
    """(show_id, source, metric, scope, period, observed_at, value, n) for the newest (n=1) and the
    one before (n=2) of every series of the given (source, metric) signals, as watchlist._newest_two."""
    sources, metrics = [s for s, _ in signals], [m for _, m in signals]
    return _fetch(NEWEST_TWO, [show_ids, sources, metrics])


def daily_means(series: list[tuple[int, str, str, str, str]], since: datetime) -> list[tuple[int, float]]:
    """(index into `series`, mean) per UTC day from the day `since` starts, oldest first per series."""
    if not series:
        return []
    columns = [list(column) for column in zip(*series, strict=True)]
    return [(n - 1, mean) for n, mean in _fetch(DAILY_MEANS, [*columns, since])]
