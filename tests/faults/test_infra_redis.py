"""Redis restarted (empty) under a real Celery worker that uses it as both broker and cache, while a
source run is in flight. The Redis is the test's own, so restarting it touches no other test.

What must hold: the run still stores its rows in Postgres and ends recorded; the lock and heartbeat
of the run resolve by themselves (no lock left behind, the next run is not skipped); `latest` refills
from the database; the same worker (no restart) takes the next task from the restarted broker and runs
it to `ok`.
"""

import threading
import time
from dataclasses import replace

import httpx
import pytest
import redis

from core import cache
from core.locks import HEARTBEATS, LOCK_KEY
from kalshi_predictions.celery import app as celery_app
from sources.models import FetchRun
from sources.services import runs_reap
from sources.tasks import run_source
from sources.wikipedia.fake import PER_ARTICLE
from tests.faults.conftest import TALLY
from tests.faults.test_upstream_faults import lost_and_invented, stored_rows
from tests.private_services import PrivateRedis
from tests.processes import eventually, process_env, start_web, start_worker, upstream_env

pytestmark = [pytest.mark.postgres, pytest.mark.processes]
LOCK = LOCK_KEY.format(key="wikipedia")
LATEST = "source:wikipedia:latest"
SLOW = 8.0  # seconds the in-flight run's answer is held: Redis restarts inside it


@pytest.fixture
def private_redis():
    server = PrivateRedis()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def app(transactional_db, fake_upstream, sources_ready, watched, private_redis):
    slow = threading.Event()
    fake_upstream.tamper(PER_ARTICLE, lambda reply: replace(reply, delay=SLOW) if slow.is_set() else reply)
    env = process_env(
        **upstream_env(fake_upstream.url),
        REDIS_URL=private_redis.url,
        WIKIPEDIA_DAYS="10",
        KP_SOURCE_LOCK_TTL="3",
        KP_REDIS_RETRY_AFTER="1",  # the breaker closes a second after Redis is back
    )
    web, url = start_web(env)
    worker = start_worker(env)
    yield env, url, worker, slow
    worker.popen.terminate()  # both told at once: their shutdowns overlap
    web.stop()
    worker.stop()
    assert " 500 " not in web.log(), web.log()[-3000:]


def queue_run(env: dict, broker_url: str) -> None:
    """Publish through the private Redis, the worker's broker (the test process's broker is another)."""
    with celery_app.connection_for_write(broker_url) as connection:
        run_source.apply_async(args=["wikipedia"], queue=env["KP_CELERY_QUEUE"], connection=connection)


def run_after(last_id: int) -> FetchRun | None:
    return FetchRun.objects.filter(source__key="wikipedia", id__gt=last_id).exclude(status="started").first()


def test_redis_restarted_mid_run_keeps_the_rows_frees_the_lock_refills_latest_and_the_worker_reconnects(
    app, private_redis, fake_upstream, monkeypatch, settings
):
    settings.SOURCE_LOCK_TTL_SECONDS = 3  # the reaper below judges by the worker's TTL
    env, url, worker, slow = app
    plain = redis.Redis.from_url(private_redis.url)
    queue_run(env, private_redis.url)
    clean = eventually(lambda: run_after(0), what="the clean run")
    assert clean.status == "ok", clean.error
    before = stored_rows()

    TALLY["tried"] += 1
    slow.set()
    asked = len(fake_upstream.requests_to(PER_ARTICLE))
    queue_run(env, private_redis.url)
    eventually(lambda: len(fake_upstream.requests_to(PER_ARTICLE)) > asked, what="the run's request")
    assert plain.exists(LOCK)
    in_flight = FetchRun.objects.get(source__key="wikipedia", status="started")
    time.sleep(settings.SOURCE_LOCK_TTL_SECONDS - 1)  # old enough for the reaper to look at it
    private_redis.restart(down_for=1)  # comes back empty: no lock, no heartbeat, no latest, no queue
    slow.clear()
    # A reaper (beat's sweep, a worker starting) right after the restart finds no heartbeat for the
    # run: it must not take that for a dead worker.
    monkeypatch.setattr(cache, "redis_client", lambda: plain)
    assert runs_reap() == []
    # The run's heartbeat takes its lock back and stamps the run again while it is still going, so no
    # second run can start beside it and the reaper keeps seeing it alive.
    eventually(lambda: plain.exists(LOCK) and plain.hexists(HEARTBEATS, str(in_flight.id)), timeout=SLOW,
               what="the lock and heartbeat taken back")  # fmt: skip
    in_flight.refresh_from_db()
    assert in_flight.status == "started"
    cut = eventually(lambda: run_after(clean.id), what="the run in flight to end")

    assert cut.status == "ok", cut.error  # Redis is a cache: the run's rows went to Postgres all the same
    lost, invented = lost_and_invented(before, stored_rows())
    TALLY["lost"] += lost
    TALLY["invented"] += invented
    assert (lost, invented) == (0, 0)
    eventually(lambda: not plain.exists(LOCK), timeout=10, what="no lock left behind")
    eventually(lambda: not plain.hexists(HEARTBEATS, str(cut.id)), timeout=10, what="no heartbeat left")

    plain.delete(LATEST)  # as if the run had ended before Redis came back
    wiki = next(s for s in httpx.get(url + "/api/sources", timeout=10).json() if s["key"] == "wikipedia")
    assert wiki["latest"] and wiki["latestFrom"] == "database"
    assert eventually(lambda: plain.exists(LATEST), timeout=5, what="latest refilled in Redis")

    queue_run(env, private_redis.url)
    again = eventually(lambda: run_after(cut.id), what="the next run, through the restarted broker")
    assert again.status == "ok", again.error
    assert worker.popen.poll() is None  # the same worker: it reconnected by itself
    lost, invented = lost_and_invented(before, stored_rows())
    assert (lost, invented) == (0, 0)
    assert not FetchRun.objects.filter(status="started").exists()
    TALLY["survived"] += 1
