"""Turning a method's raw signal into P(#1), fit only on weeks already predicted (all before the
predicted week), so every probability is out of sample and every score finite."""

from dataclasses import dataclass

import numpy as np

from forecasts.engines.outcomes import RawForecast

CALIBRATION_WEEKS = 104
MIN_WEEKS = 8
FLOOR = 0.001  # mixed-in uniform share: no outcome is ever given probability 0
SLOPES = np.geomspace(0.1, 10, 31)
NEW_OFFSETS = np.linspace(-4, 4, 33)

Record = tuple[RawForecast, int]  # a past raw forecast and the index of the outcome that won #1


def with_floor(p: np.ndarray) -> np.ndarray:
    p = p / p.sum()
    return (1 - FLOOR) * p + FLOOR / len(p)


@dataclass
class SoftmaxCalibration:
    """P(#1) ∝ exp(slope · signal + new_offset · [outcome is NEW])."""

    slope: float = 1.0
    new_offset: float = 0.0

    @classmethod
    def fit(cls, records: list[Record]) -> "SoftmaxCalibration":
        records = records[-CALIBRATION_WEEKS:]
        if len(records) < MIN_WEEKS:
            return cls()
        width = max(len(r.keys) for r, _ in records)
        signal = np.zeros((len(records), width))
        valid = np.zeros((len(records), width), dtype=bool)
        new = np.zeros((len(records), width))
        won = np.zeros((len(records), width), dtype=bool)
        for i, (raw, actual) in enumerate(records):
            n = len(raw.keys)
            signal[i, :n], valid[i, :n], new[i, n - 1], won[i, actual] = raw.signal, True, 1.0, True
        logits = SLOPES[:, None, None, None] * signal + NEW_OFFSETS[None, :, None, None] * new
        logits = np.where(valid, logits, -np.inf)
        top = logits.max(axis=-1, keepdims=True)
        log_norm = top[..., 0] + np.log(np.exp(logits - top).sum(axis=-1))
        loglik = (np.where(won, logits, 0).sum(axis=-1) - log_norm).sum(axis=-1)
        a, b = np.unravel_index(np.argmax(loglik), loglik.shape)
        return cls(float(SLOPES[a]), float(NEW_OFFSETS[b]))

    def apply(self, raw: RawForecast) -> np.ndarray:
        logits = self.slope * raw.signal + self.new_offset * raw.is_new
        return with_floor(np.exp(logits - logits.max()))


@dataclass
class FrequencyCalibration:
    """P(#1) of a category = how often that category won (add-one smoothed), shared by its members."""

    counts: dict[int, float]

    @classmethod
    def fit(cls, records: list[Record]) -> "FrequencyCalibration":
        counts: dict[int, float] = {}
        for raw, actual in records[-CALIBRATION_WEEKS:]:
            category = int(raw.signal[actual])
            counts[category] = counts.get(category, 0.0) + 1.0
        return cls(counts)

    def apply(self, raw: RawForecast) -> np.ndarray:
        categories = raw.signal.astype(int)
        members = {c: int((categories == c).sum()) for c in set(categories.tolist())}
        p = np.array([(self.counts.get(c, 0.0) + 1.0) / members[c] for c in categories])
        return with_floor(p)
