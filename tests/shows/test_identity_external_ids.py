"""FlixPatrol's slug as an external id: set in admin or learned, it wins over a differing name."""

import pytest

from shows.identity import show_refs_resolve
from shows.models import Show
from shows.refs import ShowRef

pytestmark = pytest.mark.django_db


def flixpatrol(title: str, slug: str) -> ShowRef:
    return ShowRef(title=title, season="", kind="tv", create=True, external_id=slug)


def resolve(*refs: ShowRef, source: str = "flixpatrol") -> dict:
    return show_refs_resolve(source_key=source, refs=set(refs))


def test_a_slug_set_in_admin_wins_over_a_differently_spelt_name():
    show = Show.objects.create(title="Squid Game", season="Season 3", flixpatrol_slug="squid-game")
    ref = flixpatrol("Ojingeo Geim", "squid-game")
    assert resolve(ref)[ref] == show.id
    assert not Show.objects.filter(title="Ojingeo Geim").exists()


def test_the_slug_of_a_name_matched_show_is_remembered():
    show = Show.objects.create(title="Wednesday", season="Season 2")
    resolve(flixpatrol("Wednesday", "wednesday-2022"))
    show.refresh_from_db()
    assert show.flixpatrol_slug == "wednesday-2022"


def test_a_slug_names_the_series_so_it_follows_the_newest_season():
    Show.objects.create(title="Wednesday", season="Season 2", flixpatrol_slug="wednesday-2022")
    season3 = Show.objects.create(title="Wednesday", season="Season 3")
    ref = flixpatrol("Wednesday Addams", "wednesday-2022")
    assert resolve(ref)[ref] == season3.id


def test_an_unknown_slug_falls_back_to_the_name_rules():
    show = Show.objects.create(title="Untamed", season="Limited Series")
    ref = flixpatrol("Untamed", "untamed")
    assert resolve(ref)[ref] == show.id
