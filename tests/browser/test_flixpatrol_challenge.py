"""A real Chromium (Debian's, as the other browser tests drive) gets FlixPatrol's chart through Cloudflare's
managed challenge: the fake upstream's challenge mode answers every page 403 `cf-mitigated: challenge`
until the challenge page's script has set its cookie and reloaded. Plain HTTP is refused on the way."""

from datetime import UTC, datetime

import pytest

from sources.flixpatrol import fake
from sources.models import FetchRun, RawEvent, Snapshot, Source
from tests.browser.conftest import CHROMIUM

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM, reason="the browser backend drives an installed chromium"),
]
NOW = datetime(2025, 8, 8, 12, tzinfo=UTC)  # the newest readable chart is the fixtures' 2025-08-07
WORLD = r"^/top10/netflix/world/2025-08-07/$"


@pytest.fixture
def challenged(fake_upstream, settings, monkeypatch):
    settings.FLIXPATROL_COUNTRIES = (("US", "united-states"),)
    settings.FLIXPATROL_PAGE_DELAY_SECONDS = 0
    settings.FLIXPATROL_BACKEND = "auto"
    settings.FLIXPATROL_CHROMIUM = CHROMIUM
    settings.FLARESOLVERR_URL = ""
    monkeypatch.delenv("FLIXPATROL_API_KEY", raising=False)
    fake_upstream.flags.add(fake.CHALLENGE_MODE)
    return fake_upstream


def cookie(seen) -> str:
    return next((v for k, v in seen.headers.items() if k.lower() == "cookie"), "")


def test_auto_is_refused_over_http_and_gets_the_chart_through_the_challenge_with_chromium(
    run_source, challenged
):
    run = run_source("flixpatrol", now=NOW)
    assert run.status == FetchRun.Status.OK, run.error
    assert run.created == 16  # world: 6 ranks + 6 points; US: 4 ranks, as over plain HTTP before 2026
    assert Snapshot.objects.get(show__title="Wednesday", metric="points", scope="world").value == 901
    assert Snapshot.objects.get(show__title="Untamed", metric="rank", scope="US").value == 2
    # The world page: refused to requests (no cookie), refused to the browser's first visit, then
    # served on the reload the challenge's script asked for, with its cookie.
    world = challenged.requests_to(WORLD)
    assert [fake.CLEARANCE in cookie(seen) for seen in world] == [False, False, True]
    assert "python-requests" in world[0].headers["User-Agent"]
    assert "Chrome/" in world[1].headers["User-Agent"] and "Headless" not in world[1].headers["User-Agent"]
    # The browser kept the cookie: the US page was served on its first visit.
    (us,) = challenged.requests_to(r"^/top10/netflix/united-states/2025-08-07/$")
    assert fake.CLEARANCE in cookie(us)
    stored = RawEvent.objects.filter(run=run).order_by("id")
    assert [e.status for e in stored] == [403, 200, 200]
    assert "Just a moment" in stored[0].body and "TOP TV Shows" in stored[1].body
    assert Source.objects.get(key="flixpatrol").state["backend"] == "browser"


def test_the_browser_alone_waits_for_the_challenge_and_stores_the_chart(run_source, challenged, settings):
    settings.FLIXPATROL_BACKEND = "browser"
    run = run_source("flixpatrol", now=NOW)
    assert run.status == FetchRun.Status.OK, run.error
    assert Snapshot.objects.filter(scope="world").count() == 12
    assert not RawEvent.objects.filter(run=run, status=403).exists()


def test_a_challenge_the_browser_cannot_clear_either_holds_the_source_naming_the_fix(
    run_source, challenged, settings
):
    settings.FLIXPATROL_BROWSER_TIMEOUT_SECONDS = 1
    # A challenge without the script that clears it (an interactive one, say): nobody gets through.
    challenged.route(r"^/top10/netflix/", fake.challenge())
    run = run_source("flixpatrol", now=NOW)
    assert run.error.startswith(
        "permanent: FlixPatrol refuses non-browser clients: install chromium, or set FLARESOLVERR_URL,"
        " or FLIXPATROL_API_KEY (tried http: refused (HTTP 403, Cloudflare challenge); browser: refused"
    )
    assert Source.objects.get(key="flixpatrol").health == Source.Health.HELD
    assert not Snapshot.objects.exists()
