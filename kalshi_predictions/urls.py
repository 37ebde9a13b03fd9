import django_eventstream
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from shows.api import ShowMetricsView
from sources.api import SourceListView

urlpatterns = [
    path("", include("dashboard.urls")),
    path("admin/", admin.site.urls),
    path("api/sources", SourceListView.as_view(), name="api-sources"),
    path("api/shows/<int:pk>/metrics", ShowMetricsView.as_view(), name="api-show-metrics"),
    path("api/stream", include(django_eventstream.urls), {"channels": ["sources"]}),
    path("api/schema", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]
