"""The trader's view through the real Kalshi pipeline and fixtures: what each market settles on, the
event's field and the cost of acting, in the API, on the forecasts page and on the board."""

import json
from datetime import timedelta

import pytest

from forecasts.markets.comparisons import comparisons_update
from tests.fakeupstream import Reply, fixture_text
from tests.forecasts.test_market_comparison import (  # noqa: F401 - fixtures
    IWI,
    LIT,
    NOW,
    _one_series,
    run_kalshi,
    shows,
    store_predictions,
)


@pytest.fixture
def compared(run_source, shows, settings):  # noqa: F811
    settings.KP_PUBLIC_READ = True
    run_kalshi(run_source, NOW)
    store_predictions(shows, made_at=NOW - timedelta(hours=1))
    comparisons_update(now=NOW + timedelta(minutes=1))


def markets(client) -> dict[str, dict]:
    return {r["ticker"]: r for r in client.get("/api/forecasts/markets").json()}


def test_each_market_says_what_it_settles_on(client, compared):
    lit = markets(client)[LIT]["settlesOn"]
    assert lit == {
        "list": "US TV",
        "rank": 1,
        "viewsAtLeast": None,
        "weekStart": "2026-07-13",
        "weekEnd": "2026-07-19",
        "publishedOn": "2026-07-21",
        "closeTime": "2026-07-21T03:59:00Z",
        "parsed": True,
        "problem": "",
        "caveat": "",
    }


def test_each_market_carries_fee_ev_and_kelly_matching_the_hand_computation(client, compared, settings):
    assert (settings.KALSHI_FEE_RATE, settings.KALSHI_ORDER_CONTRACTS, settings.KELLY_FRACTION) == (
        0.07,
        100,
        0.25,
    )
    cost = markets(client)[LIT]["cost"]
    # Ours 0.5; bid 0.71, ask 0.74. Yes at 0.74: fee ceil(0.07 × 100 × 0.74 × 0.26 = 1.3468) = 1.35.
    # No at 0.29: fee ceil(1.4413) = 1.45; EV 0.5 - 0.29 - 0.0145 = 0.1955.
    assert (cost["bid"], cost["ask"], cost["mid"]) == (0.71, 0.74, pytest.approx(0.725))
    assert cost["fee"] == {"yes": 1.35, "no": 1.45}
    assert cost["evYes"] == pytest.approx(-0.2535) and cost["evNo"] == pytest.approx(0.1955)
    assert cost["kelly"]["side"] == "no"
    assert cost["kelly"]["fraction"] == pytest.approx(0.25 * 0.1955 / (1 - 0.3045))
    # The stored fixture book: 100 yes all at 1 - the best no bid 0.26; 100 no at 1 - the best yes bid 0.71.
    vwap = cost["vwap"]
    assert (vwap["contracts"], vwap["yes"], vwap["no"]) == (100, pytest.approx(0.74), pytest.approx(0.29))
    assert (vwap["yesReason"], vwap["noReason"]) == ("", "")
    assert vwap["observedAt"] == NOW.replace(second=0).isoformat().replace("+00:00", "Z")


def test_the_average_price_of_n_contracts_walks_the_stored_book(client, compared, settings):
    settings.KALSHI_ORDER_CONTRACTS = 500
    vwap = markets(client)[LIT]["cost"]["vwap"]
    # Yes from the no bids: 200 at 0.74, 180 at 0.75, 120 at 0.78 = 376.6 for 500.
    # No from the yes bids: 150 at 0.29, 310 at 0.30, 40 at 0.32 = 149.3 for 500.
    assert vwap["yes"] == pytest.approx(376.6 / 500) and vwap["no"] == pytest.approx(149.3 / 500)
    assert (vwap["yesFilled"], vwap["noFilled"]) == (500, 500)


