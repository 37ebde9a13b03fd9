"""Done-when of the foundation: Wikipedia through a real Celery worker on Postgres and Redis, with the
event reaching a real HTTP client connected to /api/stream on a running ASGI server."""

import json

import pytest

from sources.models import FetchRun, Snapshot
from sources.tasks import run_source
from tests.processes import process_env, start_web, start_worker, upstream_env
from tests.sse import SSEClient

pytestmark = [pytest.mark.postgres, pytest.mark.processes]


@pytest.fixture
def services(transactional_db, fake_upstream, sources_ready, watched, redis_conn):
    env = process_env(**upstream_env(fake_upstream.url), WIKIPEDIA_DAYS="10")
    web, url = start_web(env)
    worker = start_worker(env)
    yield env, url
    worker.stop()
    web.stop()


def ours(data: dict) -> bool:
    """A wikipedia event of a run in this test's database: pub/sub channels are shared by every Redis
    database, so a parallel test worker's events reach this stream too (tests/workers.py)."""
    run = data["payload"].get("run")
    return data["source"] == "wikipedia" and FetchRun.objects.filter(pk=run, source__key="wikipedia").exists()


def test_a_worker_run_stores_rows_caches_latest_announces_and_records_ok(services, redis_conn, watched):
    env, url = services
    stream = SSEClient(url + "/api/stream")
    try:
        run_source.apply_async(args=["wikipedia"], queue=env["KP_CELERY_QUEUE"])
        event = stream.next("snapshot", timeout=60, where=lambda e: ours(json.loads(e.data)))
    finally:
        stream.close()
    data = json.loads(event.data)
    assert data["payload"]["created"] == 10
    assert event.id.startswith("sources:")
    assert Snapshot.objects.filter(show=watched, metric="pageviews").count() == 10
    cached = json.loads(redis_conn.get("source:wikipedia:latest"))
    assert cached == data
    run = FetchRun.objects.get(source__key="wikipedia")
    assert run.status == "ok" and run.created == 10
