"""FlixPatrol's settings: declared in its spec, read once by settings, gathered here for the runner."""

import os
import re
import shutil
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

from core import credentials

# How pages are fetched; "auto" tries, in ORDER, those configured and installed (backends.py).
BACKENDS = ("auto", "browser", "flaresolverr", "api", "http")
# The paid API when a key is set (the user chose it); then plain HTTP, one cheap request that tells whether
# Cloudflare lets clients through today; then the relay the user set up; then a local browser, the
# heaviest. The way that last worked goes first, so a refused one costs a request only until then.
ORDER = ("api", "http", "flaresolverr", "browser")
# Since 2026-07-31 Cloudflare answers every non-browser client 403 `cf-mitigated: challenge`.
REFUSED_FIX = (
    "FlixPatrol refuses non-browser clients: install chromium, or set FLARESOLVERR_URL, or FLIXPATROL_API_KEY"
)
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")

# ISO 3166 code -> FlixPatrol's page slug. Others can be given as CODE=slug in FLIXPATROL_COUNTRIES.
COUNTRY_SLUGS = {
    "US": "united-states",
    "GB": "united-kingdom",
    "DE": "germany",
    "FR": "france",
    "BR": "brazil",
    "MX": "mexico",
    "KR": "south-korea",
    "JP": "japan",
    "IN": "india",
    "CA": "canada",
    "ES": "spain",
    "IT": "italy",
    "AU": "australia",
}
DEFAULT_COUNTRIES = ["US", "GB", "DE", "FR", "BR", "MX", "KR", "JP", "IN"]

# Paid API v2 ids (from the usrbinr/flixpatrol R client; docs/stack-facts.md, FlixPatrol). Other
# countries' ids are not public; give them as FLIXPATROL_API_COUNTRY_IDS=GB=cnt_...,DE=cnt_...
NETFLIX_COMPANY_ID = "cmp_IA6TdMqwf6kuyQvxo9bJ4nKX"
API_COUNTRY_IDS = {"US": "cnt_iMUHNbZvnNHK5YdhgwtOoP4u"}


@dataclass(frozen=True)
class Config:
    backend: str
    countries: tuple[tuple[str, str], ...]  # (ISO code, page slug)
    page_delay_seconds: int
    flaresolverr_url: str
    flaresolverr_timeout_ms: int
    api_base_url: str
    api_key: str
    api_country_ids: dict[str, str]
    chromium_path: str = ""  # "" when none is installed
    browser_timeout_seconds: int = 30
    publication_lag_days: int = 1


def _pairs(items: list[str]) -> list[tuple[str, str]]:
    out = []
    for item in items:
        code, sep, value = item.partition("=")
        code = code.strip().upper()
        if len(code) != 2 or not code.isalpha() or (sep and not value.strip()):
            raise ValueError(f"{item!r} is not CODE or CODE=value")
        out.append((code, value.strip()))
    return out


def parse_countries(items: list[str]) -> tuple[tuple[str, str], ...]:
    """FLIXPATROL_COUNTRIES ("US,PT=portugal") -> ((code, slug), ...); settings calls it at start-up."""
    out = []
    for code, slug in _pairs(items):
        slug = slug or COUNTRY_SLUGS.get(code, "")
        if not slug:
            raise ValueError(f"no known FlixPatrol slug for {code}; write it as {code}=<slug>")
        out.append((code, slug))
    return tuple(out)


def parse_api_country_ids(items: list[str]) -> dict[str, str]:
    return {**API_COUNTRY_IDS, **dict(_pairs(items))}


def parse_backend(value: str) -> str:
    return value.strip().lower() or "auto"


def parse_optional_url(value: str) -> str:
    """FLARESOLVERR_URL: "" (no relay) or scheme, host and port."""
    value = value.strip().rstrip("/")
    if not value:
        return ""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path or parts.query:
        raise ValueError("expected http(s)://host[:port]")
    return value


# When the poll for the newest day runs: cron minute and hour fields, New York time. FlixPatrol does not
# say when a day's chart appears; from 00:05 to 11:50 ET every 15 minutes covers "after midnight, before
# noon" (README, FlixPatrol).
POLL_DEFAULT = "5,20,35,50 0-11"
CRON_FIELD = re.compile(r"^[\d*/,-]+$")


def parse_poll(value: str) -> dict[str, str]:
    """FLIXPATROL_POLL ("<minutes> <hours>", cron fields, ET) -> the poll task's crontab."""
    fields = value.split()
    if len(fields) != 2 or not all(CRON_FIELD.match(f) for f in fields):
        raise ValueError('expected cron minute and hour fields, e.g. "5,20,35,50 0-11"')
    return {"minute": fields[0], "hour": fields[1], "day_of_week": "*"}


def poll_cron() -> dict[str, str]:
    """The poll's crontab for the spec, which is read while settings load (a malformed value is left to
    the setting, which stops start-up naming it)."""
    try:
        return parse_poll(os.environ.get("FLIXPATROL_POLL") or POLL_DEFAULT)
    except ValueError:
        return parse_poll(POLL_DEFAULT)


def parse_chromium(value: str) -> str:
    """FLIXPATROL_CHROMIUM, or else the first Chromium on PATH (Debian's /usr/bin/chromium); "" for none."""
    value = value.strip()
    if value:
        if not shutil.which(value):
            raise ValueError("no such executable")
        return value
    return next((found for name in CHROMIUM_NAMES if (found := shutil.which(name))), "")


def chromium() -> str:
    """The Chromium to drive, if it is (still) there."""
    path = settings.FLIXPATROL_CHROMIUM
    return (shutil.which(path) or "") if path else ""


def load() -> Config:
    return Config(
        backend=settings.FLIXPATROL_BACKEND,
        countries=settings.FLIXPATROL_COUNTRIES,
        page_delay_seconds=settings.FLIXPATROL_PAGE_DELAY_SECONDS,
        flaresolverr_url=settings.FLARESOLVERR_URL,
        flaresolverr_timeout_ms=settings.FLARESOLVERR_TIMEOUT_MS,
        api_base_url=settings.FLIXPATROL_API_BASE_URL,
        # A secret: read where it is used, like every credential (core/credentials.py).
        api_key=credentials.value("FLIXPATROL_API_KEY"),
        api_country_ids=settings.FLIXPATROL_API_COUNTRY_IDS,
        chromium_path=chromium(),
        browser_timeout_seconds=settings.FLIXPATROL_BROWSER_TIMEOUT_SECONDS,
        publication_lag_days=settings.FLIXPATROL_PUBLICATION_LAG_DAYS,
    )
