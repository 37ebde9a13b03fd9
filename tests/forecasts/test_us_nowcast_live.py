"""The live US nowcast: stored weekly US ranks plus stored daily lists, read as of the prediction time."""

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from django.core.management import call_command

from forecasts.engines import nowcast as us_nowcast
from forecasts.engines import rank_logit as us_model
from forecasts.history.us_lists import parse_country_history
from forecasts.models import Prediction
from forecasts.selectors import week_start
from forecasts.services import announced_by_markets, predictions_store
from shows.models import Show
from sources.base import SnapshotIn
from sources.models import Market, Snapshot, Source
from sources.pipeline.store import snapshots_upsert
from tests.forecasts.conftest import REAL_HISTORY

DATA = Path(REAL_HISTORY).parents[1]
WEEK = date(2021, 9, 19)  # predicted at the close: Monday 2021-09-20 23:00 ET
CLOSE = datetime(2021, 9, 21, 3, 0, tzinfo=UTC)


def _store(tmp_path, before_import=lambda: None):
    weeks = parse_country_history(
        (DATA / "tudum" / "all-weeks-countries.US.until-2022-02-27.tsv").read_text()
    )
    tudum = Source.objects.get(key="tudum")
    for week in [w for w in weeks["US TV"] if w.week <= WEEK]:
        items = []
        for key, rank in week.ranks.items():
            title, season = key.split("|")
            show, _ = Show.objects.get_or_create(title=title, season="" if season == "N/A" else season)
            attrs = {"category": "TV", "season_title": season}
            items.append(
                SnapshotIn("rank", "week", week_start(week.week), rank, "US", show_id=show.id, attrs=attrs)
            )
        fetched = datetime.combine(week.week + timedelta(days=2), datetime.min.time(), tzinfo=UTC)
        snapshots_upsert(source=tudum, items=items, fetched_at=fetched)
    lines = (DATA / "daily" / "us-daily-top10.until-2021-11-01.csv").read_text().splitlines()
    keep = [
        line
        for line in lines[1:]
        if line.split(",")[0].endswith("/2021") and line[:2] in ("6/", "7/", "8/", "9/")
    ]
    path = tmp_path / "daily.csv"
    path.write_text("\n".join([lines[0], *keep]) + "\n")
    before_import()
    call_command("import_daily_ranks", str(path))


@pytest.fixture
def stored(sources_ready, tmp_path):
    _store(tmp_path)


def _probabilities():
    rows = predictions_store(list_name="US TV", week=WEEK, as_of=CLOSE)
    return {(p.title, p.show_id): round(p.p_rank1, 12) for p in rows}, rows


def test_the_close_nowcast_reads_the_six_lists_published_by_then(stored):
    probabilities, rows = _probabilities()
    assert {p.model_version for p in rows} == {us_nowcast.VERSION}
    info = rows[0].inputs["daily"]
    assert info["lists_seen"] == 6 and info["of"] == 7 and info["used"] and info["fit_weeks"] >= 4
    assert info["caption"] == "6 of 7 daily lists (Monday's is published after the close)"
    assert sum(probabilities.values()) == pytest.approx(1)
    leader = max(rows, key=lambda p: p.p_rank1)
    assert leader.inputs["moved_by"] and leader.inputs["moved_by"][0][0].startswith(("daily_", "us_", "in_"))


def test_without_a_publication_lag_the_close_nowcast_reads_all_seven_lists(stored, settings):
    settings.FLIXPATROL_PUBLICATION_LAG_DAYS = 0
    _, rows = _probabilities()
    assert rows[0].inputs["daily"]["lists_seen"] == 7
    assert rows[0].inputs["daily"]["caption"] == "7 of 7 daily lists"


def test_lists_fetched_after_the_prediction_time_change_nothing(stored, settings):
    settings.FLIXPATROL_PUBLICATION_LAG_DAYS = 0  # the Monday list is read: its later correction must not be
    honest, _ = _probabilities()
    flix = Source.objects.get(key="flixpatrol")
    # The Monday list corrected on Tuesday, and the next week's Tuesday list: both fetched after the close.
    monday = Snapshot.objects.filter(source=flix, observed_at=datetime(2021, 9, 20, tzinfo=UTC)).first()
    later = CLOSE + timedelta(hours=6)
    poison = Show.objects.create(title="Poison", kind="tv")
    items = [
        SnapshotIn("rank", "day", monday.observed_at, 10.0, "US", show_id=monday.show_id, attrs=monday.attrs),
        SnapshotIn(
            "rank",
            "day",
            datetime(2021, 9, 21, tzinfo=UTC),
            1.0,
            "US",
            show_id=poison.id,
            attrs={"list": "tv"},
        ),
    ]
    snapshots_upsert(source=flix, items=items, fetched_at=later)
    again, _ = _probabilities()
    assert again == honest


