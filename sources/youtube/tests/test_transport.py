"""YouTube's client (google-api-python-client) sends its requests through core/http.py's session:
the same total deadline per request and per run, retries, error wording and User-Agent as every source."""

import gzip
import socket
from datetime import UTC, datetime

import pytest

from shows.models import Show
from shows.services import watchlist_add
from sources.models import FetchRun, Snapshot
from tests.fakeupstream import Reply, fixture_text

NOW = datetime(2025, 8, 11, 14, tzinfo=UTC)
KEY = "AIzaSyTEST-youtube-key-0123456789abcdef"
VIDEOS = r"^/youtube/v3/videos$"
STATISTICS = fixture_text("youtube/videos_list_statistics.json")


@pytest.fixture(autouse=True)
def keyed(monkeypatch, redis_conn, settings):
    monkeypatch.setenv("YOUTUBE_API_KEY", KEY)
    settings.HTTP_RETRIES = 1
    # Each byte of a trickle comes well inside the read timeout, so only a deadline ends it.
    settings.HTTP_DEADLINE_SECONDS = 1
    stale = redis_conn.keys("quota:*")
    if stale:
        redis_conn.delete(*stale)


@pytest.fixture
def show(db):
    show, _ = watchlist_add(title="Wednesday", season="Season 2")
    Show.objects.filter(pk=show.pk).update(youtube_trailer_ids=["EXAMPLEvid01"])
    return show


def stored() -> list[tuple]:
    return sorted(Snapshot.objects.values_list("scope", "metric", "observed_at", "value"))


def test_a_trickling_statistics_body_fails_the_run_at_the_request_deadline(run_source, show, fake_upstream):
    assert run_source("youtube", now=NOW).status == FetchRun.Status.OK
    before = stored()
    fake_upstream.queue(VIDEOS, Reply(200, STATISTICS, trickle=0.2))
    run = run_source("youtube", now=NOW)
    assert run.status == FetchRun.Status.FAILED
    assert "deadline of 1s exceeded while reading" in run.error and "/youtube/v3/videos" in run.error
    assert KEY not in run.error
    assert stored() == before


def test_a_trickling_body_ends_at_the_run_deadline_when_it_comes_first(
    run_source, show, fake_upstream, settings
):
    settings.HTTP_DEADLINE_SECONDS = 60
    settings.RUN_DEADLINE_SECONDS = 1
    fake_upstream.queue(VIDEOS, Reply(200, STATISTICS, trickle=0.2))
    run = run_source("youtube", now=NOW)
    assert run.status == FetchRun.Status.FAILED
    assert "run deadline of 1s exceeded" in run.error


def test_a_503_is_retried_by_the_session_and_the_second_answer_is_stored(run_source, show, fake_upstream):
    fake_upstream.queue(VIDEOS, Reply(503, '{"error": {"code": 503, "message": "backend error"}}'))
    run = run_source("youtube", now=NOW)
    assert run.status == FetchRun.Status.OK, run.error
    assert len(fake_upstream.requests_to("/youtube/v3/videos")) == 2
    assert ("EXAMPLEvid01", "views", datetime(2025, 8, 11, tzinfo=UTC), 18734102.0) in stored()


def test_a_gzip_encoded_answer_is_decoded(run_source, show, fake_upstream):
    fake_upstream.queue(
        VIDEOS, Reply(200, gzip.compress(STATISTICS.encode()), headers={"Content-Encoding": "gzip"})
    )
    run = run_source("youtube", now=NOW)
    assert run.status == FetchRun.Status.OK, run.error
    assert len(stored()) == 3


def test_requests_carry_the_projects_user_agent_asking_for_gzip(run_source, show, fake_upstream, settings):
    run_source("youtube", now=NOW)
    headers = fake_upstream.requests_to("/youtube/v3/videos")[0].headers
    agent = {k.lower(): v for k, v in headers.items()}["user-agent"]
    assert agent.startswith("KalshiPredictions/") and settings.KP_CONTACT in agent and "gzip" in agent


def test_a_refused_connection_leads_with_the_cause_and_hides_the_key(run_source, show, settings):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens once this socket is closed
    settings.SOURCE_BASE_URLS = {**settings.SOURCE_BASE_URLS, "youtube": f"http://127.0.0.1:{port}"}
    run = run_source("youtube", now=NOW)
    assert run.status == FetchRun.Status.FAILED
    assert run.error.startswith(f"temporary: connection refused by 127.0.0.1:{port}"), run.error
    assert KEY not in run.error
