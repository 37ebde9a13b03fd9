from django.conf import settings
from django.shortcuts import render

from dashboard.views.common import readable

from .models import Alert
from .selectors import track_record
from .trader import open_events

RECENT_ALERTS = 20


def _context() -> dict:
    return {
        "events": open_events(),
        "order_contracts": settings.KALSHI_ORDER_CONTRACTS,
        "fee_rate": settings.KALSHI_FEE_RATE,
        "kelly_fraction": settings.KELLY_FRACTION,
        "score_minutes": settings.TRACK_RECORD_MINUTES_BEFORE_CLOSE,
        "record": track_record(),
        "alerts": Alert.objects.select_related("market")[:RECENT_ALERTS],
    }


@readable
def forecasts_page(request):
    return render(request, "forecasts/index.html", _context())


@readable
def markets_fragment(request):
    # Re-fetched by the page when an SSE alert or snapshot arrives.
    return render(request, "forecasts/index.html#live", _context())