def test_without_daily_lists_the_rank_model_stands_alone(stored):
    Snapshot.objects.filter(source__key="flixpatrol").delete()
    _, rows = _probabilities()
    assert {p.model_version for p in rows} == {us_model.VERSION}
    assert rows[0].inputs["daily"] == {
        "lists_seen": 0,
        "of": 7,
        "lag_days": 1,
        "caption": "0 of 7 daily lists (Monday's is published after the close)",
        "feature_set": None,
        "fit_weeks": 0,
        "used": False,
    }


def test_a_monday_list_re_read_keeps_only_what_the_last_read_shows(stored):
    """A title that left the Monday list between two reads no longer counts at its old place."""
    from forecasts.selectors import daily_charts_as_of

    flix = Source.objects.get(key="flixpatrol")
    monday = datetime(2021, 9, 20, tzinfo=UTC)
    tenth = (
        Snapshot.objects.filter(source=flix, observed_at=monday, attrs__list="tv").order_by("-value").first()
    )
    newcomer = Show.objects.create(title="Late Riser", kind="tv")
    reread = SnapshotIn("rank", "day", monday, tenth.value, "US", show_id=newcomer.id, attrs={"list": "tv"})
    snapshots_upsert(source=flix, items=[reread], fetched_at=CLOSE - timedelta(hours=1))
    charts = daily_charts_as_of(kind="tv", as_of=CLOSE, first=monday.date(), last=monday.date())
    ranks = charts[monday.date()].ranks
    assert ranks[f"show:{newcomer.id}"] == tenth.value and f"show:{tenth.show_id}" not in ranks
    assert sorted(ranks.values()) == sorted(set(ranks.values()))


def test_a_season_stored_later_leaves_the_daily_lists_to_the_season_then_on(sources_ready, tmp_path):
    """A daily list names no season, so its rows are filed under the newest season stored (here a
    Lucifer season 7 that a later Tudum backfill would bring). The nowcast still reads them as the week's
    Lucifer candidate, season 6: the probabilities are those of a database without season 7."""
    _store(tmp_path)
    honest = {
        p.title: round(p.p_rank1, 12) for p in predictions_store(list_name="US TV", week=WEEK, as_of=CLOSE)
    }
    Prediction.objects.all().delete()
    Snapshot.objects.all().delete()
    Show.objects.all().delete()
    later = lambda: Show.objects.create(title="Lucifer", season="Lucifer: Season 7", kind="tv")  # noqa: E731
    _store(tmp_path, before_import=later)
    assert Snapshot.objects.filter(source__key="flixpatrol", show__season="Lucifer: Season 7").exists()
    again = {
        p.title: round(p.p_rank1, 12) for p in predictions_store(list_name="US TV", week=WEEK, as_of=CLOSE)
    }
    assert again == honest


def test_a_day_holding_flixpatrols_own_chart_reads_only_it(stored):
    """Rows of the imported file and of FlixPatrol on one day are two charts: only FlixPatrol's is read."""
    from forecasts.selectors import daily_charts_as_of

    flix = Source.objects.get(key="flixpatrol")
    monday = datetime(2021, 9, 20, tzinfo=UTC)
    own = Show.objects.create(title="FlixPatrol Number One", kind="tv")
    item = SnapshotIn("rank", "day", monday, 1.0, "US", show_id=own.id, attrs={"list": "tv"})
    snapshots_upsert(source=flix, items=[item], fetched_at=CLOSE - timedelta(hours=2))
    charts = daily_charts_as_of(kind="tv", as_of=CLOSE, first=monday.date(), last=monday.date())
    assert charts[monday.date()].ranks == {f"show:{own.id}": 1}


def test_a_season_an_open_market_names_gets_the_daily_lists_of_its_show(stored):
    """Lucifer's sixth season came out in the predicted week: no weekly list known at the close names it,
    the market does. The daily lists' Lucifer is that season, as a candidate of its own."""
    season6, _ = Show.objects.get_or_create(title="Lucifer", season="Lucifer: Season 6", kind="tv")
    market = Market.objects.create(
        ticker="KXNETFLIXRANKSHOW-21SEP20-LUC",
        series="KXNETFLIXRANKSHOW",
        event_ticker="KXNETFLIXRANKSHOW-21SEP20",
        outcome="Lucifer: Season 6",
        show=season6,
    )
    Market.objects.filter(pk=market.pk).update(first_seen_at=CLOSE + timedelta(hours=1))
    assert announced_by_markets(list_name="US TV", as_of=CLOSE) == {}  # listed after the close
    Market.objects.filter(pk=market.pk).update(first_seen_at=CLOSE - timedelta(days=3))
    named = {f"show:{season6.id}": ("Lucifer", "Lucifer: Season 6")}
    assert announced_by_markets(list_name="US TV", as_of=CLOSE) == {WEEK: named}
    _, rows = _probabilities()
    row = next(p for p in rows if p.show_id == season6.id)
    assert row.title == "Lucifer" and not row.is_new_show
    assert row.inputs["x"]["daily_points"] > 0.5
    assert sum(p.title == "Lucifer" for p in rows) == 1
