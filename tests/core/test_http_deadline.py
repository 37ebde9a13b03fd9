"""A total deadline per request and per run (core/http.py): read timeouts alone never end a body
that trickles in a byte at a time."""

import gzip
import json
import time
from datetime import UTC, datetime

import pytest

from core import http
from sources.base import SourceError
from sources.models import FetchRun, Snapshot
from tests.fakeupstream import Reply, fixture_text

NOW = datetime(2025, 8, 11, 12, tzinfo=UTC)
WIKI = r"/per-article/en\.wikipedia/all-access/user/"
TRICKLE = Reply(200, fixture_text("wikipedia/per_article_daily.json"), trickle=0.2)


RATE_LIMITED = Reply(429, '{"title": "Too many requests"}', headers={"Retry-After": "30"})


class VirtualClock:
    """core.http's time: a sleep is recorded and moves the clock on instead of passing."""

    def __init__(self):
        self.slept: list[float] = []
        self.skipped = 0.0

    def monotonic(self) -> float:
        return time.monotonic() + self.skipped

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.skipped += seconds


@pytest.fixture
def clock(monkeypatch, settings):
    settings.HTTP_RETRIES = 3
    settings.HTTP_MAX_RETRY_AFTER = 60
    virtual = VirtualClock()
    monkeypatch.setattr(http, "time", virtual)
    return virtual


@pytest.fixture(autouse=True)
def _short_deadline(settings):
    # Each byte comes well inside the 3 s read timeout (tests/conftest.py), so only a deadline ends it.
    settings.HTTP_DEADLINE_SECONDS = 1
    settings.WIKIPEDIA_DAYS = 10


def test_a_trickling_body_fails_at_the_request_deadline_not_at_a_read_timeout(fake_upstream):
    fake_upstream.queue("/slow", TRICKLE)
    with pytest.raises(SourceError, match=r"deadline of 1s exceeded while reading .*/slow") as caught:
        http.get(http.make_session(), fake_upstream.url + "/slow")
    assert "timed out" not in str(caught.value)


def test_a_body_within_the_deadline_is_read_whole_and_decoded(fake_upstream):
    body = fixture_text("wikipedia/per_article_daily.json")
    fake_upstream.queue(
        "/gzipped", Reply(200, gzip.compress(body.encode()), headers={"Content-Encoding": "gzip"})
    )
    response = http.get(http.make_session(), fake_upstream.url + "/gzipped")
    assert response.status_code == 200
    assert response.json() == json.loads(body)


def test_no_request_is_sent_once_the_run_deadline_has_passed(fake_upstream):
    session = http.make_session()
    with http.run_deadline(0) as deadline:
        with pytest.raises(SourceError, match="run deadline of 0s exceeded before"):
            http.get(session, fake_upstream.url + "/anything")
    assert deadline.passed
    assert fake_upstream.requests_to("/anything") == []


def test_a_request_within_the_run_ends_at_the_run_deadline_when_it_comes_first(fake_upstream, settings):
    settings.HTTP_DEADLINE_SECONDS = 60
    fake_upstream.queue("/slow", TRICKLE)
    with http.run_deadline(1):
        with pytest.raises(SourceError, match="run deadline of 1s exceeded while reading"):
            http.get(http.make_session(), fake_upstream.url + "/slow")


def test_a_run_against_a_trickling_upstream_fails_with_the_deadline_and_keeps_stored_rows(
    run_source, fake_upstream, watched
):
    assert run_source("wikipedia", now=NOW).status == FetchRun.Status.OK
    before = list(Snapshot.objects.values_list("observed_at", "value"))
    fake_upstream.queue(WIKI, TRICKLE)
    run = run_source("wikipedia", now=NOW)
    assert run.status == FetchRun.Status.FAILED
    assert "deadline of 1s exceeded" in run.error
    assert list(Snapshot.objects.values_list("observed_at", "value")) == before


def test_a_run_ends_at_the_run_deadline(run_source, fake_upstream, watched, settings):
    settings.HTTP_DEADLINE_SECONDS = 60
    settings.RUN_DEADLINE_SECONDS = 1
    fake_upstream.queue(WIKI, TRICKLE)
    run = run_source("wikipedia", now=NOW)
    assert run.status == FetchRun.Status.FAILED
    assert "run deadline of 1s exceeded" in run.error


def test_a_runner_error_after_the_run_deadline_says_so(run_source, watched, settings, monkeypatch):
    settings.RUN_DEADLINE_SECONDS = 0

    def fetch(self, ctx):
        raise SourceError("upstream gave up")  # a client that words its own timeout errors

    monkeypatch.setattr("sources.wikipedia.runner.WikipediaRunner.fetch", fetch)
    run = run_source("wikipedia", now=NOW)
    assert run.error == "temporary: upstream gave up (run deadline of 0s exceeded)"


def test_retries_stop_when_the_next_retry_after_would_end_past_the_request_deadline(
    fake_upstream, settings, clock
):
    settings.HTTP_DEADLINE_SECONDS = 70
    fake_upstream.route("/limited", RATE_LIMITED)
    with pytest.raises(SourceError, match=r"deadline of 70s leaves no time to wait 30s and retry .*/limited"):
        http.get(http.make_session(), fake_upstream.url + "/limited")
    assert clock.slept == [30, 30]  # a third wait would end at 90 s, past the 70 s deadline
    assert len(fake_upstream.requests_to("/limited")) == 3


def test_a_retry_after_that_fits_in_the_deadline_is_waited_and_retried(fake_upstream, settings, clock):
    settings.HTTP_DEADLINE_SECONDS = 5
    body = fixture_text("wikipedia/per_article_daily.json")
    fake_upstream.queue("/limited", Reply(429, "", headers={"Retry-After": "1"}), Reply(200, body))
    response = http.get(http.make_session(), fake_upstream.url + "/limited")
    assert response.status_code == 200 and response.json() == json.loads(body)
    assert clock.slept == [1]


def test_a_run_rate_limited_past_its_deadline_fails_without_sleeping_and_keeps_stored_rows(
    run_source, fake_upstream, watched, settings, clock
):
    settings.HTTP_DEADLINE_SECONDS = 5
    assert run_source("wikipedia", now=NOW).status == FetchRun.Status.OK
    before = list(Snapshot.objects.values_list("observed_at", "value"))
    fake_upstream.route(WIKI, RATE_LIMITED)
    run = run_source("wikipedia", now=NOW)
    assert run.status == FetchRun.Status.FAILED
    assert run.error.startswith("temporary:") and "deadline of 5s leaves no time to wait 30s" in run.error
    assert "after HTTP 429" in run.error
    assert clock.slept == []
    assert len(fake_upstream.requests_to(WIKI)) == 2  # the clean run's and the refused one, not retried
    assert list(Snapshot.objects.values_list("observed_at", "value")) == before


def test_the_default_run_deadline_ends_a_run_before_celerys_time_limit_would_kill_it(settings):
    assert settings.RUN_DEADLINE_SECONDS < settings.CELERY_TASK_SOFT_TIME_LIMIT
