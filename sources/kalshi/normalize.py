"""Kalshi market JSON -> snapshots and market metadata. Pure: tested on fixtures.

Fields are read by sources/kalshi/fields.py (dollars from the `*_dollars` strings, or legacy cents).
"""

import json
import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from shows.refs import ShowRef
from sources.base import RawResponse, SnapshotIn
from sources.kalshi.fields import MalformedResponse, count, moment, plain, price

PRICES = ("yes_bid", "yes_ask", "last_price")
COUNTS = ("volume", "open_interest")

# "Avatar: The Last Airbender: Season 2" -> "Avatar: The Last Airbender" / "Season 2", as Tudum
# names it (show_title / the rest of season_title). Only a season-like label is split off, so a film
# called "Mission: Impossible" keeps its colon.
SEASON_LABEL = re.compile(
    r"^(?P<title>.+?): (?P<season>(?:Season|Part|Volume|Vol\.|Chapter|Class|Collection|Book|Series)"
    r" \S.*|Limited Series.*)$"
)


@dataclass(frozen=True)
class MarketIn:
    """What the pipeline stores in the Market table (sources/kalshi/store.py)."""

    ticker: str
    series: str
    event_ticker: str
    title: str
    outcome: str
    status: str
    result: str
    open_time: datetime | None
    close_time: datetime | None
    expected_expiration_time: datetime | None
    settled_at: datetime | None
    rules_primary: str
    settlement_sources: tuple[dict, ...] | None  # None: not known in this run, keep what is stored
    show_id: int | None
    show_ref: ShowRef | None
    orderbook: dict | None = None  # None: no book read in this run, keep what is stored
    orderbook_at: datetime | None = None
    venue: str = "kalshi"  # Polymarket's legs are stored through the same upsert
    fee_schedule: dict | None = None  # the series' fees; None: not read in this run, keep what is stored


def split_outcome(name: str) -> tuple[str, str]:
    name = " ".join(name.split())
    match = SEASON_LABEL.match(name)
    return (match["title"], match["season"]) if match else (name, "")


def show_ref_for(outcome: str, series: str) -> ShowRef | None:
    if not outcome:
        return None
    title, season = split_outcome(outcome)
    return ShowRef(title=title, season=season, kind="film" if "MOVIE" in series else "tv", create=False)


def is_settled(market: dict) -> bool:
    return market.get("status") in ("settled", "finalized") or bool(market.get("result"))


def closes_in(market: dict, close_from: str, close_until: str | None) -> bool:
    """Whether the market closes within [close_from, close_until) (ISO dates, UTC; None: open end)."""
    close = moment(market, "close_time")
    if close is None:
        return False
    day = close.date().isoformat()
    return day >= close_from and (close_until is None or day < close_until)


def _json(r: RawResponse) -> Any:
    try:
        return json.loads(r.body)
    except json.JSONDecodeError as exc:
        raise MalformedResponse(f"{r.url}: body is not JSON ({exc.msg})") from None


def _markets_of(data: Any, key: str, url: str) -> list[dict]:
    holder = data.get("event") if key == "event" and isinstance(data, dict) else data
    markets = holder.get("markets") if isinstance(holder, dict) else None
    if not isinstance(markets, list) or not all(isinstance(m, dict) and m.get("ticker") for m in markets):
        raise MalformedResponse(f"{url}: no 'markets' list of objects with a ticker")
    return markets


def markets_from(r: RawResponse) -> list[dict]:
    """The market objects of a GET /markets page or a GET /events/{e}?with_nested_markets=true."""
    return _markets_of(_json(r), r.meta["kind"], r.url)


def orderbook_from(r: RawResponse) -> dict:
    """The `orderbook_fp` of a GET /markets/{t}/orderbook answer: each side's resting bids as
    [price, contracts] strings, checked to be numbers (prices in [0, 1]); an empty side is []."""
    data = _json(r)
    book = data.get("orderbook_fp") if isinstance(data, dict) else None
    if not isinstance(book, dict):
        raise MalformedResponse(f"{r.url}: no 'orderbook_fp' object")
    out = {}
    for side in ("yes_dollars", "no_dollars"):
        levels = book.get(side) or []  # a side with no resting bid may come as null
        if not isinstance(levels, list):
            raise MalformedResponse(f"{r.url}: {side} is not a list")
        for level in levels:
            ok = isinstance(level, list) and len(level) == 2
            try:
                ok = ok and 0 <= float(level[0]) <= 1 and float(level[1]) >= 0
            except (TypeError, ValueError):
                ok = False
            if not ok:
                raise MalformedResponse(f"{r.url}: {side} level {level!r} is not [price, contracts]")
        out[side] = [[str(p), str(s)] for p, s in levels]
    return out


def _show(market: dict, meta: dict) -> tuple[int | None, ShowRef | None]:
    show_id = meta.get("ticker_shows", {}).get(market["ticker"])
    if show_id is not None:
        return show_id, None
    return None, show_ref_for(market.get("yes_sub_title") or "", meta["series"])


