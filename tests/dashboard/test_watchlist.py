import re

from shows.models import Show
from tests.factories import HOSTILE, show_with_signals, watched_show


def _titles(html: str) -> list[str]:
    return re.findall(r'<a class="title" href="/shows/\d+">([^<]+)</a>', html)


def test_each_row_has_the_newest_value_its_change_and_a_sparkline(client, sources_ready, public):
    show_with_signals("Wednesday", pageviews=(100, 120, 150))
    html = client.get("/watchlist").content.decode()
    cell = re.search(r'data-signal="wikipedia.pageviews".*?</td>', html, re.S)[0]
    assert 'data-value="150.0"' in cell and "+30" in cell and "<svg" in cell and "<polyline" in cell


def test_a_rank_that_falls_in_number_reads_as_a_rise(client, sources_ready, public):
    show_with_signals("Wednesday", rank=(5, 3))
    html = client.get("/watchlist").content.decode()
    cell = re.search(r'data-signal="tudum.rank".*?</td>', html, re.S)[0]
    assert 'class="change up"' in cell and "-2" in cell


def test_the_table_sorts_by_a_signal_with_real_links(client, sources_ready, public):
    show_with_signals("Alpha", pageviews=(1, 10))
    show_with_signals("Beta", pageviews=(1, 30))
    show_with_signals("Gamma", pageviews=(1, 20))
    watched_show("Delta")  # no pageviews: last whichever way
    assert _titles(client.get("/watchlist").content.decode()) == ["Alpha", "Beta", "Delta", "Gamma"]
    html = client.get("/watchlist?sort=-wikipedia.pageviews").content.decode()
    assert _titles(html) == ["Beta", "Gamma", "Alpha", "Delta"]
    assert 'href="?sort=wikipedia.pageviews"' in html
    assert _titles(client.get("/watchlist?sort=wikipedia.pageviews").content.decode())[0] == "Alpha"
    assert _titles(client.get("/watchlist?sort=nonsense").content.decode())[0] == "Alpha"


def test_htmx_gets_only_the_table(client, sources_ready, public):
    html = client.get("/watchlist", headers={"HX-Request": "true"}).content.decode()
    assert html.lstrip().startswith('<section id="watchlist-table"') and "<html" not in html


def test_staff_adds_a_show_and_gets_the_new_table(staff_client, sources_ready):
    response = staff_client.post(
        "/watchlist/add",
        {"title": "Squid Game", "season": "Season 3", "kind": "tv", "wikipedia": ""},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response.status_code == 200 and "Squid Game" in _titles(html) and "added" in html
    assert Show.objects.get(title="Squid Game").on_watchlist


def test_staff_removes_a_show_and_its_history_stays(staff_client, sources_ready):
    show = show_with_signals("Wednesday")
    html = staff_client.post(f"/watchlist/{show.id}/remove", headers={"HX-Request": "true"}).content.decode()
    assert "Wednesday" not in _titles(html)
    show.refresh_from_db()
    assert not show.on_watchlist and show.snapshots.exists()


def test_an_empty_title_is_refused_with_a_message(staff_client, sources_ready):
    html = staff_client.post(
        "/watchlist/add", {"title": " "}, headers={"HX-Request": "true"}
    ).content.decode()
    assert 'role="alert"' in html and "title is required" in html


def test_anonymous_users_see_no_edit_controls_and_cannot_post(client, sources_ready, public):
    show = watched_show("Wednesday")
    html = client.get("/watchlist").content.decode()
    assert "/watchlist/add" not in html and "Remove" not in html and "<form" not in html
    assert client.post("/watchlist/add", {"title": "X"}, headers={"HX-Request": "true"}).status_code == 403
    assert client.post(f"/watchlist/{show.id}/remove").status_code == 302  # to sign-in
    assert Show.objects.filter(on_watchlist=True).count() == 1


def test_hostile_titles_render_as_text_in_the_table(client, sources_ready, public):
    show_with_signals(HOSTILE)
    html = client.get("/watchlist").content.decode()
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_watchlist_query_count_does_not_grow_with_watched_shows(
    client, sources_ready, public, django_assert_num_queries
):
    from tests.dashboard.queries import queries_for

    for n in range(2):
        show_with_signals(f"Show {n}")
    with_two = queries_for(client, "/watchlist")
    for n in range(2, 20):
        show_with_signals(f"Show {n}")
    with django_assert_num_queries(with_two):
        client.get("/watchlist")
