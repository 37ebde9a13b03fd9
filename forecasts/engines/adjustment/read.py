"""Point-in-time reads of the daily signals around a predicted week: only values fetched by `as_of`,
a value corrected later read as it was then (the same rule as the Tudum history)."""

from collections import defaultdict
from datetime import date, datetime, timedelta

from forecasts.engines.adjustment.features import DailySignals
from forecasts.selectors import snapshots_as_of, week_start
from sources.models import Snapshot

FLIXPATROL_LISTS = {"tv": "tv", "film": "films"}  # show kind -> FlixPatrol's `list` attribute
TOP = 11  # a FlixPatrol rank r scores TOP - r when the chart gives no points
# FlixPatrol's chart of day D is Netflix's list shown on D, which reflects the viewing of D - 1 (checked on
# the daily US file against the weekly lists: forecasts/engines/daily_features.py). Its scores are dated by
# the viewing day.
FLIXPATROL_LAG_DAYS = 1


def daily_signals_as_of(*, kind: str, week: date, as_of: datetime, show_ids: set[int]) -> DailySignals:
    """FlixPatrol (every charted show of the kind), Google Trends and Wikipedia (the given shows) for
    the predicted week and the week before it."""
    start, end = week_start(week) - timedelta(days=7), week_start(week) + timedelta(days=7)
    window = {"observed_at__gte": start, "observed_at__lt": end, "show__isnull": False}
    lag = timedelta(days=FLIXPATROL_LAG_DAYS)
    flixpatrol = Snapshot.objects.filter(
        source__key="flixpatrol",
        metric__in=("rank", "points"),
        period=Snapshot.Period.DAY,
        attrs__list=FLIXPATROL_LISTS[kind],
        observed_at__gte=start + lag,
        observed_at__lt=end + lag,
        show__isnull=False,
    )
    trends = Snapshot.objects.filter(
        source__key="google_trends",
        metric="interest",
        period__in=("day", "hour"),
        show_id__in=show_ids,
        **window,
    )
    wikipedia = Snapshot.objects.filter(
        source__key="wikipedia",
        metric="pageviews",
        period__in=("day", "hour"),
        show_id__in=show_ids,
        **window,
    )
    signals = DailySignals()
    fp_rows = snapshots_as_of(flixpatrol, as_of)
    signals.values["flixpatrol"], signals.days["flixpatrol"] = _flixpatrol_scores(fp_rows)
    signals.titles = {s.show_id: s.show.title for s in fp_rows}
    signals.values["google_trends"] = _daily(snapshots_as_of(trends, as_of), hourly="mean")
    signals.values["wikipedia"] = _daily(snapshots_as_of(wikipedia, as_of), hourly="sum")
    return signals


def signal_days(*, kind: str, first: date, as_of: datetime) -> set[date]:
    """The days since `first` with any stored signal of the kind's shows known at `as_of` (one query):
    which past weeks a fit on history can replay."""
    rows = Snapshot.objects.filter(
        source__key__in=("flixpatrol", "google_trends", "wikipedia"),
        period=Snapshot.Period.DAY,
        observed_at__gte=week_start(first),
        fetched_at__lte=as_of,
        show__kind=kind,
    )
    days = {d.date() for d in rows.values_list("observed_at", flat=True).distinct()}
    return days | {d - timedelta(days=FLIXPATROL_LAG_DAYS) for d in days}


def _flixpatrol_scores(rows: list[Snapshot]) -> tuple[dict[int, dict[date, float]], set[date]]:
    """Show -> day -> score: FlixPatrol's points where given, else TOP - rank. A day with a world
    chart reads only the world chart; otherwise the countries' scores are summed."""
    cell: dict[tuple[int, date, str], float] = {}
    for s in sorted(rows, key=lambda s: s.metric != "rank"):  # points, read last, win over rank
        viewed = s.observed_at.date() - timedelta(days=FLIXPATROL_LAG_DAYS)
        cell[(s.show_id, viewed, s.scope)] = s.value if s.metric == "points" else TOP - s.value
    world_days = {day for (_, day, scope) in cell if scope == "world"}
    scores: dict[int, dict[date, float]] = defaultdict(lambda: defaultdict(float))
    for (show_id, day, scope), value in cell.items():
        if (scope == "world") == (day in world_days):
            scores[show_id][day] += value
    return {k: dict(v) for k, v in scores.items()}, {day for (_, day, _) in cell}


def _daily(rows: list[Snapshot], *, hourly: str) -> dict[int, dict[date, float]]:
    """Show -> day -> value, summed over scopes (projects, regions); a day without a daily value is
    built from its hours (their mean for an index like Trends, their sum for counts like pageviews)."""
    days: dict[tuple[int, date, str], float] = {}
    hours: dict[tuple[int, date, str], list[float]] = defaultdict(list)
    for s in rows:
        key = (s.show_id, s.observed_at.date(), s.scope)
        if s.period == Snapshot.Period.DAY:
            days[key] = s.value
        else:
            hours[key].append(s.value)
    for key, values in hours.items():
        if key not in days:
            days[key] = sum(values) / len(values) if hourly == "mean" else sum(values)
    out: dict[int, dict[date, float]] = defaultdict(lambda: defaultdict(float))
    for (show_id, day, _), value in days.items():
        out[show_id][day] += value
    return {k: dict(v) for k, v in out.items()}
