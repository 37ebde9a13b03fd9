from celery import shared_task
from django.utils import timezone


@shared_task(name="forecasts.tasks.refresh_forecasts", ignore_result=True, expires=12 * 60)
def refresh_forecasts() -> None:
    # Thin on purpose: the work is forecasts.refresh, callable from tests and the shell.
    from forecasts.refresh import forecasts_refresh

    forecasts_refresh(now=timezone.now())
