"""The US lists' model: the country file has ranks only, so P(#1) and P(#2) come from ranks.

A conditional logit over the candidates (titles in the US list within LOOKBACK weeks, or in last
week's global list of the same kind) and "a show not yet seen", on four explainable features:
its US rank last week, its global rank last week, "in the US list earlier but not last week", and
"is the new-show outcome". Weights are fit by maximum likelihood of each past week's #1 and #2
(Plackett–Luce: #2 is the choice among the rest), so the probabilities are calibrated on history
by construction. Everything is fit on the weeks given, all before the predicted one.
"""

import math
from dataclasses import dataclass
from datetime import date

import numpy as np

from forecasts.engines.calibration import with_floor
from forecasts.engines.outcomes import NEW
from forecasts.history.us_lists import RankWeek

VERSION = "us-rank-logit-1"
FEATURES = (
    "in_us_list_last_week",
    "us_rank_last_week",  # as -log(rank): Top 10 views fall off roughly as a power of rank
    "in_global_list_last_week",
    "global_rank_last_week",
    "in_us_list_earlier",
    "new_show",
)
LOOKBACK = 4
MIN_HISTORY = LOOKBACK + 2
FIT_WEEKS = 104
RIDGE = 1.0  # pulls weights to 0 (equal odds) while there are few weeks to learn from
NEWTON_STEPS = 30


@dataclass
class UsForecast:
    keys: list[str]  # candidates, then NEW
    x: np.ndarray  # one row of FEATURES per outcome
    p_rank1: np.ndarray
    p_rank2: np.ndarray


def _log_rank(rank: int | None) -> float:
    return -math.log(rank) if rank else 0.0


def features(history: list[RankWeek], global_last: dict[str, int]) -> tuple[list[str], np.ndarray]:
    """Candidates and their features, from the US weeks known and the latest known global list."""
    last = history[-1]
    earlier = {k for wk in history[-LOOKBACK:-1] for k in wk.ranks}
    keys = list(dict.fromkeys([*sorted(last.ranks, key=last.ranks.get), *sorted(earlier), *global_last]))
    rows = [
        [
            float(k in last.ranks),
            _log_rank(last.ranks.get(k)),
            float(k in global_last),
            _log_rank(global_last.get(k)),
            float(k in earlier and k not in last.ranks),
            0.0,
        ]
        for k in keys
    ]
    return [*keys, NEW], np.array([*rows, [0.0, 0.0, 0.0, 0.0, 0.0, 1.0]])


Choice = tuple[np.ndarray, np.ndarray, int]  # features, which rows are still choosable, chosen row


def _choices(keys: list[str], x: np.ndarray, target: RankWeek) -> list[Choice]:
    """#1 among all outcomes, then #2 among the rest (NEW stays: it stands for many titles)."""
    index = {k: i for i, k in enumerate(keys)}
    first = index.get(target.leader(1), len(keys) - 1)
    second = index.get(target.leader(2), len(keys) - 1)
    rest = np.ones(len(keys), dtype=bool)
    if first != len(keys) - 1:
        rest[first] = False
    return [(x, np.ones(len(keys), dtype=bool), first), (x, rest, second)]


def _objective(choices: list[Choice], w: np.ndarray, prior: np.ndarray, ridge: float = RIDGE) -> float:
    total = -ridge * float((w - prior) @ (w - prior)) / 2
    for x, valid, chosen in choices:
        z = x[valid] @ w
        total += float(x[chosen] @ w - (z.max() + np.log(np.exp(z - z.max()).sum())))
    return total


def fit(
    choices: list[Choice],
    dim: int = len(FEATURES),
    prior: np.ndarray | None = None,
    ridge: float = RIDGE,
) -> np.ndarray:
    """Ridge-penalised maximum likelihood by damped Newton steps (the problem is concave); the ridge
    pulls the weights toward `prior` (0 by default: equal odds)."""
    prior = np.zeros(dim) if prior is None else prior
    w = prior.copy()
    current = _objective(choices, w, prior, ridge)
    for _ in range(NEWTON_STEPS):
        grad, hess = -ridge * (w - prior), -ridge * np.eye(len(w))
        for x, valid, chosen in choices:
            xs = x[valid]
            p = _softmax(xs @ w)
            mean = p @ xs
            grad += x[chosen] - mean
            hess -= (xs * p[:, None]).T @ xs - np.outer(mean, mean)
        step = -np.linalg.solve(hess, grad)
        while _objective(choices, w + step, prior, ridge) < current and np.abs(step).max() > 1e-9:
            step /= 2  # a full Newton step can overshoot far from the optimum
        w, previous = w + step, current
        current = _objective(choices, w, prior, ridge)
        if current - previous < 1e-9:
            break
    return w


def _softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max())
    return e / e.sum()


def rank_probabilities(x: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """P(#1) and P(#2) by Plackett–Luce; after NEW wins #1, NEW can still be #2."""
    p1 = with_floor(_softmax(x @ w))
    weights = p1.copy()
    p2 = np.zeros(len(p1))
    for j, pj in enumerate(p1):
        remaining = weights.copy()
        if j != len(p1) - 1:
            remaining[j] = 0.0
        p2 += pj * remaining / remaining.sum()
    return p1, p2


def training_choices(history: list[RankWeek], global_by_week: dict[date, dict[str, int]]) -> list[Choice]:
    """Each known week predicted from the weeks before it: what the weights are fit on."""
    out: list[Choice] = []
    for i in range(max(MIN_HISTORY, len(history) - FIT_WEEKS), len(history)):
        keys, x = features(history[:i], global_by_week.get(history[i - 1].week, {}))
        out.extend(_choices(keys, x, history[i]))
    return out


def forecast(
    history: list[RankWeek], global_by_week: dict[date, dict[str, int]], global_last: dict[str, int]
) -> UsForecast:
    """The week after `history`; `global_last` is the newest global list known at prediction time."""
    w = fit(training_choices(history, global_by_week))
    keys, x = features(history, global_last)
    p1, p2 = rank_probabilities(x, w)
    return UsForecast(keys, x, p1, p2)
