"""Writes for forecasts: making and storing a week's predictions."""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction

from core.tz import EASTERN
from forecasts import freshness
from forecasts.engines import daily_features as daily
from forecasts.engines import decay as global_model
from forecasts.engines import nowcast as us_nowcast
from forecasts.engines import rank_logit as us_model
from forecasts.engines.daily_keys import daily_only_key, find_daily, rekey, week_lists
from forecasts.engines.global_week import global_rows
from forecasts.engines.outcomes import LOOKBACK_WEEKS, NEW
from forecasts.history.global_lists import GLOBAL_LISTS
from forecasts.history.us_lists import US_LISTS
from forecasts.markets.targets import SERIES, market_target
from forecasts.models import Prediction
from forecasts.selectors import daily_charts_as_of, global_ranks_as_of, tudum_history_as_of, us_history_as_of
from shows.models import Show
from sources.models import Market

MIN_WEEKS = LOOKBACK_WEEKS + 2  # enough for the model to see titles carry over and newcomers arrive


class NotEnoughHistory(ValueError):
    pass


class StaleHistory(NotEnoughHistory):
    """The list's newest stored week is too far before the predicted one (forecasts/freshness.py): no
    prediction is stored, so no probability is shown; callers skip it as they skip too short a history."""


def _refuse_if_stale(list_name: str, newest: date | None, week: date) -> None:
    reason = freshness.stale_reason(list_name=list_name, newest=newest, week=week)
    if newest is not None and reason:  # no week at all is the shorter history's message
        raise StaleHistory(reason)


def week_is_over(week: date, as_of: datetime) -> bool:
    end = datetime(week.year, week.month, week.day, tzinfo=EASTERN) + timedelta(days=1)
    return as_of >= end


def predictions_store(*, list_name: str, week: date, as_of: datetime) -> list[Prediction]:
    """Predict the list of the week ending `week` from what was known at `as_of`, and store it.
    Storing again for the same week and as_of replaces the earlier rows (same inputs, same result).

    Only the write is one transaction: the model runs for seconds, and on SQLite (`make run`'s default)
    an open transaction holds the database's one write lock, stalling every source's run meanwhile.
    The reads need none: each is point in time (`as_of`)."""
    if list_name in US_LISTS:
        return _us_predictions_store(list_name=list_name, week=week, as_of=as_of)
    histories = {name: tudum_history_as_of(list_name=name, as_of=as_of, before=week) for name in GLOBAL_LISTS}
    history = histories[list_name]
    _refuse_if_stale(list_name, history[-1].week if history else None, week)
    if len(history) < MIN_WEEKS:
        raise NotEnoughHistory(f"{list_name}: {len(history)} weeks known at {as_of:%Y-%m-%d %H:%M}, too few")
    mode = Prediction.Mode.NOWCAST if week_is_over(week, as_of) else Prediction.Mode.FORECAST
    rows = global_rows(list_name=list_name, week=week, as_of=as_of, histories=histories, mode=mode)
    with transaction.atomic():
        Prediction.objects.filter(
            list_name=list_name, week=week, made_at=as_of, model_version__startswith=global_model.VERSION
        ).delete()
        return Prediction.objects.bulk_create(rows)


US_KIND = {"US TV": "tv", "US Films": "films"}  # which daily lists each US list is nowcast from


def announced_by_markets(*, list_name: str, as_of: datetime) -> dict[date, dict[str, tuple[str, str]]]:
    """Week -> the seasons Kalshi's markets on the list name ("show:<id>" -> (title, season)), from the
    markets first seen by `as_of`: what a daily name may mean before any weekly list names the season
    (forecasts/engines/season_identity.py)."""
    series = [s for s, (name, _) in SERIES.items() if name == list_name]
    markets = Market.objects.filter(series__in=series, show__isnull=False, first_seen_at__lte=as_of)
    out: dict[date, dict[str, tuple[str, str]]] = {}
    for m in markets.select_related("show"):
        target = market_target(
            series=m.series, event_ticker=m.event_ticker, rules=m.rules_primary, close_time=m.close_time
        )
        if target and target.list_name == list_name and m.show.season:
            out.setdefault(target.week, {})[f"show:{m.show_id}"] = (m.show.title, m.show.season)
    return out


def _us_daily(list_name, history, global_by_week, global_last, week, as_of):
    """The week's daily lists seen at `as_of` and each earlier week's own, from stored snapshots, keyed by
    name like each week's candidates (as the backtest keys them: forecasts/engines/daily_keys.py).
    Returns them
    with the key -> (title, season) map of the candidates and title -> "show:<id>" of daily-only titles.
    A list is read only from FLIXPATROL_PUBLICATION_LAG_DAYS after the day it was shown (Eastern): at the
    Monday 23:59 ET close with the default 1, Monday's list is not read."""
    lag = settings.FLIXPATROL_PUBLICATION_LAG_DAYS
    first = daily.week_list_days(history[0].week)[0] if history else week
    last = min(daily.close_day(week), daily.readable_until(as_of.astimezone(EASTERN).date(), lag))
    stored = daily_charts_as_of(kind=US_KIND[list_name], as_of=as_of, first=first, last=last)
    charts, filed_as = {}, {}
    for day, chart in stored.items():
        ranks = charts.setdefault(day, daily.DailyChart(day)).ranks
        for key, rank in chart.ranks.items():
            title = chart.titles[key]
            ranks[title] = min(rank, ranks.get(title, rank))
            filed_as.setdefault(daily_only_key(title), key)
    ids = {sid for w in history for sid in w.show_ids.values()}
    for ranks in global_by_week.values():  # global-only candidates are shows too
        ids |= {int(k.split(":", 1)[1]) for k in ranks if k.startswith("show:")}
    shows = Show.objects.filter(pk__in=ids).values_list("pk", "title", "season")
    names = {f"show:{pk}": (title, season) for pk, title, season in shows}
    name_of = lambda key: names.get(key, (key, ""))  # noqa: E731 (the one-line map both helpers take)
    announced = announced_by_markets(list_name=list_name, as_of=as_of)
    for seasons in announced.values():
        names.update(seasons)
    lists = week_lists(
        history,
        global_by_week,
        charts,
        name_of,
        publication_lag=lag,
        announced_for=lambda w, _: announced.get(w),
    )
    keys, _ = us_model.features(history, global_last)
    seen = rekey(daily.charts_seen(charts, week, last), keys, name_of, announced.get(week))
    return seen, lists, name_of, filed_as


