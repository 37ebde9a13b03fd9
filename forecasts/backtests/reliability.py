"""Reliability of a side's probabilities: in bins of what it said, how often the outcome happened.
Pure.

A calibrated side's markets priced at 0.2 settle yes about a fifth of the time; a point above the
diagonal means the side said too little, below it too much. Both sides are binned on the same
settled markets (those where both had a probability), so the two curves are comparable.
"""

from collections.abc import Iterable

BINS = 10


def reliability_bins(pairs: Iterable[tuple[float, bool]], *, bins: int = BINS) -> list[dict]:
    """(probability, happened) pairs -> one row per equal-width bin of [0, 1]: its bounds, how many
    markets fell in it, their mean probability and the share that happened (None when empty).
    The top bin holds 1.0 itself."""
    if bins < 1:
        raise ValueError("bins must be at least 1")
    counts = [0] * bins
    said = [0.0] * bins
    happened = [0] * bins
    for p, outcome in pairs:
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"probability {p!r} is outside [0, 1]")
        i = min(int(p * bins), bins - 1)
        counts[i] += 1
        said[i] += p
        happened[i] += bool(outcome)
    return [
        {
            "low": round(i / bins, 6),
            "high": round((i + 1) / bins, 6),
            "markets": counts[i],
            "predicted": said[i] / counts[i] if counts[i] else None,
            "observed": happened[i] / counts[i] if counts[i] else None,
        }
        for i in range(bins)
    ]


def reliability_chart(ours: list[dict], market: list[dict]) -> dict:
    """The bins as static/js/reliability.js draws them: x = mean predicted, y = observed share."""

    def points(rows: list[dict]) -> list[list[float]]:
        return [[r["predicted"], r["observed"], r["markets"]] for r in rows if r["markets"]]

    return {"ours": points(ours), "market": points(market)}
