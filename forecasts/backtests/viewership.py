"""Walk forward over the weeks ranked by views and score the views markets' probability, P(the list's #1
has at least N views), on a strike ladder, against a simple baseline. Pure; no database.

- model: the global model's simulated #1 views (global_model.simulate, its `top_views` percentiles),
  read off as the live comparisons read them (strikes.p_top_at_least).
- baseline: last week's #1 views as the median, with a log-normal spread: the standard deviation of
  log(#1 this week / #1 last week) over the earlier weeks (hours or views, whichever both weeks were
  ranked by: a ratio compares either).
- model, calibrated: logistic recalibration of the model's log-odds, logit(p') = a · logit(p) + b, fit
  on the strikes of weeks before the predicted one only (every list pooled), once MIN_CALIBRATION_WEEKS
  such weeks exist.

Kalshi's own strikes for past weeks are not recorded (its views series started after this history), so
each week gets a ladder around what was known before it: last week's #1 views times LADDER, rounded to
whole millions. Every strike is one binary market, scored by Brier and log loss.
"""

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

from forecasts.backtests.global_lists import MIN_HISTORY
from forecasts.backtests.reliability import reliability_bins
from forecasts.engines import decay as global_model
from forecasts.engines.outcomes import measure_is_views
from forecasts.history.global_lists import Week
from forecasts.markets.strikes import p_top_at_least, top_views_summary

LADDER = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0)
MIN_SPREAD_WEEKS = 8  # ratios the baseline's spread needs before it predicts
MIN_CALIBRATION_WEEKS = 26
CLIP = 0.001  # the comparisons' bound: a certain wrong probability still has a finite log loss
METHODS = ("model", "baseline", "model_calibrated")


@dataclass
class Strike:
    list_name: str
    week: date
    strike: float
    happened: bool
    model: float
    baseline: float
    model_calibrated: float | None = None


@dataclass
class ViewsBacktest:
    strikes: list[Strike] = field(default_factory=list)

    def weeks(self, list_name: str | None = None) -> int:
        return len({(s.list_name, s.week) for s in self.strikes if list_name in (None, s.list_name)})


def ladder(last_top: float) -> list[float]:
    """Strikes around last week's #1, in whole millions, each once, ascending."""
    return sorted({max(1.0, round(last_top * m / 1e6)) * 1e6 for m in LADDER})


def _top_ratio(prev: Week, cur: Week) -> float | None:
    if cur.week - prev.week != timedelta(days=7) or prev.ranked_by_views != cur.ranked_by_views:
        return None
    return math.log(cur.value(cur.entries[0]) / prev.value(prev.entries[0]))


def baseline_p(last_top: float, spread: float, strike: float) -> float:
    """P(#1 >= strike) when log(#1) ~ Normal(log(last_top), spread)."""
    z = (math.log(strike) - math.log(last_top)) / spread
    return 0.5 * math.erfc(z / math.sqrt(2))


def _clip(p: float) -> float:
    return min(max(p, CLIP), 1 - CLIP)


def binary_brier(p: float, happened: bool) -> float:
    return (p - float(happened)) ** 2


def binary_log_loss(p: float, happened: bool) -> float:
    return -math.log(_clip(p) if happened else 1 - _clip(p))


def list_strikes(weeks: list[Week], list_name: str, *, start=None, end=None) -> list[Strike]:
    """Every week ranked by views whose four weeks before were too, predicted from the weeks before it."""
    out: list[Strike] = []
    ratios: list[float] = []
    for i in range(1, len(weeks)):
        target, history = weeks[i], weeks[:i]
        ratio = _top_ratio(weeks[i - 1], target)
        in_window = (not start or target.week >= start) and (not end or target.week <= end)
        usable = i >= MIN_HISTORY and target.ranked_by_views and measure_is_views(history)
        if in_window and usable and len(ratios) >= MIN_SPREAD_WEEKS:
            raw = global_model.forecast(history)
            top = top_views_summary(
                raw.extras["top_views"], simulations=global_model.SIMULATIONS, measure=raw.extras["measure"]
            )
            last_top = history[-1].entries[0].views
            actual = target.entries[0].views
            spread = float(np.std(ratios, ddof=1))
            for n in ladder(last_top):
                out.append(
                    Strike(
                        list_name=list_name,
                        week=target.week,
                        strike=n,
                        happened=actual >= n,
                        model=float(p_top_at_least(top, n)),
                        baseline=baseline_p(last_top, spread, n),
                    )
                )
        if ratio is not None:
            ratios.append(ratio)  # known once the week is published: only later weeks use it
        if end and target.week >= end:
            break
    return out