def _us_predictions_store(*, list_name: str, week: date, as_of: datetime) -> list[Prediction]:
    history = us_history_as_of(list_name=list_name, as_of=as_of, before=week)
    _refuse_if_stale(list_name, history[-1].week if history else None, week)
    if len(history) < us_model.MIN_HISTORY:
        raise NotEnoughHistory(f"{list_name}: {len(history)} weeks known at {as_of:%Y-%m-%d %H:%M}, too few")
    global_by_week = global_ranks_as_of(list_name=list_name, as_of=as_of, before=week)
    newest_global = max(global_by_week, default=None)
    global_last = global_by_week.get(newest_global, {})
    seen, lists, name_of, filed_as = _us_daily(list_name, history, global_by_week, global_last, week, as_of)
    now = us_nowcast.nowcast(
        history, global_by_week, global_last, seen, lists, lambda k, ks: find_daily(k, ks, name_of)
    )
    fc = now or us_model.forecast(history, global_by_week, global_last)
    version, names = (
        (us_nowcast.VERSION, us_nowcast.FEATURES) if now else (us_model.VERSION, us_model.FEATURES)
    )
    mode = Prediction.Mode.NOWCAST if week_is_over(week, as_of) else Prediction.Mode.FORECAST
    inputs = {
        "features": list(names),
        "history_weeks": [history[0].week.isoformat(), history[-1].week.isoformat()],
        "global_week": newest_global.isoformat() if newest_global else None,
        "weeks_ahead": (week - history[-1].week).days // 7,
        "source": "tudum",
        # How many of the week's seven daily lists the nowcast read, and on how many earlier weeks with
        # daily lists its weights were fit (0 = the rank model alone: too few, or no list seen yet).
        "daily": {
            "lists_seen": len(seen),
            "of": daily.DAYS_PER_WEEK,
            "lag_days": settings.FLIXPATROL_PUBLICATION_LAG_DAYS,
            "caption": daily.lists_caption(len(seen), settings.FLIXPATROL_PUBLICATION_LAG_DAYS),
            "feature_set": now.feature_set if now else None,
            "fit_weeks": now.train_weeks if now else 0,
            "used": now is not None,
        },
    }
    # Keys are "show:<id>" for stored rows; a daily-only title is stored under the show its rows were
    # filed as (its title is the list's; the season is unknown until the weekly list names it).
    stored_as = {k: filed_as.get(k, k) for k in fc.keys}
    show_ids = {k: int(v.split(":", 1)[1]) for k, v in stored_as.items() if v.startswith("show:")}
    titles = dict(Show.objects.filter(pk__in=show_ids.values()).values_list("pk", "title"))
    rows = []
    for i, key in enumerate(fc.keys):
        show_id = show_ids.get(key)
        row_inputs = {**inputs, "x": dict(zip(names, fc.x[i].round(4).tolist(), strict=True))}
        if now:
            row_inputs["moved_by"] = us_nowcast.contributions(now, i)
        rows.append(
            Prediction(
                list_name=list_name,
                week=week,
                mode=mode,
                show_id=show_id,
                title=titles.get(show_id, key) if key != NEW else "A show not yet seen",
                is_new_show=key == NEW,
                p_rank1=float(fc.p_rank1[i]),
                p_rank2=float(fc.p_rank2[i]),
                predicted_views=None,
                views_low=None,
                views_high=None,
                measure="",
                model_version=version,
                inputs=row_inputs,
                made_at=as_of,
            )
        )
    with transaction.atomic():
        Prediction.objects.filter(
            list_name=list_name,
            week=week,
            made_at=as_of,
            model_version__in=(us_model.VERSION, us_nowcast.VERSION),
        ).delete()
        return Prediction.objects.bulk_create(rows)


def forecasts_setup() -> bool:
    """Create the periodic refresh task once; True when it was created."""
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    every, _ = IntervalSchedule.objects.get_or_create(every=15, period=IntervalSchedule.MINUTES)
    _, created = PeriodicTask.objects.get_or_create(
        name="forecasts: refresh",
        defaults={
            "task": "forecasts.tasks.refresh_forecasts",
            "interval": every,
            "expire_seconds": 12 * 60,
            "description": "Predictions, market comparisons and alerts; markets move every 15 minutes.",
        },
    )
    return created
