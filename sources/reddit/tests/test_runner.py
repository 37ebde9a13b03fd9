"""The Reddit runner (PRAW pointed at the fake upstream) through the real pipeline."""

from datetime import UTC, datetime

import pytest

from shows.models import Show
from shows.services import watchlist_add
from sources.models import Snapshot
from sources.pipeline import quota
from tests.fakeupstream import Reply, fixture_text

NOW = datetime(2026, 4, 13, 17, 10, tzinfo=UTC)  # counts 16:00-17:00; the listing has two posts in it
HOUR = datetime(2026, 4, 13, 16, tzinfo=UTC)
TOKEN, ABOUT, SEARCH = r"^/api/v1/access_token$", r"^/r/[^/]+/about/?$", r"^/r/all/search/?$"


@pytest.fixture(autouse=True)
def keyed(monkeypatch, redis_conn):
    monkeypatch.setenv("REDDIT_CLIENT_ID", "test-client-id")
    monkeypatch.setenv("REDDIT_CLIENT_SECRET", "test-reddit-secret-0123456789")
    monkeypatch.setenv("REDDIT_USER_AGENT", "server:kalshi-predictions-tests:0.1 (by /u/kp)")
    stale = redis_conn.keys("quota:*")
    if stale:
        redis_conn.delete(*stale)


@pytest.fixture
def show(db):
    show, _ = watchlist_add(title="The Boys", search_terms=["The Boys", "The Rookie"])
    Show.objects.filter(pk=show.pk).update(subreddits=["TheBoys", "television"])
    return show


def metric(show, name: str, scope: str = "search") -> float:
    return Snapshot.objects.get(show=show, metric=name, scope=scope).value


def test_mentions_score_and_comments_of_the_last_complete_hour(run_source, show, fake_upstream):
    run = run_source("reddit", now=NOW)
    assert run.status == "ok", run.error
    assert (metric(show, "mentions"), metric(show, "score"), metric(show, "comments")) == (2, 972 + 1394, 503)
    row = Snapshot.objects.get(show=show, metric="mentions")
    assert (row.period, row.observed_at) == ("hour", HOUR)
    assert row.attrs["top_posts"] == ["1skg0ik", "1skf9ln"]
    search = fake_upstream.requests_to("/r/all/search/")[0]
    assert "q=%22The+Boys%22+OR+%22The+Rookie%22" in search.path and "sort=new" in search.path
    assert search.headers["Authorization"] == "bearer <ACCESS_TOKEN>"
    assert search.headers["User-Agent"].startswith("server:kalshi-predictions-tests:0.1")


def test_subscribers_and_active_users_per_subreddit(run_source, show):
    run_source("reddit", now=NOW)
    assert metric(show, "subscribers", "r/TheBoys") == 7
    assert metric(show, "active_users", "r/television") == 5


def test_every_request_counts_against_the_minute(run_source, show, fake_upstream):
    run_source("reddit", now=NOW)
    assert len(fake_upstream.seen) == 4  # token, two about pages, one search
    assert quota.status("reddit", NOW)["used"] == 4


def test_rerun_in_the_same_hour_changes_nothing(run_source, show):
    run_source("reddit", now=NOW)
    second = run_source("reddit", now=NOW.replace(minute=40))
    assert (second.created, second.updated) == (0, 0)


def test_no_matching_posts_count_zero_mentions(run_source, show, fake_upstream):
    fake_upstream.queue(SEARCH, Reply(200, fixture_text("reddit/listing_empty.json")))
    assert run_source("reddit", now=NOW).status == "ok"
    assert metric(show, "mentions") == 0 and metric(show, "score") == 0


def test_a_private_or_missing_subreddit_is_a_partial_run(run_source, show, fake_upstream):
    fake_upstream.queue(ABOUT, Reply(403, fixture_text("reddit/error_403.json")))
    fake_upstream.queue(ABOUT, Reply(404, fixture_text("reddit/error_404.json")))
    run = run_source("reddit", now=NOW)
    assert run.status == "partial"
    assert "r/TheBoys: HTTP 403 private or quarantined" in run.error
    assert "r/television: HTTP 404 not found" in run.error
    assert metric(show, "mentions") == 2


