"""Reads for forecasts: the Tudum history exactly as it was known at a point in time, and the
comparisons with Kalshi's markets."""

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta

from django.db.models import Avg, Count, QuerySet
from django.utils import timezone

from forecasts.backtests.reliability import BINS, reliability_bins, reliability_chart
from forecasts.freshness import list_stale_reason, stale_reason
from forecasts.history.global_lists import Entry, Week
from forecasts.history.us_lists import US_LISTS, RankWeek, global_ranks
from forecasts.models import MarketComparison, Prediction
from sources.imports.daily_ranks import ORIGIN as DAILY_FILE_ORIGIN
from sources.models import Snapshot, SnapshotRevision
from sources.tudum.normalize import scope_of_category

METRICS = ("rank", "weekly_hours_viewed", "weekly_views", "cumulative_weeks_in_top_10")


def week_start(week_end: date) -> datetime:
    """Tudum snapshots are observed at the Monday 00:00 UTC that starts the week ending on `week_end`."""
    return datetime.combine(week_end - timedelta(days=6), time(), tzinfo=UTC)


def snapshots_as_of(rows: QuerySet[Snapshot], as_of: datetime) -> list[Snapshot]:
    """The rows as known at `as_of`: a value changed later is read from its revision, and rows first
    fetched later are not read at all."""
    known = {s.id: s for s in rows.filter(fetched_at__lte=as_of).select_related("show")}
    superseded = SnapshotRevision.objects.filter(
        snapshot__in=rows.filter(fetched_at__gt=as_of), fetched_at__lte=as_of, superseded_at__gt=as_of
    ).select_related("snapshot__show")
    for revision in superseded:
        snapshot = revision.snapshot
        snapshot.value = revision.value
        known[snapshot.id] = snapshot
    return list(known.values())


def tudum_history_as_of(*, list_name: str, as_of: datetime, before: date) -> list[Week]:
    """Weeks ending before `before`, built only from values fetched at or before `as_of`: a value
    changed later is read from its revision, and rows first fetched later are not read at all."""
    rows = Snapshot.objects.filter(
        source__key="tudum",
        scope=scope_of_category(list_name),
        period=Snapshot.Period.WEEK,
        metric__in=METRICS,
        observed_at__lt=week_start(before),
        show__isnull=False,
    )
    cells: dict[tuple[date, int], dict] = defaultdict(dict)
    shows = {}
    for s in snapshots_as_of(rows, as_of):
        cells[(s.observed_at.date() + timedelta(days=6), s.show_id)][s.metric] = s.value
        shows[s.show_id] = (s.show, s.attrs.get("season_title", ""))
    weeks: dict[date, Week] = {}
    for (week, show_id), values in cells.items():
        if "rank" not in values or "weekly_hours_viewed" not in values:
            continue  # a row only partly known at as_of is not a list entry yet
        show, season_title = shows[show_id]
        entry = Entry(
            key=f"show:{show_id}",
            title=show.title,
            season=season_title or show.season,
            rank=int(values["rank"]),
            hours=values["weekly_hours_viewed"],
            views=values.get("weekly_views"),
            weeks_in_top10=int(values.get("cumulative_weeks_in_top_10", 1)),
            show_id=show_id,
        )
        weeks.setdefault(week, Week(week)).entries.append(entry)
    for w in weeks.values():
        w.entries.sort(key=lambda e: e.rank)
    return [weeks[w] for w in sorted(weeks)]


def us_history_as_of(*, list_name: str, as_of: datetime, before: date) -> list[RankWeek]:
    """The US country list's weeks ending before `before`, as known at `as_of` (ranks only)."""
    category, _ = US_LISTS[list_name]
    rows = Snapshot.objects.filter(
        source__key="tudum",
        scope="US",
        period=Snapshot.Period.WEEK,
        metric="rank",
        attrs__category=category,
        observed_at__lt=week_start(before),
        show__isnull=False,
    )
    weeks: dict[date, RankWeek] = {}
    for s in snapshots_as_of(rows, as_of):
        week = weeks.setdefault(s.observed_at.date() + timedelta(days=6), RankWeek(s.observed_at.date()))
        key = f"show:{s.show_id}"
        week.ranks[key], week.titles[key], week.show_ids[key] = int(s.value), s.show.title, s.show_id
    for end, week in weeks.items():
        week.week = end
    return [weeks[w] for w in sorted(weeks)]


