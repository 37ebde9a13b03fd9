"""Never a number past its data (issue 20): a list whose newest stored week is more than two weeks before
the predicted week gets no prediction, and the market's card says why instead of showing a probability."""

from datetime import UTC, date, datetime, timedelta

import pytest

from forecasts.freshness import MAX_WEEKS_BEHIND, newest_week, stale_reason
from forecasts.markets.comparisons import comparisons_update
from forecasts.models import MarketComparison, Prediction
from forecasts.refresh import forecasts_refresh
from forecasts.selectors import prediction_basis, week_start
from forecasts.services import StaleHistory, predictions_store
from shows.models import Show
from sources.base import SnapshotIn
from sources.models import Source
from sources.pipeline.store import snapshots_upsert
from tests.forecasts.test_market_comparison import (  # noqa: F401 - shows is a fixture
    NOW,
    WEEK,
    run_kalshi,
    shows,
    store_predictions,
)
from tests.forecasts.test_us_model import us_weeks  # noqa: F401 - fixture

NEWEST = date(2022, 2, 27)


def store_us_weeks(weeks) -> None:
    """The US TV weeks as the Tudum run stores them, each fetched two days after it ended."""
    tudum = Source.objects.get_or_create(key="tudum", defaults={"name": "Netflix Top 10"})[0]
    for week in weeks:
        fetched = datetime.combine(week.week + timedelta(days=2), datetime.min.time(), tzinfo=UTC)
        items = []
        for key, rank in week.ranks.items():
            title, season = key.split("|")
            show, _ = Show.objects.get_or_create(title=title, season=season)
            attrs = {"category": "TV", "season_title": season}
            items.append(
                SnapshotIn("rank", "week", week_start(week.week), rank, "US", show_id=show.id, attrs=attrs)
            )
        snapshots_upsert(source=tudum, items=items, fetched_at=fetched)


def test_the_reason_names_the_list_its_newest_week_and_how_far_behind_it_is():
    week = NEWEST + timedelta(weeks=200)
    assert stale_reason(list_name="US TV", newest=NEWEST, week=week) == (
        "the newest US TV list we hold is 2022-02-27, 200 weeks before this market's week: no probability"
    )


def test_two_weeks_behind_is_the_normal_wait_for_tuesday_three_is_too_old():
    assert MAX_WEEKS_BEHIND == 2
    assert stale_reason(list_name="TV (English)", newest=NEWEST, week=NEWEST + timedelta(weeks=2)) is None
    assert "3 weeks before" in stale_reason(
        list_name="TV (English)", newest=NEWEST, week=NEWEST + timedelta(weeks=3)
    )


@pytest.fixture
def stored_us(db, us_weeks):  # noqa: F811
    weeks = us_weeks["US TV"][:10]
    store_us_weeks(weeks)
    return weeks


def test_a_us_list_too_old_for_the_week_stores_no_prediction(stored_us):
    last = stored_us[-1].week
    week, as_of = last + timedelta(weeks=3), datetime(2022, 1, 1, tzinfo=UTC)
    assert newest_week(list_name="US TV", as_of=as_of, before=week) == last

    with pytest.raises(StaleHistory, match=f"the newest US TV list we hold is {last}, 3 weeks before"):
        predictions_store(list_name="US TV", week=week, as_of=as_of)
    assert not Prediction.objects.exists()

    # Two weeks ahead (Monday, before Netflix publishes last week) is still predicted.
    assert predictions_store(list_name="US TV", week=last + timedelta(weeks=2), as_of=as_of)


def test_the_refresh_skips_the_stale_list_naming_why(stored_us):
    now = datetime(2022, 6, 1, 12, tzinfo=UTC)
    done = forecasts_refresh(now=now)
    assert any(
        s.startswith(f"the newest US TV list we hold is {stored_us[-1].week}") for s in done["skipped"]
    )
    assert not Prediction.objects.filter(list_name="US TV").exists()


def test_the_card_says_why_there_is_no_probability(stored_us, run_source, client, settings):
    settings.KP_PUBLIC_READ = True
    settings.KALSHI_SERIES = ["KXNETFLIXRANKSHOW"]  # the fixture's markets only
    run_kalshi(run_source, NOW)  # four US TV markets on the week ending 2026-07-19
    comparisons_update(now=NOW + timedelta(minutes=1))
    assert MarketComparison.objects.filter(ours__isnull=True).count() == 4
    behind = (WEEK - stored_us[-1].week).days // 7
    newest = stored_us[-1].week
    reason = f"The newest US TV list we hold is {newest}, {behind} weeks before this market&#x27;s week"

    page = client.get("/forecasts/").content.decode()
    assert f"{reason}: no probability." in page
    assert page.count('<td class="ours">–</td>') == 4
    assert f"{reason}: no probability." in client.get("/").content.decode()
    rows = client.get("/api/forecasts/markets").json()
    assert len(rows) == 4 and all(r["ours"] is None for r in rows)
    assert {r["basis"]["noProbability"] for r in rows} == {
        f"the newest US TV list we hold is {newest}, {behind} weeks before this market's week: no probability"
    }


def test_a_batch_stored_from_a_list_too_old_shows_no_probability_either(
    db,
    shows,  # noqa: F811
    run_source,
    client,
    settings,
):
    """Stored before the rule (an older make demo database): the card shows the reason, not its numbers."""
    settings.KP_PUBLIC_READ = True
    settings.KALSHI_SERIES = ["KXNETFLIXRANKSHOW"]  # the fixture's markets only
    run_kalshi(run_source, NOW)
    store_predictions(shows, made_at=NOW - timedelta(hours=1))
    Prediction.objects.update(inputs={"history_weeks": ["2021-07-04", "2022-02-27"], "weeks_ahead": 229})
    comparisons_update(now=NOW + timedelta(minutes=1))
    assert MarketComparison.objects.filter(ours__isnull=False).exists()
    assert prediction_basis(list_name="US TV", week=WEEK)["noProbability"].startswith(
        "the newest US TV list we hold is 2022-02-27, 229 weeks before"
    )

    page = client.get("/forecasts/").content.decode()
    assert "229 weeks before this market&#x27;s week: no probability." in page
    assert page.count('<td class="ours">–</td>') == 4
    assert '<data class="ours"' not in client.get("/").content.decode()
    rows = client.get("/api/forecasts/markets").json()
    assert all(r["ours"] is None and r["diff"] is None for r in rows)
    assert all(
        r["basis"]["noProbability"].endswith("229 weeks before this market's week: no probability")
        for r in rows
    )
    assert MarketComparison.objects.filter(ours__isnull=False).exists()  # what was compared is kept
