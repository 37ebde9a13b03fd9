"""The Tudum normalizer on every fixture of Netflix's Top 10 files, edge cases included."""

from collections import Counter
from datetime import UTC, datetime

import pytest

from shows.refs import ShowRef
from sources.base import RawResponse
from sources.tudum.normalize import normalize, show_ref
from tests.fakeupstream import fixture_text

FETCHED = datetime(2025, 8, 12, 15, 30, tzinfo=UTC)


def raw(fixture: str, file: str = "global", **meta) -> RawResponse:
    return RawResponse(
        method="GET",
        url="https://www.netflix.com/tudum/top10/data/...",
        status=200,
        body=fixture_text(f"tudum/{fixture}"),
        fetched_at=FETCHED,
        meta={"file": file, **meta},
    )


def one(items, *, title: str, season: str = "", metric: str, scope: str | None = None):
    found = [
        i
        for i in items
        if (i.show_ref.title, i.show_ref.season, i.metric) == (title, season, metric)
        and (scope is None or i.scope == scope)
    ]
    assert len(found) == 1, found
    return found[0]


def test_each_row_of_a_global_list_becomes_five_weekly_values():
    items = normalize([raw("all-weeks-global.sample.tsv")])
    week = datetime(2025, 8, 4, tzinfo=UTC)  # the Monday starting the week that ends Sunday 2025-08-10
    wednesday = [
        i
        for i in items
        if (i.show_ref.title, i.show_ref.season) == ("Wednesday", "Season 2") and i.observed_at == week
    ]
    assert {i.metric: i.value for i in wednesday} == {
        "rank": 1,
        "weekly_hours_viewed": 201_600_000,
        "runtime": 4.0333,
        "weekly_views": 50_000_000,
        "cumulative_weeks_in_top_10": 1,
    }
    first = wednesday[0]
    assert (first.period, first.scope, first.show_id) == ("week", "tv_english", None)
    assert first.show_ref == ShowRef(title="Wednesday", season="Season 2", kind="tv", create=True, exact=True)
    assert first.attrs == {
        "season_title": "Wednesday: Season 2",
        "category": "TV (English)",
        "week": "2025-08-10",
    }


def test_all_four_lists_are_kept_each_under_its_own_scope():
    items = normalize([raw("all-weeks-global.sample.tsv")])
    ranks = Counter(i.scope for i in items if i.metric == "rank")
    assert ranks == {"tv_english": 60, "tv_non_english": 60, "films_english": 60, "films_non_english": 60}


def test_films_have_no_season_and_are_films():
    items = normalize([raw("all-weeks-global.sample.tsv")])
    film = next(i for i in items if i.show_ref.title == "My Oxford Year")
    assert (film.show_ref.season, film.show_ref.kind) == ("", "film")
    assert film.attrs["season_title"] == "N/A"


@pytest.mark.parametrize(
    ("show_title", "season_title", "category", "expected"),
    [
        ("Wednesday", "Wednesday: Season 2", "TV (English)", ("Wednesday", "Season 2", "tv")),
        ("Vikings: Valhalla", "Vikings: Valhalla: Season 1", "TV", ("Vikings: Valhalla", "Season 1", "tv")),
        (
            "Stranger Things",
            "Stranger Things 2",
            "TV (English)",
            ("Stranger Things", "Stranger Things 2", "tv"),
        ),
        ("Jake Paul vs. Mike Tyson", "N/A", "TV (English)", ("Jake Paul vs. Mike Tyson", "", "tv")),
        ("Paw Patrol: The Movie", "N/A", "Films (English)", ("Paw Patrol: The Movie", "", "film")),
        ("Zero\u200bWidth", "N/A", "Films", ("ZeroWidth", "", "film")),
    ],
)
def test_season_titles_split_into_show_and_season(show_title, season_title, category, expected):
    ref = show_ref(show_title, season_title, category)
    assert (ref.title, ref.season, ref.kind) == expected


