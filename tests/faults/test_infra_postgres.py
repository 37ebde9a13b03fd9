"""Postgres restarted under a real Celery worker and a real uvicorn: while a source run is in flight, and
while pages and the API are being read. The cluster is the test's own (initdb on a free port), so it
can be stopped without touching the shared Postgres other tests run on.

What must hold: the run in flight ends recorded (`failed`, or closed by the reaper), never `started`; no
stored row is lost or duplicated; reads during the outage answer 503 or 200 within their timeout, never
hang and never 500; after it, every page answers 200 and the same worker (no restart) runs the next run
to `ok`.
"""

import json
import threading
import time
from dataclasses import replace

import httpx
import pytest
from django.db import InterfaceError, OperationalError

from core.cache import redis_client
from core.locks import HEARTBEATS, LOCK_KEY
from kalshi_predictions.middleware import MESSAGE, DatabaseUnavailableMiddleware
from sources.tasks import run_source
from sources.wikipedia.fake import PER_ARTICLE
from tests.fakeupstream import FakeUpstream
from tests.faults.conftest import TALLY
from tests.private_services import PrivatePostgres
from tests.processes import process_env, start_web, start_worker, upstream_env

pytestmark = [pytest.mark.postgres, pytest.mark.processes]
READS = ["/", "/sources", "/watchlist", "/api/sources"]
READ_TIMEOUT = 10  # a read still waiting after this is a hang
SLOW = 4.0  # seconds the in-flight run's Wikipedia answer is held: the restart happens inside it
ROWS = """SELECT so.key, sn.show_id, sn.metric, sn.scope, sn.period, sn.observed_at, sn.value
          FROM source_snapshots sn JOIN sources_source so ON so.id = sn.source_id"""
WATCHED = """from shows.models import Show
show = Show.objects.create(title="Wednesday", wikipedia_article="Wednesday_(TV_series)")
Show.objects.filter(pk=show.pk).update(on_watchlist=True)  # update(): no backfill task queued"""


def eventually(condition, *, timeout: float = 60, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = condition()
        except Exception:  # the cluster is down: ask again
            value = None
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"{what}: not within {timeout}s")


class Reads:
    """Reads every page in a loop from a thread, recording (path, status or error, seconds)."""

    def __init__(self, url: str):
        self.url, self.seen = url, []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        with httpx.Client(timeout=READ_TIMEOUT) as client:
            while not self._stop.is_set():
                for path in READS:
                    started = time.monotonic()
                    try:
                        status = client.get(self.url + path).status_code
                    except httpx.HTTPError as exc:
                        status = type(exc).__name__
                    self.seen.append((path, status, time.monotonic() - started))
                time.sleep(0.1)

    def stop(self) -> list[tuple]:
        self._stop.set()
        self._thread.join(READ_TIMEOUT + 5)
        return self.seen


@pytest.fixture(scope="module")
def cluster():
    pg = PrivatePostgres(prefix="kp-faults-pg-")
    pg.start()
    pg.migrate(process_env(), ["shell", "-c", WATCHED])
    yield pg
    pg.remove()


@pytest.fixture(scope="module")
def app(cluster):
    """One web and one worker process for the module: both must live through every restart."""
    redis_client().delete(LOCK_KEY.format(key="wikipedia"), HEARTBEATS)  # left by an earlier test
    fake = FakeUpstream().start()
    slow = threading.Event()
    fake.tamper(PER_ARTICLE, lambda reply: replace(reply, delay=SLOW) if slow.is_set() else reply)
    # The web process pools its connections: a read waits up to KP_DB_POOL_TIMEOUT for one, then answers
    # 503. A wait shorter than the 2 s restart below makes the outage visible to the reads, as without a pool.
    env = process_env(
        **upstream_env(fake.url),
        DATABASE_URL=cluster.url,
        WIKIPEDIA_DAYS="10",
        KP_SOURCE_LOCK_TTL="3",
        KP_DB_POOL_TIMEOUT="0.5",
    )
    web, url = start_web(env)
    worker = start_worker(env)
    yield env, url, worker, fake, slow
    worker.popen.terminate()  # both told at once: their shutdowns overlap
    web.stop()
    worker.stop()
    fake.stop()
    assert " 500 " not in web.log(), web.log()[-3000:]


def runs(pg: PrivatePostgres) -> list[tuple]:
    return pg.query(
        "SELECT r.id, r.status, r.error, r.created FROM sources_fetchrun r "
        "JOIN sources_source so ON so.id = r.source_id WHERE so.key = 'wikipedia' ORDER BY r.id"
    )


def run_to_end(env: dict, pg: PrivatePostgres, *, after: int | None = None, timeout: float = 60) -> tuple:
    after = max((r[0] for r in runs(pg)), default=0) if after is None else after
    run_source.apply_async(args=["wikipedia"], queue=env["KP_CELERY_QUEUE"])
    return eventually(
        lambda: next((r for r in runs(pg) if r[0] > after and r[1] != "started"), None),
        timeout=timeout,
        what="the run to end",
    )


