"""The periodic work: store predictions for the weeks markets ask about, compare, raise alerts."""

import logging
from datetime import date, datetime, timedelta

from django.db.models import Max

from forecasts.markets.comparisons import comparisons_update
from forecasts.markets.targets import SERIES, market_target
from forecasts.models import Prediction
from forecasts.services import EASTERN, NotEnoughHistory, predictions_store, week_is_over
from forecasts.watch.alerts import alerts_evaluate
from sources.models import Market, Source

log = logging.getLogger(__name__)
INPUT_SOURCES = ("tudum", "flixpatrol")  # a new run of these changes a prediction's inputs
LISTS = ("TV (English)", "TV (Non-English)", "Films (English)", "Films (Non-English)", "US TV", "US Films")


def running_week(now: datetime) -> date:
    """The Sunday ending the Monday–Sunday week (Eastern) that contains `now`."""
    today = now.astimezone(EASTERN).date()
    return today + timedelta(days=6 - today.weekday())


def weeks_wanted(now: datetime) -> set[tuple[str, date]]:
    """Every list's running week, and the week of every rank or views market still open."""
    wanted = {(name, running_week(now)) for name in LISTS}
    for m in Market.objects.filter(series__in=SERIES, close_time__gt=now):
        target = market_target(
            series=m.series,
            event_ticker=m.event_ticker,
            rules=m.rules_primary,
            close_time=m.close_time,
            ticker=m.ticker,  # a views market's strike when its rules cannot be read
        )
        if target:
            wanted.add((target.list_name, target.week))
    return wanted


def needs_new_batch(list_name: str, week: date, now: datetime, tudum_at: datetime | None) -> bool:
    """Inputs change when Tudum or FlixPatrol (a new day of the week's charts) stores something, or
    the week ends (forecast -> nowcast). Trends and Wikipedia move with them often enough."""
    newest = Prediction.objects.filter(list_name=list_name, week=week, made_at__lte=now).aggregate(
        at=Max("made_at")
    )["at"]
    if newest is None:
        return True
    if tudum_at and tudum_at > newest:
        return True
    return week_is_over(week, now) and not week_is_over(week, newest)


def forecasts_refresh(*, now: datetime) -> dict:
    tudum_at = max(
        (
            t
            for t in Source.objects.filter(key__in=INPUT_SOURCES).values_list("last_success_at", flat=True)
            if t
        ),
        default=None,
    )
    stored, skipped = 0, []
    for list_name, week in sorted(weeks_wanted(now)):
        if not needs_new_batch(list_name, week, now, tudum_at):
            continue
        try:
            stored += len(predictions_store(list_name=list_name, week=week, as_of=now))
        except NotEnoughHistory as exc:
            skipped.append(str(exc))
    comparisons = comparisons_update(now=now)
    alerts = alerts_evaluate(now=now)
    if skipped:
        log.info("forecasts: not predicted: %s", "; ".join(skipped))
    return {"predictions": stored, "comparisons": len(comparisons), "alerts": len(alerts), "skipped": skipped}
