from django.shortcuts import render

from dashboard.views.common import readable

from .models import Alert
from .selectors import open_comparisons, track_record

RECENT_ALERTS = 20


def _context() -> dict:
    return {
        "comparisons": open_comparisons(),
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
