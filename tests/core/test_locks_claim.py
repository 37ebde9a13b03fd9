"""The database claim beside the Redis lock (core/locks.py): a source whose Redis lock was lost (Redis
restarted empty) while another worker's run goes on is not run twice."""

import time

import psycopg
import pytest
from django.db import OperationalError, connection

from core.locks import CLAIM_SPACE, LOCK_KEY, ClaimLost, SourceLock
from sources.models import FetchRun
from sources.pipeline import runs as pipeline
from tests import processes

pytestmark = pytest.mark.postgres
WIKI_LOCK = LOCK_KEY.format(key="wikipedia")


@pytest.fixture
def other_worker(db, redis_conn):
    """Another worker's database session, claiming wikipedia as its run would; its Redis lock is gone."""
    session = psycopg.connect(
        processes.test_database_url().replace("postgres://", "postgresql://"), autocommit=True
    )
    taken = session.execute("SELECT pg_try_advisory_lock(%s, hashtext('wikipedia'))", [CLAIM_SPACE])
    assert taken.fetchone()[0], "the claim is held already (a lock left by an earlier test?)"
    redis_conn.delete(WIKI_LOCK)
    yield session
    session.close()
    redis_conn.delete(WIKI_LOCK)


def test_a_run_whose_redis_lock_is_free_is_refused_while_another_worker_holds_the_claim(
    other_worker, redis_conn
):
    lock = SourceLock("wikipedia")
    assert lock.acquire() is False
    assert not redis_conn.exists(WIKI_LOCK)  # the Redis lock it took is given back


def test_the_claim_of_a_worker_that_died_frees_with_its_connection(other_worker):
    other_worker.close()  # what Postgres sees when a worker is killed: its session ends
    lock = SourceLock("wikipedia")
    deadline = time.monotonic() + 5  # the server ends the session a moment after the socket closes
    while not lock.acquire():
        assert time.monotonic() < deadline, "the dead session's claim was not freed"
        time.sleep(0.05)
    lock.release()


def test_a_released_claim_can_be_taken_by_another_worker(db, redis_conn):
    lock = SourceLock("wikipedia")
    assert lock.acquire() is True
    with psycopg.connect(
        processes.test_database_url().replace("postgres://", "postgresql://"), autocommit=True
    ) as other:
        taken = "SELECT pg_try_advisory_lock(%s, hashtext('wikipedia'))"
        assert other.execute(taken, [CLAIM_SPACE]).fetchone()[0] is False  # held by this run
        lock.release()
        assert other.execute(taken, [CLAIM_SPACE]).fetchone()[0] is True


def test_a_pipeline_run_meeting_the_claim_held_is_skipped_and_makes_no_request(
    other_worker, fake_upstream, sources_ready, watched
):
    run = pipeline.run("wikipedia")
    assert run.status == FetchRun.Status.SKIPPED and run.error == pipeline.LOCK_HELD
    assert fake_upstream.seen == []


def test_with_the_database_down_at_the_claim_the_redis_lock_is_given_back(db, redis_conn, monkeypatch):
    def refused(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(SourceLock, "_claim", refused)
    with pytest.raises(OperationalError):
        SourceLock("wikipedia").acquire()
    assert not redis_conn.exists(WIKI_LOCK)
    assert connection.vendor == "postgresql"


# --- a run whose connection was replaced mid-run (its claim ended with it) --------------------------


def take_claim_elsewhere() -> psycopg.Connection:
    other = psycopg.connect(
        processes.test_database_url().replace("postgres://", "postgresql://"), autocommit=True
    )
    deadline = time.monotonic() + 5  # the ended session's claim is freed a moment after its socket closes
    while not other.execute(
        "SELECT pg_try_advisory_lock(%s, hashtext('wikipedia'))", [CLAIM_SPACE]
    ).fetchone()[0]:
        assert time.monotonic() < deadline, "the claim was not freed"
        time.sleep(0.05)
    return other


def test_a_run_whose_claim_ended_with_its_connection_stops_before_it_writes_when_another_took_it(
    transactional_db, redis_conn
):
    lock = SourceLock("wikipedia")
    assert lock.acquire()
    lock.claim_check()  # held: nothing happens
    connection.close()  # what a database restart does to the run's session
    other = take_claim_elsewhere()
    try:
        with pytest.raises(ClaimLost, match="another run holds it now"):
            lock.claim_check()
    finally:
        lock.release()
        other.close()


def test_a_run_whose_claim_ended_takes_it_back_when_no_other_run_has_it(transactional_db, redis_conn):
    lock = SourceLock("wikipedia")
    assert lock.acquire()
    connection.close()
    lock.claim_check()  # taken back on the new connection
    with psycopg.connect(
        processes.test_database_url().replace("postgres://", "postgresql://"), autocommit=True
    ) as other:
        assert (
            other.execute("SELECT pg_try_advisory_lock(%s, hashtext('wikipedia'))", [CLAIM_SPACE]).fetchone()[
                0
            ]
            is False
        )
    lock.release()


def test_a_pipeline_run_that_lost_its_claim_mid_fetch_stores_nothing(
    transactional_db, fake_upstream, sources_ready, watched, redis_conn, monkeypatch, settings
):
    from sources.models import Snapshot
    from sources.wikipedia.runner import WikipediaRunner

    settings.WIKIPEDIA_DAYS = 3
    fetch, others = WikipediaRunner.fetch, []

    def fetch_then_lose_the_claim(self, ctx):
        result = fetch(self, ctx)
        connection.close()  # the run's session ends (a restart) ...
        others.append(take_claim_elsewhere())  # ... and another worker's run claims the source
        return result

    monkeypatch.setattr(WikipediaRunner, "fetch", fetch_then_lose_the_claim)
    try:
        run = pipeline.run("wikipedia")
    finally:
        for other in others:
            other.close()
    assert run.status == FetchRun.Status.FAILED
    assert "ClaimLost: the database claim of wikipedia ended with its connection" in run.error
    assert not Snapshot.objects.exists()
