"""The range of every metric a source stores, checked where normalized values enter the pipeline.

A value outside its range (NaN, infinity, a negative count, a price of -5 dollars) is never stored:
the pipeline drops it and records it as an item error, so the run is partial (or failed when nothing
valid is left) and the value stored before stays. A metric missing from this table is refused too, so a
new metric has to say here what its values may be before any of them is stored.
"""

import math
import re
from dataclasses import dataclass

from .base import SnapshotIn

INF = math.inf


@dataclass(frozen=True)
class Range:
    low: float
    high: float
    integer: bool = False

    def problem(self, value: object) -> str:
        """Why the value is refused, "" when it is fine."""
        if isinstance(value, bool) or not isinstance(value, int | float):
            return f"{value!r} is not a number"
        if not math.isfinite(value):
            return f"{value!r} is not finite"
        if not self.low <= value <= self.high:
            return f"{value!r} is outside [{self.low:g}, {self.high:g}]"
        if self.integer and value != int(value):
            return f"{value!r} is not a whole number"
        return ""


COUNT = Range(0, INF)  # views, posts, contracts, hours: never negative, not necessarily whole
# Kalshi prices in dollars per contract (sources/kalshi/normalize.py converts legacy cents).
DOLLARS = Range(0, 1)
TOP10_RANK = Range(1, 10, integer=True)  # Netflix's Top 10 lists
RANK = Range(1, INF, integer=True)  # FlixPatrol's charts rank further than 10 on some lists
ANY = Range(-INF, INF)  # a Reddit post's score goes below zero when it is downvoted

# source key -> [(metric name pattern, range)], first match wins.
RANGES: dict[str, list[tuple[str, Range]]] = {
    "kalshi": [("yes_bid|yes_ask|last_price", DOLLARS), ("volume|open_interest", COUNT)],
    "wikipedia": [("pageviews", COUNT)],
    # 100 = the anchor term's mean over the window, so a show above the anchor exceeds 100.
    "google_trends": [("interest", COUNT)],
    "x": [("post_count", COUNT)],
    "youtube": [("views|likes|comments", COUNT)],
    "reddit": [("subscribers|active_users|mentions|comments", COUNT), ("score", ANY)],
    "tiktok": [("video_count|views|likes|comments|shares", COUNT)],
    "tudum": [
        ("rank", TOP10_RANK),
        ("weekly_hours_viewed|weekly_views|runtime|cumulative_weeks_in_top_10", COUNT),
        (r"(hours_viewed|views)_first_\d+_days", COUNT),
    ],
    "flixpatrol": [("rank", RANK), ("points", COUNT)],
}
_COMPILED = {key: [(re.compile(p), r) for p, r in rules] for key, rules in RANGES.items()}
SHOWN_PROBLEMS = 5  # a run with thousands of bad values names a few and counts the rest


def range_of(source_key: str, metric: str) -> Range | None:
    for pattern, rng in _COMPILED.get(source_key, []):
        if pattern.fullmatch(metric):
            return rng
    return None


def value_problem(source_key: str, item: SnapshotIn) -> str:
    rng = range_of(source_key, item.metric)
    if rng is None:
        return f"no range is defined for metric {item.metric!r}"
    return rng.problem(item.value)


def snapshots_checked(*, source_key: str, items: list[SnapshotIn]) -> tuple[list[SnapshotIn], list[str]]:
    """(the valid items, one error text per refused batch); refused items are dropped."""
    valid, refused = [], []
    for item in items:
        problem = value_problem(source_key, item)
        if problem:
            where = item.scope if item.show_id is None else f"show {item.show_id} {item.scope}"
            refused.append(f"{item.metric} of {where} at {item.observed_at:%Y-%m-%d %H:%M}: {problem}")
        else:
            valid.append(item)
    if not refused:
        return valid, []
    more = len(refused) - SHOWN_PROBLEMS
    text = f"{len(refused)} value(s) refused, not stored: " + "; ".join(refused[:SHOWN_PROBLEMS])
    return valid, [text + (f"; and {more} more" if more > 0 else "")]