def daily_charts_as_of(*, kind: str, as_of: datetime, first: date, last: date, country: str = "US"):
    """The country's daily Top 10 lists of one kind ("tv" or "films") shown on days first..last, as known
    at `as_of` (FlixPatrol's charts and imported daily files alike), keyed "show:<id>" of the show each
    row was filed under, with that show's title in `titles`. A day is a chart only when it has rows of
    the kind. The show is not the season the list meant (a list names no season): match by title against
    the week's candidates (forecasts/engines/daily_keys.py)."""
    from forecasts.engines.daily_features import DailyChart

    rows = Snapshot.objects.filter(
        source__key="flixpatrol",
        scope=country,
        period=Snapshot.Period.DAY,
        metric="rank",
        attrs__list=kind,
        observed_at__gte=datetime.combine(first, time(), tzinfo=UTC),
        observed_at__lt=datetime.combine(last + timedelta(days=1), time(), tzinfo=UTC),
        show__isnull=False,
    )
    # A day re-read while its list changes (Monday's chart until the close) keeps the rows of titles that
    # left it: each place of a day is the title read there last.
    known = snapshots_as_of(rows, as_of)
    # One chart per day: where FlixPatrol's own chart is stored for a day, an imported file's rows of
    # that day (origin "the-numbers") are left out rather than mixed in.
    own = {s.observed_at for s in known if (s.attrs or {}).get("origin") != DAILY_FILE_ORIGIN}
    latest: dict[tuple[date, int], Snapshot] = {}
    for s in known:
        if s.observed_at in own and (s.attrs or {}).get("origin") == DAILY_FILE_ORIGIN:
            continue
        place = (s.observed_at.astimezone(UTC).date(), int(s.value))
        if place not in latest or s.fetched_at > latest[place].fetched_at:
            latest[place] = s
    charts: dict[date, DailyChart] = {}
    for (day, rank), s in sorted(latest.items(), key=lambda kv: kv[1].fetched_at):
        chart = charts.setdefault(day, DailyChart(day))
        key = f"show:{s.show_id}"
        # a title read later at another place has moved there; its older place is someone else's now
        chart.ranks[key] = rank
        chart.titles[key] = s.show.title
    return charts


def global_ranks_as_of(*, list_name: str, as_of: datetime, before: date) -> dict[date, dict[str, int]]:
    """Week -> show key -> best rank in the global lists of the US list's kind, as known at `as_of`."""
    _, lists = US_LISTS[list_name]
    return global_ranks([tudum_history_as_of(list_name=n, as_of=as_of, before=before) for n in lists])


def market_probabilities(tickers: list[str]) -> dict[str, dict]:
    """Ticker -> {ours, market, diff} for the board (None where either side is unknown)."""
    rows = MarketComparison.objects.filter(market__ticker__in=tickers).select_related("market")
    return {
        c.market.ticker: {"ours": c.ours, "market": c.market_price, "diff": c.diff, "week": c.week}
        for c in rows
    }


SCORES = {
    "markets": Count("id"),
    "events": Count("market__event_ticker", distinct=True),
    "ours_brier": Avg("ours_brier"),
    "market_brier": Avg("market_brier"),
    "ours_logloss": Avg("ours_logloss"),
    "market_logloss": Avg("market_logloss"),
}


def _scored_both() -> QuerySet[MarketComparison]:
    """Settled markets where both sides had a probability: the only fair ground to compare them on."""
    return MarketComparison.objects.filter(
        scored_at__isnull=False, ours__isnull=False, market_price__isnull=False
    )


