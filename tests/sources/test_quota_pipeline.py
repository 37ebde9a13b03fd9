"""Quota windows, counting in Redis, and runs skipped instead of spent on errors."""

from datetime import UTC, datetime

import pytest

from shows.services import watchlist_add
from sources.base import FetchContext, QuotaUse
from sources.models import FetchRun
from sources.pipeline import quota
from sources.x.fake import rate_headers
from tests.fakeupstream import Reply, fixture_text

NOW = datetime(2025, 8, 11, 14, 23, 11, tzinfo=UTC)
SEEN = "/2/tweets/counts/recent"


@pytest.fixture(autouse=True)
def keyed(monkeypatch, redis_conn):
    monkeypatch.setenv("X_BEARER_TOKEN", "AAAAAAAAAAAAAAAAAAAAAquota-test-token")
    stale = redis_conn.keys("quota:*")
    if stale:
        redis_conn.delete(*stale)


@pytest.fixture
def show(db):
    return watchlist_add(title="Wednesday", search_terms=["Wednesday Addams"])[0]


def ctx(now=NOW, shows=()) -> FetchContext:
    return FetchContext(base_url="http://unused", shows=list(shows), now=now)


def test_youtube_days_end_at_midnight_pacific_in_summer_and_winter():
    assert quota.window_end("youtube", NOW) == datetime(2025, 8, 12, 7, tzinfo=UTC)
    assert quota.window_end("youtube", datetime(2025, 12, 1, 9, tzinfo=UTC)) == datetime(
        2025, 12, 2, 8, tzinfo=UTC
    )
    # 03:00 UTC is still the previous evening in California.
    assert quota.window(quota.policy_of("youtube"), datetime(2025, 8, 12, 3, tzinfo=UTC))[0] == "2025-08-11"


def test_x_windows_are_quarter_hours_and_reddit_windows_minutes():
    assert quota.window(quota.policy_of("x"), NOW)[1:] == (
        datetime(2025, 8, 11, 14, 15, tzinfo=UTC),
        datetime(2025, 8, 11, 14, 30, tzinfo=UTC),
    )
    assert quota.window_end("reddit", NOW) == datetime(2025, 8, 11, 14, 24, tzinfo=UTC)
    assert quota.window_end("tiktok", NOW) == datetime(2025, 8, 12, tzinfo=UTC)


def test_recorded_use_lowers_what_is_left_in_the_window():
    quota.record("youtube", QuotaUse(spent=102), NOW)
    quota.record("youtube", QuotaUse(spent=1), NOW)
    left = quota.status("youtube", NOW)
    assert (left["used"], left["remaining"], left["limit"], left["unit"]) == (103, 9897, 10000, "units")
    assert left["resetsAt"] == "2025-08-12T00:00:00-07:00"
    assert quota.status("youtube", datetime(2025, 8, 12, 8, tzinfo=UTC))["used"] == 0  # a new day


def test_a_run_that_would_go_over_the_window_is_refused(settings):
    settings.SOURCE_QUOTA_LIMITS = {**settings.SOURCE_QUOTA_LIMITS, "x": 3}
    quota.record("x", QuotaUse(spent=2), NOW)
    runner = type("R", (), {"quota_estimate": lambda self, c: 2})()
    reason = quota.preflight("x", runner, ctx())
    assert reason.startswith("quota: a run needs 2 requests, 1 of 3 left until 2025-08-11 14:30")


def test_a_run_bigger_than_a_whole_window_says_what_to_change(settings):
    settings.SOURCE_QUOTA_LIMITS = {**settings.SOURCE_QUOTA_LIMITS, "reddit": 5}
    runner = type("R", (), {"quota_estimate": lambda self, c: 9})()
    assert "raise REDDIT_QUOTA_REQUESTS_PER_MINUTE" in quota.preflight("reddit", runner, ctx())


def test_sources_without_a_quota_are_never_refused():
    assert quota.preflight("wikipedia", object(), ctx()) is None
    assert quota.status("wikipedia", NOW) is None


def test_an_upstream_429_skips_runs_until_its_reset_without_calling_upstream(run_source, show, fake_upstream):
    fake_upstream.queue(
        r"^/2/tweets/counts/recent$",
        Reply(429, fixture_text("x/error_429_too_many_requests.json"), rate_headers(0)),
    )
    assert run_source("x", now=NOW).status == "failed"
    second = run_source("x", now=NOW)
    assert second.status == FetchRun.Status.SKIPPED
    assert "upstream reported its quota used up until" in second.error
    assert len(fake_upstream.requests_to(SEEN)) == 1
    assert quota.status("x", NOW)["remaining"] == 0


def test_a_spent_window_skips_the_run_and_leaves_health_alone(run_source, show, fake_upstream, settings):
    settings.SOURCE_QUOTA_LIMITS = {**settings.SOURCE_QUOTA_LIMITS, "x": 2}
    assert run_source("x", now=NOW).status == "ok"
    assert run_source("x", now=NOW).status == "ok"
    third = run_source("x", now=NOW)
    assert third.status == "skipped" and "0 of 2 left" in third.error
    assert len(fake_upstream.requests_to(SEEN)) == 2
    from sources.models import Source

    assert Source.objects.get(key="x").health == "ok"
