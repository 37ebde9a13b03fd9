"""Which features the US nowcast uses for a week, chosen by a rule fixed before any score was looked at
(issue 19), on earlier weeks only.

The sets, declared in advance, simplest first:

- `points`: the mean daily points alone (11 − rank, over the lists seen) — the probe-like model;
- `points+rank`: those, the mean 1/rank, and last week's US rank, "in the US list last week" and the
  new-show outcome;
- `all`: every feature of the rank model and the daily lists.

In the rule every set is fit on standardized features (each divided by its spread over the outcomes it is
fit on, so one ridge weighs every feature alike; raw, the ridge held daily_points, whose values are at most
1, far below what the data say), and every set but `points` has its ridge pulled toward the points model
(daily_points at the weight the points model gets on the same weeks, every other weight at 0), so with few
weeks it stays close to it.

The rule is the default. A fixed set (`backtest --feature-set all`, say) is fit on raw features with the
plain ridge toward 0, as the model was before the rule existed; the US table of docs/forecasts.md gives both.

The rule (nested walk-forward): each earlier week with daily lists that has MIN_TRAIN_WEEKS such weeks
before it is predicted by each set fit on the weeks before it (the newest SELECT_WEEKS of them); the set
with the lowest mean log loss of #1 over those weeks is used. With fewer than SELECT_MIN_WEEKS scored
weeks, `points`. A tie goes to the simpler set.
"""

import numpy as np

from forecasts.engines import daily_features as daily
from forecasts.engines import rank_logit as us_model

FEATURES = (*us_model.FEATURES, *daily.FEATURES)
FEATURE_SETS = {
    "points": ("daily_points",),
    "points+rank": (
        "daily_points",
        "daily_share",
        "in_us_list_last_week",
        "us_rank_last_week",
        "new_show",
    ),
    "all": FEATURES,
}
RULE = "rule"
MIN_TRAIN_WEEKS = 4  # earlier weeks with daily lists before the daily weights are fit at all
SELECT_MIN_WEEKS = 3
SELECT_WEEKS = 26  # bounds the work: each scored week is one fit per set
POINTS = FEATURES.index("daily_points")

WeekChoices = list[list[us_model.Choice]]  # per earlier week: its #1 and #2 choices


def fit_set(weeks: WeekChoices, name: str, rule: bool = True) -> np.ndarray:
    """Weights over every FEATURE (0 outside the set), fit on the given weeks: as the rule fits them
    (standardized, pulled toward the points model), or raw with the ridge toward 0."""
    idx = [FEATURES.index(f) for f in FEATURE_SETS[name]]
    prior = np.zeros(len(idx))
    if name != "points" and rule:
        prior[idx.index(POINTS)] = fit_set(weeks, "points")[POINTS]
    choices = [(x[:, idx], valid, chosen) for week in weeks for x, valid, chosen in week]
    scale = _scale(choices) if rule else np.ones(len(idx))
    choices = [(x / scale, valid, chosen) for x, valid, chosen in choices]
    w = np.zeros(len(FEATURES))
    w[idx] = us_model.fit(choices, dim=len(idx), prior=prior * scale) / scale
    return w


def _scale(choices: list[us_model.Choice]) -> np.ndarray:
    """Each feature's spread over the outcomes it is fit on, so one ridge weighs every feature alike."""
    rows = np.vstack([x for x, _, _ in choices])
    spread = rows.std(axis=0)
    return np.where(spread > 0, spread, 1.0)


def earlier_losses(weeks: WeekChoices) -> dict[str, list[float]]:
    """Log loss of #1 of each scorable earlier week, per set, each fit on the weeks before it."""
    losses: dict[str, list[float]] = {name: [] for name in FEATURE_SETS}
    for j in range(max(MIN_TRAIN_WEEKS, len(weeks) - SELECT_WEEKS), len(weeks)):
        x, _, chosen = weeks[j][0]
        for name in FEATURE_SETS:
            p1, _ = us_model.rank_probabilities(x, fit_set(weeks[:j], name))
            losses[name].append(-float(np.log(p1[chosen])))
    return losses


def choose(weeks: WeekChoices, fixed: str | None = None) -> tuple[str, np.ndarray]:
    """The set used and its weights fit on every given week: the set the nested rule picks (when `fixed`
    is None or RULE), or the `fixed` set fit raw with the ridge toward 0."""
    if fixed not in (None, RULE):
        return fixed, fit_set(weeks, fixed, rule=False)
    losses = earlier_losses(weeks)
    name = "points"
    if len(losses["points"]) >= SELECT_MIN_WEEKS:
        name = min(FEATURE_SETS, key=lambda n: float(np.mean(losses[n])))
    return f"{RULE}:{name}", fit_set(weeks, name)
