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
"""

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

from django.db.models import Avg, Case, F, FloatField, Q, Value, When, Window
from django.db.models.functions import RowNumber, TruncDay, TruncHour, TruncWeek

from sources.models import Snapshot

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
    *,
    show_id: int,
    start: datetime,
    end: datetime,
    resolution: str,
    source: str = "",
    metric: str = "",
) -> Iterator[tuple]:
    """(source, metric, scope, period, bucket, value) in series order, one row per bucket: one query."""
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


def show_series(**kwargs) -> list[dict]:
    """The `series` list of that response, grouped from the bucketed rows in their order (no re-sorting)."""
    series: list[dict] = []
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
        series[-1]["points"].append([bucket.isoformat(), value])
    return series
