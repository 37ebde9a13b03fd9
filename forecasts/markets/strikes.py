"""The views markets: P(the list's #1 has at least N views) from the simulated #1 views. Pure.

The global model simulates every candidate's (and two newcomers') weekly views; the largest value of
each simulation is that week's #1. Its percentiles (0th..100th, forecasts/engines/decay.py TOP_PERCENTILES)
are stored in each prediction's inputs as `top_views`, and a strike's probability is read off them.
Reading one distribution for every strike makes the ladder monotone in N by construction.
"""

import re
from collections.abc import Sequence

import numpy as np

# The list a views series settles on when its rules cannot be read. The Films reference value
# equalled the Films (English) #1's weekly_views (docs/stack-facts.md, Kalshi), still UNCONFIRMED for TV.
VIEWS_SERIES = {
    "KXNETFLIXTOPVIEWSTV": "TV (English)",
    "KXNETFLIXTOPVIEWSMOVIE": "Films (English)",
}
# "KXNETFLIXTOPVIEWSTV-26JUL20-25" = at least 25 million (docs/stack-facts.md; suffix rule UNCONFIRMED).
TICKER_STRIKE = re.compile(r"-T?(?P<n>\d+(?:\.\d+)?)$")


def strike_from_ticker(ticker: str) -> float | None:
    """Absolute views of a strike written in millions at the end of the ticker, else None."""
    m = TICKER_STRIKE.search(ticker)
    return float(m["n"]) * 1_000_000 if m else None


def top_views_summary(values: Sequence[float], *, simulations: int, measure: str) -> dict:
    """What a prediction keeps of the simulated #1 value: its percentiles, rounded to whole views."""
    return {
        "percentiles": [round(float(v)) for v in values],
        "simulations": simulations,
        "measure": measure,
    }


def p_top_at_least(top_views: dict | None, n: float) -> float | None:
    """P(#1's views >= n), linear between stored percentiles; None when the prediction holds no views
    distribution (an older prediction, or a list ranked by hours). Beyond the simulated range the
    answer is bounded by one simulation's share, never a certain 0 or 1."""
    if not top_views or top_views.get("measure") != "weekly_views" or not top_views.get("percentiles"):
        return None
    values = np.asarray(top_views["percentiles"], dtype=float)
    if len(values) < 2 or np.any(np.diff(values) < 0) or not np.all(np.isfinite(values)):
        raise ValueError("top_views percentiles must be at least two finite, non-decreasing values")
    step = 1.0 / (len(values) - 1)
    # The share of simulations below n: the quantile curve is linear between stored percentiles, and
    # a run of equal values (rounded ties) counts wholly as at least n.
    i = int(np.searchsorted(values, n, side="left"))
    if i == 0:
        below = 0.0
    elif i == len(values):
        below = 1.0
    else:
        lo, hi = values[i - 1], values[i]
        below = (i - 1 + (n - lo) / (hi - lo)) * step
    floor = 1.0 / (2 * max(int(top_views.get("simulations") or 1), 1))
    return min(max(1.0 - below, floor), 1.0 - floor)


def strike_ladder(top_views: dict | None, strikes: Sequence[float]) -> dict[float, float | None]:
    return {n: p_top_at_least(top_views, n) for n in strikes}