def test_a_book_thinner_than_n_contracts_gives_no_price_and_says_why(client, compared, settings):
    settings.KALSHI_ORDER_CONTRACTS = 1500
    vwap = markets(client)[LIT]["cost"]["vwap"]
    # The yes bids hold 150 + 310 + 220 + 500 = 1180 contracts: no average for 1500 no.
    assert vwap["no"] is None and vwap["noFilled"] == 1180
    assert vwap["noReason"] == "the book holds 1180 of 1500 contracts to buy no"
    # The no bids hold 1780: 200 at 0.74, 180 at 0.75, 400 at 0.78, 720 at 0.85 = 1207 for 1500.
    assert vwap["yes"] == pytest.approx(1207 / 1500) and vwap["yesReason"] == ""


def test_a_market_without_a_stored_book_has_no_average_price(client, compared):
    from sources.kalshi.models import Market

    Market.objects.filter(ticker=LIT).update(orderbook=None, orderbook_at=None)
    assert markets(client)[LIT]["cost"]["vwap"] is None


def test_the_field_of_the_fixture_event(client, compared):
    field = markets(client)[LIT]["field"]
    # Asks 0.74 + 0.24 + 0.04 + 0.02; bids 0.71 + 0.21 + 0.02 + 0. Ours: 0.5 + 0.3 + 2 × 0.1 = 1.
    assert field["askSum"] == pytest.approx(1.04) and field["bidSum"] == pytest.approx(0.94)
    assert field["oursUnlisted"] == pytest.approx(0.0)
    assert field["leaderListed"] is True and not field["flagged"]


def thin_listing() -> str:
    """The open-markets fixture with asks summing to 0.15: most of the field is not listed."""
    page = json.loads(fixture_text("kalshi/markets_KXNETFLIXRANKSHOW_open.json"))
    for market, (bid, ask) in zip(
        page["markets"], [("0.04", "0.05"), ("0.04", "0.05"), ("0.02", "0.03"), ("0.01", "0.02")]
    ):
        market |= {"yes_bid_dollars": bid, "yes_ask_dollars": ask, "last_price_dollars": ask}
    return json.dumps(page)


def test_the_field_flag_fires_when_the_listed_asks_sum_to_0_15(client, compared, run_source, fake_upstream):
    fake_upstream.queue(r"^/trade-api/v2/markets$", Reply(200, thin_listing()))
    run_kalshi(run_source, NOW + timedelta(hours=1))
    field = markets(client)[IWI]["field"]
    assert field["askSum"] == pytest.approx(0.15) and field["flagged"]
    assert field["flags"] == ["the listed asks sum to 0.15, below 0.90"]
    assert "listed asks sum to 0.15" in client.get("/forecasts/").content.decode()
    assert "listed asks sum to 0.15" in client.get("/").content.decode()


def test_the_field_flags_our_leader_when_it_is_not_listed(client, run_source, shows, settings):  # noqa: F811
    settings.KP_PUBLIC_READ = True
    run_kalshi(run_source, NOW)
    # "A show not yet seen" leads, and every listed outcome... is one of our candidates or not:
    # The Hawk and Avatar are none of ours, so the new show may be one of them: listed.
    store_predictions(
        shows, made_at=NOW - timedelta(hours=1), ours={"Little House on the Prairie": 0.1}, new=0.9
    )
    comparisons_update(now=NOW + timedelta(minutes=1))
    assert markets(client)[LIT]["field"]["leaderListed"] is True
    # Ours leads with a show that has no market in the event: not listed.
    from shows.models import Show

    other = Show.objects.create(title="Squid Game", season="Season 3")
    shows["Squid Game"] = other
    store_predictions(
        shows, made_at=NOW, ours={"Little House on the Prairie": 0.1, "Squid Game": 0.8}, new=0.1
    )
    comparisons_update(now=NOW + timedelta(minutes=2))
    field = markets(client)[LIT]["field"]
    assert field["leaderListed"] is False and field["leader"] == "Squid Game"
    assert field["flags"] == ["our most likely winner (Squid Game) is not listed"]
    assert field["oursUnlisted"] == pytest.approx(0.8)


