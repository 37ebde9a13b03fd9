"""The US lists' rank model on a slice of Netflix's real US country history."""

import math
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from forecasts.backtests.us_lists import run_us_backtest
from forecasts.engines import rank_logit as us_model
from forecasts.history.global_lists import HistoryError, load_history
from forecasts.history.us_lists import US_LISTS, RankWeek, global_ranks, parse_country_history
from forecasts.models import Prediction
from forecasts.selectors import week_start
from forecasts.services import predictions_store
from shows.models import Show
from sources.base import SnapshotIn
from sources.models import Source
from sources.pipeline.store import snapshots_upsert
from tests.fakeupstream import fixture_text
from tests.forecasts.conftest import REAL_HISTORY

US_FILE = Path(REAL_HISTORY).parent / "all-weeks-countries.US.until-2022-02-27.tsv"


@pytest.fixture(scope="module")
def us_weeks():
    return parse_country_history(US_FILE.read_text())


@pytest.fixture(scope="module")
def global_by_kind():
    history = load_history(REAL_HISTORY)
    return {name: global_ranks([history[g] for g in lists]) for name, (_, lists) in US_LISTS.items()}


def test_the_fixture_sample_reads_only_the_us_lists():
    weeks = parse_country_history(fixture_text("tudum/all-weeks-countries.sample.tsv"))
    assert set(weeks) == {"US TV", "US Films"}
    [week] = weeks["US TV"]
    assert week.week == date(2022, 2, 27) and sorted(week.ranks.values()) == list(range(1, 11))


def test_a_file_without_country_columns_is_refused():
    with pytest.raises(HistoryError, match="missing column"):
        parse_country_history(fixture_text("tudum/all-weeks-global.sample.tsv"))


@pytest.mark.parametrize("list_name", ["US TV", "US Films"])
def test_walk_forward_beats_persistence_on_brier_and_log_loss(us_weeks, global_by_kind, list_name):
    result = run_us_backtest(us_weeks[list_name], global_by_kind[list_name])
    assert result["weeks"] == len(us_weeks[list_name]) - us_model.MIN_HISTORY
    assert all(math.isfinite(v) for side in ("model", "persistence") for v in result[side].values())
    assert result["model"]["brier"] < result["persistence"]["brier"]
    assert result["model"]["logloss"] < result["persistence"]["logloss"]


def test_every_outcome_gets_a_rank_1_and_rank_2_probability(us_weeks, global_by_kind):
    history, glob = us_weeks["US TV"][:12], global_by_kind["US TV"]
    fc = us_model.forecast(history, glob, glob[history[-1].week])
    assert fc.keys[-1] == "__new__"
    assert fc.p_rank1.sum() == pytest.approx(1) and fc.p_rank2.sum() == pytest.approx(1)
    assert (fc.p_rank1 > 0).all() and (fc.p_rank2 > 0).all()
    last_leader = fc.keys.index(history[-1].leader(1))
    assert fc.p_rank1.argmax() in (last_leader, len(fc.keys) - 1)


class FutureWeek(RankWeek):
    @property
    def ranks(self):
        raise AssertionError(f"read week {self.week} after the predicted one")

    @ranks.setter
    def ranks(self, value):
        pass


def test_a_prediction_reads_no_week_after_its_history(us_weeks, global_by_kind):
    history, glob = us_weeks["US Films"], global_by_kind["US Films"]
    honest = us_model.forecast(history[:15], glob, glob[history[14].week])
    poisoned = history[:15] + [FutureWeek(w.week) for w in history[15:]]
    again = us_model.forecast(poisoned[:15], glob, glob[history[14].week])
    assert again.p_rank1.tolist() == honest.p_rank1.tolist()


def test_stored_us_ranks_give_stored_predictions_as_known_then(db, us_weeks):
    tudum = Source.objects.get_or_create(key="tudum", defaults={"name": "Netflix Top 10"})[0]
    weeks = us_weeks["US TV"][:10]
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
    predicted, as_of = (
        weeks[-1].week,
        datetime.combine(weeks[-2].week + timedelta(days=3), datetime.min.time(), tzinfo=UTC),
    )

    rows = predictions_store(list_name="US TV", week=predicted, as_of=as_of)

    assert rows[0].inputs["history_weeks"][1] == weeks[-2].week.isoformat()  # not the predicted week
    assert sum(p.p_rank1 for p in rows) == pytest.approx(1)
    assert {p.model_version for p in rows} == {us_model.VERSION}
    assert all(p.predicted_views is None for p in rows)
    assert Prediction.objects.filter(is_new_show=True).count() == 1
    assert {p.title for p in rows if not p.is_new_show} >= {k.split("|")[0] for k in weeks[-2].ranks}