def test_weeks_before_views_existed_store_hours_and_rank_only():
    items = normalize([raw("all-weeks-global.views-transition.sample.tsv")])
    before = [i for i in items if i.attrs["week"] == "2023-06-11"]
    after = [i for i in items if i.attrs["week"] == "2023-06-18"]
    assert Counter(i.metric for i in before) == {
        "rank": 40,
        "weekly_hours_viewed": 40,
        "cumulative_weeks_in_top_10": 40,
    }
    assert Counter(i.metric for i in after)["weekly_views"] == 40
    prisoners = one(before, title="Prisoners", metric="weekly_hours_viewed")
    assert (prisoners.value, prisoners.observed_at) == (13_890_000, datetime(2023, 6, 5, tzinfo=UTC))


def test_a_zero_runtime_is_not_stored_as_a_runtime():
    items = normalize([raw("all-weeks-global.views-transition.sample.tsv")])
    metrics = {i.metric for i in items if i.show_ref.title == "The Good Bad Mother"}
    assert "runtime" not in metrics and "weekly_views" in metrics


def test_the_twelve_column_variant_is_read_by_header():
    items = normalize([raw("all-weeks-global.schema-2024-11.sample.tsv")])
    assert Counter(i.metric for i in items)["rank"] == 40
    staggered = [i for i in items if i.show_ref.title == "A Virtuous Business"]
    assert {i.metric: i.value for i in staggered} == {
        "rank": 7,
        "weekly_hours_viewed": 13_300_000,
        "weekly_views": 1_400_000,
        "cumulative_weeks_in_top_10": 3,
    }
    live = one(items, title="Jake Paul vs. Mike Tyson", metric="weekly_views")
    assert (live.value, live.scope, live.show_ref.kind) == (46_600_000, "tv_english", "tv")


def test_country_lists_store_rank_and_weeks_under_the_country_code():
    items = normalize([raw("all-weeks-countries.sample.tsv", "countries")])
    assert Counter(i.scope for i in items) == {"US": 40, "GB": 40, "KR": 40}
    assert {i.metric for i in items} == {"rank", "cumulative_weeks_in_top_10"}
    anna = one(items, title="Inventing Anna", season="Limited Series", metric="rank", scope="US")
    assert (anna.value, anna.observed_at) == (1, datetime(2022, 2, 21, tzinfo=UTC))


def test_country_lists_can_be_limited_to_some_countries():
    items = normalize([raw("all-weeks-countries.sample.tsv", "countries", countries=["US"])])
    assert {i.scope for i in items} == {"US"}


def test_a_scheduled_run_keeps_only_the_newest_weeks():
    items = normalize([raw("all-weeks-global.sample.tsv", recent_weeks=2)])
    assert {i.attrs["week"] for i in items} == {"2025-08-10", "2025-08-03"}


def test_a_backfill_window_keeps_weeks_ending_from_since_to_before_until():
    items = normalize([raw("all-weeks-global.sample.tsv", since="2025-07-13", until="2025-07-27")])
    assert {i.attrs["week"] for i in items} == {"2025-07-13", "2025-07-20"}


def test_a_backfill_of_one_show_keeps_only_its_rows():
    show = {"title": "squid game", "season": "Season 3"}
    items = normalize([raw("all-weeks-global.sample.tsv", show=show)])
    assert {(i.show_ref.title, i.show_ref.season) for i in items} == {("Squid Game", "Season 3")}
    assert len({i.observed_at for i in items}) == 6


def test_most_popular_lists_are_stored_as_known_on_the_day_of_the_fetch():
    items = normalize([raw("most-popular.tsv", "most_popular")])
    assert Counter(i.metric for i in items) == {
        "rank": 40,
        "runtime": 40,
        "hours_viewed_first_91_days": 40,
        "views_first_91_days": 40,
    }
    s2 = one(items, title="Wednesday", season="Season 2", metric="views_first_91_days")
    assert (s2.value, s2.scope, s2.period) == (119_300_000, "most_popular_tv_english", "day")
    assert s2.observed_at == datetime(2025, 8, 12, tzinfo=UTC)
