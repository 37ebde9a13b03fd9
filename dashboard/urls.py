from django.urls import path

from .views import board, shows, sources, watchlist

app_name = "dashboard"
urlpatterns = [
    path("", board.board, name="board"),
    path("fragments/sources", board.source_cards, name="source-cards"),
    path("fragments/markets", board.markets, name="markets"),
    path("fragments/flixpatrol", board.flixpatrol, name="flixpatrol"),
    path("fragments/publications", board.publications, name="publications"),
    path("watchlist", watchlist.watchlist, name="watchlist"),
    path("watchlist/add", watchlist.watchlist_add_view, name="watchlist-add"),
    path("watchlist/<int:pk>/remove", watchlist.watchlist_remove_view, name="watchlist-remove"),
    path("shows/<int:pk>", shows.show_detail, name="show"),
    path("shows/<int:pk>/charts", shows.show_charts_fragment, name="show-charts"),
    path("shows/<int:pk>/identifiers", shows.show_identifiers, name="show-identifiers"),
    path("sources", sources.sources, name="sources"),
    path("fragments/source-details", sources.sources_fragment, name="source-details"),
    path("sources/<slug:key>/run", sources.run_now, name="run-now"),
]
