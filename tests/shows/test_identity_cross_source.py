"""Done-when of title identity: Kalshi's outcome "Wednesday: Season 2", the Tudum row for Wednesday
season 2 and FlixPatrol's "Wednesday" land on one show.

The refs are made by each source's own (pure) normalizer from the fixture files, so this breaks if a
source starts naming shows in a way the identity rules do not meet.
"""

import json
from datetime import UTC, datetime
from itertools import permutations

import pytest

from shows.identity import show_refs_resolve
from shows.models import Show, UnmatchedName
from shows.refs import ShowRef
from shows.services import starter_watchlist_load
from sources.base import RawResponse
from sources.flixpatrol.normalize import normalize as flixpatrol_normalize
from sources.kalshi.normalize import normalize as kalshi_normalize
from sources.tudum.normalize import normalize as tudum_normalize
from tests.fakeupstream import fixture_text

pytestmark = pytest.mark.django_db
FETCHED = datetime(2025, 8, 12, 16, tzinfo=UTC)


def response(body: str, **meta) -> RawResponse:
    return RawResponse("GET", "http://fake", 200, body, FETCHED, meta=meta)


def tudum_refs() -> set[ShowRef]:
    body = fixture_text("tudum/all-weeks-global.sample.tsv")
    items = tudum_normalize([response(body, file="global", recent_weeks=1)])  # week ending 2025-08-10
    return {i.show_ref for i in items}


def flixpatrol_refs() -> set[ShowRef]:
    body = fixture_text("flixpatrol/top10-netflix-world.excerpt.html")
    meta = {"date": "2025-08-07", "scope": "global", "country_slug": "world"}
    return {i.show_ref for i in flixpatrol_normalize([response(body, **meta)])}


def kalshi_refs(outcome: str = "Wednesday: Season 2") -> set[ShowRef]:
    # The fixture's markets are of July 2026; the first one is given Wednesday's outcome, the way
    # Kalshi writes a Netflix season title in yes_sub_title.
    data = json.loads(fixture_text("kalshi/markets_KXNETFLIXRANKSHOW_open.json"))
    data["markets"][0]["yes_sub_title"] = data["markets"][0]["no_sub_title"] = outcome
    meta = {"kind": "markets", "series": "KXNETFLIXRANKSHOW", "observed_at": FETCHED.isoformat()}
    return {i.show_ref for i in kalshi_normalize([response(json.dumps(data), **meta)]) if i.show_ref}


def resolve(source: str, refs: set[ShowRef]) -> dict[ShowRef, int | None]:
    return show_refs_resolve(source_key=source, refs=refs)


def ref_named(refs: set[ShowRef], title: str, season: str = "") -> ShowRef:
    (ref,) = [r for r in refs if (r.title, r.season) == (title, season)]
    return ref


RUNS = {"tudum": tudum_refs, "flixpatrol": flixpatrol_refs, "kalshi": kalshi_refs}


@pytest.mark.parametrize("starter", [False, True], ids=["empty", "starter-watchlist"])
@pytest.mark.parametrize("order", list(permutations(RUNS)), ids="-then-".join)
def test_kalshi_tudum_and_flixpatrol_name_one_wednesday_season_2(order, starter):
    if starter:
        starter_watchlist_load()  # a seasonless "Wednesday" with its Wikipedia article, watched
    for day in (1, 2):  # day 2 repeats the runs: nothing may move
        ids = {source: resolve(source, RUNS[source]()) for source in order}
        tudum_s2 = ids["tudum"][ref_named(RUNS["tudum"](), "Wednesday", "Season 2")]
        flixpatrol = ids["flixpatrol"][ref_named(RUNS["flixpatrol"](), "Wednesday")]
        kalshi = ids["kalshi"][ref_named(RUNS["kalshi"](), "Wednesday", "Season 2")]
        wednesday_2 = Show.objects.get(normalized_name="wednesday season 2")
        if day == 1 and kalshi is None:
            # Kalshi may not create shows; it ran while no source had named any Wednesday yet.
            assert order.index("kalshi") < order.index("flixpatrol") and not starter
            kalshi = wednesday_2.id
        assert tudum_s2 == flixpatrol == kalshi == wednesday_2.id
    assert Show.objects.filter(normalized_title="wednesday").count() == 2  # seasons 1 and 2
    assert ids["tudum"][ref_named(RUNS["tudum"](), "Wednesday", "Season 1")] != wednesday_2.id
    if starter:
        assert wednesday_2.on_watchlist and wednesday_2.wikipedia_article == "Wednesday_(TV_series)"
    # Kalshi may not create shows: before Tudum knew Wednesday it was on the review list, then closed.
    listed = UnmatchedName.objects.filter(normalized="wednesday season 2").first()
    assert listed is None or listed.show_id == wednesday_2.id


def test_squid_game_on_flixpatrol_is_the_newest_season_tudum_ranks():
    resolve("tudum", tudum_refs())
    refs = flixpatrol_refs()
    squid = resolve("flixpatrol", refs)[ref_named(refs, "Squid Game")]
    assert Show.objects.get(pk=squid).season == "Season 3"


def test_kalshi_outcomes_no_source_knows_go_to_the_review_list():
    resolve("tudum", tudum_refs())
    refs = kalshi_refs()
    ids = resolve("kalshi", refs)
    unknown = {r for r, show_id in ids.items() if show_id is None}
    assert {(r.title, r.season) for r in unknown} == {
        ("I Will Find You", "Limited Series"),
        ("The Hawk", "Season 1"),
        ("Avatar: The Last Airbender", "Season 2"),
    }
    assert sorted(UnmatchedName.objects.values_list("name", "times_seen")) == [
        ("Avatar: The Last Airbender: Season 2", 1),
        ("I Will Find You: Limited Series", 1),
        ("The Hawk: Season 1", 1),
    ]
