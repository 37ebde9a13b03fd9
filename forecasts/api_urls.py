from django.urls import path

from .api import ForecastMarketsView, TrackRecordView

urlpatterns = [
    path("markets", ForecastMarketsView.as_view(), name="api-forecast-markets"),
    path("track-record", TrackRecordView.as_view(), name="api-forecast-track-record"),
]
