import logging
import os

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
    """A worker that starts after a crash closes what the crashed one left `started`."""
    from sources.services import runs_reap

    try:
        runs_reap()
    except Exception:  # the database may not be up yet; the beat sweep catches up
        log.exception("reaping lost runs at worker start failed")
