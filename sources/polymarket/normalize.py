"""Polymarket Gamma events and CLOB books -> snapshots and Market rows. Pure: tested on fixtures.

Each Netflix event (one chart, one week) holds one binary market ("leg") per outcome; a leg is stored
as a Market row with venue "polymarket" and ticker = its slug, its prices as snapshots scoped by it.
Fields relied on are listed in sources/polymarket/README.md.
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

# Augmented neg-risk events reserve "Show A".."Show K" (or "Movie A"..) until named, and an "Other"
# leg whose meaning changes as they are named: neither is a title to trade (VENUES.md A1).
PLACEHOLDER = re.compile(r"(Show|Movie) [A-Z]")
PRICES = {"yes_bid": "bestBid", "yes_ask": "bestAsk", "last_price": "lastTradePrice"}
COUNTS = {"volume": "volumeNum", "liquidity": "liquidityNum"}


class MalformedResponse(ValueError):
    pass


def _json(r: RawResponse) -> Any:
    try:
        return json.loads(r.body)
    except json.JSONDecodeError as exc:
        raise MalformedResponse(f"{r.url}: body is not JSON ({exc.msg})") from None


def listed(market: dict, name: str) -> list:
    """`outcomes`, `outcomePrices`, `clobTokenIds` come as JSON-encoded strings; a real list is taken
    too, as the official SDK does (VENUES.md A1). Missing: []."""
    value = market.get(name)
    if value in (None, ""):
        return []
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            value = None
    if not isinstance(value, list):
        raise MalformedResponse(f"{market.get('slug')}: {name} is not a list")
    return value


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


def yes_token(market: dict) -> str:
    """The CLOB token of the YES side: same index in clobTokenIds as "Yes" in outcomes."""
    tokens, outcomes = listed(market, "clobTokenIds"), listed(market, "outcomes")
    index = outcomes.index("Yes") if "Yes" in outcomes else 0
    return str(tokens[index]) if len(tokens) > index else ""


def number(market: dict, name: str, value: Any = None) -> float | None:
    value = market.get(name) if value is None else value
    if value in (None, ""):
        return None
    try:
        if isinstance(value, bool):
            raise ValueError
        return float(value)
    except (TypeError, ValueError):
        raise MalformedResponse(f"{market.get('slug')}: {name} {value!r} is not a number") from None


def moment(market: dict, name: str) -> datetime | None:
    # Gamma writes "2025-12-30T12:00:00Z" and, for closedTime, "2025-12-30 09:09:31+00".
    value = market.get(name)
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise MalformedResponse(f"{market.get('slug')}: {name} {value!r} is not a time") from None


def yes_price(market: dict) -> float | None:
    outcomes, prices = listed(market, "outcomes"), listed(market, "outcomePrices")
    index = outcomes.index("Yes") if "Yes" in outcomes else 0
    return number(market, "outcomePrices", prices[index]) if len(prices) > index else None


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


def market_snapshots(market: dict, observed_at: datetime) -> list[SnapshotIn]:
    values = {"yes_price": yes_price(market)}
    values |= {metric: number(market, field) for metric, field in PRICES.items()}
    values |= {metric: number(market, field) for metric, field in COUNTS.items()}
    if values["volume"] is None:
        values["volume"] = number(market, "volume")  # older payloads carry only the string
    return [
        SnapshotIn(
            metric=metric,
            period="instant",
            observed_at=observed_at,
            value=value,
            scope=market["slug"],
            attrs={"outcome": market.get("groupItemTitle") or ""},
        )
        for metric, value in values.items()
        if value is not None
    ]


def book_from(r: RawResponse) -> dict:
    """A GET /book of the YES token in Kalshi's stored shape: resting bids of each side, best last.
    YES asks are NO bids at 1 − price (a NO share is the other side of a YES share), so the cost code
    reads both venues' books alike. Order is not trusted (the docs disagree; live books come worst
    first), each side is sorted."""
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
            if family(event["slug"], r.meta["prefixes"]):
                out.extend(
                    s for m in event["markets"] if is_named(m) for s in market_snapshots(m, observed_at)
                )
    return out


def _row(event: dict, market: dict, series: str) -> MarketIn:
    result = result_of(market)
    kind = "film" if "-movie-" in event["slug"] else "tv"
    title = (market.get("groupItemTitle") or "").strip()
    source = event.get("resolutionSource") or market.get("resolutionSource")
    return MarketIn(
        venue="polymarket",
        ticker=market["slug"],
        series=series,
        event_ticker=event["slug"],
        title=event.get("title") or "",
        outcome=title,
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
        show_ref=ShowRef(title=title, kind=kind, create=False),
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
