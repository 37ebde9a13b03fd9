"""Source health from its run record and the clock (ok, stale, failing, ...: the README's "Source health")."""

from datetime import datetime, timedelta

from core import credentials
from sources.models import Source
from sources.pipeline.schedules import nominal_cadence

FAILING_AFTER = 3


def compute(source: Source, now: datetime) -> str:
    """Pure on the source row, so lists of sources need no extra queries."""
    if not source.enabled:
        return Source.Health.DISABLED
    if credentials.missing(source.key):
        return Source.Health.NEEDS_CREDENTIALS
    if source.held_at is not None:
        return Source.Health.HELD
    if source.consecutive_failures >= FAILING_AFTER:
        return Source.Health.FAILING
    if source.last_success_at is None:
        return Source.Health.FAILING if source.consecutive_failures else Source.Health.NEVER_RUN
    if now - source.last_success_at > 2 * cadence_of(source):
        return Source.Health.STALE
    return Source.Health.OK


def cadence_of(source: Source) -> timedelta:
    """The interval of its periodic task, or the nominal cadence for crontab schedules."""
    task = source.periodic_task
    if task is not None and task.interval_id is not None:
        return task.interval.schedule.run_every
    return nominal_cadence(source.key)
