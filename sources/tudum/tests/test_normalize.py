"""The Tudum normalizer on every fixture of Netflix's Top 10 files, edge cases included."""

from collections import Counter
from datetime import UTC, datetime

import pytest

from shows.refs import ShowRef
from sources.base import RawResponse
from sources.tudum.normalize import normalize, show_ref
from sources.tudum.tsv import MalformedFile
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


@pytest.mark.parametrize(
    ("fixture", "says"),
    [
        ("all-weeks-global.null-body.tsv", "body is 'null', not a TSV"),
        ("all-weeks-global.moved-permanently.html", "an HTML page instead of a TSV"),
    ],
)
def test_a_body_that_is_not_the_tsv_is_refused_saying_why(fixture, says):
    with pytest.raises(MalformedFile, match=says):
        normalize([raw(fixture)])


def test_a_header_without_needed_columns_is_refused():
    bad = raw("all-weeks-global.sample.tsv")
    bad.body = bad.body.replace("weekly_rank", "position", 1)
    with pytest.raises(MalformedFile, match="header lacks weekly_rank"):
        normalize([bad])


def test_a_row_of_the_wrong_width_is_refused_with_its_line():
    bad = raw("all-weeks-global.sample.tsv")
    bad.body += "2025-08-10\tTV (English)\t11\tTruncated\n"
    with pytest.raises(MalformedFile, match="line 242: 4 cells"):
        normalize([bad])


@pytest.mark.parametrize(
    ("old", "new", "says"),
    [
        ("\t201600000\t", "\tlots\t", "weekly_hours_viewed='lots' is not a number"),
        ("2025-08-10\tTV (English)\t1\t", "2025-08-11\tTV (English)\t1\t", "not a Sunday"),
        ("2025-08-10\tTV (English)\t1\t", "10/08/2025\tTV (English)\t1\t", "is not a date"),
    ],
)
def test_a_bad_cell_is_refused_naming_it(old, new, says):
    bad = raw("all-weeks-global.sample.tsv")
    assert old in bad.body
    bad.body = bad.body.replace(old, new, 1)
    with pytest.raises(MalformedFile, match=says):
        normalize([bad])


@pytest.mark.parametrize("file", ["global", "countries", "most_popular"])
def test_a_header_only_file_is_refused(file):
    fixture = {
        "global": "all-weeks-global.sample.tsv",
        "countries": "all-weeks-countries.sample.tsv",
        "most_popular": "most-popular.tsv",
    }[file]
    header_only = raw(fixture, file)
    header_only.body = header_only.body.splitlines()[0]
    with pytest.raises(MalformedFile, match="no rows after the header"):
        normalize([header_only])


def without(body: str, drop) -> str:
    return "\n".join(line for n, line in enumerate(body.splitlines()) if n == 0 or not drop(line.split("\t")))


@pytest.mark.parametrize(
    ("fixture", "file", "drop", "says"),
    [
        (  # a whole list gone from one week
            "all-weeks-global.sample.tsv",
            "global",
            lambda c: c[0] == "2025-07-06" and c[1] == "TV (Non-English)",
            "week 2025-07-06 lacks the list[(]s[)] TV [(]Non-English[)]",
        ),
        (  # the file cut after rank 7 of its oldest list
            "all-weeks-global.sample.tsv",
            "global",
            lambda c: c[0] == "2025-07-06" and c[1] == "TV (Non-English)" and int(c[2]) > 7,
            r"week 2025-07-06, TV \(Non-English\) has the ranks \[1, 2, 3, 4, 5, 6, 7\]",
        ),
        (
            "all-weeks-countries.sample.tsv",
            "countries",
            lambda c: c[1] == "GB" and c[3] == "TV",
            "week 2022-02-27 of GB lacks the list[(]s[)] TV",
        ),
        ("most-popular.tsv", "most_popular", lambda c: c[0] == "Films (English)", "lacks the list"),
    ],
)
def test_a_file_missing_a_list_or_ranks_of_one_is_refused(fixture, file, drop, says):
    bad = raw(fixture, file)
    bad.body = without(bad.body, drop)
    with pytest.raises(MalformedFile, match=says):
        normalize([bad])


def test_a_broken_list_of_a_country_not_kept_does_not_refuse_the_kept_ones():
    # GB's TV list of one week gone: a run that keeps only US still stores the US lists.
    bad = raw("all-weeks-countries.sample.tsv", "countries", countries=["US"])
    bad.body = without(bad.body, lambda c: c[1] == "GB" and c[3] == "TV")
    items = normalize([bad])
    assert Counter(i.scope for i in items) == {"US": 40}
    bad.meta["countries"] = ["US", "GB"]
    with pytest.raises(MalformedFile, match="of GB lacks"):
        normalize([bad])


def test_a_broken_list_of_a_week_not_kept_does_not_refuse_the_newest_weeks():
    bad = raw("all-weeks-global.sample.tsv", recent_weeks=2)
    bad.body = without(bad.body, lambda c: c[0] == "2025-07-06" and c[1] == "TV (Non-English)")
    assert {i.attrs["week"] for i in normalize([bad])} == {"2025-08-10", "2025-08-03"}


def test_a_rank_given_twice_in_one_list_is_refused():
    bad = raw("all-weeks-global.sample.tsv")
    bad.body = bad.body.replace("2025-08-10\tTV (English)\t2\t", "2025-08-10\tTV (English)\t1\t", 1)
    with pytest.raises(MalformedFile, match=r"TV \(English\) has the ranks \[1, 1, 3"):
        normalize([bad])


def test_the_real_history_holds_every_list_of_every_week():
    history = raw("all-weeks-global.2022-05-15-to-2022-11-13.tsv")
    assert len(normalize([history])) == 27 * 40 * 3  # rank, hours, weeks in the Top 10 (no views yet)