def test_the_forecasts_page_and_the_board_show_the_terms_and_the_rules(client, compared):
    for url in ("/forecasts/", "/"):
        page = client.get(url).content.decode()
        assert 'class="settles-list">US TV</strong>' in page
        assert "Mon Jul 13 – Sun Jul 19, 2026" in page and "Tuesday Jul 21" in page
        assert '<details class="rules"><summary>Rules</summary><p>If ' in page
    page = client.get("/forecasts/").content.decode()
    assert 'class="ev-no">+19.55%</td>' in page and "no 7% of bankroll" in page  # EV 0.1955 of $1


def test_cards_and_api_say_how_many_daily_lists_the_nowcast_used_and_what_moved_it(client, compared):
    from forecasts.models import Prediction

    newest = Prediction.objects.filter(list_name="US TV").order_by("-made_at").first().made_at
    batch = Prediction.objects.filter(list_name="US TV", made_at=newest)
    batch.update(
        model_version="us-rank-logit-1+daily-1",
        inputs={"daily": {"lists_seen": 6, "of": 7, "fit_weeks": 12, "used": True}},
    )
    leader = batch.filter(show__isnull=False).order_by("-p_rank1").first()
    leader.inputs = {**leader.inputs, "moved_by": [["daily_share", 1.25], ["us_rank_last_week", -0.4]]}
    leader.save()
    page = client.get("/forecasts/").content.decode()
    assert "Nowcast from <strong>6 of 7</strong> daily US lists" in page
    assert "daily_share 1.25" in page
    board = client.get("/").content.decode()
    assert "6 of 7" in board
    rows = [r for r in client.get("/api/forecasts/markets").json() if r["list"] == "US TV"]
    basis = {r["ticker"]: r["basis"] for r in rows}
    assert {b["dailyListsSeen"] for b in basis.values()} == {6}
    moved = [b["movedBy"] for b in basis.values() if b["movedBy"]]
    assert moved == [
        [{"feature": "daily_share", "logOdds": 1.25}, {"feature": "us_rank_last_week", "logOdds": -0.4}]
    ]


def test_a_card_says_the_monday_list_is_published_after_the_close(client, compared):
    from forecasts.models import Prediction

    newest = Prediction.objects.filter(list_name="US TV").order_by("-made_at").first().made_at
    caption = "6 of 7 daily lists (Monday's is published after the close)"
    daily = {"lists_seen": 6, "of": 7, "lag_days": 1, "caption": caption, "fit_weeks": 12, "used": True}
    Prediction.objects.filter(list_name="US TV", made_at=newest).update(inputs={"daily": daily})
    page = client.get("/forecasts/").content.decode()
    assert "daily US lists of the week (Monday's is published after the close)" in page
    rows = [r for r in client.get("/api/forecasts/markets").json() if r["list"] == "US TV"]
    assert {r["basis"]["dailyListsCaption"] for r in rows} == {caption}


def test_each_market_states_its_series_fee_schedule(client, compared):
    fees = markets(client)[LIT]["cost"]["feeSchedule"]
    # The series fixture: fee_type quadratic, fee_multiplier 1; no fee change recorded for it.
    assert (fees["type"], fees["multiplier"], fees["rate"], fees["makerRate"]) == (
        "quadratic",
        1.0,
        0.07,
        0.0,
    )
    assert fees["from"] == "series" and fees["appliesTo"].startswith("taker")


def test_a_fee_change_in_force_sets_the_fee_of_its_series(client, compared):
    from sources.kalshi.models import Market

    halved = {"type": "quadratic", "multiplier": 0.5, "scheduledTs": "2026-07-03T17:00:00Z"}
    Market.objects.filter(ticker=LIT).update(
        fee_schedule={"type": "quadratic", "multiplier": 1, "changes": [halved]}
    )
    cost = markets(client)[LIT]["cost"]
    assert (cost["feeSchedule"]["rate"], cost["feeSchedule"]["multiplier"]) == (0.035, 0.5)
    # Yes at 0.74: ceil(0.035 × 100 × 0.74 × 0.26 = 0.6734) = 0.68; no at 0.29: ceil(0.72065) = 0.73.
    assert cost["fee"] == {"yes": 0.68, "no": 0.73}
