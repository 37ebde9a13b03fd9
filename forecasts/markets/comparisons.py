"""Our probability beside each Kalshi market's, and both scored the same way once it settles."""

import math
from collections import defaultdict
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Max

from forecasts.markets.strikes import p_top_at_least
from forecasts.markets.targets import SERIES, Target, market_target
from forecasts.models import MarketComparison, Prediction
from sources.models import Market, Snapshot

PRICE_METRICS = ("yes_bid", "yes_ask", "last_price")
CLIP = 0.001  # the same bound for both sides, so a certain wrong price has a finite log loss


def binary_brier(p: float, happened: bool) -> float:
    return (p - float(happened)) ** 2


def binary_log_loss(p: float, happened: bool) -> float:
    p = min(max(p, CLIP), 1 - CLIP)
    return -math.log(p if happened else 1 - p)


def quotes_as_of(tickers: list[str], as_of: datetime | None) -> dict[str, dict[str, tuple[datetime, float]]]:
    """Ticker -> metric (yes_bid, yes_ask, last_price) -> (observed_at, value) of the newest listed
    price fetched by `as_of` (None: the newest stored)."""
    rows = Snapshot.objects.filter(
        source__key="kalshi", scope__in=tickers, metric__in=PRICE_METRICS, period=Snapshot.Period.INSTANT
    )
    if as_of is not None:
        rows = rows.filter(fetched_at__lte=as_of, observed_at__lte=as_of)
    rows = rows.values_list("scope", "metric", "observed_at", "value")
    newest: dict[str, dict[str, tuple[datetime, float]]] = defaultdict(dict)
    for ticker, metric, observed_at, value in rows:
        if metric not in newest[ticker] or observed_at > newest[ticker][metric][0]:
            newest[ticker][metric] = (observed_at, value)
    return newest


def _hourly_closes(tickers: list[str], as_of: datetime) -> dict[str, tuple[float, datetime]]:
    """Ticker -> (last trade price, end of its hour) of the newest hourly candle that ended by
    `as_of`. A candle records the past, so it counts even though it was fetched after the close:
    that is how backfilled markets, never seen open, get a price before their close."""
    rows = Snapshot.objects.filter(
        source__key="kalshi",
        scope__in=tickers,
        metric="last_price",
        period=Snapshot.Period.HOUR,
        observed_at__lte=as_of - timedelta(hours=1),
    ).values_list("scope", "observed_at", "value")
    out: dict[str, tuple[float, datetime]] = {}
    for ticker, start, value in rows:
        end = start + timedelta(hours=1)
        if ticker not in out or end > out[ticker][1]:
            out[ticker] = (value, end)
    return out


def two_sided(bid: float | None, ask: float | None) -> bool:
    """A real two-sided quote. Kalshi reports a side nobody quotes as 0 (no bid) or 1 (no ask), so the
    mid of a one-sided book would be ask / 2 or (bid + 1) / 2: a price nobody offered."""
    return bid is not None and ask is not None and 0 < bid <= ask < 1


def market_prices_as_of(tickers: list[str], as_of: datetime) -> dict[str, tuple[float, datetime]]:
    """Ticker -> (mid of the newest yes bid and ask, when observed), from prices fetched by `as_of`;
    else (no two-sided quote) the last trade price, from the listing or an hourly candle, whichever is
    newer."""
    out = {}
    candles = _hourly_closes(tickers, as_of)
    for ticker, quotes in quotes_as_of(tickers, as_of).items():
        bid, ask = quotes.get("yes_bid"), quotes.get("yes_ask")
        if bid and ask and two_sided(bid[1], ask[1]):
            out[ticker] = ((bid[1] + ask[1]) / 2, max(bid[0], ask[0]))
        elif "last_price" in quotes:
            out[ticker] = (quotes["last_price"][1], quotes["last_price"][0])
    for ticker, (value, at) in candles.items():
        if ticker not in out or at > out[ticker][1]:
            out[ticker] = (value, at)
    return out


def latest_predictions(target: Target, as_of: datetime) -> list[Prediction]:
    """The newest stored batch for the market's list and week made at or before `as_of`."""
    batches = Prediction.objects.filter(list_name=target.list_name, week=target.week, made_at__lte=as_of)
    newest = batches.aggregate(at=Max("made_at"))["at"]
    return list(batches.filter(made_at=newest)) if newest else []


def our_probabilities(markets: list[Market], target: Target, as_of: datetime) -> dict[str, tuple]:
    """Ticker -> (probability, from the new-show share, made_at) for one event's markets."""
    return probabilities_from(latest_predictions(target, as_of), markets, target)


