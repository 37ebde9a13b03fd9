"""show_refs_resolve: the rules in shows/identity.py, the review list, and its fixed query count."""

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from shows.identity import show_refs_resolve
from shows.models import Alias, Show, UnmatchedName
from shows.refs import ShowRef
from shows.services import watchlist_add

pytestmark = pytest.mark.django_db


def resolve(*refs: ShowRef, source: str = "tudum") -> dict[ShowRef, int | None]:
    return show_refs_resolve(source_key=source, refs=set(refs))


def tudum(title: str, season: str = "") -> ShowRef:
    return ShowRef(title, season, "tv", create=True)


def kalshi(outcome: str) -> ShowRef:
    return ShowRef(outcome, "", "tv", create=False)


def test_a_creating_source_creates_one_show_per_season():
    ids = resolve(tudum("Wednesday", "Season 2"), tudum("Wednesday", "Season 1"))
    assert len(set(ids.values())) == 2
    assert sorted(Show.objects.values_list("title", "season")) == [
        ("Wednesday", "Season 1"),
        ("Wednesday", "Season 2"),
    ]
    assert resolve(tudum("Wednesday", "Season 2")) == {
        tudum("Wednesday", "Season 2"): ids[tudum("Wednesday", "Season 2")]
    }
    assert Show.objects.count() == 2


def test_a_seasonless_watchlist_show_takes_the_newest_season_named():
    watched, _ = watchlist_add(title="Wednesday", wikipedia="Wednesday_(TV_series)")
    ids = resolve(tudum("Wednesday", "Season 1"), tudum("Wednesday", "Season 2"))
    watched.refresh_from_db()
    assert ids[tudum("Wednesday", "Season 2")] == watched.id
    assert (watched.season, watched.on_watchlist, watched.wikipedia_article) == (
        "Season 2",
        True,
        "Wednesday_(TV_series)",
    )
    assert ids[tudum("Wednesday", "Season 1")] != watched.id


def test_a_seasonless_show_does_not_take_a_season_older_than_a_known_one():
    s2 = Show.objects.create(title="Wednesday", season="Season 2")
    # A seasonless row beside known seasons (watchlist_add would now pick Season 2 itself).
    bare = Show.objects.create(title="Wednesday", on_watchlist=True)
    ids = resolve(kalshi("Wednesday: Season 1"))
    bare.refresh_from_db()
    assert bare.season == "" and ids[kalshi("Wednesday: Season 1")] is None
    ids = resolve(tudum("Wednesday", "Season 3"))
    bare.refresh_from_db()
    assert bare.season == "Season 3" and ids[tudum("Wednesday", "Season 3")] == bare.id
    assert Show.objects.filter(pk=s2.pk, season="Season 2").exists()


def test_a_seasonless_name_lands_on_the_current_season():
    resolve(tudum("Squid Game", "Season 1"), tudum("Squid Game", "Season 3"), tudum("Squid Game", "Season 2"))
    flixpatrol = ShowRef("Squid Game", "", "tv", create=True)
    ids = resolve(flixpatrol, source="flixpatrol")
    assert ids[flixpatrol] == Show.objects.get(season="Season 3").id
    assert Show.objects.count() == 3


def test_a_seasonless_name_seen_first_becomes_the_season_named_later():
    flixpatrol = ShowRef("Wednesday", "", "tv", create=True)
    first = resolve(flixpatrol, source="flixpatrol")[flixpatrol]
    assert resolve(tudum("Wednesday", "Season 2"))[tudum("Wednesday", "Season 2")] == first
    assert resolve(flixpatrol, source="flixpatrol")[flixpatrol] == first


def test_a_film_matches_by_title_and_season_na():
    film = Show.objects.create(title="KPop Demon Hunters", kind="film")
    ref = ShowRef("KPop Demon Hunters", "N/A", "film", create=True)
    assert resolve(ref) == {ref: film.id}


def test_an_unknown_name_without_leave_to_create_is_listed_once_and_counted():
    ref = kalshi("The Hawk: Season 1")
    assert resolve(ref, source="kalshi") == {ref: None}
    assert resolve(ref, source="kalshi") == {ref: None}
    row = UnmatchedName.objects.get()
    assert (row.source_key, row.name, row.normalized, row.times_seen, row.show) == (
        "kalshi",
        "The Hawk: Season 1",
        "the hawk season 1",
        2,
        None,
    )
    assert row.last_seen > row.first_seen
    assert Show.objects.count() == 0