def test_a_429_stops_the_run_and_skips_the_rest_of_the_window(run_source, show, fake_upstream):
    fake_upstream.queue(
        ABOUT, Reply(429, fixture_text("reddit/error_429.assembled.json"), {"x-ratelimit-reset": "40"})
    )
    run = run_source("reddit", now=NOW)
    assert run.status == "failed" and "rate limited by Reddit (429)" in run.error
    assert len(fake_upstream.requests_to("/r/")) == 1
    assert run_source("reddit", now=NOW).status == "skipped"


def test_refused_credentials_are_a_permanent_failure(run_source, show, fake_upstream):
    fake_upstream.queue(TOKEN, Reply(401, '{"message": "Unauthorized", "error": 401}'))
    run = run_source("reddit", now=NOW)
    assert run.status == "failed" and run.error.startswith("permanent: Reddit refused REDDIT_CLIENT_ID")
    assert not fake_upstream.requests_to("/r/")


@pytest.fixture
def no_retry_sleep(monkeypatch):
    import prawcore.sessions

    # prawcore retries a 401 with a fresh token after a second or two; the retries still happen.
    monkeypatch.setattr(prawcore.sessions.FiniteRetryStrategy, "_sleep_seconds", lambda self: None)


UNAUTHORIZED = '{"message": "Unauthorized", "error": 401}'


def test_a_401_without_www_authenticate_reads_as_http_401_not_a_key_error(
    run_source, show, fake_upstream, no_retry_sleep
):
    # prawcore raises KeyError(401) for such an answer (its auth error map is keyed by the header).
    fake_upstream.route(r"^/r/TheBoys/about/?$", Reply(401, UNAUTHORIZED))
    run = run_source("reddit", now=NOW)
    assert run.status == "partial"
    assert run.error == "r/TheBoys: HTTP 401 token refused after a refresh"
    assert metric(show, "subscribers", "r/television") > 0 and metric(show, "mentions") == 2


def test_a_403_naming_an_unknown_auth_error_reads_as_http_403(
    run_source, show, fake_upstream, no_retry_sleep
):
    refused = Reply(
        403, '{"message": "Forbidden", "error": 403}', {"www-authenticate": 'Bearer error="invalid_request"'}
    )
    fake_upstream.route(SEARCH, refused)
    run = run_source("reddit", now=NOW)
    assert run.status == "partial" and "KeyError" not in run.error
    assert '"The Boys" OR "The Rookie": HTTP 403 private or quarantined' in run.error


def test_every_data_request_answered_401_fails_the_run_leading_with_the_status(
    run_source, show, fake_upstream, no_retry_sleep
):
    fake_upstream.route(r"^/r/", Reply(401, UNAUTHORIZED))
    run = run_source("reddit", now=NOW)
    assert run.status == "failed"
    assert run.error.startswith("temporary: nothing answered: r/TheBoys: HTTP 401 token refused")
    assert not Snapshot.objects.exists()


def test_the_token_request_gives_up_after_the_projects_timeout_not_prawcores(settings):
    # prawcore's requestor defaults to 16 s, and its token request takes no other timeout: a firewalled
    # host held a run 3 x 16 s (the fault suite's connect-timeout case took 48 s).
    from sources.reddit import client

    settings.HTTP_TIMEOUT_SECONDS = 2
    reddit = client.make_reddit(
        client_id="id",
        client_secret="secret",
        user_agent="kp-tests",
        reddit_url="http://127.0.0.1:9",
        oauth_url="http://127.0.0.1:9",
        recorder=client.Recorder(lambda response: None, lambda: None),
    )
    assert reddit._core.requestor.timeout == 2
