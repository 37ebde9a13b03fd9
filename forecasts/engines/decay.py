"""The forecast model: each title's views follow a decay curve by its week of run; new releases follow
the history of new entries; P(rank 1) and P(rank 2) come from simulating both.

Everything is fit on the weeks given (the past of the predicted week), with a handful of choices fixed
here in advance rather than tuned to particular weeks:
- week-over-week log ratios of a title's views, pooled by its week of run (1, 2, …, 6+), taken from
  titles ranked 1–5 (they rarely leave the list, so the ratios are hardly biased by drop-outs);
- the size of the best (and second best) newcomer relative to the previous week's list;
- the last FIT_WEEKS weeks only, so the model follows how Netflix viewing evolves.
"""

from dataclasses import dataclass
from datetime import timedelta

import numpy as np

from forecasts.engines.outcomes import LOOKBACK_WEEKS, NEW, RawForecast, candidates, measure, measure_is_views
from forecasts.history.global_lists import Week, comparable_values

VERSION = "decay-sim-1"
FIT_WEEKS = 104
FIT_TOP_RANK = 5
RUN_WEEK_CAP = 6
MIN_SAMPLES = 20
SIMULATIONS = 4000
TOP_PERCENTILES = np.arange(101)  # kept of the simulated #1 value: 0th (min) .. 100th (max)
FEATURES = ("weekly_views", "weekly_hours_viewed", "cumulative_weeks_in_top_10", "weekly_rank")


@dataclass
class DecayFit:
    ratios: dict[int, np.ndarray]  # week of run -> observed log ratios of next week's views to this week's
    pooled: np.ndarray
    newcomers: np.ndarray  # rows of (best, second best) newcomer log size relative to the previous list

    def ratio_sample(self, run_week: int) -> np.ndarray:
        sample = self.ratios.get(min(run_week, RUN_WEEK_CAP))
        return sample if sample is not None and len(sample) >= MIN_SAMPLES else self.pooled


def _list_level(week: Week, views: bool) -> float:
    return float(np.mean([np.log(measure(e, views)) for e in week.entries]))


def _consecutive(history: list[Week]):
    for i in range(max(1, len(history) - FIT_WEEKS), len(history)):
        prev, cur = history[i - 1], history[i]
        if cur.week - prev.week == timedelta(days=7):
            yield i, prev, cur


def fit(history: list[Week]) -> DecayFit:
    ratios: dict[int, list[float]] = {}
    newcomers: list[tuple[float, float]] = []
    for i, prev, cur in _consecutive(history):
        following = cur.by_key()
        for entry in prev.entries:
            if entry.rank <= FIT_TOP_RANK and entry.key in following:
                before, after = comparable_values(entry, following[entry.key])
                ratios.setdefault(min(entry.weeks_in_top10, RUN_WEEK_CAP), []).append(np.log(after / before))
        if i < LOOKBACK_WEEKS or prev.ranked_by_views != cur.ranked_by_views:
            continue
        views = cur.ranked_by_views
        known = {c.key for c in candidates(history[:i])}
        fresh = sorted((measure(e, views) for e in cur.entries if e.key not in known), reverse=True)
        # With fewer than two newcomers in the list, the rest were smaller than its last place: use that.
        floor = min(measure(e, views) for e in cur.entries)
        best, second = (fresh + [floor, floor])[:2]
        level = _list_level(prev, views)
        newcomers.append((np.log(best) - level, np.log(second) - level))
    if not ratios or not newcomers:
        raise ValueError("too little history to fit: need several consecutive weeks")
    pooled = np.concatenate([np.array(v) for v in ratios.values()])
    return DecayFit({k: np.array(v) for k, v in ratios.items()}, pooled, np.array(newcomers))


def ranks_from_draws(draws: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Shares of simulations in which each outcome is #1 and #2. Columns from n-1 on are newcomers and
    all count as NEW (the last outcome), so two newcomers on top make NEW both #1 and #2."""
    order = np.argsort(-draws, axis=1)
    first, second = np.minimum(order[:, 0], n - 1), np.minimum(order[:, 1], n - 1)
    return np.bincount(first, minlength=n) / len(draws), np.bincount(second, minlength=n) / len(draws)


def simulate(
    history: list[Week],
    decay: DecayFit,
    *,
    ahead: int = 1,
    seed: int = 0,
    shift: np.ndarray | None = None,
) -> RawForecast:
    """P(rank 1), P(rank 2) and predicted views (median, 90% interval) for every candidate and NEW in
    the week `ahead` weeks after the last one of `history` (more than 1 when the latest list is not out).
    `shift` adds to each candidate's simulated log views (the signal adjustment, see signals/)."""
    rng = np.random.default_rng(seed)
    views = measure_is_views(history)
    cands = candidates(history)
    draws = np.empty((SIMULATIONS, len(cands) + 2))
    for j, cand in enumerate(cands):
        steps = [
            rng.choice(decay.ratio_sample(cand.last.weeks_in_top10 + s), SIMULATIONS)
            for s in range(cand.gap + ahead - 1)
        ]
        draws[:, j] = np.log(measure(cand.last, views)) + np.sum(steps, axis=0)
    rows = decay.newcomers[rng.integers(len(decay.newcomers), size=SIMULATIONS)]
    draws[:, -2:] = _list_level(history[-1], views) + rows
    if shift is not None:
        draws[:, : len(cands)] += shift
    n = len(cands) + 1  # the two newcomer columns are one outcome, NEW
    p1, p2 = ranks_from_draws(draws, n)
    low, median, high = np.exp(np.percentile(draws[:, :n], [5, 50, 95], axis=0))
    # The list's #1 value in each simulation, newcomers included: what the views markets ask about.
    top = np.exp(np.percentile(draws.max(axis=1), TOP_PERCENTILES))
    return RawForecast(
        keys=[c.key for c in cands] + [NEW],
        signal=np.log(p1 + 1.0 / SIMULATIONS),
        scores=np.log(median),
        extras={
            "p_rank1": p1,
            "p_rank2": p2,
            "signal2": np.log(p2 + 1.0 / SIMULATIONS),
            "views": (median, low, high),
            "top_views": top,
            "measure": "weekly_views" if views else "weekly_hours_viewed",
            "candidates": cands,
        },
    )


def forecast(
    history: list[Week], *, ahead: int = 1, seed: int = 0, shift: np.ndarray | None = None
) -> RawForecast:
    return simulate(history, fit(history), ahead=ahead, seed=seed, shift=shift)
