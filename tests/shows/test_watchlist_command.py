from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from shows.models import Show
from shows.starter import STARTER_WATCHLIST


def watchlist(*args) -> str:
    out = StringIO()
    call_command("watchlist", *args, stdout=out)
    return out.getvalue()


def test_add_list_and_remove_a_show(db):
    assert "added" in watchlist(
        "add", "Wednesday", "--wikipedia", "Wednesday (TV series)", "--search-term", "Wednesday Netflix"
    )
    show = Show.objects.get()
    assert show.on_watchlist and show.wikipedia_article == "Wednesday_(TV_series)"
    assert show.search_terms == ["Wednesday Netflix"]
    assert "Wednesday" in watchlist("list")
    assert "history kept" in watchlist("remove", "wednesday")
    show.refresh_from_db()
    assert not show.on_watchlist
    assert "0 shows" in watchlist("list")


def test_adding_a_known_show_again_watches_it_without_duplicating(db):
    watchlist("add", "Squid Game", "--search-term", "Squid Game")
    watchlist("add", "squid game!", "--search-term", "Squid Game", "--search-term", "오징어 게임")
    show = Show.objects.get()
    assert show.search_terms == ["Squid Game", "오징어 게임"]


def test_removing_an_unknown_show_is_a_clear_error(db):
    with pytest.raises(CommandError, match="no show 'Nope'"):
        watchlist("remove", "Nope")


def test_the_starter_watchlist_loads_once(db):
    assert f"loaded {len(STARTER_WATCHLIST)}" in watchlist("starter")
    assert Show.objects.filter(on_watchlist=True).exclude(wikipedia_article="").count() == len(
        STARTER_WATCHLIST
    )
    watchlist("remove", "Squid Game")
    assert "already loaded" in watchlist("starter")
    assert not Show.objects.get(title="Squid Game").on_watchlist


def test_adding_a_title_known_by_its_seasons_watches_the_current_season(db):
    from shows.models import Show

    Show.objects.create(title="Wednesday", season="Season 1")
    current = Show.objects.create(title="Wednesday", season="Season 2")
    assert "watching" in watchlist("add", "Wednesday")
    current.refresh_from_db()
    assert current.on_watchlist
    assert Show.objects.filter(title="Wednesday").count() == 2
