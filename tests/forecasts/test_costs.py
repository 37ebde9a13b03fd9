"""Fee, EV, Kelly and VWAP against hand computations on the Kalshi fixtures' prices and book."""

import json

import pytest

from forecasts.markets.costs import book_levels, kelly_fraction, outcome_cost, trading_fee, vwap_buy
from forecasts.markets.field import event_field
from tests.fakeupstream import fixture_text


@pytest.fixture
def book():
    return json.loads(fixture_text("kalshi/orderbook_KXNETFLIXRANKSHOW-26JUL20-LIT.json"))["orderbook_fp"]


@pytest.mark.parametrize(
    "contracts, price, fee",
    [
        (1, 0.50, 0.02),  # 0.0175 rounds up to 2 cents
        (100, 0.50, 1.75),  # exactly 1.75: no cent added by float error (1.7500000000000002)
        (100, 0.74, 1.35),  # 0.07 × 100 × 0.74 × 0.26 = 1.3468
        (100, 0.29, 1.45),  # 0.07 × 100 × 0.29 × 0.71 = 1.4413
        (10, 0.02, 0.02),  # 0.01372
    ],
)
def test_the_fee_is_rounded_up_to_the_cent_per_order(contracts, price, fee):
    assert trading_fee(contracts=contracts, price=price, rate=0.07) == fee


def test_the_fee_rate_is_a_parameter():
    assert trading_fee(contracts=100, price=0.5, rate=0.0175) == 0.44  # 0.4375 up


def test_edge_ev_and_kelly_of_the_fixture_outcome_match_the_hand_computation():
    # Little House: bid 0.71, ask 0.74 (fixture); ours 0.5. Yes at 0.74 is a loss; no at 0.29 pays.
    got = outcome_cost(ours=0.5, bid=0.71, ask=0.74, contracts=100, rate=0.07, kelly_share=0.25)
    assert got["mid"] == pytest.approx(0.725)
    assert got["edgeYes"] == pytest.approx(-0.24) and got["edgeNo"] == pytest.approx(0.21)
    assert got["fee"] == {"yes": 1.35, "no": 1.45}
    assert got["evYes"] == pytest.approx(-0.24 - 0.0135)
    assert got["evNo"] == pytest.approx(0.21 - 0.0145)
    # Full Kelly (p - c) / (1 - c) with c = 0.29 + 0.0145 = 0.3045: 0.1955 / 0.6955; a quarter of it.
    assert got["kelly"]["side"] == "no"
    assert got["kelly"]["fraction"] == pytest.approx(0.25 * 0.1955 / 0.6955)
    assert got["vwap"] is None  # no order book given


def test_no_stake_without_an_edge_after_the_fee():
    # Ours 0.75 vs ask 0.74: +0.01 before the fee, -0.0035 after it.
    got = outcome_cost(ours=0.75, bid=0.71, ask=0.74, contracts=100, rate=0.07, kelly_share=0.25)
    assert got["evYes"] == pytest.approx(0.01 - 0.0135)
    assert got["kelly"] == {"side": None, "fraction": 0.0, "price": None}
    assert kelly_fraction(p_win=0.3, cost=0.4) == 0.0


def test_missing_quotes_or_probability_give_nulls_not_numbers():
    got = outcome_cost(ours=None, bid=0.0, ask=None, contracts=100, rate=0.07, kelly_share=0.25)
    assert got["mid"] is None and got["edgeYes"] is None and got["evYes"] is None
    assert got["fee"]["no"] is None  # no at 1 - 0 = $1: nothing to win, not an order worth pricing
    assert got["evNo"] is None


def test_vwap_walks_the_opposite_bids_from_the_best(book):
    # The yes ask is 1 - the best no bid (0.26, 200 contracts): 100 yes all at 0.74.
    assert vwap_buy(book_levels(book, "no"), 100).price == pytest.approx(0.74)
    # 500 yes: 200 at 0.74, 180 at 0.75, 120 at 0.78 -> 376.6 / 500.
    fill = vwap_buy(book_levels(book, "no"), 500)
    assert (fill.price, fill.filled) == (pytest.approx(0.7532), 500)


def test_vwap_of_more_than_the_book_holds_says_how_many_fill(book):
    # No against the yes bids: 150 at 0.29, 310 at 0.30, 220 at 0.32, 500 at 0.40 = 406.9 for 1180.
    fill = vwap_buy(book_levels(book, "yes"), 1500)
    assert fill.filled == 1180 and fill.price == pytest.approx(406.9 / 1180, abs=1e-6)
    assert vwap_buy([], 10).price is None


