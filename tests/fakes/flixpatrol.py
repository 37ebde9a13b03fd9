"""FlixPatrol pages, a FlareSolverr relay and the paid API v2, served from tests/fixtures/flixpatrol/.

Every country page answers with the United States excerpt; the fixtures are excerpts of one day's
charts, so any requested date gets the same rows.
"""

import json
import re

from tests.fakeupstream import Reply, fixture_text

DAY = r"\d{4}-\d{2}-\d{2}"
WORLD_PAGE = rf"^/top10/netflix/world/{DAY}/$"
COUNTRY_PAGE = rf"^/top10/netflix/(?!world/)[a-z-]+/{DAY}/$"
FLARESOLVERR = r"^/v1$"
API_TOP10S = r"^/v2/top10s$"


def page(name: str) -> Reply:
    return Reply(200, fixture_text(f"flixpatrol/{name}"), content_type="text/html; charset=utf-8")


def challenge() -> Reply:
    return Reply(403, fixture_text("flixpatrol/cloudflare-challenge.403.html"), content_type="text/html")


def flaresolverr_solution(html: str, status: int = 200, url: str = "https://flixpatrol.com/") -> Reply:
    """FlareSolverr's answer shape, as its README shows it."""
    body = {
        "solution": {
            "url": url,
            "status": status,
            "headers": {"content-type": "text/html; charset=UTF-8"},
            "response": html,
            "cookies": [{"name": "cf_clearance", "value": "fake", "domain": ".flixpatrol.com"}],
            "userAgent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0.0.0 Safari/537.36",
        },
        "status": "ok",
        "message": "",
        "startTimestamp": 1594872947467,
        "endTimestamp": 1594872949617,
        "version": "3.3.21",
    }
    return Reply(200, json.dumps(body))


def flaresolverr_error(message: str) -> Reply:
    body = {
        "status": "error",
        "message": message,
        "startTimestamp": 1,
        "endTimestamp": 2,
        "version": "3.3.21",
    }
    return Reply(500, json.dumps(body))


def _flaresolverr(match: re.Match) -> Reply:
    return flaresolverr_solution(fixture_text("flixpatrol/top10-netflix-united-states.excerpt.html"))


ROUTES = [
    (WORLD_PAGE, lambda m: page("top10-netflix-world.excerpt.html")),
    (COUNTRY_PAGE, lambda m: page("top10-netflix-united-states.excerpt.html")),
    (FLARESOLVERR, _flaresolverr),
    (API_TOP10S, lambda m: Reply(200, fixture_text("flixpatrol/api-v2-top10s.assembled.json"))),
]
