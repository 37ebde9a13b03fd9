"""Forecasts follow the pipeline: a committed run of a source their inputs come from queues a refresh."""

import logging

from django.dispatch import receiver
from kombu.exceptions import OperationalError

from core import cache
from sources.dispatch import run_committed

log = logging.getLogger(__name__)
# Sources whose new data can change a prediction, a comparison or an alert.
FOLLOWED_SOURCES = ("kalshi", "flixpatrol", "tudum")


@receiver(run_committed)
def _refresh_after_run(sender, key: str, **kwargs) -> None:
    """Kalshi runs every 15 minutes, so following its runs refreshes forecasts as often."""
    if key not in FOLLOWED_SOURCES or not cache.available():
        return
    from forecasts.tasks import refresh_forecasts

    try:
        refresh_forecasts.delay()
    except (OperationalError, OSError) as exc:  # the broker is down: the beat entry refreshes later
        log.warning("could not queue a forecast refresh after %s: %s", key, exc)