def track_record() -> list[dict]:
    """Per series: settled markets where both sides had a probability, with their mean scores."""
    rows = _scored_both().values("series", "list_name", "rank").annotate(**SCORES).order_by("series")
    return list(rows)


def track_record_overall() -> dict:
    """Every series together: the same counts and mean scores as a series row (None when empty)."""
    return _scored_both().aggregate(**SCORES)


def track_record_reliability(*, bins: int = BINS) -> dict:
    """Reliability bins of both sides on the same settled markets, and the chart's points."""
    pairs = list(_scored_both().values_list("ours", "market_price", "outcome"))
    ours = reliability_bins(((o, happened) for o, _, happened in pairs), bins=bins)
    market = reliability_bins(((m, happened) for _, m, happened in pairs), bins=bins)
    rows = [
        {"low": o["low"], "high": o["high"], "ours": o, "market": m}
        for o, m in zip(ours, market, strict=True)
    ]
    chart = reliability_chart(ours, market)
    return {"bins": bins, "ours": ours, "market": market, "rows": rows, "chart": chart}


def open_comparisons() -> list[MarketComparison]:
    """Comparisons of markets not yet scored, soonest week first, largest disagreement first."""
    rows = MarketComparison.objects.filter(scored_at__isnull=True).select_related("market", "market__show")
    return sorted(rows, key=lambda c: (c.week, c.market.event_ticker, -abs(c.diff or 0)))


def show_predictions(*, show_id: int, limit: int = 6) -> list[Prediction]:
    """The newest prediction of each list and week naming the show (the show page's forecast)."""
    rows = Prediction.objects.filter(show_id=show_id).order_by("-week", "list_name", "-made_at")
    newest: dict[tuple, Prediction] = {}
    for p in rows[: limit * 10]:
        newest.setdefault((p.week, p.list_name), p)
    return list(newest.values())[:limit]


def prediction_basis(*, list_name: str, week: date) -> dict | None:
    """What the newest prediction of a list and week stood on, for the market cards: the model, how many
    of the week's daily lists it read (US) or which signals it used (global), and per show the features
    that moved its probability most."""
    newest = Prediction.objects.filter(list_name=list_name, week=week).order_by("-made_at").first()
    if newest is None:
        # None stored: say so when the list is too old for the week (forecasts/freshness.py), as the
        # refresh then stores none; otherwise nothing is known about it yet.
        stale = list_stale_reason(list_name=list_name, week=week, as_of=timezone.now())
        return {"noProbability": stale} if stale else None
    rows = Prediction.objects.filter(list_name=list_name, week=week, made_at=newest.made_at)
    inputs = newest.inputs or {}
    # A batch stored before the rule, from a list too old for the week, is not shown as a probability.
    history_end = (inputs.get("history_weeks") or [None])[-1]
    newest_end = date.fromisoformat(history_end) if history_end else None
    stale = newest_end and stale_reason(list_name=list_name, newest=newest_end, week=week)
    signals = inputs.get("signals") or {}
    return {
        "model": newest.model_version,
        "madeAt": newest.made_at,
        "daily": inputs.get("daily"),
        "signalsUsed": signals.get("used"),
        "daysSeen": len(signals.get("days_seen") or []),
        "movedBy": {p.show_id: p.inputs.get("moved_by") or [] for p in rows if p.show_id},
        # The newest Tudum week it stood on, and how many weeks before the predicted one: more than one
        # means it forecast across weeks it had no list of (Tudum not loaded lately, or make demo's
        # 2026 markets predicted from the real history, which ends earlier).
        "historyEnd": (inputs.get("history_weeks") or [None, None])[-1],
        "weeksAhead": inputs.get("weeks_ahead"),
        "noProbability": stale or None,
        # Its numbers are hidden: they stand on that list. (With no batch ours is None anyway.)
        "hideOurs": bool(stale),
    }
