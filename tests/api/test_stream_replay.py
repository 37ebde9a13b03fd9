"""Done-when of the stream: a real uvicorn and a real Celery worker; a client gets a run's event live,
disconnects, misses two runs, reconnects with Last-Event-ID and receives exactly those two."""

import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

import pytest
from kombu import Connection

from kalshi_predictions.env import celery_broker_url
from sources.models import FetchRun
from sources.tasks import run_source
from tests.processes import ROOT, process_env, start_web, start_worker
from tests.sse import SSEClient

sys.path.insert(0, str(ROOT / "bin"))
import private_redis  # noqa: E402

pytestmark = [pytest.mark.postgres, pytest.mark.processes]


@pytest.fixture
def own_redis():
    # Redis pub/sub ignores the db number, so another test run on the shared server would deliver its
    # events to our stream; a private server makes "exactly two" mean exactly two.
    var = Path(tempfile.mkdtemp(prefix="kp-sse-"))  # short: a unix socket path has ~100 characters
    private_redis.start(var)
    yield private_redis.url(var)
    private_redis.stop(var)
    shutil.rmtree(var, ignore_errors=True)


@pytest.fixture
def services(transactional_db, fake_upstream, sources_ready, watched, own_redis):
    env = process_env(
        REDIS_URL=own_redis, WIKIPEDIA_BASE_URL=fake_upstream.url, WIKIPEDIA_DAYS="10", KP_PUBLIC_READ="true"
    )
    web, url = start_web(env)
    worker = start_worker(env)
    yield env, url
    worker.stop()
    web.stop()


def run_in_worker(env: dict) -> FetchRun:
    """Queue one Wikipedia run on the worker's own broker and wait until it is recorded as finished."""
    before = set(FetchRun.objects.values_list("id", flat=True))
    with Connection(celery_broker_url(env["REDIS_URL"])) as broker:
        run_source.apply_async(args=["wikipedia"], queue=env["KP_CELERY_QUEUE"], connection=broker)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        run = FetchRun.objects.exclude(id__in=before).filter(finished_at__isnull=False).first()
        if run is not None:
            assert run.status in ("ok", "partial"), run.error
            return run
        time.sleep(0.2)
    raise AssertionError("the worker did not finish the run within 60 s")


def snapshot_of(run: FetchRun):
    return lambda e: json.loads(e.data)["payload"]["run"] == run.id


def test_a_reconnecting_client_gets_exactly_the_two_events_it_missed(services):
    env, url = services
    stream = SSEClient(url + "/api/stream")
    try:
        first = run_in_worker(env)
        seen = stream.next("snapshot", timeout=30, where=snapshot_of(first))
    finally:
        stream.close()
    assert seen.id.startswith("sources:")

    missed = [run_in_worker(env), run_in_worker(env)]

    stream = SSEClient(url + "/api/stream", last_event_id=seen.id)
    try:
        replayed = [stream.next("snapshot", timeout=15), stream.next("snapshot", timeout=15)]
        time.sleep(2)  # anything more would arrive now
        extra = [e for e in list(stream.events.queue) if e.event in ("snapshot", "run")]
    finally:
        stream.close()
    n = int(seen.id.split(":")[1])
    assert [e.id for e in replayed] == [f"sources:{n + 1}", f"sources:{n + 2}"]
    assert [json.loads(e.data)["payload"]["run"] for e in replayed] == [r.id for r in missed]
    assert extra == []


def test_a_show_channel_carries_the_runs_that_touched_the_show(services, watched):
    env, url = services
    stream = SSEClient(url + f"/api/stream?channel=show-{watched.id}")
    try:
        run = run_in_worker(env)
        event = stream.next("snapshot", timeout=30, where=snapshot_of(run))
    finally:
        stream.close()
    assert event.id.startswith(f"show-{watched.id}:")
    assert {item["show"] for item in json.loads(event.data)["payload"]["latest"]} == {watched.id}
