"""The views markets ("the #1 show has at least N million views"): P(yes) per strike from the
simulated #1 views, a ladder monotone in N, compared and scored like the rank markets.

No fixture holds a views market: their rules wording is the issue's paraphrase, and the markets page
is the open-markets fixture with its four markets turned into four strikes of one event.
"""

import json
from datetime import datetime, timedelta

import numpy as np
import pytest

from forecasts.markets.comparisons import comparisons_update
from forecasts.markets.strikes import p_top_at_least, strike_from_ticker, top_views_summary
from forecasts.markets.targets import Target, market_target
from forecasts.models import MarketComparison, Prediction
from forecasts.selectors import track_record
from forecasts.services import predictions_store
from sources.models import Market
from tests.fakeupstream import Reply, fixture_text
from tests.forecasts.test_market_comparison import CLOSE, NOW, SETTLED, WEEK, run_kalshi
from tests.forecasts.test_point_in_time import (  # noqa: F401 - fixtures
    AS_OF,
    LIST,
    known_at_as_of,
    real_weeks,
    tudum,
)
from tests.forecasts.test_point_in_time import WEEK as REAL_WEEK

SERIES = "KXNETFLIXTOPVIEWSTV"
EVENT = f"{SERIES}-26JUL20"
# strike (millions) -> (bid, ask): the market's own ladder, falling with the strike
LADDER = {
    20: ("0.8000", "0.8400"),
    25: ("0.5500", "0.5900"),
    30: ("0.3000", "0.3400"),
    35: ("0.1000", "0.1300"),
}


def rules(millions: float) -> str:
    return (
        f"If the #1 show on Netflix's Global Top 10 TV (English) list has at least {millions:g} million "
        "views on the chart published on Jul 21, 2026, then the market resolves to Yes."
    )


def views_page(ladder=LADDER) -> str:
    page = json.loads(fixture_text("kalshi/markets_KXNETFLIXRANKSHOW_open.json"))
    markets = []
    for template, (n, (bid, ask)) in zip(page["markets"], ladder.items(), strict=True):
        label = f"At least {n} million"
        markets.append(
            template
            | {
                "ticker": f"{EVENT}-{n}",
                "event_ticker": EVENT,
                "title": "How many views will the #1 show have this week?",
                "yes_sub_title": label,
                "no_sub_title": label,
                "yes_bid_dollars": bid,
                "yes_ask_dollars": ask,
                "rules_primary": rules(n),
            }
        )
    return json.dumps({"markets": markets, "cursor": ""})


def lognormal_top(median: float = 26e6, sigma: float = 0.25, sims: int = 4000) -> dict:
    draws = np.exp(np.random.default_rng(1).normal(np.log(median), sigma, sims))
    return top_views_summary(np.percentile(draws, np.arange(101)), simulations=sims, measure="weekly_views")


# --- pure ---------------------------------------------------------------------------------------


def test_the_strike_ladder_is_monotone_in_n():
    top = lognormal_top()
    strikes = np.arange(5e6, 80e6, 0.5e6)
    ps = [p_top_at_least(top, n) for n in strikes]
    assert all(a >= b for a, b in zip(ps, ps[1:], strict=False))
    assert ps[0] > 0.99 and ps[-1] < 0.01
    # Half the simulations are above their median.
    assert p_top_at_least(top, 26e6) == pytest.approx(0.5, abs=0.02)


def test_beyond_the_simulated_range_the_probability_is_bounded_not_certain():
    top = lognormal_top(sims=4000)
    assert p_top_at_least(top, 1.0) == pytest.approx(1 - 1 / 8000)
    assert p_top_at_least(top, 1e12) == pytest.approx(1 / 8000)


def test_tied_percentiles_count_wholly_as_at_least_n():
    top = {"percentiles": [10, 20, 20, 20, 30], "simulations": 100, "measure": "weekly_views"}
    assert p_top_at_least(top, 20) == pytest.approx(0.75)  # only the first quarter is below 20
    assert p_top_at_least(top, 20.0001) < 0.25 + 1e-6


def test_a_prediction_without_a_views_distribution_gives_no_probability():
    assert p_top_at_least(None, 25e6) is None
    hours = lognormal_top() | {"measure": "weekly_hours_viewed"}
    assert p_top_at_least(hours, 25e6) is None


def test_a_broken_distribution_is_refused():
    with pytest.raises(ValueError, match="non-decreasing"):
        p_top_at_least({"percentiles": [3, 2, 1], "measure": "weekly_views"}, 2)


def test_a_views_market_targets_the_list_week_and_strike_its_rules_name():
    got = market_target(series=SERIES, event_ticker=EVENT, rules=rules(25), close_time=CLOSE)
    assert got == Target("TV (English)", 1, WEEK, 25_000_000)


def test_a_views_market_whose_rules_cannot_be_read_falls_back_to_its_tickers():
    assert strike_from_ticker(f"{EVENT}-25") == 25_000_000
    assert strike_from_ticker(f"{EVENT}-T12.5") == 12_500_000
    got = market_target(series=SERIES, event_ticker=EVENT, rules="", close_time=CLOSE, ticker=f"{EVENT}-25")
    assert got == Target("TV (English)", 1, WEEK, 25_000_000)
    movie = market_target(
        series="KXNETFLIXTOPVIEWSMOVIE",
        event_ticker="KXNETFLIXTOPVIEWSMOVIE-26JUL06",
        rules="",
        close_time=None,
    )
    assert movie is None  # no strike anywhere: no guess


# --- the real model ------------------------------------------------------------------------------


