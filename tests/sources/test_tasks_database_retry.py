"""`run_source` delivered while the database is down is retried with backoff, not acknowledged and lost
(sources/tasks.py DB_RETRY)."""

import pytest
from celery.exceptions import Retry
from django.db import InterfaceError, OperationalError

from sources.pipeline import runs as pipeline
from sources.tasks import DB_RETRY, run_source


@pytest.fixture
def outage(monkeypatch):
    """pipeline.run fails with a database error the first `failures[0]` times, then runs."""
    failures, calls = [1], []

    def run(key, **options):
        calls.append(key)
        if len(calls) <= failures[0]:
            raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")
        return None

    monkeypatch.setattr(pipeline, "run", run)
    return failures, calls


def test_a_run_that_meets_a_database_outage_is_retried_and_runs_once_the_database_is_back(outage):
    failures, calls = outage
    result = run_source.apply(args=["wikipedia"])
    assert result.successful() and calls == ["wikipedia", "wikipedia"]


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_database_errors_retry_after_a_doubling_wait_capped_at_two_minutes(monkeypatch, error):
    countdowns = []

    def retry(*, exc, countdown, **kwargs):
        countdowns.append(countdown)
        raise Retry("later", exc=exc)

    def down(key, **options):
        raise error("the database is down")

    monkeypatch.setattr(pipeline, "run", down)
    monkeypatch.setattr(run_source, "retry", retry)
    for attempt in range(DB_RETRY["max_retries"]):
        run_source.push_request(retries=attempt)
        try:
            with pytest.raises(Retry):
                run_source.run("wikipedia")
        finally:
            run_source.pop_request()
    assert countdowns == [5, 10, 20, 40, 80, 120, 120, 120, 120, 120]
    assert sum(countdowns) == 755  # the outage a task outlives before it gives up


def test_retries_are_bounded_then_the_error_is_raised(outage):
    failures, calls = outage
    failures[0] = 100
    run_source.push_request(retries=DB_RETRY["max_retries"], called_directly=False)
    try:
        with pytest.raises(OperationalError):
            run_source.run("wikipedia")
    finally:
        run_source.pop_request()


def test_other_errors_are_not_retried(monkeypatch):
    def broken(key, **options):
        raise ValueError("a bug, not an outage")

    monkeypatch.setattr(pipeline, "run", broken)
    with pytest.raises(ValueError):
        run_source.run("wikipedia")
