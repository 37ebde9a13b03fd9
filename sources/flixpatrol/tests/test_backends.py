"""FlixPatrol's fetch backends against the fake upstream in challenge mode (Cloudflare's managed challenge:
every page 403 `cf-mitigated: challenge` without the clearance cookie its script sets). The browser getting
through is tests/browser/test_flixpatrol_challenge.py."""

import json
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from sources.flixpatrol import backends, config, fake
from sources.models import FetchRun, RawEvent, Snapshot, Source
from sources.selectors import source_list
from tests.fakeupstream import Reply

NOW = datetime(2025, 8, 8, 12, tzinfo=UTC)  # the newest readable chart is the fixtures' 2025-08-07
ANY_PAGE = r"^/top10/netflix/"
FIX = (
    "FlixPatrol refuses non-browser clients: install chromium, or set FLARESOLVERR_URL, or FLIXPATROL_API_KEY"
)


@pytest.fixture(autouse=True)
def _auto_with_nothing_installed(settings, monkeypatch):
    settings.FLIXPATROL_COUNTRIES = (("US", "united-states"),)
    settings.FLIXPATROL_PAGE_DELAY_SECONDS = 0
    settings.FLIXPATROL_BACKEND = "auto"
    settings.FLIXPATROL_CHROMIUM = ""  # no browser here: its test drives one
    settings.FLARESOLVERR_URL = ""
    monkeypatch.delenv("FLIXPATROL_API_KEY", raising=False)


@pytest.fixture
def challenged(fake_upstream):
    fake_upstream.flags.add(fake.CHALLENGE_MODE)
    return fake_upstream


def source() -> Source:
    return Source.objects.get(key="flixpatrol")


def test_the_fake_challenge_answers_every_page_403_marked_until_the_cookie_is_sent(challenged):
    import requests

    for path in ("/", "/top10/netflix/world/2025-08-07/", "/title/wednesday-2022/"):
        refused = requests.get(challenged.url + path, timeout=5)
        assert refused.status_code == 403 and refused.headers["cf-mitigated"] == "challenge"
        assert "document.cookie" in refused.text and "location.reload()" in refused.text
    page = challenged.url + "/top10/netflix/world/2025-08-07/"
    cleared = requests.get(page, cookies={"cf_clearance": "fake-clearance-7f3a"}, timeout=5)
    assert cleared.status_code == 200 and "TOP TV Shows" in cleared.text


def test_http_refused_by_the_challenge_holds_the_source_naming_the_fix(run_source, challenged, settings):
    settings.FLIXPATROL_BACKEND = "http"
    run = run_source("flixpatrol", now=NOW)
    assert run.status == FetchRun.Status.FAILED
    assert run.error.startswith(f"permanent: {FIX} (tried http: refused (HTTP 403, Cloudflare challenge))")
    assert source().health == Source.Health.HELD and source().held_reason.startswith(f"permanent: {FIX}")
    assert RawEvent.objects.filter(run=run, status=403).count() == 2
    assert not Snapshot.objects.exists()
    asked = len(challenged.requests_to(ANY_PAGE))
    assert run_source("flixpatrol", now=NOW) is None  # held: no request until its settings change
    assert len(challenged.requests_to(ANY_PAGE)) == asked


def test_auto_with_only_http_usable_is_held_with_the_fix(run_source, challenged):
    run = run_source("flixpatrol", now=NOW)
    assert run.error.startswith(f"permanent: {FIX}")
    assert source().health == Source.Health.HELD


