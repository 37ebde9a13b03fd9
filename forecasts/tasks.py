from celery import shared_task
from celery.signals import task_postrun
from django.utils import timezone

# Sources whose new data can change a prediction, a comparison or an alert.
FOLLOWED_SOURCES = ("kalshi", "flixpatrol", "tudum")


@shared_task(name="forecasts.tasks.refresh_forecasts", ignore_result=True, expires=12 * 60)
def refresh_forecasts() -> None:
    # Thin on purpose: the work is forecasts.refresh, callable from tests and the shell.
    from .refresh import forecasts_refresh

    forecasts_refresh(now=timezone.now())


@task_postrun.connect
def _after_source_run(sender=None, args=None, **_) -> None:
    """Kalshi runs every 15 minutes, so following its runs refreshes forecasts as often."""
    if getattr(sender, "name", "") == "sources.tasks.run_source" and args and args[0] in FOLLOWED_SOURCES:
        refresh_forecasts.delay()
