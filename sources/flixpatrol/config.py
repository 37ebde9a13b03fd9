"""FlixPatrol's settings: declared in its spec, read once by settings, gathered here for the runner."""

from dataclasses import dataclass

from django.conf import settings

from core import credentials

BACKENDS = ("http", "flaresolverr", "api")

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
    return value.strip().lower() or "http"


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
    )