def test_auto_moves_on_from_refused_http_to_the_relay_and_remembers_it(run_source, challenged, settings):
    settings.FLARESOLVERR_URL = challenged.url
    # The relay solves the challenge: its answers are the pages.
    challenged.queue(
        fake.FLARESOLVERR,
        fake.flaresolverr_solution(fake.dated_html(fake.WORLD, fake.FIXTURE_DAY)),
        fake.flaresolverr_solution(fake.dated_html(fake.COUNTRY, fake.FIXTURE_DAY)),
    )
    run = run_source("flixpatrol", now=NOW)
    assert run.status == FetchRun.Status.OK, run.error
    assert len(challenged.requests_to(ANY_PAGE)) == 1  # http refused on the first page, then dropped
    asked = [json.loads(s.body)["url"] for s in challenged.requests_to(fake.FLARESOLVERR)]
    assert asked == [
        f"{challenged.url}/top10/netflix/world/2025-08-07/",
        f"{challenged.url}/top10/netflix/united-states/2025-08-07/",
    ]
    assert Snapshot.objects.count() == 16
    assert source().state["backend"] == "flaresolverr"
    assert next(s for s in source_list() if s["key"] == "flixpatrol")["backend"] == "flaresolverr"
    # The next run starts with the relay: no refused request first.
    challenged.queue(
        fake.FLARESOLVERR, fake.flaresolverr_solution(fake.dated_html(fake.WORLD, fake.FIXTURE_DAY))
    )
    challenged.queue(
        fake.FLARESOLVERR, fake.flaresolverr_solution(fake.dated_html(fake.COUNTRY, fake.FIXTURE_DAY))
    )
    assert run_source("flixpatrol", now=NOW).status == FetchRun.Status.OK
    assert len(challenged.requests_to(ANY_PAGE)) == 1


def test_auto_skips_a_relay_that_is_down(run_source, fake_upstream, settings):
    settings.FLARESOLVERR_URL = "http://127.0.0.1:9"  # nothing listens
    settings.HTTP_RETRIES = 0
    Source.objects.filter(key="flixpatrol").update(state={"backend": "flaresolverr"})
    run = run_source("flixpatrol", now=NOW)
    assert run.status == FetchRun.Status.OK, run.error
    assert source().state["backend"] == "http"


def test_a_chosen_backend_that_is_not_set_up_holds_naming_what_it_needs(run_source, settings):
    settings.FLIXPATROL_BACKEND = "browser"
    run = run_source("flixpatrol", now=NOW)
    assert run.error.startswith(
        "permanent: FLIXPATROL_BACKEND=browser needs Chromium (apt-get install chromium"
    )
    settings.FLIXPATROL_BACKEND = "flaresolverr"
    Source.objects.filter(key="flixpatrol").update(held_at=None)
    assert (
        run_source("flixpatrol", now=NOW).error
        == "permanent: FLIXPATROL_BACKEND=flaresolverr needs FLARESOLVERR_URL"
    )


def test_auto_orders_the_ways_it_has_with_the_last_good_one_first(monkeypatch):
    monkeypatch.setattr(backends.browser, "installed", lambda: True)
    cfg = replace(
        config.load(), api_key="k", flaresolverr_url="http://relay:8191", chromium_path="/usr/bin/chromium"
    )
    assert backends.candidates(cfg) == ["api", "http", "flaresolverr", "browser"]
    assert backends.candidates(cfg, "browser") == ["browser", "api", "http", "flaresolverr"]
    assert backends.candidates(replace(cfg, api_key="", flaresolverr_url="")) == ["http", "browser"]
    assert backends.candidates(replace(cfg, backend="http"), "browser") == ["http"]


def test_auto_reads_the_paid_api_first_and_the_pages_when_it_refuses_the_key(
    run_source, fake_upstream, settings, monkeypatch
):
    settings.FLIXPATROL_API_BASE_URL = fake_upstream.url
    monkeypatch.setenv("FLIXPATROL_API_KEY", "k3y")
    run = run_source("flixpatrol", now=NOW)
    assert run.status == FetchRun.Status.OK, run.error
    assert source().state["backend"] == "api" and not fake_upstream.requests_to(ANY_PAGE)
    fake_upstream.route(fake.API_TOP10S, Reply(401, '{"error": "Unauthorized"}'))
    Source.objects.filter(key="flixpatrol").update(state={})
    run = run_source("flixpatrol", now=NOW)
    assert run.status == FetchRun.Status.OK, run.error  # the API's refusal is not the pages' problem
    assert source().state["backend"] == "http" and len(fake_upstream.requests_to(ANY_PAGE)) == 2
