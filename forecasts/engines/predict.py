"""The model's calibrated P(#1) and P(#2) for the week after a history, as used live (the backtest does
the same walk incrementally)."""

import numpy as np

from forecasts.backtests.global_lists import MIN_HISTORY
from forecasts.engines import decay as global_model
from forecasts.engines.calibration import CALIBRATION_WEEKS, Record, SoftmaxCalibration
from forecasts.engines.outcomes import RawForecast
from forecasts.history.global_lists import Week


def past_forecasts(history: list[Week]) -> dict[int, RawForecast]:
    """The model's raw forecast of each of the history's last weeks, made from the weeks before it: what
    both calibrations, and the signal weights' fit on history (signals/live.py), are learned from."""
    return {
        i: global_model.forecast(history[:i])
        for i in range(max(MIN_HISTORY, len(history) - CALIBRATION_WEEKS), len(history))
    }


def calibrated_forecast(
    history: list[Week],
    *,
    ahead: int = 1,
    shift: np.ndarray | None = None,
    past_raws: dict[int, RawForecast] | None = None,
) -> tuple[RawForecast, np.ndarray, np.ndarray]:
    """Raw forecast, calibrated P(#1) and calibrated P(#2). Both calibrations are fit on the model's
    own predictions of the history's last weeks, each made from the weeks before it (without signals:
    there is no signal history to replay). `shift` is the signal adjustment of the predicted week."""
    past: list[Record] = []
    past2: list[Record] = []
    for i, raw in (past_raws if past_raws is not None else past_forecasts(history)).items():
        past.append((raw, raw.index_of(history[i].entries[0].key)))
        if len(history[i].entries) > 1:
            past2.append((raw.for_rank(2), raw.index_of(history[i].entries[1].key)))
    raw = global_model.forecast(history, ahead=ahead, shift=shift)
    p1 = SoftmaxCalibration.fit(past).apply(raw)
    p2 = SoftmaxCalibration.fit(past2).apply(raw.for_rank(2))
    return raw, p1, p2