def market_snapshots(market: dict, meta: dict, observed_at: datetime) -> list[SnapshotIn]:
    """The instant prices and counts of one listed market."""
    show_id, show_ref = _show(market, meta)
    values = {name: price(market, name) for name in PRICES}
    values |= {name: count(market, name) for name in COUNTS}
    return [
        SnapshotIn(
            metric=metric,
            period="instant",
            observed_at=observed_at,
            value=value,
            scope=market["ticker"],
            show_id=show_id,
            show_ref=show_ref,
            attrs={"outcome": market.get("yes_sub_title") or ""},
        )
        for metric, value in values.items()
        if value is not None
    ]


def candle_snapshots(r: RawResponse) -> list[SnapshotIn]:
    """Hourly last_price and volume of a settled market; a no-trade hour has no price, only volume."""
    meta = r.meta
    data = _json(r)
    candles = data.get("candlesticks") if isinstance(data, dict) else None
    if not isinstance(candles, list):
        raise MalformedResponse(f"{r.url}: no 'candlesticks' list")
    # The historical tier names the dollar strings without their _dollars/_fp suffix
    # (docs.kalshi.com api-reference/historical/get-historical-market-candlesticks).
    read_price, read_count = (plain, plain) if meta.get("historical") else (price, count)
    width = timedelta(minutes=meta["interval"])
    market = {"ticker": meta["ticker"], "yes_sub_title": meta.get("outcome", "")}
    show_id, show_ref = _show(market, meta)
    out = []
    for candle in candles:
        end = candle.get("end_period_ts") if isinstance(candle, dict) else None
        if isinstance(end, bool) or not isinstance(end, int):
            raise MalformedResponse(f"{meta['ticker']}: a candle lacks an integer end_period_ts")
        start = datetime.fromtimestamp(end, UTC) - width
        prices = candle.get("price") or {}
        values = {
            "last_price": read_price({"ticker": meta["ticker"], **prices}, "close"),
            "volume": read_count({"ticker": meta["ticker"], **candle}, "volume"),
        }
        out.extend(
            SnapshotIn(
                metric=metric,
                period="hour",
                observed_at=start,
                value=value,
                scope=meta["ticker"],
                show_id=show_id,
                show_ref=show_ref,
                attrs={"outcome": market["yes_sub_title"]},
            )
            for metric, value in values.items()
            if value is not None
        )
    return out


def normalize(responses: list[RawResponse]) -> list[SnapshotIn]:
    # Parsing the market metadata here too means a malformed field fails the run before anything is
    # stored, and storing the Market rows later cannot fail on it.
    market_rows(responses)
    out: list[SnapshotIn] = []
    for r in responses:
        kind = r.meta["kind"]
        if kind == "markets":
            observed_at = datetime.fromisoformat(r.meta["observed_at"])
            for market in markets_from(r):
                out.extend(market_snapshots(market, r.meta, observed_at))
        elif kind == "candles":
            out.extend(candle_snapshots(r))
    return out


def market_rows(responses: list[RawResponse]) -> list[MarketIn]:
    """Market metadata from the listed pages and settled events; candles carry none. A backfill's
    settled pages hold every window's markets: only those closing in the page's window are kept."""
    rows: dict[str, MarketIn] = {}
    for r in responses:
        if r.meta["kind"] not in ("markets", "event", "settled"):
            continue
        sources = r.meta.get("settlement_sources")
        for m in markets_from(r):
            if r.meta["kind"] == "settled" and not closes_in(m, r.meta["close_from"], r.meta["close_until"]):
                continue
            show_id, show_ref = _show(m, r.meta)
            rows[m["ticker"]] = MarketIn(
                ticker=m["ticker"],
                series=r.meta["series"],
                event_ticker=m.get("event_ticker") or "",
                title=m.get("title") or "",
                outcome=m.get("yes_sub_title") or "",
                status=m.get("status") or "",
                result=m.get("result") or "",
                open_time=moment(m, "open_time"),
                close_time=moment(m, "close_time"),
                expected_expiration_time=moment(m, "expected_expiration_time"),
                settled_at=moment(m, "settlement_ts"),
                rules_primary=m.get("rules_primary") or "",
                settlement_sources=tuple(sources) if sources is not None else None,
                show_id=show_id,
                show_ref=show_ref,
                fee_schedule=r.meta.get("fee_schedule"),
            )
    for r in responses:  # books come after the pages that list their markets
        if r.meta["kind"] == "orderbook" and r.meta["ticker"] in rows:
            at = datetime.fromisoformat(r.meta["observed_at"])
            rows[r.meta["ticker"]] = replace(
                rows[r.meta["ticker"]], orderbook=orderbook_from(r), orderbook_at=at
            )
    return list(rows.values())
