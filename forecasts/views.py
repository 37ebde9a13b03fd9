from django.conf import settings
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from core.access import readable
from core.htmx import page
from forecasts.markets.price_history import market_history
from forecasts.markets.targets import SERIES
from forecasts.models import Alert, Prediction
from forecasts.selectors import track_record, track_record_overall, track_record_reliability
from forecasts.shown import open_events_shown
from sources.models import Market

RECENT_ALERTS = 20


def _context() -> dict:
    return {
        "events": open_events_shown(),
        "order_contracts": settings.KALSHI_ORDER_CONTRACTS,
        "fee_rate": settings.KALSHI_FEE_RATE,
        "kelly_fraction": settings.KELLY_FRACTION,
        "score_minutes": settings.TRACK_RECORD_MINUTES_BEFORE_CLOSE,
        "record": track_record(),
        "overall": track_record_overall(),
        "reliability": track_record_reliability(),
        "alerts": Alert.objects.select_related("market")[:RECENT_ALERTS],
        "divergence_points": settings.ALERT_DIVERGENCE_POINTS,
        # Why the open-markets panel may be empty: no market stored, or markets without a prediction.
        "open_markets": Market.objects.filter(series__in=SERIES, close_time__gt=timezone.now()).count(),
        "predictions": Prediction.objects.exists(),
    }


@readable
def forecasts_page(request):
    # htmx re-fetches the live part when an SSE alert or snapshot arrives; its history restore wants the page.
    return page(request, "forecasts/index.html", _context(), partial="live")


@readable
def history_fragment(request, ticker: str):
    # Loaded when a market's "Price history" is opened, on this page and on the show page.
    market = get_object_or_404(Market, ticker=ticker)
    return render(request, "forecasts/_price_history.html", {"h": market_history(market=market)})
