from django.urls import path

from . import views

app_name = "dashboard"
urlpatterns = [
    path("", views.board, name="board"),
    path("fragments/sources", views.source_cards, name="source-cards"),
]
