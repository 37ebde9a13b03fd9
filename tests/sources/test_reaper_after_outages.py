"""The reaper's issue 22 fixes (sources/services.py): closing an old dead run leaves the state a newer
finished run wrote on its source alone; heartbeat entries of finished runs do not stay for ever."""

import json
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from core.locks import HEARTBEATS
from sources.models import FetchRun, Source
from sources.services import runs_reap


@pytest.fixture(autouse=True)
def _clean(redis_conn):
    redis_conn.delete(HEARTBEATS)
    yield
    redis_conn.delete(HEARTBEATS)


@pytest.fixture
def open_run(sources_ready):
    """A run left `started` by a killed worker, begun a minute ago, never beating."""
    run = FetchRun.objects.create(source=Source.objects.get(key="wikipedia"))
    FetchRun.objects.filter(pk=run.pk).update(started_at=timezone.now() - timedelta(minutes=1))
    return run


def test_the_reaper_closing_an_old_dead_run_leaves_a_newer_runs_state_alone(open_run):
    source = Source.objects.get(key="wikipedia")
    newer = FetchRun.objects.create(source=source, status=FetchRun.Status.OK, finished_at=timezone.now())
    Source.objects.filter(pk=source.pk).update(
        last_error="", consecutive_failures=0, health=Source.Health.OK, last_run_at=newer.finished_at
    )
    assert [r.id for r in runs_reap()] == [open_run.id]
    open_run.refresh_from_db()
    assert open_run.status == FetchRun.Status.FAILED  # the dead run is still closed, saying why
    source.refresh_from_db()
    assert (source.last_error, source.consecutive_failures, source.health) == ("", 0, Source.Health.OK)
    assert source.last_run_at == newer.finished_at


def test_a_newer_run_that_was_only_skipped_does_not_keep_the_reaper_from_recording_the_failure(open_run):
    source = Source.objects.get(key="wikipedia")
    FetchRun.objects.create(source=source, status=FetchRun.Status.SKIPPED, finished_at=timezone.now())
    runs_reap()
    source.refresh_from_db()
    assert source.consecutive_failures == 1 and source.last_error.startswith("worker lost")


def test_heartbeat_entries_of_finished_or_deleted_runs_are_cleaned_and_a_live_runs_kept(
    sources_ready, redis_conn
):
    source = Source.objects.get(key="wikipedia")
    finished = FetchRun.objects.create(source=source, status=FetchRun.Status.OK, finished_at=timezone.now())
    live = FetchRun.objects.create(source=source)  # started now, beating
    for run_id in (finished.id, live.id, 987654321):  # the last: a run deleted since
        redis_conn.hset(HEARTBEATS, run_id, json.dumps({"at": time.time(), "worker": "host-a:1"}))
    assert runs_reap() == []
    assert redis_conn.hkeys(HEARTBEATS) == [str(live.id).encode()]
