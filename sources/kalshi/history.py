"""Backfill of settled Kalshi markets: in each window, every market of the configured series whose
close time falls in it, kept as a Market row, with its hourly candlesticks.

Settled markets are listed once per backfill from both of Kalshi's tiers (recent ones in GET /markets,
older ones in GET /historical/markets) and the pages kept in ctx.options["reuse"], so later windows pick
their markets from them without asking again. Any request that fails fails the window: the backfill
stops there and says where to go on, rather than leaving a silent gap.
"""

import json
from dataclasses import replace

from django.conf import settings

from sources.base import RawResponse, SourceError
from sources.kalshi import client
from sources.kalshi.normalize import MalformedResponse, closes_in, is_settled, markets_from
from sources.kalshi.sweep import Sweep, candles, refresh_series

TIERS = ("live", "historical")


def settled_in_window(sweep: Sweep) -> list[RawResponse]:
    """The settled-market pages (each marked with the window, which normalize keeps to) and the
    candlesticks of the window's markets."""
    ctx = sweep.ctx
    window = {"close_from": ctx.options["since"], "close_until": ctx.options.get("until")}
    reuse = ctx.options.get("reuse")
    listings: dict = reuse.setdefault("kalshi_settled", {}) if reuse is not None else {}
    out: list[RawResponse] = []
    for series in settings.KALSHI_SERIES:
        refresh_series(sweep, series)
        _fail_on_errors(sweep)
        loaded: set[str] = set()  # a market found in both tiers (while it moves) is loaded once
        for tier in TIERS:
            key = f"{series} {tier}"
            if key not in listings:
                listings[key] = _list_settled(sweep, series, historical=tier == "historical")
            for page in listings[key]:
                out.append(replace(page, meta={**page.meta, **window}))
                for market in _markets(page):
                    in_window = closes_in(market, window["close_from"], window["close_until"])
                    if not in_window or not is_settled(market) or market["ticker"] in loaded:
                        continue
                    raw = candles(sweep, series, market, historical=tier == "historical")
                    _fail_on_errors(sweep)
                    out.append(raw)
                    loaded.add(market["ticker"])
    return out


def _list_settled(sweep: Sweep, series: str, *, historical: bool) -> list[RawResponse]:
    """Every page of the series' settled markets in one tier; a listing cut short fails the window."""
    tier = "historical" if historical else "live"
    pages: list[RawResponse] = []
    cursor, seen = "", set()
    for _ in range(settings.KALSHI_MAX_PAGES):
        url = client.settled_markets_url(
            sweep.ctx.base_url, series, limit=settings.KALSHI_PAGE_LIMIT, cursor=cursor, historical=historical
        )
        raw = sweep.get(url, f"{series} settled markets ({tier})", sweep.meta("settled", series, tier=tier))
        _fail_on_errors(sweep)
        pages.append(raw)
        _markets(raw)
        cursor = json.loads(raw.body).get("cursor") or ""
        if not cursor:
            return pages
        if cursor in seen:
            raise SourceError(f"{series} settled markets ({tier}): the API repeated cursor {cursor!r}")
        seen.add(cursor)
    raise SourceError(f"{series}: more than {settings.KALSHI_MAX_PAGES} pages of settled markets ({tier})")


def _markets(page: RawResponse) -> list[dict]:
    try:
        return markets_from(page)
    except MalformedResponse as exc:
        raise SourceError(f"malformed response: {exc}") from None


def _fail_on_errors(sweep: Sweep) -> None:
    if sweep.ctx.item_errors:
        raise SourceError("; ".join(sweep.ctx.item_errors))
