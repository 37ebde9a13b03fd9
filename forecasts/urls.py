from django.urls import path

from forecasts import views

app_name = "forecasts"
urlpatterns = [
    path("", views.forecasts_page, name="page"),
    path("fragments/history/<str:ticker>", views.history_fragment, name="history"),
]
