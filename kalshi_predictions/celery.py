import logging
import os
import threading

from celery import Celery
from celery.signals import after_setup_logger, after_setup_task_logger, worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kalshi_predictions.settings")

log = logging.getLogger(__name__)

app = Celery("kalshi_predictions")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Fixed housekeeping entries (the sources' own schedules live in the database, sources/pipeline/schedules.py);
# the DatabaseScheduler copies these into it at beat start.
app.conf.beat_schedule = {
    "sources: reap runs of lost workers": {
        "task": "sources.tasks.reap_runs",
        # A dead worker's runs are found about a lock TTL (30 s) after it died; every minute closes
        # them soon after, and a backed-up queue drops the stale sweeps (each sweep covers them all).
        "schedule": 60.0,
        "options": {"expires": 50},
    },
}


@after_setup_logger.connect
@after_setup_task_logger.connect
def redact_celery_logs(logger: logging.Logger, **kwargs) -> None:
    """Celery replaces the root logger's handlers (settings.LOGGING's) with its own: give them the
    same redaction filter, so a worker's log never shows a secret either."""
    from core.redact import RedactFilter

    for handler in logger.handlers:
        if not any(isinstance(f, RedactFilter) for f in handler.filters):
            handler.addFilter(RedactFilter())


@worker_ready.connect
def reap_at_start(**kwargs) -> None:
    """A worker that starts after a crash closes what the crashed one left `started`; then it sweeps
    every KP_REAP_EVERY seconds itself, so lost runs are closed even while beat is down (issue 22: with
    beat gone, a run left `started` stayed so). Sweeps are idempotent: the close is a conditional UPDATE,
    so several workers and beat's own sweep never close a run twice."""
    _sweep()
    from django.conf import settings

    stop = threading.Event()
    thread = threading.Thread(target=_sweep_every, args=(settings.REAP_EVERY_SECONDS, stop), daemon=True)
    thread.name = "reaper"
    thread.start()
    return stop


def _sweep() -> None:
    from django.db import close_old_connections

    from sources.services import runs_reap

    try:
        close_old_connections()  # a connection a database restart ended is replaced first
        runs_reap()
    except Exception:  # the database may be down; the next sweep tries again
        log.exception("reaping lost runs failed")


def _sweep_every(seconds: float, stop: threading.Event) -> None:
    while not stop.wait(seconds):
        _sweep()
