"""A permanent error holds its source until its settings change or an admin releases it."""

from datetime import UTC, datetime

import pytest

from shows.services import watchlist_add
from sources.models import FetchRun, Source
from sources.pipeline.hold import settings_fingerprint, source_release
from tests.fakeupstream import Reply

NOW = datetime(2025, 8, 11, 14, 23, 11, tzinfo=UTC)
COUNTS = r"^/2/tweets/counts/recent$"
TOKEN = "AAAAAAAAAAAAAAAAAAAAAtestbearer0123456789"
UNAUTHORIZED = Reply(401, '{"title": "Unauthorized", "status": 401}')


@pytest.fixture(autouse=True)
def keyed(monkeypatch, redis_conn):
    monkeypatch.setenv("X_BEARER_TOKEN", TOKEN)
    stale = redis_conn.keys("quota:*")
    if stale:
        redis_conn.delete(*stale)


@pytest.fixture
def show(db):
    show, _ = watchlist_add(title="Wednesday", search_terms=["Wednesday Addams"])
    return show


def x_source() -> Source:
    return Source.objects.get(key="x")


def held_by_a_401(run_source, fake_upstream) -> FetchRun:
    fake_upstream.queue(COUNTS, UNAUTHORIZED)
    run = run_source("x", now=NOW)
    assert run.status == FetchRun.Status.FAILED and run.error.startswith("permanent:")
    return run


def test_a_refused_token_holds_the_source_and_later_runs_make_no_request(run_source, show, fake_upstream):
    held_by_a_401(run_source, fake_upstream)
    source = x_source()
    assert source.health == Source.Health.HELD
    assert "X rejected the bearer token (401)" in source.held_reason
    asked = len(fake_upstream.seen)
    assert run_source("x", now=NOW) is None
    assert len(fake_upstream.seen) == asked  # no retry spends quota on the same refusal
    assert FetchRun.objects.filter(source__key="x").count() == 1


def test_the_hold_stores_a_fingerprint_never_the_token(run_source, show, fake_upstream):
    held_by_a_401(run_source, fake_upstream)
    source = x_source()
    assert source.held_fingerprint == settings_fingerprint("x") and len(source.held_fingerprint) == 64
    assert TOKEN not in source.held_fingerprint + source.held_reason


def test_a_new_token_releases_the_hold_and_the_source_runs_again(
    run_source, show, fake_upstream, monkeypatch
):
    held_by_a_401(run_source, fake_upstream)
    monkeypatch.setenv("X_BEARER_TOKEN", TOKEN + "new")
    run = run_source("x", now=NOW)
    assert run is not None and run.status == FetchRun.Status.OK, run and run.error
    source = x_source()
    assert source.held_at is None and source.held_reason == "" and source.health == Source.Health.OK


def test_a_changed_base_url_releases_the_hold(run_source, show, fake_upstream, settings):
    held_by_a_401(run_source, fake_upstream)
    settings.SOURCE_BASE_URLS = {**settings.SOURCE_BASE_URLS, "x": fake_upstream.url + "/"}
    assert run_source("x", now=NOW) is not None
    assert x_source().held_at is None


def test_an_admin_releases_a_held_source_from_the_admin_list(run_source, show, fake_upstream, admin_client):
    held_by_a_401(run_source, fake_upstream)
    answer = admin_client.post(
        "/admin/sources/source/",
        {"action": "release", "_selected_action": [x_source().pk]},
        follow=True,
    )
    assert answer.status_code == 200 and b"eleased: x" in answer.content
    source = x_source()
    assert source.held_at is None and source.consecutive_failures == 0
    assert run_source("x", now=NOW).status == FetchRun.Status.OK


def test_releasing_a_source_that_is_not_held_changes_nothing(sources_ready):
    assert source_release(source=Source.objects.get(key="wikipedia")) is False


def test_a_temporary_error_does_not_hold(run_source, show, fake_upstream, settings):
    settings.HTTP_RETRIES = 0
    fake_upstream.queue(COUNTS, Reply(503, "down"))
    run = run_source("x", now=NOW)
    assert run.status == FetchRun.Status.FAILED and not run.error.startswith("permanent")
    assert x_source().held_at is None
    assert run_source("x", now=NOW).status == FetchRun.Status.OK


def test_a_changed_source_setting_releases_the_hold(run_source, show, fake_upstream, settings):
    # A malformed value never gets this far (it stops start-up: tests/test_source_settings.py); a
    # restart with a different valid value is a change worth trying again.
    held_by_a_401(run_source, fake_upstream)
    settings.X_LOOKBACK_HOURS = 12
    assert run_source("x", now=NOW).status == FetchRun.Status.OK
    assert x_source().held_at is None


def test_the_api_the_board_and_the_sources_page_all_show_the_hold_and_its_reason(
    run_source, show, fake_upstream, admin_client
):
    held_by_a_401(run_source, fake_upstream)
    api = {s["key"]: s for s in admin_client.get("/api/sources").json()}
    assert api["x"]["health"] == "held" and "401" in api["x"]["heldReason"] and api["x"]["heldAt"]
    for page in ("/", "/sources"):
        html = admin_client.get(page).content.decode()
        assert 'data-health="held"' in html and "Held" in html and "X rejected the bearer token" in html
        assert "once its settings change or an admin releases it" in html


@pytest.mark.parametrize("status", [401, 403])
def test_wikimedia_refusing_the_client_holds_wikipedia(run_source, watched, fake_upstream, status):
    fake_upstream.queue(r"/per-article/", Reply(status, '{"title": "Forbidden"}'))
    run = run_source("wikipedia", now=NOW)
    assert run.status == FetchRun.Status.FAILED and f"HTTP {status}" in run.error
    assert Source.objects.get(key="wikipedia").health == Source.Health.HELD


@pytest.mark.parametrize("status", [401, 403])
def test_kalshi_refusing_the_client_fails_the_run_as_temporary_and_never_holds(
    run_source, fake_upstream, settings, status
):
    # Kalshi's market data needs no key: a refusal is a CDN/WAF block, retried by the next run.
    settings.KALSHI_SERIES = ["KXNETFLIXRANKSHOW"]
    fake_upstream.queue(r"^/trade-api/v2/markets$", Reply(status, '{"error": {"code": "unauthorized"}}'))
    run = run_source("kalshi", now=NOW)
    assert run.status == FetchRun.Status.FAILED and "Kalshi refused" in run.error
    assert run.error.startswith("temporary:"), run.error
    assert Source.objects.get(key="kalshi").health != Source.Health.HELD
    assert run_source("kalshi", now=NOW).status == FetchRun.Status.OK  # the next run asks again
