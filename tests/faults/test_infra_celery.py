"""Celery faults with real processes on the test database and the test Redis: beat killed and started
again several times in a short while, and two workers given the same source at once.

What must hold: the source lock lets one run of a source fetch at a time, whoever sent it; a duplicate
delivery is recorded `skipped` (not failed, not a second fetch); beat's restarts leave the PeriodicTask
rows as they were (none added, lost or changed but for their run bookkeeping); no stored row is duplicated.
"""

import re
import signal
import time
from dataclasses import replace
from datetime import timedelta

import pytest
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from core.cache import redis_client
from core.locks import HEARTBEATS, LOCK_KEY
from sources.models import FetchRun
from sources.pipeline.runs import LOCK_HELD
from sources.tasks import run_source
from sources.wikipedia.fake import PER_ARTICLE
from tests.faults.conftest import TALLY
from tests.faults.test_upstream_faults import lost_and_invented, stored_rows
from tests.processes import eventually, process_env, start_beat, start_worker, upstream_env

pytestmark = [pytest.mark.postgres, pytest.mark.processes]
LOCK = LOCK_KEY.format(key="wikipedia")
SLOW = 3.0  # seconds each Wikipedia answer is held, so runs sent together overlap
SENT = r"Sending due task wikipedia: pageviews"
WAKING = r"beat: Waking up"
REAPER = "sources: reap runs of lost workers"
REAP = rf"Sending due task {REAPER}"
HOUR = timedelta(hours=1, minutes=1)
# A PeriodicTask's identity and schedule: what beat must never change. last_run_at, total_run_count and
# date_changed are its run bookkeeping, written by beat on purpose.
TASK_FIELDS = ["name", "task", "interval_id", "crontab_id", "args", "kwargs", "queue", "enabled",
               "one_off", "expires", "expire_seconds", "start_time", "description"]  # fmt: skip


@pytest.fixture
def delay():
    return {"seconds": SLOW}


@pytest.fixture
def env(transactional_db, fake_upstream, sources_ready, watched, redis_conn, delay):
    redis_conn.delete(HEARTBEATS, LOCK)
    fake_upstream.tamper(PER_ARTICLE, lambda reply: replace(reply, delay=delay["seconds"]))
    yield process_env(**upstream_env(fake_upstream.url), WIKIPEDIA_DAYS="10", KP_SOURCE_LOCK_TTL="3")
    redis_conn.delete(HEARTBEATS, LOCK)


@pytest.fixture
def procs():
    started = []
    yield started
    for proc in started:  # all told at once, then waited for: shutdowns overlap
        if proc.popen.poll() is None:
            proc.popen.terminate()
    for proc in started:
        proc.stop()


def wikipedia_runs():
    return FetchRun.objects.filter(source__key="wikipedia").order_by("id")


def settled(*, quiet: float = 3, timeout: float = 90) -> list[FetchRun]:
    """The runs once none is going and no new one has appeared for `quiet` seconds (the queue drained)."""
    deadline, seen, since = time.monotonic() + timeout, -1, time.monotonic()
    while time.monotonic() < deadline:
        runs = list(wikipedia_runs())
        if len(runs) != seen or any(r.status == "started" for r in runs):
            seen, since = len(runs), time.monotonic()
        elif time.monotonic() - since >= quiet:
            return runs
        time.sleep(0.3)
    raise AssertionError(f"runs still coming after {timeout}s")


def overlapping(runs: list[FetchRun]) -> list[tuple[int, int]]:
    """Pairs of runs that fetched at the same time (the lock must make this empty)."""
    fetched = sorted((r for r in runs if r.status != "skipped"), key=lambda r: r.started_at)
    return [(a.id, b.id) for a, b in zip(fetched, fetched[1:]) if b.started_at < a.finished_at]


