"""Every runner of sources/registry.py set up so that one clean run against the fake upstream stores
rows: the credentials it needs, a watched show it can ask about, the clock its fixtures were recorded
at, and the path of the answer a fault replaces (the data, not the token or the redirect lookup)."""

from dataclasses import dataclass, field
from datetime import UTC, datetime

from shows.models import Show
from shows.services import watchlist_add


@dataclass(frozen=True)
class Case:
    key: str
    now: datetime
    data: str  # path regex of the answers the fault replaces
    env: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json"  # what the source expects, so "wrong" can be chosen
    # 401/403 mean refused credentials or a refused client (permanent: held). Public files, pages and
    # APIs without credentials (Tudum's CDN, FlixPatrol, Google Trends, Kalshi) may call them
    # temporary: a block.
    refusal_holds: bool = True


def _wednesday() -> None:
    watchlist_add(title="Wednesday", wikipedia="Wednesday_(TV_series)", search_terms=["Wednesday Addams"])


def _setup_youtube() -> None:
    watchlist_add(title="Wednesday", season="Season 2")


def _setup_reddit() -> None:
    watchlist_add(title="The Boys", search_terms=["The Boys", "The Rookie"])


def _setup_kalshi() -> None:
    Show.objects.create(title="Little House on the Prairie", season="Season 1")


CASES = {
    "tudum": Case(
        "tudum",
        datetime(2025, 8, 12, 12, tzinfo=UTC),
        r"^/tudum/top10/data/all-weeks-global",
        content_type="text/tab-separated-values",
        refusal_holds=False,
    ),
    "flixpatrol": Case(
        "flixpatrol",
        datetime(2025, 8, 8, 12, tzinfo=UTC),  # yesterday's chart is the fixtures' 2025-08-07
        r"^/top10/netflix/",
        {"FLIXPATROL_COUNTRIES": "US", "FLIXPATROL_PAGE_DELAY_SECONDS": "0", "FLIXPATROL_BACKEND": "http"},
        content_type="text/html",
        refusal_holds=False,
    ),
    "x": Case(
        "x",
        datetime(2025, 8, 11, 14, 23, 11, tzinfo=UTC),
        r"^/2/tweets/counts/recent$",
        {"X_BEARER_TOKEN": "AAAAAAAAAAAAAAAAAAAAAfaultsuitebearer0123"},
    ),
    "tiktok": Case(
        "tiktok",
        datetime(2025, 8, 8, 23, tzinfo=UTC),
        r"^/v2/research/video/query/$",
        {"TIKTOK_CLIENT_KEY": "awfaultsuitekey", "TIKTOK_CLIENT_SECRET": "fault-suite-secret-0123"},
        refusal_holds=False,  # the fault hits the data path; its token endpoint still accepts the keys
    ),
    "reddit": Case(
        "reddit",
        datetime(2026, 4, 13, 17, 10, tzinfo=UTC),
        r"^/r/",
        {
            "REDDIT_CLIENT_ID": "fault-suite-id",
            "REDDIT_CLIENT_SECRET": "fault-suite-reddit-secret-0123",
            "REDDIT_USER_AGENT": "server:kalshi-predictions-faults:0.1 (by /u/kp)",
        },
        refusal_holds=False,  # the fault hits the data path; its token endpoint still accepts the keys
    ),
    "google_trends": Case(
        "google_trends",
        datetime(2021, 1, 6, 12, tzinfo=UTC),
        r"^/trends/api/",
        {
            "GOOGLE_TRENDS_PAUSE_SECONDS": "0",
            "GOOGLE_TRENDS_BACKOFF_SECONDS": "1",
            "GOOGLE_TRENDS_MAX_WAIT_SECONDS": "2",
            "GOOGLE_TRENDS_ANCHOR": "",
        },
        refusal_holds=False,
    ),
    "youtube": Case(
        "youtube",
        datetime(2025, 8, 11, 14, tzinfo=UTC),
        r"^/youtube/v3/",
        {"YOUTUBE_API_KEY": "AIzaSyFAULTS-youtube-key-0123456789abcd"},
        refusal_holds=False,  # a bare 403 is also YouTube's quota and rate-limit answer
    ),
    "wikipedia": Case("wikipedia", datetime(2025, 8, 11, 12, 20, tzinfo=UTC), r"/per-article/"),
    "kalshi": Case(
        "kalshi",
        datetime(2026, 7, 17, 14, 30, 27, tzinfo=UTC),
        r"^/trade-api/v2/",
        refusal_holds=False,  # public market data: a refusal is a CDN/WAF block, not credentials
    ),
    "polymarket": Case(
        "polymarket",
        datetime(2026, 7, 17, 14, 30, 27, tzinfo=UTC),
        r"^/(events|book)",  # Gamma's listing and CLOB's books
        refusal_holds=False,  # public reads, no key: a refusal is a block, not credentials
    ),
}


def _setup_tiktok() -> None:
    show, _ = watchlist_add(title="Wednesday")
    Show.objects.filter(pk=show.pk).update(hashtags=["wednesday"])  # the fixture's videos carry it


SETUP = {"tiktok": _setup_tiktok, "youtube": _setup_youtube, "reddit": _setup_reddit, "kalshi": _setup_kalshi}


def watch_for(key: str) -> None:
    SETUP.get(key, _wednesday)()
