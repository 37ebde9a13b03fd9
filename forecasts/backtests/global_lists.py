"""Walk forward over a list's weeks: for each week, fit on the earlier weeks only, predict, score.

Every week from the start is predicted (later weeks calibrate on the earlier predictions); only weeks in
[start, end] are scored. P(#2) is calibrated the same way as P(#1), on each method's own earlier
predictions of who came second, and scored under the extra key "rank2".
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from forecasts.backtests.scores import brier, log_loss, spearman, top_k_hit
from forecasts.engines import baselines
from forecasts.engines import decay as global_model
from forecasts.engines.calibration import FrequencyCalibration, Record, SoftmaxCalibration, with_floor
from forecasts.engines.outcomes import LOOKBACK_WEEKS, RawForecast
from forecasts.history.global_lists import Week

MIN_HISTORY = LOOKBACK_WEEKS + 8  # weeks of history before the first prediction
RANK2_KEYS = ("brier", "logloss")


@dataclass
class Method:
    name: str
    raw: Callable[[list[Week]], RawForecast]
    calibration: type
    past: list[Record] = field(default_factory=list)
    scores: list[dict] = field(default_factory=list)
    past2: list[Record] = field(default_factory=list)
    scores2: list[dict] = field(default_factory=list)


def _methods() -> list[Method]:
    return [
        Method("model", global_model.forecast, SoftmaxCalibration),
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


def _rank2_scores(p: np.ndarray, actual: int) -> dict:
    return {"brier": brier(p, actual), "logloss": log_loss(p, actual)}


def _summary(scores: list[dict], keys=("top1", "top2", "spearman", "brier", "logloss")) -> dict:
    if not scores:
        return dict.fromkeys(keys)
    return {k: round(float(np.mean([s[k] for s in scores])), 4) for k in scores[0]}


def run_backtest(weeks: list[Week], *, start: date | None = None, end: date | None = None) -> dict:
    methods = _methods()
    scored = 0
    uncalibrated: list[dict] = []  # the model's simulated P(#2) as is, to show what calibration adds
    per_week: list[dict] = []
    for i in range(MIN_HISTORY, len(weeks)):
        target = weeks[i]
        if end and target.week > end:
            break
        history = weeks[:i]  # point in time: nothing from the predicted week or later
        in_window = not start or target.week >= start
        raw_second = None
        for method in methods:
            raw = method.raw(history)
            raw2 = raw.for_rank(2)
            second = raw2.index_of(target.entries[1].key)
            if in_window:
                p = method.calibration.fit(method.past).apply(raw)
                method.scores.append(_week_scores(raw, p, target))
                p2 = method.calibration.fit(method.past2).apply(raw2)
                method.scores2.append(_rank2_scores(p2, second))
                if method.name == "model":
                    raw_second = _rank2_scores(with_floor(raw.extras["p_rank2"]), second)
                    per_week.append(_week_row(raw, p, history, target))
            method.past.append((raw, raw.index_of(target.entries[0].key)))
            method.past2.append((raw2, second))
        if in_window:
            scored += 1
            if raw_second:
                uncalibrated.append(raw_second)
    return {
        "weeks": scored,
        **{m.name: _summary(m.scores) for m in methods},
        "features": _features(weeks, end),
        "rank2": {
            **{m.name: _summary(m.scores2, RANK2_KEYS) for m in methods},
            "model_uncalibrated": _summary(uncalibrated, RANK2_KEYS),
        },
        "per_week": per_week,
    }


def _week_row(raw: RawForecast, p: np.ndarray, history: list[Week], target: Week) -> dict:
    """The model's view of one scored week: P(#1) of the actual #1 (the new-show share when it was not a
    candidate) and its three most likely outcomes."""
    names = {e.key: _display(e) for wk in [*history[-LOOKBACK_WEEKS:], target] for e in wk.entries}
    actual = target.entries[0]
    top = np.argsort(-p, kind="stable")[:3]
    return {
        "week": target.week.isoformat(),
        "actual": _display(actual),
        "p_actual": round(float(p[raw.index_of(actual.key)]), 4),
        "top": [[names.get(raw.keys[j], "A show not yet seen"), round(float(p[j]), 4)] for j in top],
    }


def _features(weeks: list[Week], end: date | None) -> list[str]:
    """The model's inputs that the file actually had for the walked weeks (views only since mid-2023)."""
    read = [w for w in weeks if not end or w.week <= end]
    present = {"weekly_rank", "cumulative_weeks_in_top_10", "weekly_hours_viewed"}
    if any(w.ranked_by_views for w in read):
        present.add("weekly_views")
    return [f for f in global_model.FEATURES if f in present]


def _display(e) -> str:
    return e.season if e.season and e.season.upper() != "N/A" else e.title
