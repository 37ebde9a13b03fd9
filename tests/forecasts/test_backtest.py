import json
import math
from datetime import date

import numpy as np
import pytest
from django.core.management import CommandError, call_command

from forecasts.backtests import global_lists as backtest
from forecasts.backtests.global_lists import MIN_HISTORY, run_backtest
from forecasts.engines import decay as global_model
from forecasts.engines.outcomes import NEW
from forecasts.engines.predict import calibrated_forecast
from forecasts.history.global_lists import Week, load_history

METRICS = {"top1", "top2", "spearman", "brier", "logloss"}


@pytest.fixture
def tv_weeks(slice_tsv):
    return load_history(slice_tsv)["TV (English)"]


def test_walk_scores_each_week_from_the_start_date_with_finite_scores(tv_weeks):
    result = run_backtest(tv_weeks, start=date(2024, 1, 1))
    assert result["weeks"] == sum(w.week >= date(2024, 1, 1) for w in tv_weeks)
    for method in ("model", "persistence", "decay"):
        assert set(result[method]) == METRICS
        assert all(math.isfinite(v) for v in result[method].values())
        assert 0 <= result[method]["top1"] <= result[method]["top2"] <= 1


def test_json_output_has_the_documented_shape(slice_tsv, capsys):
    call_command(
        "backtest",
        "--tudum-tsv",
        str(slice_tsv),
        "--list",
        "Films (English)",
        "--from",
        "2024-03-01",
        "--json",
    )
    result = json.loads(capsys.readouterr().out)
    assert list(result)[:2] == ["weeks", "list"]
    assert result["list"] == "Films (English)"
    assert result["weeks"] == 18  # Sundays 2024-03-03 … 2024-06-30
    assert list(result) == ["weeks", "list", "model", "persistence", "decay", "features", "rank2", "per_week"]
    assert len(result["per_week"]) == 18
    assert set(result["per_week"][0]) == {"week", "actual", "p_actual", "top"}
    assert all(set(result[m]) == METRICS for m in ("model", "persistence", "decay"))
    assert set(result["rank2"]) == {"model", "persistence", "decay", "model_uncalibrated"}
    assert "weekly_views" in result["features"]


def test_table_output_covers_every_global_list(slice_tsv, capsys):
    call_command("backtest", "--tudum-tsv", str(slice_tsv), "--from", "2024-06-01", "--to", "2024-06-30")
    out = capsys.readouterr().out
    for name in ("TV (English)", "TV (Non-English)", "Films (English)", "Films (Non-English)"):
        assert f"{name}: 5 weeks" in out


def test_unknown_list_and_bad_file_are_clear_errors(slice_tsv, tmp_path):
    with pytest.raises(CommandError, match="no list 'TV'"):
        call_command("backtest", "--tudum-tsv", str(slice_tsv), "--list", "TV")
    with pytest.raises(CommandError, match="US TV needs --country-tsv"):
        call_command("backtest", "--tudum-tsv", str(slice_tsv), "--list", "US TV")
    bad = tmp_path / "null.tsv"
    bad.write_text("null")
    with pytest.raises(CommandError, match="missing column"):
        call_command("backtest", "--tudum-tsv", str(bad))


class FutureWeek(Week):
    """A week the walk must not look at: reading its rows fails the test."""

    @property
    def entries(self):
        raise AssertionError(f"read week {self.week} after the last scored week")

    @entries.setter
    def entries(self, value):
        pass


def test_no_week_after_the_last_scored_one_is_read(tv_weeks):
    end = date(2024, 3, 31)
    honest = run_backtest(tv_weeks, start=date(2024, 1, 1), end=end)
    poisoned = [w if w.week <= end else FutureWeek(w.week) for w in tv_weeks]
    assert run_backtest(poisoned, start=date(2024, 1, 1), end=end) == honest


def test_each_prediction_sees_only_weeks_before_the_predicted_one(tv_weeks, monkeypatch):
    seen = []
    real_forecast = global_model.forecast

    def spy(history, **kw):
        seen.append([w.week for w in history])
        return real_forecast(history, **kw)

    monkeypatch.setattr(
        backtest, "_methods", lambda: [backtest.Method("model", spy, backtest.SoftmaxCalibration)]
    )
    run_backtest(tv_weeks)
    for target, history in zip(tv_weeks[MIN_HISTORY:], seen, strict=True):
        assert max(history) < target.week
        assert history == [w.week for w in tv_weeks if w.week < target.week]


def test_model_gives_every_candidate_and_a_new_show_a_rank_and_a_views_interval(tv_weeks):
    raw = global_model.forecast(tv_weeks[:20])
    assert raw.keys[-1] == NEW
    assert raw.extras["p_rank1"].sum() == pytest.approx(1)
    assert raw.extras["p_rank2"].sum() == pytest.approx(1)
    assert 0.05 < raw.extras["p_rank1"][-1] < 0.95  # new releases win #1 often, not always
    median, low, high = raw.extras["views"]
    assert (low <= median).all() and (median <= high).all()
    assert raw.extras["measure"] == "weekly_views"


def test_model_forecast_is_reproducible(tv_weeks):
    a, b = global_model.forecast(tv_weeks[:20]), global_model.forecast(tv_weeks[:20])
    assert np.array_equal(a.signal, b.signal)


def test_p_rank2_is_calibrated_on_earlier_weeks_and_every_score_is_finite(tv_weeks):
    result = run_backtest(tv_weeks, start=date(2024, 1, 1))
    for method in ("model", "persistence", "decay", "model_uncalibrated"):
        assert set(result["rank2"][method]) == {"brier", "logloss"}
        assert all(math.isfinite(v) for v in result["rank2"][method].values())


def test_live_p_rank2_is_a_calibrated_distribution_with_no_zero(tv_weeks):
    raw, p1, p2 = calibrated_forecast(tv_weeks[:30])
    for p in (p1, p2):
        assert p.sum() == pytest.approx(1) and (p > 0).all() and np.isfinite(np.log(p)).all()
    # An outcome the simulation never put second still gets a finite log loss.
    assert (raw.extras["p_rank2"] == 0).any()
    assert np.isfinite(-np.log(p2[raw.extras["p_rank2"] == 0])).all()
