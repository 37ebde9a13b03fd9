"""The reaper (sources.services.runs_reap), database errors mid-run, and a backfill that meets a held
source lock (sources.tasks.backfill_show)."""

import json
import time
from datetime import timedelta

import pytest
import redis
from celery.exceptions import Retry
from django.db import OperationalError
from django.utils import timezone

from core.locks import HEARTBEATS, LOCK_KEY, SourceLock
from sources.models import FetchRun, Snapshot, Source
from sources.pipeline import backfill
from sources.pipeline import runs as pipeline
from sources.services import runs_reap
from sources.tasks import backfill_show, reap_runs, run_source


@pytest.fixture(autouse=True)
def _clean(redis_conn):
    redis_conn.delete(HEARTBEATS)
    yield
    redis_conn.delete(HEARTBEATS, LOCK_KEY.format(key="wikipedia"))


@pytest.fixture
def open_run(sources_ready):
    """A run left `started`, as a killed worker leaves it, begun a minute ago."""
    run = FetchRun.objects.create(source=Source.objects.get(key="wikipedia"))
    FetchRun.objects.filter(pk=run.pk).update(started_at=timezone.now() - timedelta(minutes=1))
    return run


def beat(redis_conn, run: FetchRun, seconds_ago: float, **extra) -> None:
    entry = {"at": time.time() - seconds_ago, "worker": "host-a:4242", **extra}
    redis_conn.hset(HEARTBEATS, run.id, json.dumps(entry))


def test_a_run_whose_heartbeat_stopped_is_closed_as_failed_with_the_reason(open_run, redis_conn):
    beat(redis_conn, open_run, seconds_ago=45)
    reaped = runs_reap()
    open_run.refresh_from_db()
    assert [r.id for r in reaped] == [open_run.id]
    assert open_run.status == FetchRun.Status.FAILED and open_run.finished_at is not None
    assert open_run.error.startswith("worker lost (host-a:4242): no heartbeat since ")
    source = Source.objects.get(key="wikipedia")
    assert source.consecutive_failures == 1 and source.last_error == open_run.error
    assert source.health == Source.Health.FAILING
    assert not redis_conn.hexists(HEARTBEATS, open_run.id)


def test_a_run_that_never_beat_is_closed_once_it_is_older_than_the_lock_ttl(open_run):
    runs_reap()
    open_run.refresh_from_db()
    assert open_run.status == FetchRun.Status.FAILED
    assert open_run.error.startswith("worker lost: no heartbeat since the run started at ")


def test_a_run_with_a_fresh_heartbeat_is_left_running(open_run, redis_conn):
    beat(redis_conn, open_run, seconds_ago=1)
    assert runs_reap() == []
    open_run.refresh_from_db()
    assert open_run.status == FetchRun.Status.STARTED


def test_a_run_younger_than_the_lock_ttl_is_left_alone(sources_ready):
    run = FetchRun.objects.create(source=Source.objects.get(key="wikipedia"))
    assert runs_reap() == []
    run.refresh_from_db()
    assert run.status == FetchRun.Status.STARTED


def test_a_run_that_ended_without_recording_is_closed_with_what_stopped_it(open_run, redis_conn):
    beat(redis_conn, open_run, seconds_ago=0, ended="OperationalError: the database system is shutting down")
    runs_reap()
    open_run.refresh_from_db()
    assert open_run.status == FetchRun.Status.FAILED
    assert "without recording its result: OperationalError: the database system is shutting down" in (
        open_run.error
    )


def test_with_redis_down_nothing_is_reaped(open_run, monkeypatch):
    def down(run_ids):
        raise redis.ConnectionError("refused")

    monkeypatch.setattr("core.locks.heartbeats", down)
    assert runs_reap() == []
    open_run.refresh_from_db()
    assert open_run.status == FetchRun.Status.STARTED


def test_finished_runs_are_never_touched(open_run, redis_conn):
    FetchRun.objects.filter(pk=open_run.pk).update(status=FetchRun.Status.OK, finished_at=timezone.now())
    reap_runs()  # the beat task
    open_run.refresh_from_db()
    assert (open_run.status, open_run.error) == (FetchRun.Status.OK, "")


def test_a_database_error_storing_raw_responses_fails_the_run_instead_of_escaping(
    run_source, watched, monkeypatch, settings
):
    settings.WIKIPEDIA_DAYS = 3

    def down(*args, **kwargs):
        raise OperationalError("terminating connection due to administrator command")

    monkeypatch.setattr("sources.pipeline.runs.raw_events_store", down)
    run = run_source("wikipedia")
    assert run.status == FetchRun.Status.FAILED
    assert run.error.startswith("storing raw responses failed: OperationalError: terminating connection")
    assert not Snapshot.objects.exists()


# --- a backfill that meets the source's lock held --------------------------------------------


