"""A Tudum backfill of the real history, run twice or in another order, gives the
same rows; no two rows of one list share a show.

The whole global file (8,600 rows) and the US lists (700 rows) from data/tudum run through the real
pipeline. The slice of weeks ending 2022-05-15 ... 2022-11-13 (tests/fixtures/tudum) holds the case
that broke: "Stranger Things" listed with season "N/A" (its first season) beside the named seasons
"Stranger Things 2/3/4", and "Barbarians" (N/A) beside "Barbarians: II"; the Polish weeks of
2021-07-04 ... 2021-08-22 hold "The Mire" (N/A) beside "The Mire: '97".
"""

from datetime import date, timedelta
from pathlib import Path

import pytest

from shows.models import SeedRecord, Show
from shows.services import starter_watchlist_load
from sources.models import Snapshot
from sources.pipeline import runs as pipeline
from sources.pipeline.backfill import source_backfill
from sources.tudum.fake import COUNTRIES, GLOBAL, tsv_reply
from tests.fakeupstream import fixture_text

DATA = Path(__file__).resolve().parents[3] / "data" / "tudum"
HISTORY = (DATA / "all-weeks-global.until-2025-08-10.tsv").read_text(encoding="utf-8")
US_LISTS = (DATA / "all-weeks-countries.US.until-2022-02-27.tsv").read_text(encoding="utf-8")
SLICE = fixture_text("tudum/all-weeks-global.2022-05-15-to-2022-11-13.tsv")
POLAND = fixture_text("tudum/all-weeks-countries.PL.2021-07-04-to-2021-08-22.tsv")


def rows() -> set[tuple]:
    """Every stored value with its show by name, so databases filled in another order compare."""
    return set(
        Snapshot.objects.values_list(
            "show__normalized_title", "show__season", "show__kind", "metric", "scope", "observed_at", "value"
        )
    )


def ranks_per_list_and_week_are_distinct_shows(expected_rows: int) -> None:
    ranks = Snapshot.objects.filter(metric="rank")
    assert ranks.count() == expected_rows  # no two rows of one list collapsed into one snapshot
    assert ranks.values("show", "scope", "observed_at").distinct().count() == expected_rows


def serve(fake_upstream, global_file: str, countries_file: str) -> None:
    fake_upstream.route(GLOBAL, tsv_reply(global_file))
    fake_upstream.route(COUNTRIES, tsv_reply(countries_file))


def week_ends(*files: str) -> list[date]:
    """The weeks the files hold (by the Sunday ending each), from their week columns."""
    found = set()
    for body in files:
        header, *lines = body.splitlines()
        column = header.split("\t").index("week")
        found |= {date.fromisoformat(line.split("\t")[column]) for line in lines if line}
    return sorted(found)


def load_week_by_week(weeks: list[date], *, newest_first: bool) -> None:
    """One pipeline run per week (a window holds the weeks ending in [since, until))."""
    reuse: dict = {}
    for week in sorted(weeks, reverse=newest_first):
        until = week + timedelta(days=1)
        run = pipeline.run(
            "tudum", backfill=True, since=week.isoformat(), until=until.isoformat(), reuse=reuse
        )
        assert (run.status, run.items > 0) == ("ok", True), run.error


def start_again(starter: bool) -> None:
    Snapshot.objects.all().delete()
    Show.objects.all().delete()
    SeedRecord.objects.all().delete()
    if starter:
        starter_watchlist_load()


@pytest.mark.parametrize("starter", [False, True], ids=["no-shows", "starter-watchlist"])
def test_a_backfill_of_the_real_history_run_twice_changes_nothing_the_second_time(
    fake_upstream, sources_ready, redis_conn, starter
):
    if starter:  # seasonless watched shows ("Stranger Things") that may take a season
        starter_watchlist_load()
    serve(fake_upstream, HISTORY, US_LISTS)
    first = source_backfill("tudum")
    assert first.created == first.items == 34_696 + 1_400  # global values + US rank and weeks in Top 10
    ranks_per_list_and_week_are_distinct_shows(8_600 + 700)
    before = rows()
    second = source_backfill("tudum")
    assert (second.created, second.updated, second.unchanged) == (0, 0, first.items)
    assert rows() == before
    # The first season ("N/A") keeps its weeks; the watched title follows its newest season.
    first_season = Show.objects.get(normalized_title="stranger things", season="")
    assert first_season.keeps_no_season
    assert first_season.snapshots.filter(metric="rank").count() == HISTORY.count("\tStranger Things\tN/A\t")
    if starter:
        assert Show.objects.get(on_watchlist=True, normalized_title="stranger things").season == (
            "Stranger Things 4"
        )


@pytest.mark.parametrize("starter", [False, True], ids=["no-shows", "starter-watchlist"])
def test_weeks_loaded_newest_first_give_the_rows_of_weeks_loaded_oldest_first(
    fake_upstream, sources_ready, redis_conn, starter
):
    serve(fake_upstream, SLICE, POLAND)
    weeks = week_ends(SLICE, POLAND)
    assert len(weeks) == 27 + 8
    results = []
    for newest_first in (False, True):
        start_again(starter)
        load_week_by_week(weeks, newest_first=newest_first)
        ranks_per_list_and_week_are_distinct_shows(1_080 + 160)
        results.append(rows())
        load_week_by_week(weeks, newest_first=not newest_first)  # again, the other way: nothing moves
        assert rows() == results[-1]
        assert Snapshot.objects.count() == len(results[-1])
    assert results[0] == results[1]
    names = set(Show.objects.values_list("title", "season"))
    assert {("Stranger Things", ""), ("Stranger Things", "Stranger Things 4"), ("Barbarians", "")} <= names
    assert {("Barbarians", "II"), ("The Mire", ""), ("The Mire", "'97")} <= names
