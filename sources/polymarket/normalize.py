"""Polymarket Gamma events and CLOB books -> snapshots and Market rows. Pure: tested on fixtures.

Each Netflix event (one chart, one week) holds one binary market ("leg") per outcome; a leg is stored
as a Market row with venue "polymarket" and ticker = its slug, its prices as snapshots scoped by it.
Fields relied on are listed in the README (Polymarket paragraph).
"""

import json
import re
from dataclasses import replace
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from shows.refs import ShowRef
from sources.base import RawResponse, SnapshotIn
from sources.kalshi.normalize import MarketIn
from sources.polymarket.fields import MalformedResponse, moment, number, yes_price

# Augmented neg-risk events reserve "Show A".."Show K" (or "Movie A"..) until named, and an "Other"
# leg whose meaning changes as they are named: neither is a title to trade (VENUES.md A1).
PLACEHOLDER = re.compile(r"(Show|Movie) [A-Z]")
# Gamma's numbers -> our metric names (Kalshi's, so both venues' prices read alike).
FIELDS = {
    "yes_bid": "bestBid",
    "yes_ask": "bestAsk",
    "last_price": "lastTradePrice",
    "liquidity": "liquidityNum",
}


def _json(r: RawResponse) -> Any:
    try:
        return json.loads(r.body)
    except json.JSONDecodeError as exc:
        raise MalformedResponse(f"{r.url}: body is not JSON ({exc.msg})") from None


def events_from(r: RawResponse) -> list[dict]:
    """The events of a GET /events/keyset page ({"events": [...]}; a bare list or {"data": [...]} is
    accepted as other clients do) or of one GET /events/slug/{slug}."""
    data = _json(r)
    if r.meta["kind"] == "event":
        events = [data]
    else:
        events = data.get("events", data.get("data")) if isinstance(data, dict) else data
    ok = isinstance(events, list) and all(
        isinstance(e, dict)
        and e.get("slug")
        and isinstance(e.get("markets"), list)
        and all(isinstance(m, dict) and m.get("slug") for m in e["markets"])
        for e in events
    )
    if not ok:
        raise MalformedResponse(f"{r.url}: no list of events with slugs and a 'markets' list")
    return events


def next_cursor(r: RawResponse) -> str:
    data = _json(r)
    return (data.get("next_cursor") or "") if isinstance(data, dict) else ""


def family(slug: str, prefixes: list[str]) -> str:
    """The event family ("what-will-be-the-top-us-netflix-show-this-week") of a slug; "" if none."""
    return next((p for p in prefixes if slug == p or slug.startswith(p + "-")), "")


def is_named(market: dict) -> bool:
    title = (market.get("groupItemTitle") or "").strip()
    return bool(title) and not market.get("negRiskOther") and not PLACEHOLDER.fullmatch(title)


def result_of(market: dict) -> str:
    """ "yes"/"no" once UMA resolved it (the winner's outcomePrices read ["1","0"]), else ""."""
    if market.get("umaResolutionStatus") != "resolved":
        return ""
    price = yes_price(market)
    return {1.0: "yes", 0.0: "no"}.get(price, "") if price is not None else ""


def status_of(market: dict) -> str:
    if result_of(market):
        return "settled"
    if market.get("closed"):
        return "closed"
    return "active" if market.get("active", True) else "inactive"


def show_ref(event: dict, market: dict) -> ShowRef:
    # Legs name the title only ("Bridgerton"): a seasonless ref means the title's current season.
    kind = "film" if "-movie-" in event["slug"] else "tv"
    return ShowRef(title=(market.get("groupItemTitle") or "").strip(), kind=kind, create=False)


def market_snapshots(event: dict, market: dict, observed_at: datetime) -> list[SnapshotIn]:
    values = {"yes_price": yes_price(market)}
    values |= {metric: number(market, field) for metric, field in FIELDS.items()}
    # volumeNum, else the string `volume` (both are in the recorded markets' field list)
    values["volume"] = number(market, "volumeNum") if "volumeNum" in market else number(market, "volume")
    return [
        SnapshotIn(
            metric=metric,
            period="instant",
            observed_at=observed_at,
            value=value,
            scope=market["slug"],
            show_ref=show_ref(event, market),
            attrs={"outcome": market.get("groupItemTitle") or ""},
        )
        for metric, value in values.items()
        if value is not None
    ]


