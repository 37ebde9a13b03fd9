from django.urls import path

from dashboard.views import board, shows, sources, watchlist

app_name = "dashboard"
urlpatterns = [
    path("", board.board, name="board"),
    path("watchlist", watchlist.watchlist, name="watchlist"),
    path("watchlist/add", watchlist.watchlist_add_view, name="watchlist-add"),
    path("watchlist/<int:pk>/remove", watchlist.watchlist_remove_view, name="watchlist-remove"),
    path("shows/<int:pk>", shows.show_detail, name="show"),
    path("shows/<int:pk>/identifiers", shows.show_identifiers, name="show-identifiers"),
    path("sources", sources.sources, name="sources"),
    path("sources/<slug:key>/run", sources.run_now, name="run-now"),
]
