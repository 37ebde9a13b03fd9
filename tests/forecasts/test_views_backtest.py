"""The views markets' backtest: P(#1 has at least N views) on a strike ladder, walked forward over the
real weeks ranked by views, against last week's #1 with a fitted spread, and a calibration fit on
earlier weeks only."""

import json
from dataclasses import replace
from datetime import date, timedelta

import numpy as np
import pytest
from django.core.management import call_command

from forecasts.backtests.viewership import (
    MIN_CALIBRATION_WEEKS,
    Strike,
    baseline_p,
    calibrate_walk_forward,
    fit_recalibration,
    ladder,
    list_strikes,
    recalibrated,
)
from forecasts.history.global_lists import parse_history
from tests.forecasts.conftest import history_slice

FIRST_VIEWS_WEEK = date(2023, 6, 18)  # the first week Netflix ranked by views


@pytest.fixture(scope="module")
def tv_weeks():
    """March–October 2023: hours-ranked weeks, then the switch to views (real rows)."""
    return parse_history(history_slice(date(2023, 3, 1), date(2023, 10, 31)))["TV (English)"]


def test_the_ladder_is_whole_millions_around_last_weeks_number_one():
    assert ladder(12_340_000) == [6e6, 9e6, 12e6, 15e6, 19e6, 25e6]
    assert ladder(1_200_000) == [1e6, 2e6]  # never below one million, each strike once


def test_the_baseline_is_even_at_last_weeks_number_one_and_falls_with_the_strike():
    assert baseline_p(20e6, 0.3, 20e6) == pytest.approx(0.5)
    ps = [baseline_p(20e6, 0.3, n * 1e6) for n in range(5, 60)]
    assert all(a > b for a, b in zip(ps, ps[1:], strict=False))


def test_only_weeks_ranked_by_views_after_four_such_weeks_are_scored(tv_weeks):
    strikes = list_strikes(tv_weeks, "TV (English)")
    weeks = sorted({s.week for s in strikes})
    assert weeks[0] == FIRST_VIEWS_WEEK + timedelta(weeks=4)
    assert weeks[-1] == date(2023, 10, 29)
    for week in weeks:
        ladder_of_week = sorted((s for s in strikes if s.week == week), key=lambda s: s.strike)
        ours = [s.model for s in ladder_of_week]
        assert ours == sorted(ours, reverse=True)  # monotone in N, as live
        assert all(0 < p < 1 for p in ours)
        actual = next(w for w in tv_weeks if w.week == week).entries[0].views
        assert [s.happened for s in ladder_of_week] == [actual >= s.strike for s in ladder_of_week]


def test_a_weeks_probabilities_never_see_that_week(tv_weeks):
    target = len(tv_weeks) - 1
    week = tv_weeks[target]
    doubled = replace(week.entries[0], views=week.entries[0].views * 2)
    changed = [*tv_weeks[:target], replace(week, entries=[doubled, *week.entries[1:]])]
    before = [(s.model, s.baseline) for s in list_strikes(tv_weeks, "TV") if s.week == week.week]
    after = [(s.model, s.baseline) for s in list_strikes(changed, "TV") if s.week == week.week]
    assert before and before == after


def test_recalibration_of_calibrated_probabilities_stays_near_the_identity():
    rng = np.random.default_rng(3)
    p = rng.uniform(0.02, 0.98, 4000)
    pairs = list(zip(p, rng.uniform(size=p.size) < p, strict=True))
    a, b = fit_recalibration(pairs)
    assert a == pytest.approx(1, abs=0.1) and b == pytest.approx(0, abs=0.1)


def test_recalibration_tempers_overconfident_probabilities():
    rng = np.random.default_rng(4)
    truth = rng.uniform(0.2, 0.8, 4000)
    said = 1 / (1 + np.exp(-3 * np.log(truth / (1 - truth))))  # three times too sure
    a, _ = fit_recalibration(list(zip(said, rng.uniform(size=truth.size) < truth, strict=True)))
    assert a == pytest.approx(1 / 3, abs=0.1)
    assert recalibrated(0.9, a, 0.0) < 0.9


def strikes_of(outcomes: list[bool]) -> list[Strike]:
    start = date(2024, 1, 7)
    return [
        Strike("TV", start + timedelta(weeks=w), 1e6, happened=h, model=0.7, baseline=0.5)
        for w, h in enumerate(outcomes)
    ]


def test_calibration_is_fit_on_earlier_weeks_only():
    outcomes = [w % 3 == 0 for w in range(MIN_CALIBRATION_WEEKS + 5)]
    strikes = strikes_of(outcomes)
    calibrate_walk_forward(strikes)
    assert all(s.model_calibrated is None for s in strikes[:MIN_CALIBRATION_WEEKS])
    first = strikes[MIN_CALIBRATION_WEEKS].model_calibrated
    assert first < 0.7  # the model said 0.7 each week, a third happened
    n = MIN_CALIBRATION_WEEKS
    later_flipped = strikes_of(outcomes[: n + 1] + [not h for h in outcomes[n + 1 :]])
    calibrate_walk_forward(later_flipped)
    assert later_flipped[n].model_calibrated == pytest.approx(first)  # later outcomes unseen


def test_the_backtest_command_scores_the_views_ladder(tmp_path):
    path = tmp_path / "all-weeks-global.tsv"
    path.write_text(history_slice(date(2023, 3, 1), date(2023, 10, 31)))
    out = tmp_path / "out.json"
    with out.open("w") as f:
        call_command(
            "backtest", tudum_tsv=str(path), lists=["Films (English)"], views=True, as_json=True, stdout=f
        )
    [got] = [json.loads(line) for line in out.read_text().splitlines()]
    assert got["list"] == "Films (English)" and got["weeks"] == 16
    assert got["all"]["model"]["strikes"] == got["all"]["baseline"]["strikes"] > 16
    assert got["calibrated_weeks"] == 0  # 16 weeks: too few to fit a calibration on
    for method in ("model", "baseline"):
        assert 0 < got["all"][method]["brier"] < 0.5
