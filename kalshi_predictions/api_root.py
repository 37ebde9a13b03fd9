"""GET /api/: the browsable API's front page, linking every collection (DRF renders it as HTML for a
browser and JSON otherwise), so `/api/` is a place to start rather than a 404."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

ENDPOINTS = (
    ("sources", "api-sources", "every source: health, last run, next run"),
    ("shows", "api-shows", "shows; ?watchlist=true for the watched ones"),
    ("watchlist", "api-watchlist", "the watchlist (POST adds a show: staff only)"),
    ("snapshots", "api-snapshots", "stored values, filterable, ?format=csv streams them"),
    ("forecastMarkets", "api-forecast-markets", "open markets with our probability and costs"),
    ("trackRecord", "api-forecast-track-record", "scored settled markets and reliability"),
    ("stream", "api-stream", "server-sent events: snapshot, run, alert, publication"),
    ("schema", "api-schema", "OpenAPI schema"),
    ("docs", "api-docs", "Swagger UI of the schema"),
)


class ApiRootView(APIView):
    """The collections of this API. Reads follow KP_PUBLIC_READ; writes need a staff user, by token
    (`Authorization: Token <key>`) or a signed-in session with its CSRF token."""

    @extend_schema(exclude=True)
    def get(self, request):
        return Response(
            {
                name: {"url": reverse(url_name, request=request), "about": about}
                for name, url_name, about in ENDPOINTS
            }
        )
