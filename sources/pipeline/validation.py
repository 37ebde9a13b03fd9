"""The range of every metric a source stores, checked where normalized values enter the pipeline.

A value outside its range (NaN, infinity, a negative count, a price of -5 dollars) is never stored:
the pipeline drops it and records it as an item error, so the run is partial (or failed when nothing
valid is left) and the value stored before stays. Ranges are declared per metric in each source's spec;
a metric without one is refused too, so a new metric has to say what its values may be before any of
them is stored.
"""

import re
from functools import cache

from sources import registry
from sources.base import SnapshotIn
from sources.spec import Range

SHOWN_PROBLEMS = 5  # a run with thousands of bad values names a few and counts the rest


@cache
def _compiled(metrics: tuple[tuple[str, Range], ...]) -> list[tuple[re.Pattern, Range]]:
    return [(re.compile(pattern), rng) for pattern, rng in metrics]


def range_of(source_key: str, metric: str) -> Range | None:
    """The range its spec declares for the metric (sources/<key>/spec.py), None for none."""
    spec = registry.specs().get(source_key)
    for pattern, rng in _compiled(spec.metrics) if spec else []:
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
