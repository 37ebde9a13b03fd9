"""Writes for forecasts: making and storing a week's predictions."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction

from . import model
from .models import Prediction
from .outcomes import LOOKBACK_WEEKS, NEW
from .predict import calibrated_forecast
from .selectors import tudum_history_as_of

EASTERN = ZoneInfo("America/New_York")  # Kalshi's weeks and market closes are Eastern
MIN_WEEKS = LOOKBACK_WEEKS + 2  # enough for the model to see titles carry over and newcomers arrive


class NotEnoughHistory(ValueError):
    pass


def week_is_over(week: date, as_of: datetime) -> bool:
    end = datetime(week.year, week.month, week.day, tzinfo=EASTERN) + timedelta(days=1)
    return as_of >= end


@transaction.atomic
def predictions_store(*, list_name: str, week: date, as_of: datetime) -> list[Prediction]:
    """Predict the list of the week ending `week` from what was known at `as_of`, and store it.
    Storing again for the same week and as_of replaces the earlier rows (same inputs, same result)."""
    history = tudum_history_as_of(list_name=list_name, as_of=as_of, before=week)
    if len(history) < MIN_WEEKS:
        raise NotEnoughHistory(f"{list_name}: {len(history)} weeks known at {as_of:%Y-%m-%d %H:%M}, too few")
    ahead = (week - history[-1].week).days // 7
    raw, p_rank1 = calibrated_forecast(history, ahead=ahead)
    mode = Prediction.Mode.NOWCAST if week_is_over(week, as_of) else Prediction.Mode.FORECAST
    inputs = {
        "features": list(model.FEATURES),
        "measure": raw.extras["measure"],
        "history_weeks": [history[0].week.isoformat(), history[-1].week.isoformat()],
        "weeks_ahead": ahead,
        "source": "tudum",
    }
    Prediction.objects.filter(
        list_name=list_name, week=week, made_at=as_of, model_version=model.VERSION
    ).delete()
    median, low, high = raw.extras["views"]
    by_key = {c.key: c.last for c in raw.extras["candidates"]}
    rows = [
        Prediction(
            list_name=list_name,
            week=week,
            mode=mode,
            show_id=by_key[key].show_id if key != NEW else None,
            title=by_key[key].title if key != NEW else "A show not yet seen",
            is_new_show=key == NEW,
            p_rank1=float(p_rank1[i]),
            p_rank2=float(raw.extras["p_rank2"][i]),
            predicted_views=float(median[i]),
            views_low=float(low[i]),
            views_high=float(high[i]),
            measure=raw.extras["measure"],
            model_version=model.VERSION,
            inputs=inputs,
            made_at=as_of,
        )
        for i, key in enumerate(raw.keys)
    ]
    return Prediction.objects.bulk_create(rows)
