"""The YouTube runner (google-api-python-client, static discovery) through the real pipeline."""

from datetime import UTC, datetime

import pytest

from shows.models import Show
from shows.services import watchlist_add
from sources.models import RawEvent, Snapshot, Source
from sources.pipeline import quota
from sources.youtube.normalize import normalize
from tests.fakeupstream import Reply, fixture_text

NOW = datetime(2025, 8, 11, 14, tzinfo=UTC)
KEY = "AIzaSyTEST-youtube-key-0123456789abcdef"
SEARCH, VIDEOS = r"^/youtube/v3/search$", r"^/youtube/v3/videos$"


@pytest.fixture(autouse=True)
def keyed(monkeypatch, redis_conn, settings):
    monkeypatch.setenv("YOUTUBE_API_KEY", KEY)
    settings.HTTP_RETRIES = 1
    stale = redis_conn.keys("quota:*")
    if stale:
        redis_conn.delete(*stale)


@pytest.fixture
def show(db):
    show, _ = watchlist_add(title="Wednesday", season="Season 2")
    return show


def set_trailers(show, *ids):
    Show.objects.filter(pk=show.pk).update(youtube_trailer_ids=list(ids))


def test_statistics_become_views_likes_and_comments_per_trailer(run_source, show, fake_upstream):
    set_trailers(show, "EXAMPLEvid01")
    run = run_source("youtube", now=NOW)
    assert run.status == "ok", run.error
    rows = dict(Snapshot.objects.filter(show=show, scope="EXAMPLEvid01").values_list("metric", "value"))
    assert rows == {"views": 18734102.0, "likes": 402187.0, "comments": 21560.0}
    assert Snapshot.objects.filter(observed_at=datetime(2025, 8, 11, tzinfo=UTC), period="day").count() == 3
    assert not fake_upstream.requests_to("/search")  # ids set on the show: no 100-unit search
    seen = fake_upstream.requests_to("/youtube/v3/videos")[0].path
    assert "id=EXAMPLEvid01" in seen and "part=snippet%2Cstatistics" in seen
    assert quota.status("youtube", NOW)["used"] == 1


def test_a_hidden_like_count_stores_no_likes_row_instead_of_zero():
    from sources.base import RawResponse

    meta = {"day": "2025-08-11T00:00:00+00:00", "shows_by_video": {"EXAMPLEvid03": [5]}}
    body = fixture_text("youtube/videos_list_statistics.json")
    items = normalize([RawResponse("GET", "u", 200, body, NOW, meta)])
    assert {i.metric for i in items} == {"views", "comments"}


def test_trailers_are_searched_once_and_remembered(run_source, show, fake_upstream):
    first = run_source("youtube", now=NOW)
    # The search found vid01 and vid02; videos.list knows only vid01 of them.
    assert first.status == "partial"
    assert "video EXAMPLEvid02: not found" in first.error
    assert Source.objects.get(key="youtube").state["trailer_ids"] == {
        str(show.id): ["EXAMPLEvid01", "EXAMPLEvid02"]
    }
    assert "q=Wednesday+Season+2+official+trailer" in fake_upstream.requests_to("/search")[0].path
    run_source("youtube", now=NOW)
    assert len(fake_upstream.requests_to("/search")) == 1
    assert quota.status("youtube", NOW)["used"] == 100 + 1 + 1


def test_ids_are_sent_in_batches_of_fifty(run_source, show, fake_upstream):
    set_trailers(show, *[f"vid{n:03}" for n in range(120)])
    run_source("youtube", now=NOW)
    batches = [s.path for s in fake_upstream.requests_to("/youtube/v3/videos")]
    assert len(batches) == 3
    assert batches[0].count("%2Cvid") == 49 and batches[2].count("%2Cvid") == 19


def test_an_empty_answer_for_every_id_is_a_failed_run_naming_them(run_source, show, fake_upstream):
    set_trailers(show, "EXAMPLEvid01", "gone0000000")
    fake_upstream.queue(VIDEOS, Reply(200, fixture_text("youtube/videos_list_empty.json")))
    run = run_source("youtube", now=NOW)
    assert run.status == "failed" and "nothing stored" in run.error
    assert "video EXAMPLEvid01: not found" in run.error and "video gone0000000: not found" in run.error


def test_quota_exceeded_fails_once_then_skips_until_midnight_pacific(run_source, show, fake_upstream):
    set_trailers(show, "EXAMPLEvid01")
    fake_upstream.queue(VIDEOS, Reply(403, fixture_text("youtube/error_403_quota_exceeded.json")))
    run = run_source("youtube", now=NOW)
    assert run.status == "failed"
    assert "quota exceeded (quotaExceeded)" in run.error and "2025-08-12 07:00 UTC" in run.error
    later = run_source("youtube", now=datetime(2025, 8, 12, 6, 59, tzinfo=UTC))
    assert later.status == "skipped" and "used up until 2025-08-12 07:00" in later.error
    assert len(fake_upstream.requests_to("/youtube/v3/videos")) == 1
    assert run_source("youtube", now=datetime(2025, 8, 12, 7, 1, tzinfo=UTC)).status == "ok"


def test_an_invalid_key_is_a_permanent_failure_and_the_key_is_not_stored(run_source, show, fake_upstream):
    set_trailers(show, "EXAMPLEvid01")
    body = (
        '{"error": {"code": 400, "message": "API key not valid. Please pass a valid API key.", '
        '"errors": [{"message": "API key not valid. Please pass a valid API key.", '
        '"domain": "global", "reason": "badRequest"}], "status": "INVALID_ARGUMENT", '
        '"details": [{"reason": "API_KEY_INVALID"}]}}'
    )
    fake_upstream.queue(VIDEOS, Reply(400, body.replace("badRequest", "keyInvalid")))
    run = run_source("youtube", now=NOW)
    assert run.status == "failed" and run.error.startswith("permanent:")
    assert "YOUTUBE_API_KEY" in run.error
    event = RawEvent.objects.get(run=run)
    assert KEY not in event.url and "key=[redacted]" in event.url


def test_a_search_that_would_overdraw_the_day_is_skipped(run_source, show, fake_upstream, settings):
    settings.SOURCE_QUOTA_LIMITS = {**settings.SOURCE_QUOTA_LIMITS, "youtube": 150}
    quota.record("youtube", quota.QuotaUse(spent=60), NOW)
    run = run_source("youtube", now=NOW)
    assert run.status == "skipped" and "needs 101 units, 90 of 150 left" in run.error
    assert not fake_upstream.seen