def _logit(p: float) -> float:
    p = _clip(p)
    return math.log(p / (1 - p))


def fit_recalibration(pairs: list[tuple[float, bool]], steps: int = 25) -> tuple[float, float]:
    """(a, b) maximising the likelihood of logit(p') = a · logit(p) + b, by Newton steps with a small
    ridge toward the identity (a = 1, b = 0) so a few weeks cannot push it far."""
    x = np.array([_logit(p) for p, _ in pairs])
    y = np.array([float(h) for _, h in pairs])
    design = np.column_stack([x, np.ones_like(x)])
    w = np.array([1.0, 0.0])
    ridge = 1.0
    for _ in range(steps):
        q = 1 / (1 + np.exp(-(design @ w)))
        grad = design.T @ (y - q) - ridge * (w - [1.0, 0.0])
        hess = -(design * (q * (1 - q))[:, None]).T @ design - ridge * np.eye(2)
        step = np.linalg.solve(hess, grad)
        w = w - step
        if np.abs(step).max() < 1e-8:
            break
    return float(w[0]), float(w[1])


def recalibrated(p: float, a: float, b: float) -> float:
    return 1 / (1 + math.exp(-(a * _logit(p) + b)))


def calibrate_walk_forward(strikes: list[Strike]) -> None:
    """Set model_calibrated on the strikes of each week from the strikes of strictly earlier weeks."""
    by_week: dict[date, list[Strike]] = defaultdict(list)
    for s in strikes:
        by_week[s.week].append(s)
    earlier: list[tuple[float, bool]] = []
    for n, week in enumerate(sorted(by_week)):
        if n >= MIN_CALIBRATION_WEEKS:
            a, b = fit_recalibration(earlier)
            for s in by_week[week]:
                s.model_calibrated = recalibrated(s.model, a, b)
        earlier.extend((s.model, s.happened) for s in by_week[week])


def run_views_backtest(histories: dict[str, list[Week]], *, start=None, end=None) -> ViewsBacktest:
    result = ViewsBacktest()
    for name, weeks in histories.items():
        result.strikes.extend(list_strikes(weeks, name, start=start, end=end))
    calibrate_walk_forward(result.strikes)
    return result


def scores(strikes: list[Strike], method: str) -> dict:
    pairs = [(getattr(s, method), s.happened) for s in strikes if getattr(s, method) is not None]
    if not pairs:
        return {"strikes": 0, "brier": None, "logloss": None}
    return {
        "strikes": len(pairs),
        "brier": round(float(np.mean([binary_brier(p, h) for p, h in pairs])), 4),
        "logloss": round(float(np.mean([binary_log_loss(p, h) for p, h in pairs])), 4),
    }


def summary(result: ViewsBacktest, list_name: str | None = None) -> dict:
    """Scores of each method on the same strikes (those the calibration reached, and all), and a
    reliability table (10 buckets of the probability said) per method."""
    rows = [s for s in result.strikes if list_name in (None, s.list_name)]
    reached = [s for s in rows if s.model_calibrated is not None]
    return {
        "list": list_name or "all global lists",
        "weeks": len({(s.list_name, s.week) for s in rows}),
        "first_week": min(s.week for s in rows).isoformat() if rows else None,
        "last_week": max(s.week for s in rows).isoformat() if rows else None,
        "all": {m: scores(rows, m) for m in ("model", "baseline")},
        "calibrated_weeks": len({(s.list_name, s.week) for s in reached}),
        "after_calibration": {m: scores(reached, m) for m in METHODS},
        "reliability": {m: reliability_bins((getattr(s, m), s.happened) for s in reached) for m in METHODS},
    }
