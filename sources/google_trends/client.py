"""The only module that talks to Google Trends: the two internal endpoints pytrends uses.

pytrends itself is not used: its methods read their URLs as `TrendReq.<CONSTANT>` (so pointing it at
GOOGLE_TRENDS_BASE_URL means mutating the library's class for the whole process), it opens a new
session per call without our User-Agent, keeps the raw bodies to itself, and its only retry path
fails on urllib3 2 (docs/stack-facts.md, Google Trends). The request format below is pytrends 4.9.2's.
"""

import json
import random
import time
from collections.abc import Callable

import requests
from django.conf import settings

from core import http
from sources.base import SourceError

WARM_UP = "/trends/explore/"
EXPLORE = "/trends/api/explore"
MULTILINE = "/trends/api/widgetdata/multiline"
THROTTLED = (429, 500, 502, 503, 504)
HL = "en-US"
TZ = "0"  # minutes from UTC: bucket times come back as UTC

_sleep = time.sleep  # replaced in tests


class Throttled(SourceError):
    pass


class Backoff:
    """Exponential back-off with jitter, honouring Retry-After, within one budget for the whole run."""

    def __init__(self, *, first_seconds: float, budget_seconds: float):
        self.first = first_seconds
        self.left = budget_seconds
        self.waited = 0.0

    def wait(self, attempt: int, retry_after: str | None) -> bool:
        delay = self.first * 2**attempt + random.uniform(0, self.first or 1)
        if retry_after and retry_after.isdigit():
            delay = max(delay, float(retry_after))
        if delay > self.left:
            return False
        _sleep(delay)
        self.left -= delay
        self.waited += delay
        return True


def _send(
    session, method: str, url: str, params: dict, backoff: Backoff, record: Callable
) -> requests.Response:
    attempt = 0
    while True:
        try:
            response = session.request(method, url, params=params, timeout=settings.HTTP_TIMEOUT_SECONDS)
        except requests.Timeout:
            raise SourceError(f"timed out after {settings.HTTP_TIMEOUT_SECONDS}s: {url}") from None
        except requests.RequestException as exc:
            raise SourceError(f"{http.connection_cause(exc, url)}: {url}") from None
        record(response)
        if response.status_code not in THROTTLED:
            return response
        if not backoff.wait(attempt, response.headers.get("Retry-After")):
            raise Throttled(
                f"Google Trends throttled (HTTP {response.status_code}); gave up after waiting "
                f"{backoff.waited:.0f}s of back-off, the next scheduled run tries again"
            )
        attempt += 1


def make_session() -> requests.Session:
    return http.make_session(retries=0)  # back-off is ours, with a budget (Backoff)


def warm_up(session: requests.Session, base_url: str, geo: str, record: Callable) -> None:
    """The page visit pytrends makes first for Google's NID cookie; Google may answer it with a 404
    page (fixture error_404_google.html) and the API still works, so its status is not checked."""
    response = http.get(session, base_url + WARM_UP, params={"geo": geo or "US"})
    record(response)


def explore(session, base_url: str, *, terms: list[str], timeframe: str, geo: str, backoff, record):
    req = {
        "comparisonItem": [{"keyword": t, "time": timeframe, "geo": geo} for t in terms],
        "category": 0,
        "property": "",
    }
    params = {"hl": HL, "tz": TZ, "req": json.dumps(req)}
    # POST with the parameters in the query string, as pytrends 4.9.2 (the last release) sends it.
    return _send(session, "POST", base_url + EXPLORE, params, backoff, record)


def multiline(session, base_url: str, *, request: dict, token: str, backoff, record):
    params = {"req": json.dumps(request), "token": token, "tz": TZ}
    return _send(session, "GET", base_url + MULTILINE, params, backoff, record)