def test_an_alias_maps_a_name_for_its_source_before_any_other_rule():
    show = Show.objects.create(title="The Hawk", season="Season 1")
    other = Show.objects.create(title="Hawk", season="")
    Alias.objects.create(source_key="", name="Hawk", show=show)
    Alias.objects.create(source_key="flixpatrol", name="Hawk", show=other)
    ref = ShowRef("Hawk", "", "tv", create=False)
    assert resolve(ref, source="kalshi") == {ref: show.id}
    assert resolve(ref, source="flixpatrol") == {ref: other.id}


def test_a_listed_name_is_closed_when_it_matches_a_show_later():
    ref = kalshi("The Hawk: Season 1")
    resolve(ref, source="kalshi")
    resolve(tudum("The Hawk", "Season 1"))
    show = Show.objects.get()
    assert resolve(ref, source="kalshi") == {ref: show.id}
    assert UnmatchedName.objects.get().show == show


def test_an_empty_name_resolves_to_nothing_and_is_not_listed():
    ref = ShowRef("  ", "", "tv", create=True)
    assert resolve(ref) == {ref: None}
    assert not Show.objects.exists() and not UnmatchedName.objects.exists()


def batch(n: int, new: str, unknown: str) -> set[ShowRef]:
    """A mix of every rule: exact, alias, seasonless to current season, promotion, new, unmatched."""
    refs = set()
    for i in range(n):
        refs |= {
            ShowRef(f"Known {i}", "Season 1", create=True),
            ShowRef(f"Aliased {i}", "", create=False),
            ShowRef(f"Known {i}", "", create=True),
            ShowRef(f"Watched {i}", "Season 4", create=False),
            ShowRef(f"New {new} {i}", "Season 1", create=True),
            ShowRef(f"New {new} {i}", "", create=True),
            ShowRef(f"Unknown {unknown} {i}: Season 2", "", create=False),
            ShowRef(f"Later {i}: Season 2", "", create=False),
        }
    return refs


def queries_to_resolve(refs: set[ShowRef]) -> int:
    with CaptureQueriesContext(connection) as ctx:
        show_refs_resolve(source_key="kalshi", refs=refs)
    return len(ctx.captured_queries)


# On SQLite Django splits bulk inserts at 999 parameters, so the count there grows with the batch.
@pytest.mark.postgres
def test_resolving_takes_the_same_few_queries_for_3_or_60_names_of_each_kind():
    for i in range(60):
        known = Show.objects.create(title=f"Known {i}", season="Season 1")
        Alias.objects.create(source_key="kalshi", name=f"Aliased {i}", show=known)
        watchlist_add(title=f"Watched {i}")
    # Names an earlier run listed: some seen again, some ("Later") matching a show since then.
    show_refs_resolve(source_key="kalshi", refs=batch(60, "x", "seen"))
    Show.objects.bulk_create(
        Show(
            title=f"Later {i}",
            season="Season 2",
            normalized_title=f"later {i}",
            normalized_name=f"later {i} season 2",
        )
        for i in range(60)
    )

    watched = Show.objects.filter(title__startswith="Watched")
    watched.update(season="", normalized_name=F("normalized_title"))  # seasonless again: promotion runs
    small = queries_to_resolve(batch(3, "small", "seen"))
    watched.update(season="", normalized_name=F("normalized_title"))
    large = queries_to_resolve(batch(60, "large", "seen"))
    assert small == large <= 14
    assert UnmatchedName.objects.get(normalized="unknown seen 0 season 2").times_seen == 3
    assert UnmatchedName.objects.filter(normalized__startswith="later", show__isnull=False).count() == 60


def test_a_film_named_like_a_series_is_not_one_of_its_seasons():
    resolve(tudum("Untamed", "Limited Series"))
    film = ShowRef("Untamed", "", "film", create=True)
    series_id = Show.objects.get().id
    assert resolve(film, source="flixpatrol")[film] != series_id
    assert Show.objects.get(kind="film").title == "Untamed"


def test_a_film_is_not_the_sequel_named_after_it():
    sequel = ShowRef("The Christmas Chronicles: Part Two", "", "film", create=True)
    first = ShowRef("The Christmas Chronicles", "", "film", create=True)
    ids = resolve(sequel, first, source="flixpatrol")
    assert ids[sequel] != ids[first] and None not in ids.values()
