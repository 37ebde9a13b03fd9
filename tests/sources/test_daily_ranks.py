"""The daily Top 10 file (The Numbers' format): parsed into FlixPatrol-shaped daily lists, and imported."""

from datetime import UTC, date, datetime

import pytest
from django.core.management import CommandError, call_command

from shows.models import Show, UnmatchedName
from sources.imports.daily_ranks import DailyRanksError, parse_daily_ranks
from sources.models import Snapshot
from tests.fakeupstream import FIXTURES

SLICE = FIXTURES / "daily" / "us-daily-top10.slice.csv"


@pytest.fixture(scope="module")
def rows():
    return parse_daily_ranks(SLICE.read_text(encoding="utf-8"))


def test_each_days_combined_list_is_split_by_kind_and_ranked_within_it(rows):
    day = [r for r in rows if r.shown_on == date(2020, 4, 1)]
    tv = [(r.rank, r.combined_rank, r.title) for r in day if r.kind == "tv"]
    films = [(r.rank, r.combined_rank, r.title) for r in day if r.kind == "films"]
    assert [r for r, _, _ in tv] == list(range(1, len(tv) + 1))
    assert films[:2] == [(1, 4, "Blood Father"), (2, 5, "The Platform")]
    assert len(tv) + len(films) == 10


def test_stand_up_specials_go_to_the_tv_list(rows):
    closer = [r for r in rows if r.title == "Dave Chappelle: The Closer"]
    assert closer and {r.kind for r in closer} == {"tv"}


def test_mis_encoded_apostrophes_are_repaired_and_cut_titles_kept_as_a_prefix(rows):
    titles = {r.title for r in rows}
    assert "Chris D'Elia: No Pain" in titles
    assert not any("â" in t for t in titles)
    cut = next(r for r in rows if r.title.startswith("There's Someone Inside"))
    assert cut.truncated and cut.prefix == "There's Someone Inside Your"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("13/45/2021,1,1,-,X,TV Show,Yes,1-Jan-21,1,1", "line 3: 'As of'"),
        ("4/1/2020,eleven,1,-,X,TV Show,Yes,1-Jan-21,1,1", "line 3: Rank"),
        ("4/1/2020,3,1,-,X,,Yes,1-Jan-21,1,1", "line 3: empty Type"),
        ("4/1/2020,1,1,-,X,TV Show,Yes,1-Jan-21,1,1", "line 3: rank 1 twice"),
    ],
)
def test_a_malformed_row_is_refused_naming_its_line(line, message):
    header = SLICE.read_text(encoding="utf-8").splitlines()[:2]
    with pytest.raises(DailyRanksError, match=message):
        parse_daily_ranks("\n".join([*header, line]) + "\n")


def test_a_type_the_readme_does_not_list_goes_to_films_only_when_it_says_so():
    header = SLICE.read_text(encoding="utf-8").splitlines()[0]
    rows = parse_daily_ranks(
        "\n".join(
            [header, "4/1/2020,1,1,-,A,Concert/Performance,,,1,1", "4/1/2020,2,1,-,B,Movie (Short),,,1,1"]
        )
    )
    assert [(r.title, r.kind, r.rank) for r in rows] == [("A", "tv", 1), ("B", "films", 1)]


def test_a_file_of_another_shape_is_refused():
    with pytest.raises(DailyRanksError, match="line 1: not a daily Top 10 file"):
        parse_daily_ranks("week\tcategory\n2021-07-04\tTV\n")


@pytest.fixture
def known_shows(sources_ready):
    """Shows as Netflix's weekly lists name them (full titles, proper apostrophes)."""
    return {
        "tiger": Show.objects.create(title="Tiger King: Murder, Mayhem and Madness", kind="tv"),
        "someone": Show.objects.create(title="There’s Someone Inside Your House", kind="film"),
        "delia": Show.objects.create(title="Chris D’Elia: No Pain", kind="tv"),
        "squid": Show.objects.create(title="Squid Game", season="Squid Game: Season 1", kind="tv"),
        "closer": Show.objects.create(title="Dave Chappelle: The Closer", kind="tv"),
    }


def test_the_import_matches_cut_and_mis_encoded_titles_and_reports_counts(known_shows, capsys):
    call_command("import_daily_ranks", str(SLICE), "--country", "US")
    out = capsys.readouterr().out
    assert "300 rows from 2020-04-01 to 2021-10-11" in out
    stored = Snapshot.objects.filter(source__key="flixpatrol", scope="US", metric="rank", period="day")
    ids = set(stored.values_list("show_id", flat=True))
    assert {s.id for s in known_shows.values()} <= ids
    tiger = stored.get(show=known_shows["tiger"], observed_at=datetime(2020, 4, 1, tzinfo=UTC))
    assert tiger.value == 1 and tiger.attrs["origin"] == "the-numbers" and tiger.attrs["list"] == "tv"
    squid = stored.filter(show=known_shows["squid"]).order_by("observed_at").last()
    assert squid.attrs["file_title"] == "Squid Game"  # the show name, matched to its season
    matched = stored.count()
    assert f"{matched} matched a show" in out
    assert UnmatchedName.objects.filter(source_key="flixpatrol", name="Ozark").exists()
    unmatched = 300 - matched
    assert f"{unmatched} unmatched" in out


def test_a_second_import_adds_nothing(known_shows, capsys):
    call_command("import_daily_ranks", str(SLICE))
    first = Snapshot.objects.count()
    call_command("import_daily_ranks", str(SLICE))
    assert Snapshot.objects.count() == first
    assert "stored: 0 new, 0 updated" in capsys.readouterr().out


def test_a_malformed_file_stores_nothing(known_shows, tmp_path):
    lines = SLICE.read_text(encoding="utf-8").splitlines()
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join([*lines[:120], "4/13/2020,x,1,-,Ozark,TV Show,,,1,1", *lines[120:]]) + "\n")
    with pytest.raises(CommandError, match="line 121: Rank 'x'.*nothing was stored"):
        call_command("import_daily_ranks", str(bad))
    assert not Snapshot.objects.filter(source__key="flixpatrol").exists()


def test_a_day_with_flixpatrols_own_chart_is_not_imported_over(known_shows, capsys):
    from sources.base import SnapshotIn
    from sources.models import Source
    from sources.pipeline.store import snapshots_upsert

    day = datetime(2020, 4, 1, tzinfo=UTC)
    own = SnapshotIn("rank", "day", day, 3.0, "US", show_id=known_shows["closer"].id, attrs={"list": "tv"})
    snapshots_upsert(source=Source.objects.get(key="flixpatrol"), items=[own], fetched_at=day)
    call_command("import_daily_ranks", str(SLICE))
    assert "1 days skipped: FlixPatrol's own US chart is stored for them" in capsys.readouterr().out
    that_day = Snapshot.objects.filter(source__key="flixpatrol", observed_at=day)
    assert list(that_day.values_list("show_id", "value")) == [(known_shows["closer"].id, 3.0)]
