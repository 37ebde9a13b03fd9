import math

import numpy as np
import pytest

from forecasts.backtests.scores import average_ranks, brier, log_loss, spearman, top_k_hit
from forecasts.engines.calibration import FLOOR, FrequencyCalibration, SoftmaxCalibration
from forecasts.engines.outcomes import NEW, RawForecast


def test_brier_sums_squared_errors_over_every_outcome():
    # (0.5-1)² + 0.3² + 0.2² = 0.25 + 0.09 + 0.04
    assert brier(np.array([0.5, 0.3, 0.2]), 0) == pytest.approx(0.38)


def test_brier_is_zero_for_a_certain_right_answer_and_two_for_a_certain_wrong_one():
    assert brier(np.array([1.0, 0.0]), 0) == 0
    assert brier(np.array([1.0, 0.0]), 1) == 2


def test_log_loss_is_minus_log_of_the_winners_probability():
    assert log_loss(np.array([0.5, 0.25, 0.25]), 1) == pytest.approx(math.log(4))


def test_top_k_counts_the_winner_among_the_k_most_probable():
    p = np.array([0.2, 0.5, 0.3])
    assert top_k_hit(p, 1, 1)
    assert not top_k_hit(p, 2, 1)
    assert top_k_hit(p, 2, 2)
    assert not top_k_hit(p, 0, 2)


def test_top_k_breaks_ties_toward_the_earlier_outcome():
    assert top_k_hit(np.array([0.4, 0.4, 0.2]), 0, 1)
    assert not top_k_hit(np.array([0.4, 0.4, 0.2]), 1, 1)


def test_tied_values_share_their_average_rank():
    assert average_ranks(np.array([10, 20, 20, 30])).tolist() == [1, 2.5, 2.5, 4]


def test_spearman_of_a_hand_computed_case():
    # ranks (1,2,3,4) vs (1,3,2,4): d² = 0+1+1+0 = 2, ρ = 1 - 6·2 / (4·15) = 0.8
    assert spearman(np.array([1, 2, 3, 4]), np.array([1, 3, 2, 4])) == pytest.approx(0.8)
    assert spearman(np.array([1, 2, 3]), np.array([3, 2, 1])) == pytest.approx(-1)


def test_spearman_is_zero_when_one_side_has_no_order():
    assert spearman(np.array([5, 5, 5]), np.array([1, 2, 3])) == 0


def raw(signal, keys=("a", "b", NEW)):
    return RawForecast(list(keys), np.array(signal, dtype=float), np.zeros(len(keys)))


def test_frequency_calibration_gives_each_category_its_smoothed_win_rate():
    # Category 1 won 3 times, category 12 (NEW) once, category 2 never: add-one gives 4 : 1 : 2.
    past = [(raw([1, 2, 12]), 0)] * 3 + [(raw([1, 2, 12]), 2)]
    p = FrequencyCalibration.fit(past).apply(raw([1, 2, 12]))
    expected = np.array([4, 1, 2]) / 7
    assert p == pytest.approx((1 - FLOOR) * expected + FLOOR / 3)


def test_softmax_calibration_learns_that_new_wins_more_often_than_its_signal_says():
    past = [(raw([2.0, 1.0, 0.0]), 2)] * 20 + [(raw([2.0, 1.0, 0.0]), 0)] * 5
    p = SoftmaxCalibration.fit(past).apply(raw([2.0, 1.0, 0.0]))
    assert p.argmax() == 2
    assert p.sum() == pytest.approx(1)


def test_every_calibrated_probability_is_positive():
    p = SoftmaxCalibration(slope=10, new_offset=-4).apply(raw([50.0, 0.0, 0.0]))
    assert (p > 0).all()