def test_the_cost_includes_the_book_average_when_a_book_is_given(book):
    got = outcome_cost(
        ours=0.5, bid=0.71, ask=0.74, contracts=500, rate=0.07, kelly_share=0.25, orderbook_fp=book
    )
    assert got["vwap"]["yes"] == pytest.approx(0.7532) and got["vwap"]["yesFilled"] == 500


def test_with_a_book_ev_and_kelly_are_at_the_price_the_order_really_pays(book):
    # 500 no against the yes bids: 150 at 0.29, 310 at 0.30, 40 at 0.32 = 149.3 -> 0.2986 a contract.
    got = outcome_cost(
        ours=0.5, bid=0.71, ask=0.74, contracts=500, rate=0.07, kelly_share=0.25, orderbook_fp=book
    )
    assert got["vwap"]["no"] == pytest.approx(0.2986)
    # fee ceil(0.07 × 500 × 0.2986 × 0.7014 = 7.3303) = 7.34 -> 0.01468 a contract
    assert got["vwap"]["evNo"] == pytest.approx(0.5 - 0.2986 - 0.01468)
    # at the top of the book (0.29, fee 7.21): what 150 contracts would get, shown beside it
    assert got["evNo"] == pytest.approx(0.5 - 0.29 - 0.01442)
    cost = 0.2986 + 0.01468
    assert got["kelly"]["side"] == "no" and got["kelly"]["price"] == pytest.approx(0.2986)
    assert got["kelly"]["fraction"] == pytest.approx(0.25 * (0.5 - cost) / (1 - cost))


def test_a_side_the_book_cannot_fill_gets_no_stake(book):
    got = outcome_cost(
        ours=0.5, bid=0.71, ask=0.74, contracts=1500, rate=0.07, kelly_share=0.25, orderbook_fp=book
    )
    assert got["vwap"]["no"] is None and got["vwap"]["evNo"] is None
    assert got["kelly"]["side"] is None


def test_a_malformed_book_is_refused():
    with pytest.raises(ValueError, match="no_dollars"):
        book_levels({"no_dollars": [["x", "1"]]}, "no")


def test_the_field_flags_listed_asks_summing_well_below_one():
    outcomes = [{"ask": a, "bid": a - 0.01, "ours": 0.02} for a in (0.05, 0.04, 0.03, 0.02, 0.01)]
    got = event_field(outcomes, leader_listed=True, ask_floor=0.9)
    assert got["askSum"] == pytest.approx(0.15) and got["bidSum"] == pytest.approx(0.10)
    assert got["oursUnlisted"] == pytest.approx(0.9) and got["flagged"]
    assert "0.15" in got["flags"][0]


def test_the_field_flags_our_leader_not_being_listed():
    # The fixture event: asks 0.74 + 0.24 + 0.04 + 0.02, bids 0.71 + 0.21 + 0.02 + 0.
    outcomes = [
        {"ask": 0.74, "bid": 0.71, "ours": 0.2},
        {"ask": 0.24, "bid": 0.21, "ours": 0.1},
        {"ask": 0.04, "bid": 0.02, "ours": 0.05},
        {"ask": 0.02, "bid": 0.0, "ours": 0.05},
    ]
    got = event_field(outcomes, leader_listed=False, leader_title="Squid Game", ask_floor=0.9)
    assert (got["askSum"], got["bidSum"]) == (pytest.approx(1.04), pytest.approx(0.94))
    assert got["oursUnlisted"] == pytest.approx(0.6)
    assert got["flags"] == ["our most likely winner (Squid Game) is not listed"]


def test_a_sum_over_outcomes_with_a_missing_quote_is_not_given():
    got = event_field([{"ask": 0.95, "bid": None, "ours": None}], leader_listed=None, ask_floor=0.9)
    assert got["bidSum"] is None and got["oursUnlisted"] is None and not got["flagged"]


def test_a_side_of_the_book_thinner_than_the_order_has_no_price_and_says_why(book):
    got = outcome_cost(
        ours=0.5, bid=0.71, ask=0.74, contracts=1500, rate=0.07, kelly_share=0.25, orderbook_fp=book
    )["vwap"]
    assert got["no"] is None and got["noFilled"] == 1180
    assert got["noReason"] == "the book holds 1180 of 1500 contracts to buy no"
    assert got["yes"] == pytest.approx(1207 / 1500) and got["yesReason"] == ""
