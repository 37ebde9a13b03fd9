"""Writes about sources that are not part of a run."""

import logging
from datetime import UTC, datetime, timedelta

import redis
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core import locks as lock
from sources import registry
from sources.live import events
from sources.live.payloads import run_payload
from sources.models import FetchRun, Source
from sources.pipeline import health
from sources.pipeline.schedules import ensure_periodic_tasks

log = logging.getLogger(__name__)
MAX_ERROR_CHARS = 2000


def sources_setup() -> list[str]:
    """Create the registered sources and their default periodic tasks; idempotent, never overwrites."""
    report = []
    for key, spec in registry.specs().items():
        source, created = Source.objects.get_or_create(key=key, defaults={"name": spec.name})
        primary, tasks_created = ensure_periodic_tasks(key)
        if source.periodic_task_id is None:
            source.periodic_task = primary
            source.save(update_fields=["periodic_task"])
        if created:
            report.append(f"created source {key}")
        report.extend(f"created schedule {name!r}" for name in tasks_created)
    return report


def runs_reap(*, now: datetime | None = None) -> list[FetchRun]:
    """Close as failed every `started` run whose worker is gone, saying why; returns the runs closed.

    A live run's heartbeat (core/locks.py) is never older than a third of the lock's TTL, so a run
    without one for a whole TTL has lost its worker (killed, out of memory, host gone) or ended without
    being able to record its result. With Redis down nothing is reaped: alive and dead look alike then.
    """
    now = now or timezone.now()
    ttl = settings.SOURCE_LOCK_TTL_SECONDS
    _heartbeats_of_finished_runs_forget()
    # A run gets its first beat right after it is created; younger runs are left alone.
    candidates = list(
        FetchRun.objects.filter(status=FetchRun.Status.STARTED, started_at__lt=now - timedelta(seconds=ttl))
    )
    if not candidates:
        return []
    try:
        beats = lock.heartbeats([r.id for r in candidates])
    except redis.RedisError as exc:
        log.warning("no runs reaped, heartbeats unreadable: %s", exc)
        return []
    reaped = []
    for run in candidates:
        reason = _orphan_reason(run, beats.get(run.id), now, ttl)
        if reason and _close(run, reason, now):
            log.warning("run %s of source %s closed: %s", run.id, run.source_id, reason)
            reaped.append(run)
            try:
                lock.heartbeat_forget(run.id)
            except redis.RedisError:
                pass  # an entry for a closed run is ignored
    return reaped


def _heartbeats_of_finished_runs_forget() -> None:
    # A run's entry goes when it ends, unless Redis failed (or hung) right then: those of runs no longer
    # `started` (or deleted) would stay for ever (issue 22), so each sweep drops them.
    try:
        listed = lock.heartbeat_run_ids()
        open_ids = set(
            FetchRun.objects.filter(id__in=listed, status=FetchRun.Status.STARTED).values_list(
                "id", flat=True
            )
        )
        lock.heartbeat_forget(*[i for i in listed if i not in open_ids])
    except redis.RedisError as exc:
        log.warning("heartbeats of finished runs not cleaned: %s", exc)


def _orphan_reason(run: FetchRun, beat: dict | None, now: datetime, ttl: int) -> str:
    if beat is None:
        return f"worker lost: no heartbeat since the run started at {_utc(run.started_at)}"
    at = datetime.fromtimestamp(beat["at"], UTC)
    if beat.get("ended"):
        return f"the run ended at {_utc(at)} without recording its result: {beat['ended']}"
    if (now - at).total_seconds() > ttl:
        return f"worker lost ({beat.get('worker', '?')}): no heartbeat since {_utc(at)}"
    return ""


def _utc(moment: datetime) -> str:
    return f"{moment.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC"


def _close(run: FetchRun, reason: str, now: datetime) -> bool:
    with transaction.atomic():
        # Conditional, so a run that finished meanwhile keeps its own result.
        closed = FetchRun.objects.filter(pk=run.pk, status=FetchRun.Status.STARTED).update(
            status=FetchRun.Status.FAILED, finished_at=now, error=reason[:MAX_ERROR_CHARS]
        )
        if not closed:
            return False
        run.refresh_from_db()
        # A newer run of the source that has finished already wrote the source's state (its last
        # error, failure count, health): an old dead run closed late must not overwrite it (issue 22:
        # the reaper replaced a newer success's state with this failure).
        newer = (
            FetchRun.objects.filter(source_id=run.source_id, started_at__gt=run.started_at)
            .exclude(status__in=[FetchRun.Status.STARTED, FetchRun.Status.SKIPPED])
            .exists()
        )
        if newer:
            return True
        source = (
            Source.objects.select_for_update(of=("self",))
            .select_related("periodic_task__interval")
            .get(pk=run.source_id)
        )
        source.last_run_at = now
        source.last_error = run.error
        source.consecutive_failures += 1
        source.health = health.compute(source, now)
        source.save(update_fields=["last_run_at", "last_error", "consecutive_failures", "health"])
        events.announce(source.key, "run", run_payload(source, run, now))
    return True