def probabilities_from(rows: list[Prediction], markets: list[Market], target: Target) -> dict[str, tuple]:
    """Ticker -> (probability, from the new-show share, made_at) from one batch of predictions.

    A rank market's outcome that is none of our candidates gets an equal share of P(a show not yet
    seen). A views market reads P(#1 has at least its strike) off the batch's simulated #1 views;
    a batch without them (older, or a list ranked by hours) gives no probability."""
    if not rows:
        return {}
    made_at = rows[0].made_at
    if target.views_at_least is not None:
        top = next((p.inputs["top_views"] for p in rows if (p.inputs or {}).get("top_views")), None)
        p = p_top_at_least(top, target.views_at_least)
        return {} if p is None else {m.ticker: (p, False, made_at) for m in markets}
    field = "p_rank1" if target.rank == 1 else "p_rank2"
    by_show = {p.show_id: getattr(p, field) for p in rows if p.show_id}
    new = next((getattr(p, field) for p in rows if p.is_new_show), 0.0)
    unseen = [m for m in markets if m.show_id not in by_show]
    out = {m.ticker: (by_show[m.show_id], False, made_at) for m in markets if m.show_id in by_show}
    out |= {m.ticker: (new / len(unseen), True, made_at) for m in unseen}
    return out


def target_of(m: Market) -> Target | None:
    return market_target(
        series=m.series,
        event_ticker=m.event_ticker,
        rules=m.rules_primary,
        close_time=m.close_time,
        ticker=m.ticker,
    )


def is_settled(m: Market, now: datetime) -> bool:
    return m.result in ("yes", "no") and (m.close_time is None or m.close_time <= now)


def scoring_time(m: Market, now: datetime) -> datetime:
    """What a comparison reads up to: for a settled market, the configured time before its close;
    for any other, now. A market past its close but not settled (awaiting Kalshi's settlement, or a
    recorded sample replayed later by `make demo`) shows what is known now; it is scored only once
    settled, and then as of before its close, so nothing read after the close ever counts."""
    if m.close_time is not None and is_settled(m, now):
        return m.close_time - timedelta(minutes=settings.TRACK_RECORD_MINUTES_BEFORE_CLOSE)
    return now


@transaction.atomic
def comparisons_update(*, now: datetime) -> list[MarketComparison]:
    """Refresh the comparison of every rank and views market not yet scored; score the settled ones.

    A settled market is scored as of TRACK_RECORD_MINUTES_BEFORE_CLOSE before its close (an hour by
    default): the prediction and price known then, nothing later. At the close itself prices already
    sit near 0 or 1, and a track record scored there would flatter the market.
    """
    markets = (
        Market.objects.filter(series__in=SERIES)
        .exclude(comparison__scored_at__isnull=False)
        .order_by("event_ticker", "ticker")
    )
    events: dict[tuple, list[Market]] = defaultdict(list)
    for m in markets:
        target = target_of(m)
        if target is not None:
            as_of = scoring_time(m, now)
            events[(target, as_of)].append(m)
    done = []
    for (target, as_of), members in events.items():
        ours = our_probabilities(members, target, as_of)
        prices = market_prices_as_of([m.ticker for m in members], as_of)
        for m in members:
            done.append(_store(m, target, as_of, ours.get(m.ticker), prices.get(m.ticker), now))
    return done


def _store(m: Market, target: Target, as_of: datetime, ours, price, now: datetime) -> MarketComparison:
    values = {
        "series": m.series,
        "list_name": target.list_name,
        "rank": target.rank,
        "week": target.week,
        "ours": ours[0] if ours else None,
        "ours_from_new_show": bool(ours and ours[1]),
        "prediction_made_at": ours[2] if ours else None,
        "market_price": price[0] if price else None,
        "price_observed_at": price[1] if price else None,
        "as_of": as_of,
    }
    if is_settled(m, now) and m.close_time is None:
        # No close to score it before: what was read (now, after the settlement) would score the answer
        # itself. The outcome is kept; neither side is scored, so it stays out of the track record.
        values |= {"outcome": m.result == "yes", "scored_at": now, "ours": None, "market_price": None}
    elif is_settled(m, now):
        happened = m.result == "yes"
        values |= {"outcome": happened, "scored_at": now}
        for side, p in (("ours", values["ours"]), ("market", values["market_price"])):
            if p is not None:
                values[f"{side}_brier"] = binary_brier(p, happened)
                values[f"{side}_logloss"] = binary_log_loss(p, happened)
    row, _ = MarketComparison.objects.update_or_create(market=m, defaults=values)
    return row
