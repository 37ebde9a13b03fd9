"""Kalshi's fee schedule per series and its fee changes (forecasts/markets/fees.py), by hand."""

from datetime import UTC, datetime

from forecasts.markets.costs import trading_fee
from forecasts.markets.fees import fee_schedule

AT = datetime(2026, 7, 17, 14, 30, tzinfo=UTC)
# The recorded KXINX change (VENUES.md B3): quadratic, multiplier 1, from 2026-07-03T17:00:00Z.
KXINX = {"type": "quadratic", "multiplier": 1, "scheduledTs": "2026-07-03T17:00:00Z"}


def schedule(stored, at=AT):
    return fee_schedule(stored, at, fallback_rate=0.07)


def test_a_quadratic_series_pays_the_taker_rate_times_its_multiplier_and_no_maker_fee():
    s = schedule({"type": "quadratic", "multiplier": 1, "changes": []})
    assert (s["type"], s["multiplier"], s["rate"], s["makerRate"], s["from"]) == (
        "quadratic",
        1.0,
        0.07,
        0.0,
        "series",
    )
    assert s["appliesTo"].startswith("taker") and s["upcoming"] is None and s["note"] == ""


def test_a_series_with_maker_fees_states_both_rates():
    s = schedule({"type": "quadratic_with_maker_fees", "multiplier": 2, "changes": []})
    assert (s["rate"], s["makerRate"]) == (0.14, 0.035)
    # 100 contracts at 0.74, taker: ceil(0.14 × 100 × 0.74 × 0.26 = 2.6936) = 2.70.
    assert trading_fee(contracts=100, price=0.74, rate=s["rate"]) == 2.70


def test_a_fee_change_in_force_wins_and_a_scheduled_one_is_only_announced():
    halved = {**KXINX, "multiplier": 0.5}
    before = schedule(
        {"type": "quadratic", "multiplier": 1, "changes": [halved]}, datetime(2026, 7, 1, tzinfo=UTC)
    )
    assert (before["rate"], before["from"]) == (0.07, "series")
    assert before["upcoming"] == {"type": "quadratic", "multiplier": 0.5, "at": "2026-07-03T17:00:00Z"}
    after = schedule({"type": "quadratic", "multiplier": 1, "changes": [halved]})
    assert (after["multiplier"], after["rate"], after["upcoming"]) == (0.5, 0.035, None)
    assert after["from"] == "fee change of 2026-07-03T17:00:00Z"
    # The moment itself is already the new schedule.
    assert (
        schedule(
            {"type": "quadratic", "multiplier": 1, "changes": [halved]}, datetime(2026, 7, 3, 17, tzinfo=UTC)
        )["rate"]
        == 0.035
    )
    # The recorded change (to quadratic × 1) changes nothing for a quadratic × 1 series.
    assert schedule({"type": "quadratic", "multiplier": 1, "changes": [KXINX]})["rate"] == 0.07


def test_the_latest_of_several_past_changes_is_in_force():
    changes = [
        {"type": "quadratic", "multiplier": 2, "scheduledTs": "2026-05-01T00:00:00Z"},
        {"type": "quadratic_with_maker_fees", "multiplier": 1, "scheduledTs": "2026-06-01T00:00:00Z"},
    ]
    s = schedule({"type": "quadratic", "multiplier": 1, "changes": changes})
    assert (s["type"], s["rate"], s["makerRate"]) == ("quadratic_with_maker_fees", 0.07, 0.0175)


def test_an_unknown_formula_or_an_unread_schedule_falls_back_to_the_setting_and_says_so():
    flat = schedule({"type": "flat", "multiplier": 1, "changes": []})
    assert (flat["type"], flat["rate"], flat["makerRate"]) == ("flat", 0.07, None)
    assert "formula is not known" in flat["note"]
    unread = schedule(None)
    assert (unread["type"], unread["rate"], unread["from"]) == (None, 0.07, "setting KALSHI_FEE_RATE")
    assert "not been read" in unread["note"]
    no_changes = schedule({"type": "quadratic", "multiplier": 1, "changes": None})
    assert no_changes["rate"] == 0.07 and "fee changes could not be read" in no_changes["note"]
