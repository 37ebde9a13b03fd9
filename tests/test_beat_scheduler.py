"""Beat's scheduler (kalshi_predictions/beat.py) through a database outage at its periodic full re-read:
it keeps the last schedule, logs, retries with backoff, and never raises out of a tick."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.db import OperationalError
from django_celery_beat.schedulers import SCHEDULE_SYNC_MAX_INTERVAL

from kalshi_predictions import beat
from kalshi_predictions.beat import BEAT_RETRY_FIRST_SECONDS, ResilientDatabaseScheduler
from kalshi_predictions.celery import app

REAPER = "sources: reap runs of lost workers"


@pytest.fixture
def clock(monkeypatch):
    now = [1000.0]
    # The module's own `time`, not the global one: only the scheduler's backoff sees this clock.
    monkeypatch.setattr(beat, "time", SimpleNamespace(monotonic=lambda: now[0]))
    return now


@pytest.fixture
def scheduler(transactional_db, clock):
    scheduler = ResilientDatabaseScheduler(app=app)
    assert REAPER in scheduler.schedule
    return scheduler


def database_down(*args, **kwargs):
    raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")


def resync_due(scheduler) -> None:
    """What 5 minutes of beat running does: the forced full re-read falls due."""
    scheduler._last_full_sync -= timedelta(seconds=SCHEDULE_SYNC_MAX_INTERVAL + 1)


def test_beat_keeps_its_last_schedule_when_the_database_fails_at_the_periodic_resync(
    scheduler, monkeypatch, caplog
):
    known = dict(scheduler.schedule)
    monkeypatch.setattr(scheduler, "enabled_models", database_down)
    resync_due(scheduler)
    assert scheduler.schedule.keys() == known.keys()  # before: OperationalError out of tick, beat gone
    assert isinstance(scheduler.tick(), float | int)
    assert "beat: reading the schedule failed (OperationalError: connection to server" in caplog.text
    assert f"keeping the last schedule read ({len(known)} entries)" in caplog.text


def test_beat_retries_a_failed_resync_with_doubling_backoff_then_reads_again(
    scheduler, monkeypatch, clock, caplog
):
    calls = []

    def enabled_models():
        calls.append(clock[0])
        if len(calls) <= 3:
            database_down()
        return ResilientDatabaseScheduler.enabled_models(scheduler)

    monkeypatch.setattr(scheduler, "enabled_models", enabled_models)
    resync_due(scheduler)
    scheduler.schedule  # noqa: B018 - the property is the resync
    waits = []
    for _ in range(3):
        wait = scheduler._retry_at - clock[0]
        waits.append(wait)
        clock[0] += wait - 0.1
        scheduler.schedule  # noqa: B018 - not yet due: no new read
        clock[0] += 0.1
        scheduler.schedule  # noqa: B018 - due: read again
    assert waits == [BEAT_RETRY_FIRST_SECONDS, 2 * BEAT_RETRY_FIRST_SECONDS, 4 * BEAT_RETRY_FIRST_SECONDS]
    assert len(calls) == 4  # 1 + one per backoff, none in between
    assert scheduler._retry_at is None and scheduler._failures == 0  # the database answered
    assert REAPER in scheduler.schedule
    assert "beat: the schedule was read again after 3 failed tries" in caplog.text


def test_the_backoff_is_capped(scheduler, monkeypatch, clock):
    monkeypatch.setattr(scheduler, "enabled_models", database_down)
    resync_due(scheduler)
    for _ in range(12):
        scheduler.schedule  # noqa: B018
        clock[0] = scheduler._retry_at
    assert scheduler._retry_at - clock[0] <= beat.BEAT_RETRY_MAX_SECONDS


def test_any_other_database_error_in_a_tick_waits_instead_of_ending_beat(scheduler, monkeypatch, caplog):
    monkeypatch.setattr(scheduler, "populate_heap", database_down)
    scheduler._heap = None  # the next tick rebuilds the heap: the database call that fails here
    assert scheduler.tick() == BEAT_RETRY_FIRST_SECONDS
    assert "beat: a tick failed (OperationalError" in caplog.text


def test_beat_whose_first_schedule_read_fails_starts_and_reads_it_after_the_backoff(
    transactional_db, monkeypatch, clock
):
    monkeypatch.setattr(ResilientDatabaseScheduler, "enabled_models", database_down)
    scheduler = ResilientDatabaseScheduler(app=app)
    assert scheduler._retry_at is not None  # no exception: beat starts, with what it can read (nothing)
    monkeypatch.undo()
    monkeypatch.setattr(beat, "time", SimpleNamespace(monotonic=lambda: clock[0]))
    clock[0] = scheduler._retry_at
    assert REAPER in scheduler.schedule


def test_beat_is_configured_with_the_resilient_scheduler(settings):
    assert settings.CELERY_BEAT_SCHEDULER == "kalshi_predictions.beat:ResilientDatabaseScheduler"
