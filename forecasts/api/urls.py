from django.urls import path

from forecasts.api.views import ForecastMarketsView, MarketHistoryView, TrackRecordView

urlpatterns = [
    path("markets", ForecastMarketsView.as_view(), name="api-forecast-markets"),
    path("markets/<str:ticker>/history", MarketHistoryView.as_view(), name="api-forecast-market-history"),
    path("track-record", TrackRecordView.as_view(), name="api-forecast-track-record"),
]
