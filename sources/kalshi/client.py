"""Kalshi trade API v2 public market data: the only module that talks to it. No key needed."""

from urllib.parse import quote, urlencode

import requests
from django.conf import settings
from requests.adapters import HTTPAdapter

from core import http

API = "/trade-api/v2"


class PatientRetry(http.CappedRetry):
    """Kalshi's 429 carries no Retry-After, and urllib3 retries a first failure at once, into the same
    empty token bucket; so every retry here waits at least settings.KALSHI_MIN_BACKOFF_MS / 1000."""

    def get_backoff_time(self) -> float:
        return max(settings.KALSHI_MIN_BACKOFF_MS / 1000, super().get_backoff_time())


def make_session() -> requests.Session:
    """The project's session (User-Agent, timeouts, retry policy), with Kalshi's minimum backoff."""
    session = http.make_session()
    shared = session.get_adapter("https://").max_retries
    retry = PatientRetry(
        total=shared.total,
        connect=shared.connect,
        backoff_factor=shared.backoff_factor,
        backoff_jitter=shared.backoff_jitter,
        backoff_max=shared.backoff_max,
        status_forcelist=shared.status_forcelist,
        allowed_methods=shared.allowed_methods,
        respect_retry_after_header=shared.respect_retry_after_header,
        raise_on_status=shared.raise_on_status,
    )
    session.mount("http://", HTTPAdapter(max_retries=retry))
    session.mount("https://", HTTPAdapter(max_retries=retry))
    return session


def _path(*parts: str) -> str:
    return API + "".join("/" + quote(p, safe="") for p in parts)


def series_url(base_url: str, series: str) -> str:
    return base_url + _path("series", series)


def fee_changes_url(base_url: str, series: str) -> str:
    # show_historical: past changes too (the default lists upcoming ones only), so a change that took
    # effect since the series was last read is known (docs.kalshi.com python-sdk SeriesFeeChange).
    params = {"series_ticker": series, "show_historical": "true"}
    return base_url + _path("series", "fee_changes") + "?" + urlencode(params)


def open_markets_url(base_url: str, series: str, *, limit: int, cursor: str = "") -> str:
    params = {"series_ticker": series, "status": "open", "limit": limit}
    if cursor:
        params["cursor"] = cursor
    return base_url + _path("markets") + "?" + urlencode(params)


def settled_markets_url(base_url: str, series: str, *, limit: int, cursor: str = "", historical: bool) -> str:
    """Settled markets of a series. Kalshi moves markets settled before its cutoff (GET
    /historical/cutoff, ~3 months back) and their candlesticks to a historical tier that holds only
    settled markets; older events stay where they were (docs.kalshi.com getting_started/historical_data)."""
    params = {"series_ticker": series, "limit": limit} | ({} if historical else {"status": "settled"})
    if cursor:
        params["cursor"] = cursor
    path = _path("historical", "markets") if historical else _path("markets")
    return base_url + path + "?" + urlencode(params)


def event_url(base_url: str, event_ticker: str) -> str:
    # Nested markets: one request tells the status and result of every market of the event.
    return base_url + _path("events", event_ticker) + "?with_nested_markets=true"


def candlesticks_url(
    base_url: str, series: str, ticker: str, *, start: int, end: int, interval: int, historical: bool = False
) -> str:
    params = {"start_ts": start, "end_ts": end, "period_interval": interval}
    path = (
        _path("historical", "markets", ticker, "candlesticks")
        if historical
        else _path("series", series, "markets", ticker, "candlesticks")
    )
    return base_url + path + "?" + urlencode(params)


def orderbook_url(base_url: str, ticker: str, *, depth: int) -> str:
    return base_url + _path("markets", ticker, "orderbook") + "?" + urlencode({"depth": depth})


def get_json(session: requests.Session, url: str) -> requests.Response:
    return http.get(session, url, headers={"Accept": "application/json"})
