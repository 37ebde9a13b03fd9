"""The US lists' nowcast: the rank model's features plus the week's daily Top 10 lists.

The same conditional logit as `us_model` (P(#1), then P(#2) by Plackett–Luce) over the rank model's
candidates *and* every title in the week's daily lists of the kind, with the daily features of
`forecasts/engines/daily_features.py` added. Its weights are fit walk-forward on every earlier week that
has daily lists
(each week's features from the weeks before it and that week's own lists), so they are learned from
history, never left at 0; which features get a weight is chosen per week by the rule of
`feature_choice` (nested walk-forward over three sets declared in advance). A week with no daily list
seen, or too few earlier weeks with daily lists to fit on, falls back to the rank model alone
(`us_model`).
"""

from dataclasses import dataclass
from datetime import date

import numpy as np

from forecasts.engines import daily_features as daily
from forecasts.engines import feature_choice
from forecasts.engines import rank_logit as us_model
from forecasts.engines.outcomes import NEW
from forecasts.history.us_lists import RankWeek

VERSION = "us-rank-logit-1+daily-2"
FEATURES = feature_choice.FEATURES
MIN_TRAIN_WEEKS = feature_choice.MIN_TRAIN_WEEKS
FIT_WEEKS = 104


@dataclass
class Nowcast:
    keys: list[str]  # candidates (rank-model ones, then daily-only ones), then NEW
    x: np.ndarray  # one row of FEATURES per outcome
    p_rank1: np.ndarray
    p_rank2: np.ndarray
    weights: np.ndarray
    lists_seen: int
    train_weeks: int
    feature_set: str = "rule"  # the set the weights were fit with ("rule:points+rank", or a fixed set)


def features(
    history: list[RankWeek], global_last: dict[str, int], seen: list[daily.DailyChart]
) -> tuple[list[str], np.ndarray]:
    """Candidates and their features. `seen` charts are keyed like the candidates (see `rekey`); a key
    only in the daily lists is a candidate with no rank history."""
    keys, x = us_model.features(history, global_last)
    listed = list(dict.fromkeys(k for c in seen for k in sorted(c.ranks, key=c.ranks.get)))
    extra = [k for k in listed if k not in keys]
    keys = [*keys[:-1], *extra, NEW]
    x_rank = np.vstack([x[:-1], np.zeros((len(extra), x.shape[1])), x[-1:]])
    return keys, np.hstack([x_rank, daily.daily_features(seen, keys)])


def _index(keys: list[str], key: str | None, find=None) -> int:
    """The outcome a week's actual title is: its key, else what `find` maps it to, else NEW."""
    if key in keys:
        return keys.index(key)
    found = find(key, keys) if find and key else None
    return keys.index(found) if found in keys else len(keys) - 1


def _choices(keys: list[str], x: np.ndarray, target: RankWeek, find=None) -> list[us_model.Choice]:
    first, second = _index(keys, target.leader(1), find), _index(keys, target.leader(2), find)
    rest = np.ones(len(keys), dtype=bool)
    if first != len(keys) - 1:
        rest[first] = False
    return [(x, np.ones(len(keys), dtype=bool), first), (x, rest, second)]


WeekLists = dict[date, list[daily.DailyChart]]  # week -> its daily lists keyed like that week's candidates


def training_choices(
    history: list[RankWeek], global_by_week: dict[date, dict[str, int]], lists: WeekLists, find=None
) -> feature_choice.WeekChoices:
    """Every known week with daily lists, predicted from the weeks before it and its own lists: one
    entry per week, oldest first."""
    out = []
    for i in range(max(1, len(history) - FIT_WEEKS), len(history)):
        seen = lists.get(history[i].week)
        if not seen:
            continue
        keys, x = features(history[:i], global_by_week.get(history[i - 1].week, {}), seen)
        out.append(_choices(keys, x, history[i], find))
    return out


def nowcast(
    history: list[RankWeek],
    global_by_week: dict[date, dict[str, int]],
    global_last: dict[str, int],
    seen: list[daily.DailyChart],
    lists: WeekLists,
    find=None,
    feature_set: str | None = None,
) -> Nowcast | None:
    """The week after `history` from its daily lists `seen`; None when the rank model must stand alone.
    `feature_set` fixes the features (else `feature_choice.choose` picks them on earlier weeks)."""
    if not seen:
        return None
    weeks = training_choices(history, global_by_week, lists, find)
    if len(weeks) < MIN_TRAIN_WEEKS:
        return None
    name, w = feature_choice.choose(weeks, feature_set)
    keys, x = features(history, global_last, seen)
    p1, p2 = us_model.rank_probabilities(x, w)
    return Nowcast(keys, x, p1, p2, w, len(seen), len(weeks), name)


def contributions(fc: Nowcast, i: int, top: int = 3) -> list[tuple[str, float]]:
    """The features that moved outcome i's log-odds most (weight × value), largest first."""
    parts = fc.weights * fc.x[i]
    order = np.argsort(-np.abs(parts))[:top]
    return [(FEATURES[j], round(float(parts[j]), 3)) for j in order if parts[j] != 0]
