"""A stored week replays exactly: predictions made at a past time ignore everything fetched after it."""

from datetime import UTC, date, datetime, timedelta

import pytest

from forecasts.history.global_lists import parse_history
from forecasts.models import Prediction
from forecasts.selectors import tudum_history_as_of, week_start
from forecasts.services import predictions_store
from shows.models import Show
from sources.base import SnapshotIn
from sources.models import Source
from sources.pipeline.store import snapshots_upsert
from tests.forecasts.conftest import history_slice

LIST = "TV (English)"
WEEK = date(2024, 3, 31)  # the predicted week
AS_OF = datetime(2024, 4, 1, 16, 0, tzinfo=UTC)  # Monday noon Eastern: the week is over, its list not out
METRICS = {
    "weekly_rank": "rank",
    "weekly_hours_viewed": "weekly_hours_viewed",
    "weekly_views": "weekly_views",
}


@pytest.fixture
def tudum(db):
    return Source.objects.get_or_create(key="tudum", defaults={"name": "Netflix Top 10"})[0]


def published_at(week: date) -> datetime:
    return datetime(week.year, week.month, week.day, 19, 0, tzinfo=UTC) + timedelta(days=2)  # Tuesday


def store_week(source: Source, week, *, fetched_at: datetime, bump_top_views: float = 1.0) -> None:
    items = []
    for entry in week.entries:
        show, _ = Show.objects.get_or_create(title=entry.title, season=entry.season)
        values = {"rank": entry.rank, "weekly_hours_viewed": entry.hours, "weekly_views": entry.views}
        values["cumulative_weeks_in_top_10"] = entry.weeks_in_top10
        if entry.rank == 1:
            values["weekly_views"] *= bump_top_views
        for metric, value in values.items():
            items.append(
                SnapshotIn(
                    metric,
                    "week",
                    week_start(week.week),
                    float(value),
                    "tv_english",
                    show_id=show.id,
                    attrs={"season_title": entry.season},
                )
            )
    snapshots_upsert(source=source, items=items, fetched_at=fetched_at)


@pytest.fixture
def real_weeks():
    return parse_history(history_slice(date(2023, 12, 1), WEEK))[LIST]


@pytest.fixture
def known_at_as_of(tudum, real_weeks):
    for week in real_weeks[:-1]:
        store_week(tudum, week, fetched_at=published_at(week.week))
    return real_weeks


def test_history_as_of_reads_a_corrected_value_as_it_was_then(tudum, known_at_as_of):
    last = known_at_as_of[-2]
    store_week(tudum, last, fetched_at=AS_OF + timedelta(days=2), bump_top_views=2.0)
    then = tudum_history_as_of(list_name=LIST, as_of=AS_OF, before=WEEK)
    now = tudum_history_as_of(list_name=LIST, as_of=AS_OF + timedelta(days=3), before=WEEK)
    assert then[-1].entries[0].views == last.entries[0].views
    assert now[-1].entries[0].views == 2 * last.entries[0].views


def test_predictions_at_a_past_time_ignore_snapshots_fetched_after_it(tudum, known_at_as_of):
    before = predictions_store(list_name=LIST, week=WEEK, as_of=AS_OF)
    # After AS_OF: the predicted week is published and the previous week is corrected.
    store_week(tudum, known_at_as_of[-1], fetched_at=published_at(WEEK))
    store_week(tudum, known_at_as_of[-2], fetched_at=published_at(WEEK), bump_top_views=3.0)

    replay = predictions_store(list_name=LIST, week=WEEK, as_of=AS_OF)

    def summary(rows):
        return [(p.title, p.show_id, round(p.p_rank1, 12), round(p.predicted_views, 3)) for p in rows]

    assert summary(replay) == summary(before)
    assert Prediction.objects.filter(week=WEEK, made_at=AS_OF).count() == len(before)  # replaced, not added
    assert replay[0].inputs["history_weeks"][1] == "2024-03-24"


def test_stored_predictions_cover_every_candidate_and_a_new_show(tudum, known_at_as_of):
    rows = predictions_store(list_name=LIST, week=WEEK, as_of=AS_OF)
    assert sum(p.p_rank1 for p in rows) == pytest.approx(1)
    assert sum(p.p_rank2 for p in rows) == pytest.approx(1)
    new = [p for p in rows if p.is_new_show]
    assert len(new) == 1 and new[0].show is None
    assert all(p.show_id for p in rows if not p.is_new_show)
    assert all(p.views_low <= p.predicted_views <= p.views_high for p in rows)
    assert {p.mode for p in rows} == {"nowcast"}
    assert {p.model_version for p in rows} == {"decay-sim-1"}
    assert rows[0].inputs["measure"] == "weekly_views"


def test_a_prediction_made_during_the_week_is_a_forecast(tudum, known_at_as_of):
    rows = predictions_store(list_name=LIST, week=WEEK, as_of=datetime(2024, 3, 28, 12, tzinfo=UTC))
    assert {p.mode for p in rows} == {"forecast"}
