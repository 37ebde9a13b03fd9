"""Pure: daily series of a show -> its features for the predicted week, relative to its previous week.

Only days fully over at the prediction time count (days 1..k of the week), and they are compared
with the same weekdays of the previous week, so a running week's k-day features mean the same as a
finished week's 7-day ones.
"""

import math
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

FEATURES = ("flixpatrol", "google_trends", "wikipedia")
# Whole-chart sources: a show missing from a day's chart scored 0 that day. Per-show sources
# (Trends, Wikipedia) track only some shows, so a missing value means unknown, not zero.
CHART_SOURCES = ("flixpatrol",)
CLIP = 3.0  # |log change| above e^3 ≈ 20x is a new entry or a data problem, not more information

Series = dict[date, float]


@dataclass
class DailySignals:
    """Per feature: show id -> day -> value; the days each feature has any data on; show titles."""

    values: dict[str, dict[int, Series]] = field(default_factory=dict)
    days: dict[str, set[date]] = field(default_factory=dict)
    titles: dict[int, str] = field(default_factory=dict)


def days_seen(week: date, as_of: datetime) -> list[date]:
    """The days of the Monday–Sunday week ending `week` whose UTC day was over at `as_of`."""
    monday = week - timedelta(days=6)
    return [monday + timedelta(days=i) for i in range(7) if _day_end(monday + timedelta(days=i)) <= as_of]


def _day_end(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), time(), tzinfo=UTC)


def _mean(series: Series, days: list[date], *, zero_when_absent: bool) -> float | None:
    if zero_when_absent:
        values = [series.get(d, 0.0) for d in days]
    else:
        values = [series[d] for d in days if d in series]
    return sum(values) / len(values) if values else None


def log_change(
    series: Series, this: list[date], prev: list[date], *, chart_days: set[date] | None
) -> float | None:
    """log((mean this + 1) / (mean previous + 1)), clipped; None when either window has no data."""
    if chart_days is not None:
        this, prev = [d for d in this if d in chart_days], [d for d in prev if d in chart_days]
    now = _mean(series, this, zero_when_absent=chart_days is not None)
    before = _mean(series, prev, zero_when_absent=chart_days is not None)
    if now is None or before is None:
        return None
    return max(-CLIP, min(CLIP, math.log((now + 1) / (before + 1))))


def show_features(signals: DailySignals, show_id: int, this: list[date]) -> dict[str, float | None]:
    """Feature name -> value (None when not available) for one show."""
    prev = [d - timedelta(days=7) for d in this]
    out: dict[str, float | None] = {}
    for name in FEATURES:
        series = signals.values.get(name, {}).get(show_id, {})
        chart_days = signals.days.get(name, set()) if name in CHART_SOURCES else None
        out[name] = log_change(series, this, prev, chart_days=chart_days) if this else None
    return out


def as_vector(x: dict[str, float | None]) -> list[float]:
    """A missing feature is 0: it moves nothing."""
    return [x.get(name) or 0.0 for name in FEATURES]