def test_two_workers_given_the_same_source_fetch_once_and_record_the_other_as_skipped(
    env, procs, fake_upstream
):
    procs.extend([start_worker(env), start_worker(env)])  # same queue: they compete for its tasks
    run_source.apply_async(args=["wikipedia"], queue=env["KP_CELERY_QUEUE"])
    single = eventually(lambda: wikipedia_runs().exclude(status="started").first(), what="a single run")
    assert single.status == "ok", single.error
    alone, asked = stored_rows(), len(fake_upstream.requests_to(PER_ARTICLE))
    # The run is recorded as ended a moment before its worker frees the lock: two tasks sent in between
    # would both (rightly) be skipped. Both must meet a free lock.
    eventually(lambda: not redis_client().exists(LOCK), what="the single run's lock freed")

    TALLY["tried"] += 1
    for _ in range(2):
        run_source.apply_async(args=["wikipedia"], queue=env["KP_CELERY_QUEUE"])
    both = eventually(
        lambda: (r := list(wikipedia_runs().filter(id__gt=single.id))) and len(r) == 2
        and all(x.status != "started" for x in r) and r,
        what="both runs to end",
    )  # fmt: skip
    assert sorted(r.status for r in both) == ["ok", "skipped"], [(r.status, r.error) for r in both]
    skipped = next(r for r in both if r.status == "skipped")
    assert skipped.error == LOCK_HELD and skipped.requests == 0
    assert len(fake_upstream.requests_to(PER_ARTICLE)) == 2 * asked  # one fetch, as a single run makes
    assert all(w.wait_for_log(r"Task sources\.tasks\.run_source\[[^]]+\] succeeded") for w in procs)
    assert "Retry in" not in "".join(w.log() for w in procs)  # a first delivery is not retried
    lost, invented = lost_and_invented(alone, stored_rows())
    TALLY["lost"] += lost
    TALLY["invented"] += invented
    assert (lost, invented) == (0, 0)
    TALLY["survived"] += 1


def test_beat_killed_and_restarted_repeatedly_sends_a_schedule_tick_once_and_keeps_its_schedule(
    env, procs, delay
):
    delay["seconds"] = 1.0  # a duplicate sent with its original would race it
    PeriodicTask.objects.exclude(name="wikipedia: pageviews").update(enabled=False)
    procs.extend([start_worker(env), start_worker(env)])
    warm_up = start_beat(env)  # its first start adds the fixed entries (the reaper's, Celery's cleanup)
    procs.append(warm_up)  # stopped at the end whatever happens, as every process of the test
    warm_up.wait_for_log(WAKING, count=2, timeout=30)
    warm_up.stop()
    run_source.apply_async(args=["wikipedia"], queue=env["KP_CELERY_QUEUE"])
    rows = stored_rows() if settled()[-1].status == "ok" else pytest.fail("the clean run failed")
    wikipedia = PeriodicTask.objects.get(name="wikipedia: pageviews")
    PeriodicTask.objects.filter(pk=wikipedia.pk).update(last_run_at=timezone.now())  # not due
    PeriodicTask.objects.filter(name=REAPER).update(last_run_at=timezone.now() - HOUR)  # due at start
    tasks_before = sorted(PeriodicTask.objects.values_list(*TASK_FIELDS), key=repr)

    TALLY["tried"] += 1
    beat = start_beat(env)
    procs.append(beat)
    beat.wait_for_log(REAP, timeout=30)  # beat's first send of its life (saved at once, as the first is)
    # One tick of the hourly schedule falls due while this beat runs: an edit (save(), so beat sees the
    # change) puts its last run an hour back. Beat sends it, and is killed a second later.
    wikipedia.refresh_from_db()
    wikipedia.last_run_at = timezone.now() - HOUR
    wikipedia.save()
    beat.wait_for_log(SENT, timeout=30)
    time.sleep(1)
    beat.stop(signal.SIGKILL)
    sent = [len(re.findall(SENT, beat.log()))]
    cycles = [signal.SIGKILL, signal.SIGTERM, signal.SIGKILL, signal.SIGKILL]
    for sig in cycles:
        beat = start_beat(env)
        procs.append(beat)
        beat.wait_for_log(WAKING, count=2, timeout=30)  # past its first tick, where a due entry is sent
        beat.stop(sig)
        sent.append(len(re.findall(SENT, beat.log())))
    runs = [r for r in settled() if r.id > wikipedia_runs().filter(status="ok").first().id]

    fetched = [r for r in runs if r.status != "skipped"]
    print(f"\n[beat restarts] {len(cycles) + 1} kills: sends of the tick per beat {sent}, {len(runs)} runs, "
          f"{len(fetched)} fetched, {len(runs) - len(fetched)} skipped for the lock")  # fmt: skip
    assert sent == [1] + [0] * len(cycles)  # sent once, not again by the beat started after the kill
    assert len(fetched) == 1 and fetched[0].status == "ok", [(r.status, r.error) for r in runs]
    assert overlapping(runs) == []
    after = sorted(PeriodicTask.objects.values_list(*TASK_FIELDS), key=repr)
    assert after == tasks_before  # none added, lost or changed by the restarts
    lost, invented = lost_and_invented(rows, stored_rows())
    TALLY["lost"] += lost
    TALLY["invented"] += invented
    assert (lost, invented) == (0, 0)
    TALLY["survived"] += 1
