"""Kalshi trade API v2 public market data, served from sources/kalshi/fixtures/.

GET /markets?status=open answers the KXNETFLIXRANKSHOW open list whatever the series, so tests
configure one series (or queue replies) when that matters. Settled markets (the backfill) are served
per series from the settled fixtures: KXNETFLIXRANKSHOW-26JUL20 from the live tier (GET
/markets?status=settled), KXNETFLIXRANKSHOWGLOBAL-26FEB16 from the historical tier (GET
/historical/markets); other series have none.
"""

import json
import re
from decimal import Decimal

from tests.fakeupstream import Reply, fixture_text

API = r"^/trade-api/v2"
OPEN_EVENT = "KXNETFLIXRANKSHOW-26JUL20"
SETTLED_EVENT = "KXNETFLIXRANKSHOWGLOBAL-26FEB16"
WINNER = "KXNETFLIXRANKSHOW-26JUL20-LIT"


def fixture(name: str) -> dict:
    return json.loads(fixture_text(f"kalshi/{name}"))


def open_markets() -> dict:
    return fixture("markets_KXNETFLIXRANKSHOW_open.json")


def settled_open_event() -> dict:
    """KXNETFLIXRANKSHOW-26JUL20 after settlement: the open list's markets in the settled event's
    shape (status finalized, a result, settlement time), "Little House" winning."""
    event = fixture(f"event_{SETTLED_EVENT}.settled.json")["event"]
    markets = []
    for market in open_markets()["markets"]:
        won = market["ticker"] == WINNER
        markets.append(
            {
                **market,
                "status": "finalized",
                "result": "yes" if won else "no",
                "settlement_value_dollars": "1.0000" if won else "0.0000",
                "settlement_ts": "2026-07-21T20:04:12Z",
            }
        )
    return {
        "event": {
            **event,
            "event_ticker": OPEN_EVENT,
            "series_ticker": "KXNETFLIXRANKSHOW",
            "title": "Top US Netflix Show on Jul 20, 2026?",
            "markets": markets,
        }
    }


def not_found(what: str) -> Reply:
    # Body shape as Kalshi's other errors ({"error": {...}}); its exact 404 text is not captured.
    return Reply(404, json.dumps({"error": {"code": "not_found", "message": f"{what} not found"}}))


def series(match: re.Match) -> Reply:
    data = fixture("series_KXNETFLIXRANKSHOWGLOBAL.json")
    data["series"]["ticker"] = match["series"]
    return Reply(200, json.dumps(data))


def fee_changes(match: re.Match, query: dict) -> Reply:
    """No Netflix series has a recorded fee change: each answers the recorded empty list; KXINX its
    recorded one. Tests queue a change for a Netflix series where they need one."""
    series = (query.get("series_ticker") or [""])[0]
    return Reply(
        200,
        fixture_text(
            "kalshi/fee_changes_KXINX.json" if series == "KXINX" else "kalshi/fee_changes_empty.json"
        ),
    )


def markets(match: re.Match, query: dict) -> Reply:
    if query.get("status") == ["settled"]:
        return settled_page(query, {"KXNETFLIXRANKSHOW": settled_open_event})
    return Reply(200, json.dumps(open_markets()))


def settled_global_event() -> dict:
    return fixture(f"event_{SETTLED_EVENT}.settled.json")


def settled_page(query: dict, events: dict) -> Reply:
    """One page of a series' settled markets, the markets of its settled event (none for others)."""
    series = (query.get("series_ticker") or [""])[0]
    found = events[series]()["event"]["markets"] if series in events else []
    return Reply(200, json.dumps({"markets": found, "cursor": ""}))


def historical_markets(match: re.Match, query: dict) -> Reply:
    return settled_page(query, {"KXNETFLIXRANKSHOWGLOBAL": settled_global_event})


def historical_candlesticks(match: re.Match) -> Reply:
    """The candlestick fixture as the historical tier sends it: the same dollar and contract strings
    under their bare names (docs.kalshi.com, get-historical-market-candlesticks)."""
    data = fixture("candlesticks_KXNETFLIXRANKSHOW-26JUL20-LIT.json")

    def bare(obj):
        if isinstance(obj, dict):
            return {k.removesuffix("_dollars").removesuffix("_fp"): bare(v) for k, v in obj.items()}
        return [bare(v) for v in obj] if isinstance(obj, list) else obj

    return Reply(200, json.dumps({"ticker": match["ticker"], "candlesticks": bare(data["candlesticks"])}))


def event(match: re.Match) -> Reply:
    if match["event"] == SETTLED_EVENT:
        return Reply(200, fixture_text(f"kalshi/event_{SETTLED_EVENT}.settled.json"))
    if match["event"] == OPEN_EVENT:
        return Reply(200, json.dumps(settled_open_event()))
    return not_found(match["event"])


def candlesticks(match: re.Match) -> Reply:
    data = fixture("candlesticks_KXNETFLIXRANKSHOW-26JUL20-LIT.json")
    data["ticker"] = match["ticker"]
    return Reply(200, json.dumps(data))


def orderbook(match: re.Match) -> Reply:
    """Each open ticker its own book: the recorded one for the market it was recorded for, for the
    others the recorded depth moved to that market's own quote, so a book agrees with the quote it is
    served beside (one book for every ticker gave every outcome the same average price)."""
    if match["ticker"] == WINNER:
        return Reply(200, fixture_text(f"kalshi/orderbook_{WINNER}.json"))
    market = next((m for m in open_markets()["markets"] if m["ticker"] == match["ticker"]), None)
    if market is None:
        # A market a test listed itself: its quote is unknown here, so it gets the recorded book,
        # which the cost block refuses where it contradicts that market's quote.
        return Reply(200, fixture_text(f"kalshi/orderbook_{WINNER}.json"))
    return Reply(200, json.dumps({"orderbook_fp": book_at_quote(market)}))


def book_at_quote(market: dict) -> dict:
    """Yes bids moved so the best is the market's yes bid, no bids so the best is 1 − its yes ask;
    levels that would leave (0, 1) are dropped, and a quote of 0 (no bid) leaves the side empty."""
    recorded = fixture(f"orderbook_{WINNER}.json")["orderbook_fp"]
    tops = {"yes_dollars": market["yes_bid_dollars"], "no_dollars": 1 - Decimal(market["yes_ask_dollars"])}
    out = {}
    for side, best in tops.items():
        best = Decimal(best)
        top = max(Decimal(p) for p, _ in recorded[side])
        moved = [[f"{Decimal(p) - top + best:.4f}", size] for p, size in recorded[side]]
        out[side] = [level for level in moved if 0 < Decimal(level[0]) < 1] if best > 0 else []
    return out


ROUTES = [
    (API + r"/historical/markets/(?P<ticker>[^/]+)/candlesticks$", historical_candlesticks),
    (API + r"/historical/markets$", historical_markets),
    (API + r"/series/(?P<series>[^/]+)/markets/(?P<ticker>[^/]+)/candlesticks$", candlesticks),
    (API + r"/series/fee_changes$", fee_changes),  # before /series/{ticker}, which would match it
    (API + r"/series/(?P<series>[^/]+)$", series),
    (API + r"/markets$", markets),
    (API + r"/markets/(?P<ticker>[^/]+)/orderbook$", orderbook),
    (API + r"/events/(?P<event>[^/]+)$", event),
]
