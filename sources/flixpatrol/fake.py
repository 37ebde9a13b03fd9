"""FlixPatrol pages, a FlareSolverr relay and the paid API v2, served from sources/flixpatrol/fixtures/.

Every country page answers with the United States excerpt. The fixtures are excerpts of one day's
charts (2025-08-07); a dated page is that markup with the asked day written where the page names its
day (the world headings' "on August 7, 2025" and the page address), so any day gets the same rows
under its own date.

Challenge mode (`upstream.flags.add(CHALLENGE_MODE)`) is FlixPatrol since 2026-07-31, behind Cloudflare's
managed challenge: without the clearance cookie every page of the site answers 403 with
`cf-mitigated: challenge` and a challenge page whose script sets the cookie and reloads, so only a client
that runs JavaScript (a real browser) gets through.
"""

import json
import re
from datetime import date

from tests.fakeupstream import Reply, fixture_text

DAY = r"\d{4}-\d{2}-\d{2}"
WORLD_PAGE = rf"^/top10/netflix/world/(?P<day>{DAY})/$"
COUNTRY_PAGE = rf"^/top10/netflix/(?!world/)[a-z-]+/(?P<day>{DAY})/$"
FIXTURE_DAY = date(2025, 8, 7)
WORLD = "top10-netflix-world.excerpt.html"
COUNTRY = "top10-netflix-united-states.excerpt.html"
FLARESOLVERR = r"^/v1$"
SITE = r"^/(?:$|top10/|title/)"  # FlixPatrol's own pages (the fake serves every upstream on one host)
CHALLENGE_MODE = "flixpatrol_challenge"
CLEARANCE = "cf_clearance=fake-clearance-7f3a"
CHALLENGE_SCRIPT = (
    "<script>setTimeout(function () {"
    f' document.cookie = "{CLEARANCE}; path=/"; location.reload();'
    " }, 200);</script>"
)
API_TOP10S = r"^/v2/top10s$"


def page(name: str) -> Reply:
    return Reply(200, fixture_text(f"flixpatrol/{name}"), content_type="text/html; charset=utf-8")


def dated_html(name: str, day: date) -> str:
    """The fixture page as FlixPatrol would serve it for `day`."""
    html = fixture_text(f"flixpatrol/{name}")
    shown = f"{day:%B} {day.day}, {day.year}"
    return html.replace("August 7, 2025", shown).replace(FIXTURE_DAY.isoformat(), day.isoformat())


def dated_page(name: str, day: date) -> Reply:
    return Reply(200, dated_html(name, day), content_type="text/html; charset=utf-8")


def challenge() -> Reply:
    return Reply(403, fixture_text("flixpatrol/cloudflare-challenge.403.html"), content_type="text/html")


def challenge_page() -> Reply:
    """The managed challenge as Cloudflare serves it: 403, marked, with the script that clears it."""
    html = fixture_text("flixpatrol/cloudflare-challenge.403.html").replace(
        "</body>", CHALLENGE_SCRIPT + "\n</body>"
    )
    return Reply(403, html, headers={"cf-mitigated": "challenge"}, content_type="text/html; charset=UTF-8")


def cleared(headers: dict[str, str]) -> bool:
    cookie = next((v for k, v in headers.items() if k.lower() == "cookie"), "")
    return CLEARANCE in [part.strip() for part in cookie.split(";")]


def gated(handler):
    """`handler` behind the challenge while the test has switched challenge mode on."""

    def answer(match: re.Match, headers: dict[str, str], upstream) -> Reply:
        if CHALLENGE_MODE in upstream.flags and not cleared(headers):
            return challenge_page()
        return handler(match)

    return answer


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
    (WORLD_PAGE, gated(lambda m: dated_page(WORLD, date.fromisoformat(m["day"])))),
    (COUNTRY_PAGE, gated(lambda m: dated_page(COUNTRY, date.fromisoformat(m["day"])))),
    (SITE, gated(lambda m: Reply(200, "<html><body>FlixPatrol</body></html>", content_type="text/html"))),
    (FLARESOLVERR, _flaresolverr),
    (API_TOP10S, lambda m: Reply(200, fixture_text("flixpatrol/api-v2-top10s.assembled.json"))),
]
