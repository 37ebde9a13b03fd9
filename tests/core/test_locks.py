"""The per-source run lock (core/locks.py): short TTL renewed by a heartbeat, token-checked release,
and what a run that dies leaves behind for the reaper."""

import json
import time

import pytest
from django.db import OperationalError

from core import locks as source_lock
from core.locks import HEARTBEATS, LOCK_KEY, SourceLock
from sources.models import FetchRun
from sources.pipeline import runs as pipeline

KEY = LOCK_KEY.format(key="wikipedia")


@pytest.fixture(autouse=True)
def _clean(redis_conn, db):  # db: on Postgres a lock also takes its database claim
    redis_conn.delete(HEARTBEATS, KEY)
    yield
    redis_conn.delete(HEARTBEATS, KEY)


def wait_until(condition, timeout: float = 15) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_the_lock_has_a_short_ttl_and_outlives_it_while_its_holder_lives(redis_conn):
    held = SourceLock("wikipedia", ttl=2)
    assert held.acquire()
    try:
        assert 0 < redis_conn.pttl(KEY) <= 2000
        renewed = []
        # Watch for longer than one TTL: the key never vanishes, and its TTL goes back up (renewed).
        started = time.monotonic()
        last = redis_conn.pttl(KEY)
        while time.monotonic() - started < 3:
            now = redis_conn.pttl(KEY)
            assert now > 0, "the lock expired while its holder was alive"
            if now > last:
                renewed.append(now)
            last = now
            time.sleep(0.05)
        assert renewed
    finally:
        held.release()
    assert not redis_conn.exists(KEY)


def test_a_lock_whose_heartbeat_stopped_frees_itself_after_its_ttl(redis_conn):
    held = SourceLock("wikipedia", ttl=2)
    assert held.acquire()
    held._stop.set()  # what a killed worker looks like: no more beats, no release
    held._thread.join()
    assert redis_conn.exists(KEY)
    assert wait_until(lambda: not redis_conn.exists(KEY))
    after = SourceLock("wikipedia", ttl=2)
    assert after.acquire()
    after.release()  # else its heartbeat would hold the lock for every later test of this process


def test_a_second_holder_is_refused_while_the_lock_is_held(redis_conn):
    first = SourceLock("wikipedia", ttl=5)
    assert first.acquire()
    try:
        assert not SourceLock("wikipedia", ttl=5).acquire()
    finally:
        first.release()


def test_release_never_frees_a_lock_another_run_took_after_expiry(redis_conn):
    held = SourceLock("wikipedia", ttl=5)
    assert held.acquire()
    redis_conn.set(KEY, "other-worker:token", ex=5)  # ours expired and another run took it
    held.release()
    assert redis_conn.get(KEY) == b"other-worker:token"


def test_a_run_that_meets_the_lock_held_is_recorded_as_skipped(run_source, redis_conn):
    other = SourceLock("wikipedia", ttl=5)
    assert other.acquire()
    try:
        run = run_source("wikipedia")
    finally:
        other.release()
    assert (run.status, run.error) == (FetchRun.Status.SKIPPED, pipeline.LOCK_HELD)


def test_a_finished_run_leaves_neither_lock_nor_heartbeat(run_source, watched, redis_conn, settings):
    settings.WIKIPEDIA_DAYS = 3
    run = run_source("wikipedia")
    assert run.status in (FetchRun.Status.OK, FetchRun.Status.PARTIAL), run.error
    assert not redis_conn.exists(KEY)
    assert not redis_conn.hexists(HEARTBEATS, run.id)


def test_a_run_beats_while_it_fetches(run_source, watched, redis_conn, monkeypatch):
    seen = {}

    def fetch(self, ctx):
        run = FetchRun.objects.get(status=FetchRun.Status.STARTED)
        seen["beat"] = source_lock.heartbeats([run.id]).get(run.id)
        seen["ttl"] = redis_conn.pttl(KEY)
        return []

    monkeypatch.setattr("sources.wikipedia.runner.WikipediaRunner.fetch", fetch)
    run_source("wikipedia")
    assert seen["beat"]["worker"] == source_lock.worker_name()
    assert 0 < seen["ttl"] <= 30_000


def test_a_run_that_cannot_record_its_end_leaves_the_reason_for_the_reaper(
    run_source, watched, redis_conn, monkeypatch, settings
):
    settings.WIKIPEDIA_DAYS = 3

    def finish(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr("sources.pipeline.runs._finish", finish)
    with pytest.raises(OperationalError):
        run_source("wikipedia")
    run = FetchRun.objects.get(status=FetchRun.Status.STARTED)
    entry = json.loads(redis_conn.hget(HEARTBEATS, run.id))
    assert entry["ended"] == "OperationalError: server closed the connection unexpectedly"
    assert not redis_conn.exists(KEY)


def test_a_run_started_while_redis_failed_takes_its_lock_once_redis_answers(redis_conn, monkeypatch):
    import redis

    held = SourceLock("wikipedia", ttl=2)
    real_acquire = held._lock.acquire
    calls = []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise redis.ConnectionError("refused")
        return real_acquire(*args, **kwargs)

    monkeypatch.setattr(held._lock, "acquire", flaky)
    assert held.acquire()  # Redis down: the run goes ahead unlocked
    try:
        assert wait_until(lambda: redis_conn.get(KEY) == held.token.encode())
        assert not SourceLock("wikipedia", ttl=2).acquire()  # a second run now waits its turn
    finally:
        held.release()
    assert not redis_conn.exists(KEY)


@pytest.mark.django_db
def test_a_long_run_ending_keeps_an_admin_edit_made_while_it_ran(run_source, watched, settings, monkeypatch):
    from sources.models import Source

    settings.WIKIPEDIA_DAYS = 3
    real = pipeline.raw_events_store

    def admin_disables_meanwhile(source, fetch_run, responses):
        Source.objects.filter(key="wikipedia").update(enabled=False)
        real(source, fetch_run, responses)

    monkeypatch.setattr(pipeline, "raw_events_store", admin_disables_meanwhile)
    run = run_source("wikipedia")
    assert run.status == "ok"
    source = Source.objects.get(key="wikipedia")
    assert source.enabled is False and source.last_success_at is not None
