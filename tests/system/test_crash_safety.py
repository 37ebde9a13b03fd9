"""Crash safety with real processes: a Celery worker SIGKILLed mid-run, an upstream that trickles, and
a watchlist backfill that meets its source's lock held. Real Postgres, Redis and Celery workers on the
test queue; the upstream is the local fake. Short TTLs come from the environment, never sleeps."""

import signal

import pytest

from core.locks import HEARTBEATS, LOCK_KEY, SourceLock
from sources.models import FetchRun, Snapshot
from sources.pipeline.runs import LOCK_HELD
from sources.tasks import backfill_show, run_source
from tests.fakeupstream import Reply, fixture_text
from tests.processes import eventually, process_env, start_worker, upstream_env

pytestmark = [pytest.mark.postgres, pytest.mark.processes]
LOCK = LOCK_KEY.format(key="wikipedia")
PER_ARTICLE = r"/per-article/en\.wikipedia/all-access/user/"


@pytest.fixture
def env(transactional_db, fake_upstream, sources_ready, watched, redis_conn):
    """Child-process settings; a test may change them before starting its worker."""
    redis_conn.delete(HEARTBEATS, LOCK)
    yield process_env(
        **upstream_env(fake_upstream.url),
        WIKIPEDIA_DAYS="10",
        KP_SOURCE_LOCK_TTL="3",  # a 3 s lock, renewed every second
        KP_CELERY_VISIBILITY_TIMEOUT="2",  # an unacknowledged task comes back 2 s after delivery
        KP_BACKFILL_BUSY_RETRY="1",
        KP_HTTP_DEADLINE="2",
        KP_HTTP_TIMEOUT="5",
        # The other per-show sources backfill in the same task before it retries: no politeness pauses.
        GOOGLE_TRENDS_PAUSE_SECONDS="0",
        GOOGLE_TRENDS_BACKOFF_SECONDS="0",
        FLIXPATROL_PAGE_DELAY_SECONDS="0",
    )
    redis_conn.delete(HEARTBEATS, LOCK)


@pytest.fixture
def workers():
    started = []
    yield started
    for worker in started:
        worker.stop()


def test_a_worker_killed_mid_run_frees_the_lock_and_its_task_completes_on_a_new_worker(
    env, workers, fake_upstream, redis_conn, watched
):
    # The first request of the run hangs (inside every timeout), so the worker is surely mid-run when
    # it is killed.
    env.update(KP_HTTP_TIMEOUT="300", KP_HTTP_DEADLINE="300")
    redirects = Reply(200, fixture_text("wikipedia/query_redirects.json"), delay=120)
    fake_upstream.queue(r"^/w/api\.php", redirects)
    first = start_worker(env)
    workers.append(first)
    run_source.apply_async(args=["wikipedia"], queue=env["KP_CELERY_QUEUE"])
    eventually(lambda: fake_upstream.requests_to(r"^/w/api\.php"), what="the run's first request")
    orphan = FetchRun.objects.get(source__key="wikipedia", status=FetchRun.Status.STARTED)

    # The lock's TTL is short and the heartbeat renews it while the run lives.
    ttls = []
    eventually(lambda: ttls.append(redis_conn.pttl(LOCK)) or (len(ttls) > 2 and ttls[-1] > ttls[-2]),
               timeout=10, what="a renewal of the lock")  # fmt: skip
    assert all(0 < ttl <= 3000 for ttl in ttls)

    first.stop(signal.SIGKILL)
    # Nobody renews it now: it frees itself after its TTL (it used to stay for the task time limit).
    eventually(lambda: not redis_conn.exists(LOCK), timeout=15, what="the lock to expire")
    orphan.refresh_from_db()
    assert orphan.status == FetchRun.Status.STARTED  # nothing else knows yet

    second = start_worker(env)  # reaps at start, and takes the unacknowledged task again
    workers.append(second)
    done = eventually(
        lambda: FetchRun.objects.filter(source__key="wikipedia", status=FetchRun.Status.OK).first(),
        what="the redelivered run to finish",
    )
    orphan.refresh_from_db()
    assert orphan.status == FetchRun.Status.FAILED
    assert "worker lost" in orphan.error and "no heartbeat since" in orphan.error
    assert done.id > orphan.id and done.created == 10
    assert Snapshot.objects.filter(show=watched, metric="pageviews").count() == 10
    assert "sources.tasks.run_source" in second.log()
    assert not FetchRun.objects.filter(status=FetchRun.Status.STARTED).exists()


def test_a_trickling_upstream_fails_the_run_at_the_deadline(env, workers, fake_upstream):
    body = fixture_text("wikipedia/per_article_daily.json")
    fake_upstream.queue(PER_ARTICLE, Reply(200, body, trickle=0.5))  # a byte every 0.5 s: no read timeout
    workers.append(start_worker(env))
    run_source.apply_async(args=["wikipedia"], queue=env["KP_CELERY_QUEUE"])
    run = eventually(
        lambda: FetchRun.objects.filter(source__key="wikipedia").exclude(status="started").first(),
        what="the run to end",
    )
    assert run.status == FetchRun.Status.FAILED
    assert "deadline of 2s exceeded while reading" in run.error


def test_a_watchlist_backfill_meeting_a_held_lock_runs_once_it_is_released(env, workers, redis_conn, watched):
    other = SourceLock("wikipedia", ttl=3)  # another run of the source, alive and beating
    assert other.acquire()
    try:
        workers.append(start_worker(env))
        backfill_show.apply_async(args=[watched.id], queue=env["KP_CELERY_QUEUE"])
        skipped = FetchRun.objects.filter(source__key="wikipedia", status="skipped", error=LOCK_HELD)
        eventually(skipped.exists, what="the backfill to meet the lock")
        workers[0].wait_for_log(r"Retry in 1s", timeout=30)
        assert not Snapshot.objects.filter(show=watched, source__key="wikipedia").exists()
    finally:
        other.release()
    workers[0].wait_for_log(r"Task sources\.tasks\.backfill_show\[[^]]+\] succeeded", timeout=120)
    windows = FetchRun.objects.filter(source__key="wikipedia", status__in=["ok", "partial"])
    assert windows.count() >= 10  # every yearly window since 2015, none dropped
    assert Snapshot.objects.filter(show=watched, source__key="wikipedia", period="day").count() >= 10
