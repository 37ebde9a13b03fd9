"""The merged time series of one show (GET /api/shows/<id>/metrics; its shape is in the README, API).

Points are buckets of the chosen resolution, aggregated in the database. Per metric, a bucket holds either
the mean of the values observed in it or the last one:

- "mean" for values that count something per period of the source (pageviews, interest, post_count,
  mentions, score, and Reddit's comments): the mean keeps the source's unit ("pageviews per hour") whatever
  the bucket, where a sum would silently change it with the resolution.
- "last" for levels, cumulative counters and states (rank, weekly_* of Tudum, views, likes, comments,
  subscribers and video_count, the Kalshi prices, volume and open_interest): a mean of a rank or of a
  running total means nothing; the last value in the bucket is what was known at its end.

A bucket coarser than a source's period only happens when asked for (or by the default resolution of a
long window); a bucket finer than the period holds the one value of that period, at its start.

Hour buckets are computed from the raw rows. Day and week buckets come from the rollups
(sources/series/rollups.py), which hold each bucket's sum, count and newest value: a bucket lying wholly
inside
the window is read from its rollup row; the one or two buckets the window's edges cut through (the
window starts at "now minus N", not at a bucket start) are computed from their raw rows inside the
window, so the points are the same as those of the raw rows alone.
"""

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

from django.db import connection
from django.db.models import Avg, Case, F, FloatField, Q, Value, When, Window
from django.db.models.functions import RowNumber, TruncDay, TruncHour, TruncWeek

from sources.models import Snapshot
from sources.series.rollups import STEP, TABLE, bucket_of

WINDOW_FORMS = "24h, 7d, 30d, 90d, 1y, or Nd / Nh up to 365 days"
_WINDOW = re.compile(r"^(?P<n>[1-9][0-9]{0,4})(?P<unit>[hd])$")
MAX_WINDOW = timedelta(days=365)

METRICS = (
    "rank",
    "weekly_hours_viewed",
    "weekly_views",
    "pageviews",
    "interest",
    "post_count",
    "video_count",
    "views",
    "likes",
    "comments",
    "mentions",
    "score",
    "subscribers",
    "yes_bid",
    "yes_ask",
    "last_price",
    "volume",
    "open_interest",
)
MEAN_METRICS = frozenset({"pageviews", "interest", "post_count", "mentions", "score"})
# (source, metric) pairs whose rule differs from the metric's: Reddit counts comments per hour.
MEAN_BY_SOURCE = frozenset({("reddit", "comments")})

RESOLUTIONS = {"hour": TruncHour, "day": TruncDay, "week": TruncWeek}


class BadParameter(ValueError):
    pass


def parse_window(raw: str) -> timedelta:
    if raw == "1y":
        return MAX_WINDOW
    match = _WINDOW.match(raw or "")
    if not match:
        raise BadParameter(f"window={raw!r} is not accepted; use {WINDOW_FORMS}")
    n = int(match["n"])
    window = timedelta(hours=n) if match["unit"] == "h" else timedelta(days=n)
    if window > MAX_WINDOW:
        raise BadParameter(f"window={raw!r} is longer than 365 days; use {WINDOW_FORMS}")
    return window


def default_resolution(window: timedelta) -> str:
    """Hourly up to 7 days, daily up to 90, weekly beyond: a few hundred points at most per series."""
    if window <= timedelta(days=7):
        return "hour"
    if window <= timedelta(days=90):
        return "day"
    return "week"


def aggregation_of(source: str, metric: str) -> str:
    return "mean" if metric in MEAN_METRICS or (source, metric) in MEAN_BY_SOURCE else "last"


def _uses_mean() -> Q:
    q = Q(metric__in=MEAN_METRICS)
    for source, metric in MEAN_BY_SOURCE:
        q |= Q(source__key=source, metric=metric)
    return q


def bucket_rows(
    *, show_id: int, start: datetime, end: datetime, resolution: str, source: str = "", metric: str = ""
) -> Iterator[tuple]:
    """(source, metric, scope, period, bucket, value) in series order, one row per bucket: one query."""
    if resolution in STEP:
        return _rolled_up(show_id, start, end, resolution, source, metric)
    return raw_bucket_rows(
        show_id=show_id, start=start, end=end, resolution=resolution, source=source, metric=metric
    )


def raw_bucket_rows(
    *, show_id: int, start: datetime, end: datetime, resolution: str, source: str = "", metric: str = ""
) -> Iterator[tuple]:
    """The same rows computed from the raw snapshots alone (every resolution): the hour buckets, and
    what the rollups are checked against."""
    rows = Snapshot.objects.filter(show_id=show_id, observed_at__gte=start, observed_at__lte=end)
    if source:
        rows = rows.filter(source__key=source)
    if metric:
        rows = rows.filter(metric=metric)
    series_bucket = [F("source_id"), F("metric"), F("scope"), F("period"), F("bucket")]
    rows = (
        rows.annotate(bucket=RESOLUTIONS[resolution]("observed_at", tzinfo=UTC))
        .annotate(
            newest_first=Window(
                RowNumber(), partition_by=series_bucket, order_by=[F("observed_at").desc(), F("id").desc()]
            ),
            bucket_mean=Window(Avg("value"), partition_by=series_bucket),
            uses_mean=Case(When(_uses_mean(), then=Value(True)), default=Value(False)),
        )
        # Filtering on a window function makes Django wrap the query; the database still does it all.
        .filter(newest_first=1)
        .annotate(
            point=Case(
                When(uses_mean=True, then=F("bucket_mean")), default=F("value"), output_field=FloatField()
            )
        )
        .order_by("source__key", "metric", "scope", "period", "bucket")
        .values_list("source__key", "metric", "scope", "period", "bucket", "point")
    )
    return rows.iterator(chunk_size=2000)


