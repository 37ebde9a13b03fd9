"""One run's requests to Kalshi, shared by the live sweep (runner.py) and the backfill (history.py)."""

import json
from datetime import date, datetime, timedelta

from django.conf import settings
from django.utils import timezone

from core import http
from sources.base import REFUSED_STATUSES, FetchContext, RawResponse, SourceError
from sources.kalshi import client
from sources.kalshi.normalize import MalformedResponse, orderbook_from

# Candle width for the history of settled markets, in minutes (Kalshi allows 1, 60, 1440).
CANDLE_INTERVAL = 60


def series_of(event_ticker: str) -> str:
    # Event ticker = series + "-" + the Monday's date, e.g. KXNETFLIXRANKSHOW-26JUL20.
    return event_ticker.rsplit("-", 1)[0]


class Sweep:
    """One run's requests: records every response, stops after a rate limit or server error."""

    def __init__(self, ctx: FetchContext):
        self.ctx = ctx
        self.session = client.make_session()
        self.stopped = False
        self.ticker_shows = {t: s.id for s in ctx.shows for t in s.kalshi_tickers}

    def get(self, url: str, what: str, meta: dict) -> RawResponse | None:
        """The response if it is a 200; else None, with the problem noted as an item error."""
        response = client.get_json(self.session, url)
        raw = RawResponse("GET", url, response.status_code, response.text, timezone.now(), meta)
        self.ctx.responses.append(raw)
        if response.status_code == 200:
            return raw
        if response.status_code in REFUSED_STATUSES:
            # Public market data needs no key, so a refusal is a CDN/WAF block or a geo hiccup, not
            # credentials to fix: temporary (retried next run, never held). Holding would stop every
            # price, close and settlement until an admin released it.
            raise SourceError(f"Kalshi refused {what} (HTTP {response.status_code})")
        if response.status_code in http.RETRY_STATUSES:
            self.stopped = True  # more requests now would meet the same limit or outage
            self.ctx.item_errors.append(f"{what}: HTTP {response.status_code} after retries; stopped")
        else:
            self.ctx.item_errors.append(f"{what}: HTTP {response.status_code}")
        return None

    def meta(self, kind: str, series: str, **extra) -> dict:
        cached = self.ctx.state.get("series", {}).get(series)
        return {
            "kind": kind,
            "series": series,
            "settlement_sources": cached["settlement_sources"] if cached else None,
            "fee_schedule": cached.get("fee") if cached else None,
            "ticker_shows": self.ticker_shows,
            **extra,
        }


def refresh_series(sweep: Sweep, series: str) -> None:
    """The series' settlement sources into ctx.state["series"], re-read once a day at most."""
    known = sweep.ctx.state["series"]
    cached = known.get(series)
    today = sweep.ctx.now.date()
    if (
        cached
        and "fee" in cached  # a series read before fees were kept is read again now
        and date.fromisoformat(cached["checked"]) + timedelta(settings.KALSHI_SERIES_REFRESH_DAYS) > today
    ):
        return
    raw = sweep.get(client.series_url(sweep.ctx.base_url, series), series, {"kind": "series"})
    if raw is None:
        return
    try:
        details = json.loads(raw.body)["series"]
        found = details.get("settlement_sources") or []
    except (ValueError, KeyError, TypeError, AttributeError):
        sweep.ctx.item_errors.append(f"{series}: series details unreadable")
        return
    sources = [{"name": s.get("name", ""), "url": s.get("url", "")} for s in found if isinstance(s, dict)]
    fee = {"type": details.get("fee_type"), "multiplier": details.get("fee_multiplier")}
    fee["changes"] = fee_changes(sweep, series)
    known[series] = {"settlement_sources": sources, "fee": fee, "checked": today.isoformat()}


def fee_changes(sweep: Sweep, series: str) -> list[dict] | None:
    """The series' fee changes, past and scheduled ({type, multiplier, scheduledTs}); None when they
    could not be read (the cost block then says only the series' own schedule is known)."""
    raw = sweep.get(
        client.fee_changes_url(sweep.ctx.base_url, series), f"{series} fee changes", {"kind": "fees"}
    )
    try:
        found = json.loads(raw.body)["series_fee_change_arr"] if raw is not None else None
    except (ValueError, KeyError, TypeError):
        sweep.ctx.item_errors.append(f"{series}: fee changes unreadable")
        return None
    if not isinstance(found, list):
        return None
    return [
        {
            "type": c.get("fee_type"),
            "multiplier": c.get("fee_multiplier"),
            "scheduledTs": c.get("scheduled_ts"),
        }
        for c in found
        if isinstance(c, dict) and c.get("series_ticker", series) == series
    ]


def candles(sweep: Sweep, series: str, market: dict, *, historical: bool = False) -> RawResponse | None:
    """The hourly candlesticks of a settled market over its life (from the historical tier if asked)."""
    ticker = market["ticker"]
    close = epoch(market.get("close_time")) or int(sweep.ctx.now.timestamp())
    start = epoch(market.get("open_time")) or close - 14 * 24 * 3600
    url = client.candlesticks_url(
        sweep.ctx.base_url,
        series,
        ticker,
        start=start,
        end=close,
        interval=CANDLE_INTERVAL,
        historical=historical,
    )
    meta = sweep.meta(
        "candles",
        series,
        ticker=ticker,
        outcome=market.get("yes_sub_title") or "",
        interval=CANDLE_INTERVAL,
        historical=historical,
    )
    return sweep.get(url, f"{ticker} candlesticks", meta)


def orderbooks(sweep: Sweep, markets: list[tuple[dict, str]], observed_at: str) -> list[RawResponse]:
    """The order books of the open (market, series) closing soonest, at most settings.KALSHI_ORDERBOOK_MAX.

    A book that cannot be read is an item error: the run stays partial and keeps its prices. A
    refusal (401/403), which fails a listing, here only ends the books of this run.
    """
    wanted = sorted(markets, key=lambda pair: (str(pair[0].get("close_time") or "9999"), pair[0]["ticker"]))
    wanted = list({m["ticker"]: (m, s) for m, s in reversed(wanted)}.values())[::-1]  # one per ticker
    out = []
    for market, series in wanted[: settings.KALSHI_ORDERBOOK_MAX]:
        if sweep.stopped:
            break
        ticker = market["ticker"]
        url = client.orderbook_url(sweep.ctx.base_url, ticker, depth=settings.KALSHI_ORDERBOOK_DEPTH)
        meta = sweep.meta("orderbook", series, ticker=ticker, observed_at=observed_at)
        try:
            raw = sweep.get(url, f"{ticker} order book", meta)
        except SourceError as exc:
            sweep.ctx.item_errors.append(f"{ticker} order book: {exc}; no more books this run")
            break
        if raw is None:
            continue
        try:
            orderbook_from(raw)
        except MalformedResponse as exc:
            sweep.ctx.item_errors.append(f"{ticker} order book: {exc}")
            continue
        out.append(raw)
    return out


def epoch(value: str | None) -> int | None:
    try:
        return int(datetime.fromisoformat(value).timestamp()) if value else None
    except (TypeError, ValueError):
        return None
