"""Pure: fit the weights of the signal adjustment on accumulated live weeks.

Each sample is one candidate of one past predicted week: its stored features and how far the
published value missed the history model's median, in log views (the residual). The weights are the
ridge least-squares fit of residual on features, with no intercept: a show without signals is not
moved. Titles that fell out of the published list have no value and are left out, which biases the
weights toward 0 for falling shows (noted in forecasts/README.md).
"""

from dataclasses import dataclass
from datetime import date

import numpy as np

from forecasts.engines.adjustment.features import FEATURES

RIDGE = 1.0  # pulls weights toward 0 (no adjustment) while there is little to learn from


@dataclass(frozen=True)
class Sample:
    list_name: str
    week: date
    x: tuple[float, ...]  # FEATURES, 0 where missing
    residual: float  # log(published value) - log(history model's median)


@dataclass(frozen=True)
class SignalWeights:
    weights: tuple[float, ...]
    weeks: int  # distinct weeks with signals and a published outcome
    samples: int
    min_weeks: int

    @property
    def fitted(self) -> bool:
        return self.weeks >= self.min_weeks

    def shift(self, x: np.ndarray) -> np.ndarray:
        """Log-view shift of each row of features (candidates x FEATURES)."""
        return np.asarray(x, dtype=float).reshape(-1, len(FEATURES)) @ np.array(self.weights)

    def as_dict(self) -> dict:
        return {
            "weights": dict(zip(FEATURES, (round(w, 6) for w in self.weights), strict=True)),
            "fitted": self.fitted,
            "training_weeks": self.weeks,
            "training_samples": self.samples,
            "min_weeks": self.min_weeks,
        }


def fit_weights(samples: list[Sample], *, min_weeks: int) -> SignalWeights:
    """Weights 0 until `min_weeks` distinct weeks have a sample with any signal."""
    informative = [s for s in samples if any(s.x)]
    weeks = len({s.week for s in informative})
    zero = tuple(0.0 for _ in FEATURES)
    if weeks < min_weeks:
        return SignalWeights(zero, weeks, len(informative), min_weeks)
    x = np.array([s.x for s in informative])
    y = np.array([s.residual for s in informative])
    w = np.linalg.solve(x.T @ x + RIDGE * np.eye(len(FEATURES)), x.T @ y)
    return SignalWeights(tuple(float(v) for v in w), weeks, len(informative), min_weeks)
