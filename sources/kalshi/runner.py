"""Prices of the Netflix ranking markets on Kalshi, and the history of markets once they settle.

Each run lists the open markets of every configured series. A market seen open before and missing
from a complete listing has closed: its event is read (status, result) and, once settled, its hourly
candlesticks, so its history stays after it leaves the live list. The order books of the open
markets are read last (sweep.orderbooks), bounded per run. Which markets are awaited lives in
ctx.state["open"]; the series' settlement sources in ctx.state["series"].
"""

import json
from datetime import date, timedelta

from django.conf import settings

from sources.base import FetchContext, RawResponse, Runner, SnapshotIn, SourceError
from sources.kalshi import client, history
from sources.kalshi.normalize import MalformedResponse, is_settled, market_rows, markets_from, normalize
from sources.kalshi.sweep import Sweep, orderbooks, refresh_series, series_of
from sources.kalshi.sweep import candles as fetch_candles


class KalshiRunner(Runner):
    key = "kalshi"
    name = "Kalshi markets"
    # Backfill (sources/pipeline/backfill.py, history.py): settled markets since the Netflix series began.
    backfill_start = date(2025, 12, 1)
    backfill_chunk = timedelta(weeks=13)

    def fetch(self, ctx: FetchContext) -> list[RawResponse]:
        # Copies: the pipeline keeps ctx.state only after a successful run, so nothing stored may change.
        ctx.state["series"] = dict(ctx.state.get("series", {}))
        if ctx.options.get("backfill"):
            return history.settled_in_window(Sweep(ctx))
        awaited: dict[str, dict] = dict(ctx.state.get("open", {}))
        ctx.state["open"] = awaited
        sweep = Sweep(ctx)
        out: list[RawResponse] = []
        listed: dict[str, set[str]] = {}  # series listed completely -> its open tickers
        open_markets: list[tuple[dict, str]] = []
        for series in settings.KALSHI_SERIES:
            if sweep.stopped:
                break
            refresh_series(sweep, series)
            pages, complete = self._list_open(sweep, series)
            out.extend(pages)
            for market in self._markets(pages):
                awaited[market["ticker"]] = {"series": series, "event": market.get("event_ticker", "")}
                open_markets.append((market, series))
            if complete:
                listed[series] = {m["ticker"] for m in self._markets(pages)}
        if settings.KALSHI_SERIES and not out:  # an unreadable page still goes on, for normalize to report
            raise SourceError("no series could be listed: " + "; ".join(ctx.item_errors))
        if listed and len(listed) == len(settings.KALSHI_SERIES) and not any(listed.values()):
            # One retired series lists nothing; all of them at once is an empty answer, not a market
            # that closed everywhere. The stored prices stay; a run with nothing else fails on it.
            ctx.item_errors.append("no configured series lists an open market (an empty answer)")
        gone = {t: a for t, a in awaited.items() if a["series"] in listed and t not in listed[a["series"]]}
        for ticker in [t for t, a in gone.items() if not a["event"]]:
            del awaited[ticker]  # an old-schema market without an event cannot be looked up
        events = {a["event"] for a in gone.values() if a["event"]} | set(ctx.options.get("events", []))
        for event in sorted(events):
            if sweep.stopped:
                break
            out.extend(self._settled(sweep, event, awaited))
        # Books last: a limit met on them costs no listing or settlement, only the remaining books.
        out.extend(orderbooks(sweep, open_markets, self._observed_at(sweep)))
        return out

    def normalize(self, responses: list[RawResponse]) -> list[SnapshotIn]:
        return normalize(responses)

    def store_extra(self, responses: list[RawResponse]) -> None:
        """Called by the pipeline after the snapshots are stored: keep the Market rows."""
        from sources.kalshi.store import markets_upsert

        markets_upsert(markets=market_rows(responses))

    @staticmethod
    def _markets(pages: list[RawResponse]) -> list[dict]:
        out = []
        for page in pages:
            try:
                out.extend(markets_from(page))
            except MalformedResponse:
                pass  # normalize fails the run on it with the full message
        return out

    @staticmethod
    def _observed_at(sweep: Sweep) -> str:
        return sweep.ctx.now.replace(second=0, microsecond=0).isoformat()

    def _list_open(self, sweep: Sweep, series: str) -> tuple[list[RawResponse], bool]:
        """Every page of the series' open markets, and whether the listing is complete."""
        observed_at = self._observed_at(sweep)
        pages: list[RawResponse] = []
        cursor, seen = "", set()
        for _ in range(settings.KALSHI_MAX_PAGES):
            url = client.open_markets_url(
                sweep.ctx.base_url, series, limit=settings.KALSHI_PAGE_LIMIT, cursor=cursor
            )
            raw = sweep.get(url, series, sweep.meta("markets", series, observed_at=observed_at))
            if raw is None:
                return pages, False
            pages.append(raw)
            try:
                cursor = json.loads(raw.body).get("cursor") or ""
            except (ValueError, AttributeError):
                return pages, False  # normalize fails the run on the body
            if not cursor:
                return pages, True
            if cursor in seen:
                sweep.ctx.item_errors.append(f"{series}: the API repeated cursor {cursor!r}")
                return pages, False
            seen.add(cursor)
        sweep.ctx.item_errors.append(f"{series}: more than {settings.KALSHI_MAX_PAGES} pages of open markets")
        return pages, False

    def _settled(self, sweep: Sweep, event: str, awaited: dict[str, dict]) -> list[RawResponse]:
        """The event's market statuses, plus the candlesticks of each market that has settled."""
        series = series_of(event)
        raw = sweep.get(client.event_url(sweep.ctx.base_url, event), event, sweep.meta("event", series))
        if raw is None:
            if sweep.ctx.responses[-1].status == 404:  # gone for good: stop waiting for it
                for ticker in [t for t, a in awaited.items() if a["event"] == event]:
                    del awaited[ticker]
            return []
        out = [raw]
        try:
            markets = markets_from(raw)
        except MalformedResponse:
            return out
        listed = {m["ticker"] for m in markets}
        for ticker in [t for t, a in awaited.items() if a["event"] == event and t not in listed]:
            sweep.ctx.item_errors.append(f"{ticker}: not among the markets of {event}; no longer awaited")
            del awaited[ticker]
        for market in markets:
            if not is_settled(market):
                continue  # closed, not settled yet: asked again next run
            candles = fetch_candles(sweep, series, market)
            if candles is not None:
                out.append(candles)
                awaited.pop(market["ticker"], None)
            if sweep.stopped:
                break
        return out
