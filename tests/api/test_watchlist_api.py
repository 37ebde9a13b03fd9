"""Watchlist writes (staff): add by id or title, remove, edit identifiers."""

import pytest

from shows.models import Show

pytestmark = pytest.mark.postgres


@pytest.fixture
def admin_api(api, staff):
    api.force_login(staff)
    return api


def test_post_a_new_title_creates_and_watches_it(admin_api, db):
    response = admin_api.post(
        "/api/watchlist",
        {
            "title": "Dept. Q",
            "kind": "tv",
            "wikipediaArticle": "Dept. Q (TV series)",
            "searchTerms": ["dept q"],
        },
        format="json",
    )
    assert response.status_code == 201
    show = Show.objects.get(pk=response.json()["id"])
    assert show.on_watchlist and show.wikipedia_article == "Dept._Q_(TV_series)"
    assert show.search_terms == ["dept q"]


def test_post_a_known_title_watches_the_same_show(admin_api, show):
    show.on_watchlist = False
    show.save()
    response = admin_api.post("/api/watchlist", {"title": "WEDNESDAY", "season": "Season 2"}, format="json")
    assert response.status_code == 200 and response.json()["id"] == show.id
    assert Show.objects.get(pk=show.pk).on_watchlist


def test_post_by_id_and_put_watch_a_known_show(admin_api, db):
    first = Show.objects.create(title="Ginny & Georgia")
    second = Show.objects.create(title="Adolescence")
    assert admin_api.post("/api/watchlist", {"show": first.id}, format="json").json()["onWatchlist"]
    assert admin_api.put(f"/api/watchlist/{second.id}").json()["onWatchlist"]
    assert [s["id"] for s in admin_api.get("/api/watchlist").json()] == [second.id, first.id]


@pytest.mark.parametrize(
    "body",
    [{}, {"show": 1, "title": "both"}, {"title": "  "}, {"title": "x", "kind": "opera"}, {"show": "abc"}],
)
def test_a_bad_watchlist_body_is_a_400(admin_api, db, body):
    assert admin_api.post("/api/watchlist", body, format="json").status_code == 400


def test_an_unknown_show_is_a_404_on_every_write(admin_api, db):
    assert admin_api.post("/api/watchlist", {"show": 999}, format="json").status_code == 404
    assert admin_api.put("/api/watchlist/999").status_code == 404
    assert admin_api.delete("/api/watchlist/999").status_code == 404
    assert admin_api.patch("/api/shows/999", {}, format="json").status_code == 404


def test_delete_unwatches_and_keeps_the_show(admin_api, show):
    assert admin_api.delete(f"/api/watchlist/{show.id}").status_code == 204
    assert admin_api.get(f"/api/watchlist/{show.id}").json()["onWatchlist"] is False


def test_patch_edits_only_the_given_identifiers(admin_api, show):
    show.hashtags = ["wednesday"]
    show.save()
    response = admin_api.patch(
        f"/api/shows/{show.id}",
        {"kalshiTickers": ["KXNETFLIXRANKSHOW-25"], "wikipediaArticle": "Wednesday (TV series)"},
        format="json",
    )
    assert response.status_code == 200
    identifiers = response.json()["identifiers"]
    assert identifiers["kalshiTickers"] == ["KXNETFLIXRANKSHOW-25"]
    assert identifiers["wikipediaArticle"] == "Wednesday_(TV_series)"
    assert identifiers["hashtags"] == ["wednesday"]


@pytest.mark.parametrize("body", [{"hashtags": "notalist"}, {"subreddits": [""]}, {"wikipediaProject": ""}])
def test_bad_identifiers_are_a_400_and_change_nothing(admin_api, show, body):
    assert admin_api.patch(f"/api/shows/{show.id}", body, format="json").status_code == 400
    assert Show.objects.get(pk=show.pk).hashtags == []
