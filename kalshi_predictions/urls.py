from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from kalshi_predictions.api_root import ApiRootView
from shows.api import ShowListView, WatchlistItemView, WatchlistView
from sources.api.series import ShowDetailView, ShowMetricsView
from sources.api.views import SnapshotExportView, SourceListView
from sources.live.events import stream

urlpatterns = [
    path("", include("dashboard.urls")),
    path("admin/", admin.site.urls),
    path("api/", ApiRootView.as_view(), name="api-root"),
    path("api/sources", SourceListView.as_view(), name="api-sources"),
    path("api/shows", ShowListView.as_view(), name="api-shows"),
    path("api/shows/<int:pk>", ShowDetailView.as_view(), name="api-show"),
    path("api/shows/<int:pk>/metrics", ShowMetricsView.as_view(), name="api-show-metrics"),
    path("api/watchlist", WatchlistView.as_view(), name="api-watchlist"),
    path("api/watchlist/<int:pk>", WatchlistItemView.as_view(), name="api-watchlist-item"),
    path("api/snapshots", SnapshotExportView.as_view(), name="api-snapshots"),
    path("api/stream", stream, name="api-stream"),
    path("api/forecasts/", include("forecasts.api.urls")),
    path("forecasts/", include("forecasts.urls")),
    path("api/schema", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    # Sign-in and sign-out links of the browsable API.
    path("api/auth/", include("rest_framework.urls")),
]
