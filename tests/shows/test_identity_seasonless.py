"""Tudum's season-"N/A" rows: a show named without a season by a source that always says the season
keeps none, so the same row lands on the same show whatever runs came before (shows/identity.py,
rule 3); bare titles from other sources still mean the current season."""

import pytest

from shows.identity import show_refs_resolve
from shows.models import Show
from shows.refs import ShowRef
from shows.services import watchlist_add

pytestmark = pytest.mark.django_db


def tudum(title: str, season: str = "") -> ShowRef:
    # As sources/tudum/normalize.py makes them: "N/A" is season "".
    return ShowRef(title, season, "tv", create=True, exact=True)


def bare(title: str) -> ShowRef:  # FlixPatrol's, a daily chart's or Kalshi's title without a season
    return ShowRef(title, "", "tv", create=True)


def resolve(*refs: ShowRef, source: str = "tudum") -> dict[ShowRef, int | None]:
    return show_refs_resolve(source_key=source, refs=set(refs))


def named(show_id: int) -> tuple[str, str]:
    show = Show.objects.get(pk=show_id)
    return show.title, show.season


def test_a_season_named_later_does_not_take_the_first_seasons_show():
    first = resolve(tudum("Stranger Things"))[tudum("Stranger Things")]
    later = resolve(tudum("Stranger Things", "Stranger Things 4"))[
        tudum("Stranger Things", "Stranger Things 4")
    ]
    assert later != first
    assert named(first) == ("Stranger Things", "") and Show.objects.get(pk=first).keeps_no_season
    assert resolve(tudum("Stranger Things"))[tudum("Stranger Things")] == first  # a rerun: same show


@pytest.mark.parametrize("newest_first", [False, True])
def test_each_row_lands_on_the_show_of_its_name_whatever_the_order(newest_first):
    runs = [
        [tudum("Barbarians")],
        [tudum("Barbarians"), tudum("Barbarians", "II")],
        [tudum("Barbarians", "II")],
    ]
    for refs in reversed(runs) if newest_first else runs:
        ids = resolve(*refs)
        assert len(set(ids.values())) == len(refs)  # two rows of one list never share a show
        assert all(named(show_id) == (ref.title, ref.season) for ref, show_id in ids.items())
    assert Show.objects.count() == 2


def test_a_watched_seasonless_show_follows_the_season_and_leaves_the_na_rows_their_own_show():
    watched, _ = watchlist_add(title="Stranger Things", wikipedia="Stranger_Things")
    refs = [tudum("Stranger Things"), tudum("Stranger Things", "Stranger Things 4")]
    ids = resolve(*refs)
    watched.refresh_from_db()
    assert ids[refs[1]] == watched.id and watched.season == "Stranger Things 4" and watched.on_watchlist
    assert named(ids[refs[0]]) == ("Stranger Things", "") and ids[refs[0]] != watched.id
    assert resolve(*refs) == ids


def test_a_watched_show_named_seasonless_by_tudum_keeps_its_weeks_when_a_season_comes():
    watched, _ = watchlist_add(title="Stranger Things")
    assert resolve(tudum("Stranger Things"))[tudum("Stranger Things")] == watched.id
    s4 = resolve(tudum("Stranger Things", "Stranger Things 4"))[tudum("Stranger Things", "Stranger Things 4")]
    watched.refresh_from_db()
    assert s4 != watched.id and watched.season == ""


def test_a_bare_title_from_another_source_finds_the_newest_named_season():
    ids = resolve(tudum("Stranger Things"), tudum("Stranger Things", "Stranger Things 4"))
    for source in ("flixpatrol", "kalshi", "watchlist"):
        found = resolve(bare("Stranger Things"), source=source)[bare("Stranger Things")]
        assert found == ids[tudum("Stranger Things", "Stranger Things 4")], source


def test_a_bare_title_finds_the_na_show_while_it_is_the_only_one():
    first = resolve(tudum("Adolescence"))[tudum("Adolescence")]
    assert resolve(bare("Adolescence"), source="flixpatrol")[bare("Adolescence")] == first


def test_a_film_and_its_rows_are_untouched():
    film = ShowRef("KPop Demon Hunters", "", "film", create=True, exact=True)
    film_id = resolve(film)[film]
    flixpatrol = ShowRef("KPop Demon Hunters", "", "film", create=True)
    assert resolve(flixpatrol, source="flixpatrol")[flixpatrol] == film_id
