"""Never a number past its data: how far a list's newest stored week lies before the week a market asks
about, and the sentence a card shows when that is too far to give a probability.

One rule for the store (forecasts/services.py refuses to predict) and for the cards (the basis says why
there is no probability), so the two cannot disagree.
"""

from datetime import UTC, date, datetime, time, timedelta

from django.db.models import Max

from forecasts.history.us_lists import US_LISTS
from sources.models import Snapshot
from sources.tudum.normalize import scope_of_category

# Netflix publishes a week on the Tuesday after it, so before Tuesday the newest list is two weeks before
# the running one: that gap is normal. Past it the model would carry forward a list that no longer says
# anything about the market's week (make demo's 2026 markets against lists ending in 2022 gave every
# outcome the same share and a 2022 show as favourite).
MAX_WEEKS_BEHIND = 2


def newest_week(*, list_name: str, as_of: datetime, before: date) -> date | None:
    """The newest week of the list ending before `before` with a rank fetched by `as_of` (the Sunday
    ending it), read as the model reads its history (forecasts/selectors.py, whose prediction_basis
    imports this module: hence the week's start computed here, as its week_start does)."""
    first_day = datetime.combine(before - timedelta(days=6), time(), tzinfo=UTC)
    rows = Snapshot.objects.filter(
        source__key="tudum",
        period=Snapshot.Period.WEEK,
        metric="rank",
        observed_at__lt=first_day,
        fetched_at__lte=as_of,
        show__isnull=False,
    )
    if list_name in US_LISTS:
        rows = rows.filter(scope="US", attrs__category=US_LISTS[list_name][0])
    else:
        rows = rows.filter(scope=scope_of_category(list_name))
    start = rows.aggregate(at=Max("observed_at"))["at"]
    return start.date() + timedelta(days=6) if start else None


def weeks_behind(newest: date, week: date) -> int:
    return (week - newest).days // 7


def stale_reason(*, list_name: str, newest: date | None, week: date) -> str | None:
    """The card's sentence when the list is too old to give a probability for `week`; None when it is not."""
    if newest is None:
        return f"we hold no {list_name} list before this market's week: no probability"
    behind = weeks_behind(newest, week)
    if behind <= MAX_WEEKS_BEHIND:
        return None
    return (
        f"the newest {list_name} list we hold is {newest.isoformat()}, "
        f"{behind} weeks before this market's week: no probability"
    )


def list_stale_reason(*, list_name: str, week: date, as_of: datetime) -> str | None:
    newest = newest_week(list_name=list_name, as_of=as_of, before=week)
    return stale_reason(list_name=list_name, newest=newest, week=week)
