"""One market's price over time beside our probability over time: the chart on its row of the
forecasts page and on the show page, and GET /api/forecasts/markets/<ticker>/history.

The market's side is its stored quotes (mid of yes bid and ask at each Kalshi run, else the last
trade) and its hourly candles (the last trade of each hour, what a backfilled market has); our side
is every stored prediction batch of the market's list and week, read the way the comparison reads
the newest one. Both stop at the close: after it the price is no longer one anyone could trade at.
"""

from collections import defaultdict
from datetime import datetime, timedelta

from forecasts.markets.comparisons import PRICE_METRICS, probabilities_from, target_of, two_sided
from forecasts.models import Prediction
from sources.models import Market, Snapshot

MAX_POINTS = 400  # per line: a week of five-minute quotes still draws fast and ships small


def _thin(points: list[tuple[datetime, float]]) -> list[tuple[datetime, float]]:
    """At most MAX_POINTS, evenly spread, always keeping the newest."""
    if len(points) <= MAX_POINTS:
        return points
    step = len(points) / MAX_POINTS
    kept = [points[int(i * step)] for i in range(MAX_POINTS - 1)]
    return [*kept, points[-1]]


def market_lines(rows, close_time: datetime | None) -> dict[str, list[tuple[datetime, float]]]:
    """Pure: (metric, period, observed_at, value) rows -> {"mid": [...], "trade": [...]} by time.
    A run's quotes share one observed_at; a run with no two-sided quote counts its last trade."""
    runs: dict[datetime, dict[str, float]] = defaultdict(dict)
    trades = []
    for metric, period, observed_at, value in rows:
        if period == Snapshot.Period.HOUR:
            if metric == "last_price":
                trades.append((observed_at + timedelta(hours=1), value))  # the candle ends its hour
        else:
            runs[observed_at][metric] = value
    mids = []
    for at, q in runs.items():
        if two_sided(q.get("yes_bid"), q.get("yes_ask")):
            mids.append((at, (q["yes_bid"] + q["yes_ask"]) / 2))
        elif "last_price" in q:
            mids.append((at, q["last_price"]))
    lines = {"mid": sorted(mids), "trade": sorted(trades)}
    if close_time is not None:
        lines = {k: [(t, v) for t, v in pts if t <= close_time] for k, pts in lines.items()}
    return {k: _thin(v) for k, v in lines.items()}


def our_line(m: Market) -> list[tuple[datetime, float]]:
    """Our probability for the market after each stored batch made by its close."""
    target = target_of(m)
    if target is None:
        return []
    batches = Prediction.objects.filter(list_name=target.list_name, week=target.week)
    if m.close_time is not None:
        batches = batches.filter(made_at__lte=m.close_time)
    if target.views_at_least is None:
        batches = batches.defer("inputs")  # rank markets read only the probabilities
    by_time: dict[datetime, list[Prediction]] = defaultdict(list)
    for p in batches.order_by("made_at"):
        by_time[p.made_at].append(p)
    # An outcome that is none of our candidates shares "a show not yet seen" with the event's others.
    siblings = list(Market.objects.filter(event_ticker=m.event_ticker)) if m.event_ticker else [m]
    line = []
    for made_at, rows in by_time.items():
        got = probabilities_from(rows, siblings, target).get(m.ticker)
        if got is not None:
            line.append((made_at, got[0]))
    return _thin(line)


LABELS = {"mid": "market: mid of bid and ask", "trade": "market: last trade (hourly)", "ours": "ours"}


def chart_of(lines: dict[str, list[tuple[datetime, float]]]) -> dict:
    """Pure: lines -> the JSON static/js/charts.js draws (uPlot's aligned columns, null for no point).
    Lines without a point are left out."""
    lines = {k: v for k, v in lines.items() if v}
    xs = sorted({int(t.timestamp()) for pts in lines.values() for t, _ in pts})
    index = {x: n for n, x in enumerate(xs)}
    columns = []
    for pts in lines.values():
        ys = [None] * len(xs)
        for t, v in pts:
            ys[index[int(t.timestamp())]] = round(v, 4)
        columns.append(ys)
    # A lone point still gets a visible span around it.
    span = [xs[0], xs[-1]] if len(xs) > 1 else [xs[0] - 3600, xs[0] + 3600] if xs else [0, 1]
    return {
        "metric": "probability",
        "labels": [LABELS[k] for k in lines],
        "x": xs,
        "lines": columns,
        "span": span,
        "points": sum(len(v) for v in lines.values()),
    }


def market_history(*, market: Market) -> dict:
    """{ticker, closeTime, market: {mid, trade}, ours, chart} of one market."""
    rows = Snapshot.objects.filter(
        source__key="kalshi",
        scope=market.ticker,
        metric__in=PRICE_METRICS,
        period__in=(Snapshot.Period.INSTANT, Snapshot.Period.HOUR),
    ).values_list("metric", "period", "observed_at", "value")
    lines = market_lines(rows, market.close_time)
    ours = our_line(market)
    return {
        "ticker": market.ticker,
        "closeTime": market.close_time,
        "market": lines,
        "ours": ours,
        "chart": chart_of({**lines, "ours": ours}),
    }
