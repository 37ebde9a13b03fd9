"""The show page: charts per source over a window (from the API's series selector), the Tudum weekly
history, the Kalshi markets, identifiers, aliases and unmatched names. Fixed number of queries."""

from collections import defaultdict
from datetime import datetime

from django.apps import apps
from django.utils import timezone

from forecasts.selectors import show_predictions
from forecasts.watch.publications import tudum_publications
from shows.models import Show
from shows.selectors import show_aliases
from sources.models import Market, Snapshot
from sources.series.show_series import default_resolution, parse_window, show_series

WINDOWS = ("24h", "7d", "30d", "90d", "1y")
DEFAULT_WINDOW = "7d"
MAX_LINES_PER_CHART = 8
TUDUM_METRICS = ("rank", "weekly_views", "weekly_hours_viewed")
PRICE_METRICS = ("last_price", "yes_bid", "yes_ask")


def _chart(source: str, metric: str, series: list[dict]) -> dict:
    """One metric of one source: its series (one line per scope) aligned on the union of buckets, as
    uPlot wants them: [[x...], [y1...], ...] with null where a line has no point."""
    series = sorted(series, key=lambda s: -len(s["points"]))[:MAX_LINES_PER_CHART]
    xs = sorted({ts for s in series for ts, _ in s["points"]})
    index = {ts: n for n, ts in enumerate(xs)}
    lines = []
    for s in series:
        ys = [None] * len(xs)
        for ts, value in s["points"]:
            ys[index[ts]] = value
        lines.append(ys)
    return {
        "source": source,
        "metric": metric,
        "labels": [f"{s['scope']} ({s['period']})" for s in series],
        "x": [int(datetime.fromisoformat(ts).timestamp()) for ts in xs],
        "lines": lines,
        "points": sum(len(s["points"]) for s in series),
        "isPrice": source == "kalshi" and metric in PRICE_METRICS,
        "latest": [
            {
                "scope": s["scope"],
                "value": s["points"][-1][1],
                "at": datetime.fromisoformat(s["points"][-1][0]),
            }
            for s in series
        ],
    }


def show_charts(*, show: Show, window: str, now: datetime | None = None) -> dict:
    """{window, resolution, sources: [{source, charts: [...]}]}: one query, the API's own."""
    span = parse_window(window)
    end = now or timezone.now()
    resolution = default_resolution(span)
    series = show_series(show_id=show.id, start=end - span, end=end, resolution=resolution)
    grouped: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for s in series:
        grouped[s["source"]][s["metric"]].append(s)
    span_epoch = [int((end - span).timestamp()), int(end.timestamp())]
    sources = [
        {
            "source": src,
            # Every chart spans the whole window, so a lone point sits where it belongs in time.
            "charts": [
                {**_chart(src, metric, items), "span": span_epoch}
                for metric, items in sorted(metrics.items())
            ],
        }
        for src, metrics in sorted(grouped.items())
    ]
    return {"window": window, "resolution": resolution, "from": end - span, "to": end, "sources": sources}


def tudum_history(*, show: Show) -> list[dict]:
    """Weekly rank and views on Netflix's global lists, newest week first (country lists left out)."""
    rows = (
        Snapshot.objects.filter(show=show, source__key="tudum", period="week", metric__in=TUDUM_METRICS)
        .exclude(scope__regex=r"^[A-Z]{2}$")
        .order_by("-observed_at", "scope")
        .values_list("observed_at", "scope", "metric", "value")
    )
    weeks: dict[tuple, dict] = {}
    for observed_at, scope, metric, value in rows:
        weeks.setdefault((observed_at, scope), {"week": observed_at, "list": scope})[metric] = value
    # When each week first appeared to us, and whether Netflix corrected it since (publication watch).
    published = {p["week"]: p for p in tudum_publications(weeks=sorted({w for w, _ in weeks}))}
    return [{**w, "publication": published.get(w["week"])} for w in weeks.values()]


def show_markets(*, show: Show) -> list[Market]:
    # Kalshi's: the panel and its price history read the kalshi source (Polymarket legs share the table).
    return list(Market.objects.filter(show=show, venue="kalshi").order_by("-close_time", "ticker")[:20])


def unmatched_names(*, show: Show) -> list:
    """Names sources gave that were linked to this show, or that look like its title: review links."""
    try:
        model = apps.get_model("shows", "UnmatchedName")
    except LookupError:
        return []
    from django.db.models import Q

    near = Q(show=show) | Q(show__isnull=True, normalized__contains=show.normalized_title)
    return list(model.objects.filter(near).order_by("-last_seen")[:20])


def _empty_reasons(context: dict) -> dict[str, str]:
    """For each empty panel, the sentence naming why (the state of the source that fills it)."""
    from dashboard.selectors.board import board_sources
    from dashboard.selectors.reasons import empty_reason

    wanted = {
        "tudum": not context["tudum"],
        "kalshi": not context["markets"],
        "forecast": not context["predictions"],
        "charts": not context["charts"]["sources"],
    }
    if not any(wanted.values()):
        return {}
    cards = {c["key"]: c for c in board_sources()}
    title = str(context["show"])
    why = {}
    if wanted["tudum"]:
        why["tudum"] = empty_reason(
            cards.get("tudum"),
            what=f"No Netflix Top 10 week names {title}",
            first_run="the first Tudum run loads the lists' history",
        ).replace("found none", "named it in no list")
    if wanted["kalshi"]:
        why["kalshi"] = empty_reason(
            cards.get("kalshi"),
            what=f"No Kalshi market names {title}",
            first_run="the first Kalshi run stores the open markets",
        ).replace("found none", "listed it in no open Netflix market")
    if wanted["forecast"]:
        why["forecast"] = (
            f"No forecast names {title}: forecasts cover the shows of recent Top 10 lists and need "
            "enough stored Tudum weeks of history (the forecasts refresh follows each Tudum, FlixPatrol "
            "and Kalshi run)."
        )
    if wanted["charts"]:
        why["charts"] = (
            f"Nothing stored for {title} in the last {context['charts']['window']}: pick a longer "
            "window, or give it identifiers below (Wikipedia article, trailers, subreddits) so the "
            "per-show sources can read it."
        )
    return why


def show_page(*, show: Show, window: str) -> dict:
    context = {
        "show": show,
        "charts": show_charts(show=show, window=window),
        "tudum": tudum_history(show=show),
        "markets": show_markets(show=show),
        "predictions": show_predictions(show_id=show.id),
        "aliases": show_aliases(show=show),
        "unmatched": unmatched_names(show=show),
        "windows": WINDOWS,
    }
    return {**context, "why": _empty_reasons(context)}
