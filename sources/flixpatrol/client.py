"""The only module that talks to FlixPatrol: its pages (directly or through FlareSolverr) or its API."""

import json
from dataclasses import dataclass
from datetime import date

import requests
from django.conf import settings

from core import http
from sources.base import SourceError
from sources.flixpatrol.chart import looks_like_challenge
from sources.flixpatrol.config import NETFLIX_COMPANY_ID, Config

PAGE = "/top10/netflix/{slug}/{day}/"
API_TOP10S = "/v2/top10s"


@dataclass
class Answer:
    status: int | None
    body: str
    error: str = ""  # set when a relay (FlareSolverr) answered but could not fetch the page
    # Cloudflare's challenge instead of the page: this client will not get through (another may).
    refused: bool = False


def challenged(status: int | None, headers, body: str) -> bool:
    """A 403 marked `cf-mitigated: challenge` (or, where a relay drops headers, its challenge page)."""
    if status != 403:
        return False
    return (headers or {}).get("cf-mitigated", "").lower() == "challenge" or looks_like_challenge(body)


def page_url(base_url: str, slug: str, day: date) -> str:
    return base_url + PAGE.format(slug=slug, day=day.isoformat())


def get_page(session: requests.Session, url: str) -> Answer:
    response = http.get(session, url, headers={"Accept": "text/html,application/xhtml+xml"})
    refused = challenged(response.status_code, response.headers, response.text)
    return Answer(response.status_code, response.text, refused=refused)


def get_page_via_flaresolverr(session: requests.Session, cfg: Config, url: str) -> Answer:
    """POST {FLARESOLVERR_URL}/v1 {"cmd": "request.get", ...}; the page is solution.response.

    Format from FlareSolverr's README: {"status": "ok"|"error", "message", "solution": {"url", "status",
    "headers", "response", "cookies", "userAgent"}}. Only the page is kept: the cookies are clearance
    tokens and do not belong in stored raw data.
    """
    endpoint = cfg.flaresolverr_url + "/v1"
    payload = {"cmd": "request.get", "url": url, "maxTimeout": cfg.flaresolverr_timeout_ms}
    # FlareSolverr may spend maxTimeout solving the challenge before it answers.
    timeout = cfg.flaresolverr_timeout_ms / 1000 + settings.HTTP_TIMEOUT_SECONDS
    try:
        response = session.post(endpoint, json=payload, timeout=timeout)
    except requests.Timeout:
        raise SourceError(f"FlareSolverr timed out after {timeout:.0f}s: {endpoint}") from None
    except requests.RequestException as exc:
        raise SourceError(f"FlareSolverr unreachable at {endpoint} ({type(exc).__name__})") from None
    try:
        data = response.json()
    except ValueError:
        return Answer(response.status_code, response.text, f"FlareSolverr HTTP {response.status_code}")
    solution = data.get("solution") if isinstance(data, dict) else None
    if data.get("status") != "ok" or not isinstance(solution, dict):
        message = data.get("message") or f"HTTP {response.status_code}"
        return Answer(response.status_code, json.dumps(data), f"FlareSolverr: {message}")
    status, html = solution.get("status"), solution.get("response") or ""
    headers = {str(k).lower(): str(v) for k, v in (solution.get("headers") or {}).items()}
    return Answer(status, html, refused=challenged(status, headers, html))


def get_api_top10s(session: requests.Session, cfg: Config, country_id: str, day: date) -> tuple[str, Answer]:
    """One country's Netflix Top 10s of one day (HTTP basic auth: the key as user, no password)."""
    params = {
        "company[eq]": NETFLIX_COMPANY_ID,
        "country[eq]": country_id,
        "date[type][eq]": "1",  # daily charts
        "date[from][gte]": day.isoformat(),
        "date[to][lte]": day.isoformat(),
    }
    url = requests.Request("GET", cfg.api_base_url + API_TOP10S, params=params).prepare().url
    response = http.get(session, url, auth=(cfg.api_key, ""), headers={"Accept": "application/json"})
    return url, Answer(response.status_code, response.text)
