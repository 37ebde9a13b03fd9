"""Celery tasks: thin interfaces to the pipeline, the backfill and the reaper.

Tasks are acknowledged late (settings: CELERY_TASK_ACKS_LATE), so a task whose worker died is delivered
again; each is safe to run twice: a run upserts (a rerun updates rows, never duplicates them), a
backfill is windows of runs, and the reaper only closes runs that are still open.
"""

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError

from sources.pipeline import runs as pipeline

# A run delivered while the database is down could not even write its FetchRun row: before, it was
# acknowledged and lost (issue 22: 4 of 4 in a 60 s outage). Retried instead, with doubling waits
# (5, 10, 20, ... capped at 120 s, no jitter so the total is known): 10 retries wait 755 s in all,
# well past the 60 s outages of the fault run. A run is idempotent, so a retry after a partial run
# only upserts what is already there.
DB_RETRY = {
    "autoretry_for": (OperationalError, InterfaceError),
    "retry_backoff": 5,
    "retry_backoff_max": 120,
    "retry_jitter": False,
    "max_retries": 10,
}


@shared_task(name="sources.tasks.run_source", bind=True, ignore_result=True, **DB_RETRY)
def run_source(self, key: str, **options) -> None:
    # Thin on purpose: retries and error records of upstream failures belong to the pipeline; Celery
    # only retries what stopped the pipeline itself (the database, above).
    run = pipeline.run(key, **options)
    skipped_for_lock = (
        run is not None and run.status == run.Status.SKIPPED and run.error == pipeline.LOCK_HELD
    )
    if skipped_for_lock and (self.request.delivery_info or {}).get("redelivered"):
        # Delivered again because its worker died: the lock it meets is most likely that dead run's,
        # which expires within one TTL. Come back then rather than lose the run until the next schedule.
        raise self.retry(countdown=settings.SOURCE_LOCK_TTL_SECONDS, max_retries=3)


@shared_task(name="sources.tasks.backfill_show", bind=True, ignore_result=True)
def backfill_show(self, show_id: int, resume: dict[str, str] | None = None) -> None:
    """A show just joined the watchlist: load its history from every per-show source.

    A source whose lock is held (its scheduled run, or another show's backfill) is not dropped: the
    task comes back later for just those sources, from the window where each stopped.
    """
    from sources.pipeline.backfill import SourceBusy, show_backfill

    results = show_backfill(show_id=show_id, resume=resume)
    busy = {key: r.since.isoformat() for key, r in results.items() if isinstance(r, SourceBusy)}
    if busy:
        raise self.retry(
            kwargs={"show_id": show_id, "resume": busy},
            countdown=settings.BACKFILL_BUSY_RETRY_SECONDS,
            max_retries=settings.BACKFILL_BUSY_MAX_RETRIES,
        )


@shared_task(name="sources.tasks.reap_runs", ignore_result=True)
def reap_runs() -> None:
    """Close runs left `started` by a worker that died (also run when a worker starts)."""
    from sources.services import runs_reap

    runs_reap()
