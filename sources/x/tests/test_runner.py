"""The X runner through the real pipeline against the fake upstream."""

import json
from datetime import UTC, datetime

import pytest

from shows.services import watchlist_add
from sources.models import FetchRun, RawEvent, Snapshot, Source
from sources.x.fake import hourly, rate_headers
from tests.fakeupstream import Reply, fixture_text

NOW = datetime(2025, 8, 11, 14, 23, 11, tzinfo=UTC)  # the fixture's end
COUNTS = r"^/2/tweets/counts/recent$"
SEEN = "/2/tweets/counts/recent"  # seen paths carry the query string
TOKEN = "AAAAAAAAAAAAAAAAAAAAAtestbearer0123456789"


@pytest.fixture(autouse=True)
def keyed(monkeypatch, redis_conn):
    monkeypatch.setenv("X_BEARER_TOKEN", TOKEN)
    stale = redis_conn.keys("quota:*")
    if stale:
        redis_conn.delete(*stale)


@pytest.fixture
def show(db):
    show, _ = watchlist_add(title="Wednesday", search_terms=["Wednesday Addams", "Wednesday season 2"])
    return show


def test_a_run_stores_hourly_post_counts_for_the_show(run_source, show, fake_upstream):
    run = run_source("x", now=NOW)
    assert run.status == "ok", run.error
    rows = Snapshot.objects.filter(show=show, metric="post_count", period="hour")
    assert rows.count() == 7 * 24  # 15:00 on day one .. 14:00 on the last
    assert sum(rows.values_list("value", flat=True)) < 1214551  # the partial first hour is left out
    seen = fake_upstream.requests_to(SEEN)[0]
    assert seen.headers["Authorization"] == f"Bearer {TOKEN}"
    assert "is%3Aretweet" in seen.path and "granularity=hour" in seen.path
    assert "%22Wednesday+Addams%22+OR+%22Wednesday+season+2%22" in seen.path


def test_rerun_changes_nothing(run_source, show):
    run_source("x", now=NOW)
    second = run_source("x", now=NOW)
    assert (second.created, second.updated) == (0, 0)


def test_a_query_matching_nothing_stores_zeros(run_source, show, fake_upstream, settings):
    # The zero fixture has daily buckets: asked for days, it is a valid answer.
    settings.X_GRANULARITY = "day"
    fake_upstream.queue(COUNTS, Reply(200, fixture_text("x/counts_recent_zero.json"), rate_headers()))
    run = run_source("x", now=NOW)
    assert run.status == "ok", run.error
    assert set(Snapshot.objects.values_list("value", flat=True)) == {0.0}


def test_client_not_enrolled_is_a_permanent_failure_naming_the_access_level(run_source, show, fake_upstream):
    fake_upstream.queue(COUNTS, Reply(403, fixture_text("x/error_403_client_not_enrolled.json")))
    run = run_source("x", now=NOW)
    assert run.status == "failed"
    assert run.error.startswith("permanent:") and "access level" in run.error
    assert "client-not-enrolled" in run.error


def test_a_bad_token_is_a_permanent_failure(run_source, show, fake_upstream):
    fake_upstream.queue(COUNTS, Reply(401, '{"title": "Unauthorized", "status": 401}'))
    run = run_source("x", now=NOW)
    assert run.status == "failed" and "permanent" in run.error and "X_BEARER_TOKEN" in run.error


def test_429_fails_the_run_once_without_retrying(run_source, show, fake_upstream):
    fake_upstream.queue(
        COUNTS, Reply(429, fixture_text("x/error_429_too_many_requests.json"), rate_headers(0))
    )
    run = run_source("x", now=NOW)
    assert run.status == "failed" and "rate limited by X (429)" in run.error
    assert len(fake_upstream.requests_to(SEEN)) == 1


def test_a_used_up_window_stops_before_the_next_show(run_source, show, fake_upstream):
    watchlist_add(title="Squid Game", search_terms=["Squid Game"])
    fake_upstream.queue(COUNTS, Reply(200, hourly(), rate_headers(0)))
    run = run_source("x", now=NOW)
    assert run.status == "partial"
    assert "rate limit used up; 1 show(s) wait" in run.error
    assert len(fake_upstream.requests_to(SEEN)) == 1
    assert Snapshot.objects.filter(show=show).exists()


def test_a_malformed_body_fails_and_keeps_stored_rows(run_source, show, fake_upstream):
    run_source("x", now=NOW)
    before = Snapshot.objects.count()
    fake_upstream.queue(COUNTS, Reply(200, "<html>over capacity</html>", rate_headers()))
    run = run_source("x", now=NOW)
    assert run.status == "failed" and "malformed response" in run.error
    assert Snapshot.objects.count() == before
    assert RawEvent.objects.filter(run=run, body__contains="over capacity").exists()
    assert Source.objects.get(key="x").consecutive_failures == 1
    assert FetchRun.objects.filter(source__key="x").count() == 2


@pytest.mark.parametrize("data", [[], None])
def test_an_answer_without_buckets_fails_and_keeps_the_stored_counts(run_source, show, fake_upstream, data):
    run_source("x", now=NOW)
    before = sorted(Snapshot.objects.values_list("observed_at", "value"))
    answer = json.loads(fixture_text("x/counts_recent_day.json"))
    answer["meta"]["total_tweet_count"] = 0
    if data is None:
        del answer["data"]
    else:
        answer["data"] = data
    fake_upstream.queue(COUNTS, Reply(200, json.dumps(answer), rate_headers()))
    run = run_source("x", now=NOW)
    assert run.status == "failed" and "the answer holds no bucket" in run.error
    assert sorted(Snapshot.objects.values_list("observed_at", "value")) == before