@pytest.fixture
def wikipedia_only(monkeypatch, fake_upstream, sources_ready, redis_conn):
    monkeypatch.setattr("sources.pipeline.backfill.per_show_sources", lambda: ["wikipedia"])
    # A month back from today, in two windows: the test does not depend on the date.
    start = timezone.now().date() - timedelta(days=30)
    monkeypatch.setattr("sources.wikipedia.runner.WikipediaRunner.backfill_start", start)
    monkeypatch.setattr("sources.wikipedia.runner.WikipediaRunner.backfill_chunk", timedelta(days=20))
    return start


@pytest.fixture
def held():
    other = SourceLock("wikipedia", ttl=30)
    assert other.acquire()
    yield other
    other.release()


def test_a_backfill_meeting_a_held_lock_says_nothing_was_stored_and_where_to_go_on(
    wikipedia_only, watched, held
):
    with pytest.raises(backfill.SourceBusy) as caught:
        backfill.source_backfill("wikipedia", show={"id": watched.id})
    assert caught.value.since == wikipedia_only
    assert "Nothing was stored yet" in str(caught.value)
    assert "Windows before it are stored" not in str(caught.value)


def test_the_backfill_task_retries_from_the_busy_window_instead_of_dropping_it(
    wikipedia_only, watched, held, monkeypatch, settings
):
    retried = {}

    def retry(**kwargs):
        retried.update(kwargs)
        raise Retry("busy")

    monkeypatch.setattr(backfill_show, "retry", retry)
    with pytest.raises(Retry):
        backfill_show(watched.id)
    assert retried["kwargs"] == {"show_id": watched.id, "resume": {"wikipedia": wikipedia_only.isoformat()}}
    assert retried["countdown"] == settings.BACKFILL_BUSY_RETRY_SECONDS
    assert not Snapshot.objects.filter(show=watched).exists()

    held.release()  # the other run ends; the retry now loads the history
    backfill_show(**retried["kwargs"])
    assert Snapshot.objects.filter(show=watched, source__key="wikipedia", period="day").count() >= 10


def test_a_retried_backfill_goes_on_from_the_window_where_it_stopped(wikipedia_only, watched):
    second = wikipedia_only + timedelta(days=20)
    results = backfill.show_backfill(show_id=watched.id, resume={"wikipedia": second.isoformat()})
    totals = results["wikipedia"]
    assert totals.windows == 1
    run = totals.runs[0]
    assert Snapshot.objects.filter(show=watched, observed_at__date__lt=second).count() == 0
    assert run.status in (FetchRun.Status.OK, FetchRun.Status.PARTIAL)


# --- a run delivered again after its worker died -----------------------------------------------


@pytest.fixture
def retries(monkeypatch):
    calls = []

    def retry(**kwargs):
        calls.append(kwargs)
        raise Retry("later")

    monkeypatch.setattr(run_source, "retry", retry)
    return calls


def deliver(*, redelivered: bool) -> None:
    run_source.push_request(delivery_info={"redelivered": redelivered})
    try:
        run_source.run("wikipedia")
    finally:
        run_source.pop_request()


def test_a_redelivered_run_meeting_the_dead_runs_lock_comes_back_after_the_lock_ttl(
    fake_upstream, sources_ready, held, retries, settings
):
    with pytest.raises(Retry):
        deliver(redelivered=True)
    assert retries == [{"countdown": settings.SOURCE_LOCK_TTL_SECONDS, "max_retries": 3}]


def test_a_first_delivery_meeting_a_held_lock_is_skipped_without_a_retry(
    fake_upstream, sources_ready, held, retries
):
    deliver(redelivered=False)  # a scheduled run overlapping a running one: that one does the work
    assert retries == []
    assert FetchRun.objects.get(status=FetchRun.Status.SKIPPED).error == pipeline.LOCK_HELD


# --- the database connection lost mid-run (what a Postgres restart does to a worker) -------------


@pytest.mark.postgres
def test_a_run_whose_database_connection_is_cut_mid_fetch_is_recorded_failed_not_orphaned(
    transactional_db, fake_upstream, sources_ready, watched, redis_conn, monkeypatch, settings
):
    import psycopg
    from django.db import connection

    from sources.wikipedia.runner import WikipediaRunner
    from tests.processes import test_database_url

    settings.WIKIPEDIA_DAYS = 3
    fetch = WikipediaRunner.fetch

    def fetch_then_cut(self, ctx):
        responses = fetch(self, ctx)
        # Postgres ends this worker's session, as a restart does, while the run is between queries.
        with psycopg.connect(test_database_url().replace("postgres://", "postgresql://")) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", [connection.connection.info.backend_pid])
        return responses

    monkeypatch.setattr("sources.wikipedia.runner.WikipediaRunner.fetch", fetch_then_cut)
    run = pipeline.run("wikipedia")
    assert run.status == FetchRun.Status.FAILED
    assert run.error.startswith("storing raw responses failed: ")
    stored = FetchRun.objects.get(pk=run.pk)  # on a new connection: the failure really is recorded
    assert (stored.status, stored.finished_at is not None) == (FetchRun.Status.FAILED, True)
    assert not FetchRun.objects.filter(status=FetchRun.Status.STARTED).exists()
    assert Source.objects.get(key="wikipedia").consecutive_failures == 1
