"""The two baselines the model must beat, as raw forecasts for the same candidates and NEW outcome.

- persistence: last week's order. Its signal is the category of each outcome (last week's rank 1–10,
  "seen earlier in the lookback", NEW); calibration turns categories into how often each one won #1.
- decay: last week's views shrunk by one decay factor per week (the median week-over-week ratio of all
  titles); calibration is a softmax over the predicted log views with a fitted temperature and NEW offset.
"""

from datetime import timedelta

import numpy as np

from forecasts.engines.outcomes import NEW, RawForecast, candidates, measure, measure_is_views
from forecasts.history.global_lists import Week, comparable_values

OLDER = 11  # persistence category of a candidate not in last week's list
NEW_CATEGORY = 12
FIT_WEEKS = 104


def persistence(history: list[Week]) -> RawForecast:
    cands = candidates(history)
    category = [c.last.rank if c.gap == 1 else OLDER for c in cands] + [NEW_CATEGORY]
    scores = [-(c.last.rank + 10 * (c.gap - 1)) for c in cands] + [-np.inf]
    return RawForecast([c.key for c in cands] + [NEW], np.array(category, dtype=float), np.array(scores))


def _decay_factor(history: list[Week]) -> float:
    logs = []
    for prev, cur in zip(history[-FIT_WEEKS - 1 : -1], history[-FIT_WEEKS:], strict=False):
        if cur.week - prev.week != timedelta(days=7):
            continue
        following = cur.by_key()
        for entry in prev.entries:
            if entry.key in following:
                before, after = comparable_values(entry, following[entry.key])
                logs.append(np.log(after / before))
    return float(np.median(logs)) if logs else 0.0


def decay(history: list[Week]) -> RawForecast:
    cands = candidates(history)
    views = measure_is_views(history)
    log_decay = _decay_factor(history)
    predicted = [np.log(measure(c.last, views)) + c.gap * log_decay for c in cands]
    # NEW's signal is the previous list's mean level; calibration fits its offset from there.
    level = float(np.mean([np.log(measure(e, views)) for e in history[-1].entries]))
    signal = np.array(predicted + [level])
    scores = np.array(predicted + [-np.inf])
    return RawForecast([c.key for c in cands] + [NEW], signal, scores)
