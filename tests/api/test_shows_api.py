"""GET /api/shows (search, watchlist filter, pages) and GET/PATCH /api/shows/<id>."""

import pytest

from shows.models import Show
from tests.api.conftest import hours_ago

pytestmark = pytest.mark.postgres


@pytest.fixture
def catalogue(db):
    return [
        Show.objects.create(title="Wednesday", season="Season 2", on_watchlist=True),
        Show.objects.create(title="Squid Game", season="Season 3"),
        Show.objects.create(title="Pokémon Horizons"),
    ]


def titles(response):
    return [s["title"] for s in response.json()["results"]]


def test_the_list_is_paginated(api, catalogue):
    body = api.get("/api/shows?page_size=2").json()
    assert body["count"] == 3 and len(body["results"]) == 2 and body["next"]
    assert titles(api.get("/api/shows?page_size=2&page=2")) == ["Wednesday"]


def test_a_page_past_the_end_is_a_404(api, catalogue):
    assert api.get("/api/shows?page=9").status_code == 404


def test_search_matches_title_case_and_accents_insensitively(api, catalogue):
    assert titles(api.get("/api/shows?q=squid")) == ["Squid Game"]
    assert titles(api.get("/api/shows?q=pokemon")) == ["Pokémon Horizons"]


def test_watchlist_filter(api, catalogue):
    assert titles(api.get("/api/shows?watchlist=1")) == ["Wednesday"]
    assert titles(api.get("/api/shows?watchlist=0")) == ["Pokémon Horizons", "Squid Game"]


def test_a_bad_watchlist_flag_is_a_400_naming_the_accepted_values(api, catalogue):
    response = api.get("/api/shows?watchlist=maybe")
    assert response.status_code == 400
    assert "1, 0, true, false" in response.json()["watchlist"][0]


def test_detail_has_identifiers_aliases_and_the_latest_value_of_each_series(api, show, add_snapshots):
    show.wikipedia_article = "Wednesday_(TV_series)"
    show.search_terms = ["wednesday addams"]
    show.save()
    add_snapshots(show, "wikipedia", "pageviews", [(hours_ago(3), 5), (hours_ago(2), 8)])
    add_snapshots(show, "kalshi", "yes_bid", [(hours_ago(1), 0.3)], period="instant")
    body = api.get(f"/api/shows/{show.id}").json()
    assert body["identifiers"]["wikipediaArticle"] == "Wednesday_(TV_series)"
    assert body["identifiers"]["searchTerms"] == ["wednesday addams"]
    assert body["aliases"] == []
    latest = {(v["source"], v["metric"]): v["value"] for v in body["latest"]}
    assert latest == {("wikipedia", "pageviews"): 8, ("kalshi", "yes_bid"): 0.3}


def test_detail_query_count_does_not_grow_with_series(api, show, add_snapshots, django_assert_num_queries):
    for n in range(10):
        add_snapshots(show, "wikipedia", "pageviews", [(hours_ago(h), h) for h in range(5)], scope=f"p{n}")
    with django_assert_num_queries(3):  # the show, its aliases, the newest value of every series
        assert len(api.get(f"/api/shows/{show.id}").json()["latest"]) == 10


def test_an_unknown_show_is_a_404(api, db):
    assert api.get("/api/shows/424242").status_code == 404
