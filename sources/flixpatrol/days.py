"""Which chart days a FlixPatrol run reads, given that a day's chart is published only later.

Since 2025-05 FlixPatrol shows a day's chart only from the next day (FLIXPATROL_PUBLICATION_LAG_DAYS,
default 1): a dated page for today answers with an earlier day's list. So the newest readable day is New
York's today minus the lag, and the live task polls for it from shortly after midnight ET until it is
stored (then its runs ask nothing until the next day).
"""

from datetime import date, timedelta

from core.tz import EASTERN
from sources.base import FetchContext
from sources.flixpatrol.chart import LIST_NAMES, ChartRow

# Kalshi's Netflix markets close at 23:59 New York time, so days are New York's.
# A poll also reads the days before the newest that no run stored (the app was down, a page failed),
# back this far; older gaps are for `manage.py backfill flixpatrol`.
CATCH_UP_DAYS = 3


def newest_readable(ctx: FetchContext, lag_days: int) -> date:
    return ctx.now.astimezone(EASTERN).date() - timedelta(days=lag_days)


def polling(ctx: FetchContext) -> bool:
    # "today" is what the schedules before the lag was known asked for; it now means the same poll.
    return bool(ctx.options.get("poll") or ctx.options.get("today"))


def chart_days(ctx: FetchContext, lag_days: int = 1) -> list[date]:
    """The chart days a run reads.

    options["date"]: that day. A backfill window [since, until): each of its days up to the newest
    readable one (backfill windows end on UTC days, which run ahead of New York's). A poll
    (options["poll"]): the newest readable day and the days before it this source has not stored yet
    (ctx.state["complete_through"]), none when it has them all. Otherwise the newest readable day.
    """
    options = ctx.options
    newest = newest_readable(ctx, lag_days)
    if options.get("date"):
        return [date.fromisoformat(str(options["date"]))]
    if options.get("backfill") and options.get("since"):
        since = date.fromisoformat(str(options["since"]))
        end = newest + timedelta(days=1)
        until = date.fromisoformat(str(options["until"])) if options.get("until") else end
        return [since + timedelta(days=n) for n in range((min(until, end) - since).days)]
    if polling(ctx):
        first = newest - timedelta(days=CATCH_UP_DAYS - 1)
        if ctx.state.get("complete_through"):
            first = max(first, date.fromisoformat(ctx.state["complete_through"]) + timedelta(days=1))
        return [first + timedelta(days=n) for n in range((newest - first).days + 1)]
    return [newest]


def mark_complete(ctx: FetchContext, day: date) -> None:
    """Remember that every page of `day` was stored: polls start after it (kept if the run succeeds)."""
    if ctx.options.get("backfill"):
        return
    done = ctx.state.get("complete_through")
    if done is None or date.fromisoformat(done) < day:
        ctx.state["complete_through"] = day.isoformat()


def repeated_list(ctx: FetchContext, scope: str, day: date, rows: list[ChartRow], *, fresh: bool) -> str:
    """Why a country page of the day a poll waits for (`fresh`) is the day before's list again, or "".

    Remembers each country's lists of its last 3 days in ctx.state (kept when the run succeeds). A
    country page names no day, and the world page may show the new day while a country still answers
    with the day before's list: while polling for the newest day, a page whose TV and film lists are
    both, title for title, the ones kept for the day before is refused, and the next poll tries again.
    Other reads (days out for longer) store what the page holds, a list that really repeats included.
    """
    lists = {name: [r.slug for r in rows if r.list_name == name] for name in LIST_NAMES.values()}
    kept = ctx.state.setdefault("country_lists", {}).setdefault(scope, {})
    before = (day - timedelta(days=1)).isoformat()
    if fresh and kept.get(before) == lists:
        return f"both lists are, title for title, the ones stored for {before}: not yet {day.isoformat()}'s?"
    kept[day.isoformat()] = lists
    for old in sorted(kept)[:-3]:
        del kept[old]
    return ""