_ROLLED_UP = """
WITH roll AS (
    SELECT r.source_id, r.metric, r.scope, r.period, r.bucket, r.value_sum, r.value_count, r.last_value,
           r.first_observed_at, r.last_observed_at
    FROM {rollups} r WHERE r.show_id = %s AND r.resolution = %s AND r.bucket >= %s AND r.bucket <= %s {r}
),
edges AS (
    SELECT s.source_id, s.metric, s.scope, s.period, %s AS bucket, s.value, s.observed_at
    FROM source_snapshots s WHERE s.show_id = %s AND s.observed_at >= %s AND s.observed_at < %s
      AND s.observed_at <= %s {s} AND EXISTS (SELECT 1 FROM roll WHERE bucket = %s
                  AND (first_observed_at < %s OR last_observed_at > %s))
    UNION ALL
    SELECT s.source_id, s.metric, s.scope, s.period, %s AS bucket, s.value, s.observed_at
    FROM source_snapshots s WHERE s.show_id = %s AND s.observed_at >= %s AND s.observed_at <= %s {s}
      AND EXISTS (SELECT 1 FROM roll WHERE bucket = %s AND last_observed_at > %s)
),
edge AS (
    SELECT source_id, metric, scope, period, bucket, SUM(value) AS value_sum, COUNT(*) AS value_count,
           MAX(observed_at) AS last_at
    FROM edges GROUP BY source_id, metric, scope, period, bucket
)
SELECT src.key, p.metric, p.scope, p.period, CAST(p.bucket AS text), p.value_sum, p.value_count,
       p.last_value FROM (
    SELECT source_id, metric, scope, period, bucket, value_sum, value_count, last_value FROM roll
    WHERE first_observed_at >= %s AND last_observed_at <= %s
    UNION ALL
    SELECT e.source_id, e.metric, e.scope, e.period, e.bucket, e.value_sum, e.value_count,
           (SELECT x.value FROM source_snapshots x WHERE x.source_id = e.source_id AND x.show_id = %s
            AND x.metric = e.metric AND x.scope = e.scope AND x.period = e.period
            AND x.observed_at = e.last_at)
    FROM edge e WHERE NOT EXISTS (
        SELECT 1 FROM roll r WHERE r.source_id = e.source_id AND r.metric = e.metric AND r.scope = e.scope
        AND r.period = e.period AND r.bucket = e.bucket AND r.first_observed_at >= %s
        AND r.last_observed_at <= %s)
) p JOIN sources_source src ON src.id = p.source_id
ORDER BY src.key, p.metric, p.scope, p.period, p.bucket
"""


def _rolled_up(show_id, start, end, resolution, source, metric) -> Iterator[tuple]:
    """The day or week buckets: whole buckets from the rollups, the edges' from raw rows. A bucket is
    whole when its first and last observations lie inside the window; only the first and the last
    bucket can fail that, and each is read from raw rows only when one of its rollups does."""
    first, last = bucket_of(start, resolution), bucket_of(end, resolution)
    after_first = first + STEP[resolution]
    adapt = connection.ops.adapt_datetimefield_value
    t0, t1, a_first, b0, b_n = adapt(start), adapt(end), adapt(after_first), adapt(first), adapt(last)
    filters, extra = "", []
    if source:
        filters += " AND {t}.source_id IN (SELECT id FROM sources_source WHERE key = %s)"
        extra.append(source)
    if metric:
        filters += " AND {t}.metric = %s"
        extra.append(metric)
    sql = _ROLLED_UP.format(rollups=TABLE, r=filters.format(t="r"), s=filters.format(t="s"))
    params = [show_id, resolution, b0, b_n, *extra]
    params += [b0, show_id, t0, a_first, t1, *extra, b0, t0, t1]
    params += [b_n, show_id, adapt(max(last, after_first)), t1, *extra, b_n, t1]
    params += [t0, t1, show_id, t0, t1]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    # Buckets come as text and are parsed once each: a year's ~50 weeks repeat across every series, and
    # loading ~1,000 timestamps cost more than the query.
    buckets: dict[str, datetime] = {}
    for src, met, scope, period, text, total, count, newest in rows:
        bucket = buckets.get(text)
        if bucket is None:
            bucket = datetime.fromisoformat(text)  # Postgres "…+00", SQLite the stored naive UTC
            bucket = buckets[text] = (
                bucket.replace(tzinfo=UTC) if bucket.tzinfo is None else bucket.astimezone(UTC)
            )
        value = total / count if aggregation_of(src, met) == "mean" else newest
        yield src, met, scope, period, bucket, value


def show_series(**kwargs) -> list[dict]:
    """The `series` list of that response, grouped from the bucketed rows in their order (no re-sorting)."""
    series: list[dict] = []
    stamps: dict[datetime, str] = {}  # each bucket's ISO text once: the same buckets repeat per series
    current = None
    for src, met, scope, period, bucket, value in bucket_rows(**kwargs):
        key = (src, met, scope, period)
        if key != current:
            current = key
            series.append(
                {
                    "source": src,
                    "metric": met,
                    "scope": scope,
                    "period": period,
                    "aggregation": aggregation_of(src, met),
                    "points": [],
                }
            )
        stamp = stamps.get(bucket)
        if stamp is None:
            stamp = stamps[bucket] = bucket.isoformat()
        series[-1]["points"].append([stamp, value])
    return series