def book_from(r: RawResponse) -> dict:
    """A GET /book of the YES token in Kalshi's stored shape: resting bids of each side, best last.
    YES asks are NO bids at 1 − price (a NO share is the other side of a YES share), so both venues'
    books read alike. Each side is sorted: the docs disagree on order and live books come worst first."""
    data = _json(r)
    if not isinstance(data, dict) or not all(isinstance(data.get(s), list) for s in ("bids", "asks")):
        raise MalformedResponse(f"{r.url}: no 'bids' and 'asks' lists")
    if data.get("asset_id") and data["asset_id"] != r.meta.get("token"):
        raise MalformedResponse(f"{r.url}: the book of another token ({data['asset_id']})")
    sides: dict[str, list] = {"bids": [], "asks": []}
    for side in sides:
        for level in data[side]:
            try:
                price, size = Decimal(str(level["price"])), Decimal(str(level["size"]))
                ok = 0 <= price <= 1 and size >= 0
            except (TypeError, KeyError, InvalidOperation):
                ok = False
            if not ok:
                raise MalformedResponse(f"{r.url}: {side} level {level!r} is not a price and a size")
            sides[side].append((price, size))
    yes = sorted(sides["bids"])
    no = sorted((1 - p, s) for p, s in sides["asks"])
    return {
        "yes_dollars": [[str(p), str(s)] for p, s in yes],
        "no_dollars": [[str(p), str(s)] for p, s in no],
    }


def normalize(responses: list[RawResponse]) -> list[SnapshotIn]:
    market_rows(responses)  # a malformed field fails the run before anything is stored
    out: list[SnapshotIn] = []
    for r in responses:
        if r.meta["kind"] != "events":
            continue
        observed_at = datetime.fromisoformat(r.meta["observed_at"])
        for event in events_from(r):
            legs = event["markets"] if family(event["slug"], r.meta["prefixes"]) else []
            out.extend(s for m in legs if is_named(m) for s in market_snapshots(event, m, observed_at))
    return out


def _row(event: dict, market: dict, series: str) -> MarketIn:
    result = result_of(market)
    ref = show_ref(event, market)
    source = event.get("resolutionSource") or market.get("resolutionSource")
    return MarketIn(
        venue="polymarket",
        ticker=market["slug"],
        series=series,
        event_ticker=event["slug"],
        title=event.get("title") or "",
        outcome=ref.title,
        status=status_of(market),
        result=result,
        open_time=moment(market, "startDate"),
        close_time=moment(market, "endDate"),
        expected_expiration_time=None,
        settled_at=moment(market, "closedTime") if result else None,
        # Each leg's own text: it may say "No" where the event's says "Other" (VENUES.md A3).
        rules_primary=market.get("description") or event.get("description") or "",
        settlement_sources=({"name": "resolutionSource", "url": source},) if source else None,
        show_id=None,
        show_ref=ref,
    )


def market_rows(responses: list[RawResponse]) -> list[MarketIn]:
    """One row per named leg of every Netflix event listed or looked up; then each leg's book."""
    rows: dict[str, MarketIn] = {}
    for r in responses:
        if r.meta["kind"] not in ("events", "event"):
            continue
        for event in events_from(r):
            prefix = family(event["slug"], r.meta["prefixes"])
            if not prefix:
                continue
            series = ((event.get("series") or [{}])[0] or {}).get("slug") or prefix
            for market in event["markets"]:
                if is_named(market):
                    rows[market["slug"]] = _row(event, market, series[:60])
    for r in responses:
        if r.meta["kind"] == "book" and r.meta["ticker"] in rows:
            at = datetime.fromisoformat(r.meta["observed_at"])
            rows[r.meta["ticker"]] = replace(rows[r.meta["ticker"]], orderbook=book_from(r), orderbook_at=at)
    return list(rows.values())
