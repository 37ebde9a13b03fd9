"""FlixPatrol settings, read from the environment with the project's strict parsers."""

from dataclasses import dataclass

from kalshi_predictions.env import ImproperEnv, env_base_url, env_int, env_list, env_str

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

# Paid API v2 ids (SOURCES.md §2, from the usrbinr/flixpatrol R client). Other countries' ids are not
# public; give them as FLIXPATROL_API_COUNTRY_IDS=GB=cnt_...,DE=cnt_...
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


def _pairs(name: str, items: list[str]) -> list[tuple[str, str]]:
    out = []
    for item in items:
        code, sep, value = item.partition("=")
        code = code.strip().upper()
        if len(code) != 2 or not code.isalpha() or (sep and not value.strip()):
            raise ImproperEnv(f"{name}: {item!r} is not CODE or CODE=value")
        out.append((code, value.strip()))
    return out


def _countries() -> tuple[tuple[str, str], ...]:
    out = []
    for code, slug in _pairs("FLIXPATROL_COUNTRIES", env_list("FLIXPATROL_COUNTRIES", DEFAULT_COUNTRIES)):
        slug = slug or COUNTRY_SLUGS.get(code, "")
        if not slug:
            raise ImproperEnv(
                f"FLIXPATROL_COUNTRIES: no known FlixPatrol slug for {code}; write it as {code}=<slug>"
            )
        out.append((code, slug))
    return tuple(out)


def load() -> Config:
    backend = env_str("FLIXPATROL_BACKEND", "http").strip().lower() or "http"
    if backend not in BACKENDS:
        raise ImproperEnv(f"FLIXPATROL_BACKEND={backend!r}: expected one of {', '.join(BACKENDS)}")
    api_ids = dict(API_COUNTRY_IDS)
    api_ids.update(_pairs("FLIXPATROL_API_COUNTRY_IDS", env_list("FLIXPATROL_API_COUNTRY_IDS", [])))
    return Config(
        backend=backend,
        countries=_countries(),
        # FlixPatrol asks scrapers to be gentle; a second between pages is what others use.
        page_delay_seconds=env_int("FLIXPATROL_PAGE_DELAY_SECONDS", 1, minimum=0),
        flaresolverr_url=env_base_url("FLARESOLVERR_URL", "http://localhost:8191"),
        flaresolverr_timeout_ms=env_int("FLARESOLVERR_TIMEOUT_MS", 60000, minimum=1000),
        api_base_url=env_base_url("FLIXPATROL_API_BASE_URL", "https://api.flixpatrol.com"),
        api_key=env_str("FLIXPATROL_API_KEY"),
        api_country_ids=api_ids,
    )
