"""One week's prediction rows of a global list: the history model, adjusted by the week's signals."""

from datetime import date, datetime

import numpy as np

from forecasts.engines import adjustment as signals_pkg
from forecasts.engines import decay as global_model
from forecasts.engines.adjustment.live import Adjustment, signal_adjustment
from forecasts.engines.outcomes import candidates
from forecasts.engines.predict import calibrated_forecast, past_forecasts
from forecasts.history.global_lists import Week
from forecasts.markets.strikes import top_views_summary
from forecasts.models import Prediction

NEW_TITLE = "A show not yet seen"


def global_rows(
    *, list_name: str, week: date, as_of: datetime, histories: dict[str, list[Week]], mode: str
) -> list[Prediction]:
    """Unsaved rows: every history candidate, every extra candidate (FlixPatrol, watchlist) and NEW.
    `histories` are every global list's weeks before `week` as known at `as_of`."""
    history = histories[list_name]
    ahead = (week - history[-1].week).days // 7
    past_raws = past_forecasts(history)  # computed once: calibration and the signal fit both use them
    adjustment = signal_adjustment(
        list_name=list_name, week=week, as_of=as_of, histories=histories, past_raws=past_raws
    )
    keys = [c.key for c in candidates(history)]
    shift = adjustment.shift(keys)
    raw, p_rank1, p_rank2 = calibrated_forecast(history, ahead=ahead, shift=shift, past_raws=past_raws)
    version = global_model.VERSION if shift is None else f"{global_model.VERSION}+{signals_pkg.VERSION}"
    shared = {
        "features": list(global_model.FEATURES),
        "measure": raw.extras["measure"],
        "history_weeks": [history[0].week.isoformat(), history[-1].week.isoformat()],
        "weeks_ahead": ahead,
        "source": "tudum",
        "signals": adjustment.summary(),
        # The simulated #1 value's percentiles: the views markets' strikes are read off them.
        "top_views": top_views_summary(
            raw.extras["top_views"], simulations=global_model.SIMULATIONS, measure=raw.extras["measure"]
        ),
    }
    median, low, high = raw.extras["views"]
    by_key = {c.key: c.last for c in raw.extras["candidates"]}
    shifts = np.zeros(len(keys)) if shift is None else shift

    def row(**values) -> Prediction:
        return Prediction(
            list_name=list_name,
            week=week,
            mode=mode,
            measure=raw.extras["measure"],
            model_version=version,
            made_at=as_of,
            **values,
        )

    rows = []
    for i, key in enumerate(raw.keys[:-1]):
        x = adjustment.x[key]
        # The unadjusted median is what the weights are later fit against (signals/fit.py).
        base = float(median[i] / np.exp(shifts[i]))
        rows.append(
            row(
                show_id=by_key[key].show_id,
                title=by_key[key].title,
                p_rank1=float(p_rank1[i]),
                p_rank2=float(p_rank2[i]),
                predicted_views=float(median[i]),
                views_low=float(low[i]),
                views_high=float(high[i]),
                inputs=_with_signals(shared, x=x, base_views=base, shift=float(shifts[i])),
            )
        )
    rows.extend(_new_show_rows(adjustment, p_rank1[-1], p_rank2[-1], row, shared))
    rows[-1].predicted_views, rows[-1].views_low, rows[-1].views_high = (
        float(median[-1]),
        float(low[-1]),
        float(high[-1]),
    )
    return rows


def _new_show_rows(adjustment: Adjustment, new1: float, new2: float, row, shared: dict) -> list[Prediction]:
    """The extra candidates and "a show not yet seen" share the simulated newcomer outcome."""
    shares = adjustment.new_show_shares()
    out = [
        row(
            show_id=extra.show_id,
            title=extra.title,
            p_rank1=float(new1 * share),
            p_rank2=float(new2 * share),
            inputs=_with_signals(shared, x=extra.x, base_views=None, shift=0.0, candidate=extra.why),
        )
        for extra, share in zip(adjustment.extras, shares[:-1], strict=True)
    ]
    out.append(
        row(
            show_id=None,
            title=NEW_TITLE,
            is_new_show=True,
            p_rank1=float(new1 * shares[-1]),
            p_rank2=float(new2 * shares[-1]),
            inputs=shared,
        )
    )
    return out


def _with_signals(shared: dict, **per_row) -> dict:
    return {**shared, "signals": {**shared["signals"], **per_row}}
