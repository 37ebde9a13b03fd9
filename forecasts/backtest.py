"""Walk forward over a list's weeks: for each week, fit on the earlier weeks only, predict, score.

Every week from the start is predicted (later weeks calibrate on the earlier predictions); only weeks in
[start, end] are scored.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from . import baselines, model
from .calibration import FrequencyCalibration, Record, SoftmaxCalibration
from .history import Week
from .metrics import brier, log_loss, spearman, top_k_hit
from .outcomes import LOOKBACK_WEEKS, RawForecast

MIN_HISTORY = LOOKBACK_WEEKS + 8  # weeks of history before the first prediction


@dataclass
class Method:
    name: str
    raw: Callable[[list[Week]], RawForecast]
    calibration: type
    past: list[Record] = field(default_factory=list)
    scores: list[dict] = field(default_factory=list)


def _methods() -> list[Method]:
    return [
        Method("model", model.forecast, SoftmaxCalibration),
        Method("persistence", baselines.persistence, FrequencyCalibration),
        Method("decay", baselines.decay, SoftmaxCalibration),
    ]


def _week_scores(raw: RawForecast, p: np.ndarray, target: Week) -> dict:
    actual = raw.index_of(target.entries[0].key)
    predicted = np.array([raw.scores[raw.index_of(e.key)] for e in target.entries])
    # Unseen titles share the NEW score; -inf (no prediction) ties them below every candidate.
    finite = predicted[np.isfinite(predicted)]
    predicted = np.where(np.isfinite(predicted), predicted, finite.min() - 1 if finite.size else 0.0)
    return {
        "top1": top_k_hit(p, actual, 1),
        "top2": top_k_hit(p, actual, 2),
        "spearman": spearman(-predicted, np.array([e.rank for e in target.entries])),
        "brier": brier(p, actual),
        "logloss": log_loss(p, actual),
    }


def _summary(scores: list[dict]) -> dict:
    if not scores:
        return {k: None for k in ("top1", "top2", "spearman", "brier", "logloss")}
    return {k: round(float(np.mean([s[k] for s in scores])), 4) for k in scores[0]}


def run_backtest(weeks: list[Week], *, start: date | None = None, end: date | None = None) -> dict:
    methods = _methods()
    scored = 0
    for i in range(MIN_HISTORY, len(weeks)):
        target = weeks[i]
        if end and target.week > end:
            break
        history = weeks[:i]  # point in time: nothing from the predicted week or later
        for method in methods:
            raw = method.raw(history)
            if not start or target.week >= start:
                p = method.calibration.fit(method.past).apply(raw)
                method.scores.append(_week_scores(raw, p, target))
            method.past.append((raw, raw.index_of(target.entries[0].key)))
        if not start or target.week >= start:
            scored += 1
    return {
        "weeks": scored,
        **{m.name: _summary(m.scores) for m in methods},
        "features": _features(weeks, end),
    }


def _features(weeks: list[Week], end: date | None) -> list[str]:
    """The model's inputs that the file actually had for the walked weeks (views only since mid-2023)."""
    read = [w for w in weeks if not end or w.week <= end]
    present = {"weekly_rank", "cumulative_weeks_in_top_10", "weekly_hours_viewed"}
    if any(w.ranked_by_views for w in read):
        present.add("weekly_views")
    return [f for f in model.FEATURES if f in present]
