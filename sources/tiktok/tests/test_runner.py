"""The TikTok Research API runner through the real pipeline against the fake upstream."""

import json
from datetime import UTC, datetime

import pytest

from shows.models import Show
from shows.services import watchlist_add
from sources.models import Snapshot, Source
from tests.fakeupstream import Reply, fixture_text

NOW = datetime(2025, 8, 8, 23, tzinfo=UTC)  # asks for videos of Aug 7 and 8; the fixture has one each
TOKEN, QUERY = r"^/v2/oauth/token/$", r"^/v2/research/video/query/$"
SECRET = "tiktok-client-secret-0123456789"


@pytest.fixture(autouse=True)
def keyed(monkeypatch, redis_conn):
    monkeypatch.setenv("TIKTOK_CLIENT_KEY", "awtestclientkey")
    monkeypatch.setenv("TIKTOK_CLIENT_SECRET", SECRET)
    stale = redis_conn.keys("quota:*")
    if stale:
        redis_conn.delete(*stale)


@pytest.fixture
def show(db):
    show, _ = watchlist_add(title="Wednesday")
    Show.objects.filter(pk=show.pk).update(hashtags=["wednesday"])
    return show


def values(show, day: int) -> dict:
    rows = Snapshot.objects.filter(
        show=show, scope="#wednesday", observed_at=datetime(2025, 8, day, tzinfo=UTC)
    )
    return dict(rows.values_list("metric", "value"))


def query_bodies(fake) -> list[dict]:
    return [json.loads(s.body) for s in fake.requests_to("/v2/research/video/query/")]


def test_videos_are_summed_per_hashtag_and_day(run_source, show, fake_upstream):
    run = run_source("tiktok", now=NOW)
    assert run.status == "ok", run.error
    assert values(show, 7) == {
        "video_count": 1.0,
        "views": 2873410.0,
        "likes": 412905.0,
        "comments": 3310.0,
        "shares": 18422.0,
    }
    assert values(show, 8)["views"] == 148233.0
    seen = fake_upstream.requests_to("/v2/research/video/query/")[0]
    assert seen.headers["Authorization"] == "Bearer clt.example12345Example12345Example"
    body = json.loads(seen.body)
    assert body["query"]["and"][0]["field_values"] == ["wednesday"]
    assert (body["start_date"], body["end_date"], body["max_count"]) == ("20250807", "20250808", 100)


def test_the_token_is_reused_until_it_expires(run_source, show, fake_upstream):
    run_source("tiktok", now=NOW)
    run_source("tiktok", now=datetime(2025, 8, 9, 0, 30, tzinfo=UTC))
    assert len(fake_upstream.requests_to("/v2/oauth/token/")) == 1
    run_source("tiktok", now=datetime(2025, 8, 9, 1, 0, tzinfo=UTC))  # 2 h lifetime, renewed early
    token_requests = fake_upstream.requests_to("/v2/oauth/token/")
    assert len(token_requests) == 2
    assert b"grant_type=client_credentials" in token_requests[0].body


def test_pages_follow_search_id_and_cursor(run_source, show, fake_upstream):
    fake_upstream.queue(QUERY, Reply(200, fixture_text("tiktok/research_video_query.json")))
    assert run_source("tiktok", now=NOW).status == "ok"
    first, second = query_bodies(fake_upstream)
    assert "search_id" not in first
    assert (second["search_id"], second["cursor"]) == ("7536702391118661678", 2)
    assert values(show, 7)["video_count"] == 1.0  # the same video on two pages counts once


def test_an_expired_search_id_restarts_the_query_once(run_source, show, fake_upstream):
    fake_upstream.queue(
        QUERY,
        Reply(200, fixture_text("tiktok/research_video_query.json")),
        Reply(400, fixture_text("tiktok/error_invalid_params_search_id.json")),
    )
    run = run_source("tiktok", now=NOW)
    assert run.status == "ok", run.error
    bodies = query_bodies(fake_upstream)
    assert len(bodies) == 3 and "search_id" not in bodies[2]


def test_a_search_id_expiring_twice_gives_up_on_the_hashtag(run_source, show, fake_upstream):
    page, expired = (
        Reply(200, fixture_text("tiktok/research_video_query.json")),
        Reply(400, fixture_text("tiktok/error_invalid_params_search_id.json")),
    )
    fake_upstream.queue(QUERY, page, expired, page, expired)
    run = run_source("tiktok", now=NOW)
    assert run.status == "failed" and "#wednesday: HTTP 400 invalid_params: Search Id" in run.error


def test_no_videos_store_zero_counts_for_both_days(run_source, show, fake_upstream):
    fake_upstream.queue(QUERY, Reply(200, fixture_text("tiktok/research_video_query_empty.json")))
    assert run_source("tiktok", now=NOW).status == "ok"
    assert (
        values(show, 7)
        == values(show, 8)
        == dict.fromkeys(["video_count", "views", "likes", "comments", "shares"], 0.0)
    )


def test_a_rate_limit_stops_the_run_without_retrying(run_source, show, fake_upstream):
    fake_upstream.queue(QUERY, Reply(429, fixture_text("tiktok/error_429_rate_limit_exceeded.json")))
    run = run_source("tiktok", now=NOW)
    assert run.status == "failed" and "rate limited by TikTok" in run.error
    assert len(fake_upstream.requests_to("/v2/research/video/query/")) == 1


def test_refused_credentials_are_a_permanent_failure(run_source, show, fake_upstream):
    fake_upstream.queue(TOKEN, Reply(401, fixture_text("tiktok/oauth_token_error.json")))
    run = run_source("tiktok", now=NOW)
    assert run.status == "failed" and run.error.startswith("permanent: TikTok refused")
    assert "invalid_request: Client secret is missed in request." in run.error
    assert not fake_upstream.requests_to("/v2/research/video/query/")
    assert Source.objects.get(key="tiktok").state == {}