def test_postgres_restarted_mid_run_fails_the_run_recorded_and_the_same_worker_runs_the_next(app, cluster):
    env, url, worker, fake, slow = app
    clean = run_to_end(env, cluster)
    assert clean[1] == "ok", clean
    before = sorted(cluster.query(ROWS), key=repr)
    assert before

    TALLY["tried"] += 1
    slow.set()
    asked = len(fake.requests_to(PER_ARTICLE))
    run_source.apply_async(args=["wikipedia"], queue=env["KP_CELERY_QUEUE"])
    eventually(lambda: len(fake.requests_to(PER_ARTICLE)) > asked, what="the run's request")
    reads = Reads(url)
    cluster.restart(down_for=1.5)  # `fast`: every open session is terminated, as in a real restart
    slow.clear()
    cut = eventually(
        lambda: next((r for r in runs(cluster) if r[0] > clean[0] and r[1] != "started"), None),
        what="the cut run to end",
    )
    time.sleep(1)
    seen = reads.stop()

    assert cut[1] == "failed", cut
    assert "OperationalError" in cut[2] or "worker lost" in cut[2] or "without recording" in cut[2], cut
    after = sorted(cluster.query(ROWS), key=repr)
    lost, invented = (
        len(set(before) - set(after)),
        len(after) - len(set(after)) + len(set(after) - set(before)),
    )
    TALLY["lost"] += lost
    TALLY["invented"] += invented
    assert (lost, invented) == (0, 0)

    statuses = {status for _, status, _ in seen}
    TALLY["500s"] += sum(1 for _, status, _ in seen if status == 500)
    print(f"\n[postgres restart] reads during the outage: {sorted(map(str, statuses))}, "
          f"slowest {max(s for *_, s in seen):.2f}s over {len(seen)} reads")  # fmt: skip
    assert statuses <= {200, 503}, seen
    for path in READS:
        assert httpx.get(url + path, timeout=READ_TIMEOUT).status_code == 200, path

    again = run_to_end(env, cluster, after=cut[0])
    assert again[1] == "ok", again
    assert sorted(cluster.query(ROWS), key=repr) == before  # the rerun updates, never duplicates
    assert worker.popen.poll() is None  # the worker that met the restart ran it: it reconnected
    assert not [r for r in runs(cluster) if r[1] == "started"]
    TALLY["survived"] += 1


def test_postgres_restarted_during_reads_answers_503_or_200_and_an_idle_worker_runs_the_next(app, cluster):
    env, url, worker, fake, slow = app
    first = run_to_end(env, cluster)
    before = sorted(cluster.query(ROWS), key=repr)
    TALLY["tried"] += 1
    reads = Reads(url)
    time.sleep(0.5)
    cluster.restart(down_for=2)  # the worker sits idle on a connection the restart ends
    time.sleep(1)
    seen = reads.stop()
    TALLY["500s"] += sum(1 for _, status, _ in seen if status == 500)
    print(f"\n[postgres restart] reads: {sorted(map(str, {s for _, s, _ in seen}))}, "
          f"slowest {max(s for *_, s in seen):.2f}s over {len(seen)} reads")  # fmt: skip
    assert {status for _, status, _ in seen} <= {200, 503}, seen
    assert 503 in {status for _, status, _ in seen}  # the outage was seen, and said so
    for path in READS:
        assert httpx.get(url + path, timeout=READ_TIMEOUT).status_code == 200, path

    again = run_to_end(env, cluster, after=first[0])
    assert again[1] == "ok", (again, worker.log()[-3000:])
    assert sorted(cluster.query(ROWS), key=repr) == before
    assert worker.popen.poll() is None
    TALLY["survived"] += 1


def test_a_database_error_answers_503_with_retry_after_and_any_other_error_stays_a_500(rf):
    middleware = DatabaseUnavailableMiddleware(lambda request: None)
    api = middleware.process_exception(rf.get("/api/sources"), OperationalError("connection refused"))
    assert api.status_code == 503 and api["Retry-After"] == "5"
    assert json.loads(api.content) == {"detail": MESSAGE}  # the cause (hosts, ports) goes to the log only
    page = middleware.process_exception(rf.get("/"), InterfaceError("connection already closed"))
    assert page.status_code == 503 and b"Database unavailable" in page.content
    assert middleware.process_exception(rf.get("/"), ValueError("a bug")) is None


def test_a_task_sent_while_postgres_is_down_is_retried_and_runs_once_it_is_back(app, cluster):
    """Before issue 22 such a task was acknowledged and lost (4 of 4 in a 60 s outage)."""
    env, url, worker, fake, slow = app
    first = run_to_end(env, cluster)
    TALLY["tried"] += 1
    cluster.stop()
    try:
        run_source.apply_async(args=["wikipedia"], queue=env["KP_CELERY_QUEUE"])
        worker.wait_for_log(r"run_source\[[^\]]+\] retry: Retry in 5s: OperationalError", timeout=30)
        time.sleep(3)  # the outage goes on past the first retry's wait
    finally:
        cluster.start()
    again = eventually(
        lambda: next((r for r in runs(cluster) if r[0] > first[0] and r[1] != "started"), None),
        timeout=90,
        what="the retried run to end",
    )
    assert again[1] == "ok", (again, worker.log()[-3000:])
    assert [r[1] for r in runs(cluster) if r[0] > first[0]] == ["ok"]  # one run, recorded once
    assert worker.popen.poll() is None
    TALLY["survived"] += 1