def test_stored_global_predictions_carry_the_simulated_number_one_views(known_at_as_of):  # noqa: F811
    rows = predictions_store(list_name=LIST, week=REAL_WEEK, as_of=AS_OF)
    top = rows[0].inputs["top_views"]
    assert top["measure"] == "weekly_views" and top["simulations"] == 4000
    values = top["percentiles"]
    assert len(values) == 101 and values == sorted(values)
    # The #1's views are at least the largest candidate's median views.
    assert values[50] >= max(p.predicted_views for p in rows if p.predicted_views) * 0.999
    ladder = [p_top_at_least(top, n * 1e6) for n in range(1, 100)]
    assert all(a >= b for a, b in zip(ladder, ladder[1:], strict=False))
    actual = known_at_as_of[-1].entries[0].views  # what Netflix published for the week
    assert 0.01 < p_top_at_least(top, actual) < 0.99


# --- compared and scored through the Kalshi pipeline ------------------------------------------------


@pytest.fixture
def views_markets(run_source, fake_upstream, settings, db):
    settings.KALSHI_SERIES = [SERIES]
    fake_upstream.queue(r"^/trade-api/v2/markets$", Reply(200, views_page()))
    run_kalshi(run_source, NOW)
    return {n: f"{EVENT}-{n}" for n in LADDER}


def store_views_predictions(made_at: datetime, top: dict) -> None:
    Prediction.objects.create(
        list_name="TV (English)",
        week=WEEK,
        mode="nowcast",
        title="A show not yet seen",
        is_new_show=True,
        p_rank1=0.1,
        p_rank2=0.1,
        model_version="t",
        made_at=made_at,
        inputs={"top_views": top},
    )


def test_each_strike_gets_our_probability_and_the_ladder_is_monotone(views_markets):
    store_views_predictions(NOW - timedelta(hours=1), lognormal_top())
    comparisons_update(now=NOW + timedelta(minutes=1))
    rows = {c.market.ticker: c for c in MarketComparison.objects.select_related("market")}
    ours = [rows[views_markets[n]].ours for n in sorted(LADDER)]
    assert None not in ours and ours == sorted(ours, reverse=True)
    c25 = rows[views_markets[25]]
    assert c25.ours == pytest.approx(p_top_at_least(lognormal_top(), 25e6))
    assert c25.market_price == pytest.approx(0.57) and (c25.list_name, c25.rank) == ("TV (English)", 1)
    assert c25.series == SERIES and not c25.ours_from_new_show


def test_a_settled_views_market_is_scored_an_hour_before_its_close(views_markets):
    store_views_predictions(NOW - timedelta(hours=1), lognormal_top())
    store_views_predictions(CLOSE - timedelta(minutes=10), lognormal_top(median=40e6))  # too late to count
    # The #1 had 27 million views: the 20 and 25 strikes settle yes.
    for n, ticker in views_markets.items():
        Market.objects.filter(ticker=ticker).update(status="finalized", result="yes" if n <= 27 else "no")

    comparisons_update(now=SETTLED)

    c25 = MarketComparison.objects.get(market__ticker=views_markets[25])
    assert c25.as_of == CLOSE - timedelta(hours=1) and c25.outcome is True
    p = p_top_at_least(lognormal_top(), 25e6)
    assert c25.ours == pytest.approx(p) and c25.ours_brier == pytest.approx((1 - p) ** 2)
    assert c25.market_brier == pytest.approx((1 - 0.57) ** 2)
    [record] = track_record()
    assert (record["series"], record["list_name"], record["markets"], record["events"]) == (
        SERIES,
        "TV (English)",
        4,
        1,
    )


def test_older_predictions_without_the_distribution_leave_the_strike_unpriced_by_us(views_markets):
    store_views_predictions(NOW - timedelta(hours=1), {})
    comparisons_update(now=NOW + timedelta(minutes=1))
    c = MarketComparison.objects.get(market__ticker=views_markets[25])
    assert c.ours is None and c.market_price == pytest.approx(0.57)


def test_the_forecasts_page_and_api_show_the_ladder(views_markets, client, settings, fake_upstream):
    settings.KP_PUBLIC_READ = True
    store_views_predictions(NOW - timedelta(hours=1), lognormal_top())
    comparisons_update(now=NOW + timedelta(minutes=1))
    rows = {r["ticker"]: r for r in client.get("/api/forecasts/markets").json()}
    r25 = rows[views_markets[25]]
    assert r25["settlesOn"]["viewsAtLeast"] == 25_000_000 and r25["ours"] is not None
    assert r25["field"]["ladder"] is True and not r25["field"]["flagged"]
    assert r25["field"]["strikes"] == [n * 1e6 for n in sorted(LADDER)]
    page = client.get("/forecasts/").content.decode()
    assert "A ladder of 4 thresholds" in page and "at least 25 million views" in page


def test_a_market_ladder_that_rises_with_n_is_flagged(run_source, fake_upstream, settings, db):
    settings.KALSHI_SERIES = [SERIES]
    incoherent = LADDER | {30: ("0.6500", "0.6800")}  # bids 30M above the 25M ask of 0.59
    fake_upstream.queue(r"^/trade-api/v2/markets$", Reply(200, views_page(incoherent)))
    run_kalshi(run_source, NOW)
    store_views_predictions(NOW - timedelta(hours=1), lognormal_top())
    comparisons_update(now=NOW + timedelta(minutes=1))
    from forecasts.markets.trader import open_events

    [event] = open_events()
    assert event["field"]["flagged"]
    assert "bids at least 30M views (0.65) above the ask of at least 25M (0.59)" in event["field"]["flags"][0]
    assert [o["strike"] for o in event["outcomes"]] == [n * 1e6 for n in sorted(LADDER)]
