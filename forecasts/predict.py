"""The model's calibrated P(#1) for the week after a history, as used live (the backtest does the same
walk incrementally)."""

import numpy as np

from . import model
from .backtest import MIN_HISTORY
from .calibration import CALIBRATION_WEEKS, Record, SoftmaxCalibration
from .history import Week
from .outcomes import RawForecast


def calibrated_forecast(history: list[Week], *, ahead: int = 1) -> tuple[RawForecast, np.ndarray]:
    """Raw forecast and calibrated P(#1); calibration is fit on the model's own predictions of the
    history's last weeks, each made from the weeks before it."""
    past: list[Record] = []
    for i in range(max(MIN_HISTORY, len(history) - CALIBRATION_WEEKS), len(history)):
        raw = model.forecast(history[:i])
        past.append((raw, raw.index_of(history[i].entries[0].key)))
    raw = model.forecast(history, ahead=ahead)
    return raw, SoftmaxCalibration.fit(past).apply(raw)
