"""A book is used for the average price and Kelly only when it agrees with the market's quote and is
as fresh; otherwise the cost block says why. The fake serves each ticker its own book."""

import json
from datetime import timedelta

import pytest

from forecasts.markets.costs import book_disagreement
from sources.kalshi.models import Market
from tests.fakeupstream import fixture_text
from tests.forecasts.test_market_comparison import IWI, LIT, NOW, _one_series, shows  # noqa: F401
from tests.forecasts.test_market_trader_view import compared, markets  # noqa: F401

BOOK = json.loads(fixture_text("kalshi/orderbook_KXNETFLIXRANKSHOW-26JUL20-LIT.json"))["orderbook_fp"]


def test_the_recorded_book_agrees_with_its_own_quote_only():
    assert book_disagreement(BOOK, bid=0.71, ask=0.74) == ""
    reason = book_disagreement(BOOK, bid=0.21, ask=0.24)
    assert reason == (
        "the order book disagrees with the quote: its bid 0.71 is not the quote's 0.21; "
        "its ask 0.74 is not the quote's 0.24"
    )
    # Kalshi quotes 0 for no bid: an empty yes side agrees with it.
    assert book_disagreement({"yes_dollars": [], "no_dollars": [["0.98", "5"]]}, bid=0.0, ask=0.02) == ""


def test_outcomes_whose_quotes_differ_never_share_one_average_price(client, compared):  # noqa: F811
    rows = markets(client)
    assert all(r["cost"]["book"]["used"] for r in rows.values())
    averages = {
        (r["cost"]["bid"], r["cost"]["ask"]): (r["cost"]["vwap"]["yes"], r["cost"]["vwap"]["no"])
        for r in rows.values()
    }
    assert len(set(averages.values())) == len(averages) == len(rows)
    # IWI's own book: 100 yes at 1 - its best no bid 0.76, 100 no at 1 - its best yes bid 0.21.
    assert rows[IWI]["cost"]["vwap"]["yes"] == pytest.approx(0.24)
    assert rows[IWI]["cost"]["vwap"]["no"] == pytest.approx(0.79)


def test_a_contradicting_book_is_refused_and_the_quote_alone_prices_the_stake(client, compared):  # noqa: F811
    other = Market.objects.get(ticker=IWI).orderbook
    Market.objects.filter(ticker=LIT).update(orderbook=other)
    cost = markets(client)[LIT]["cost"]
    assert cost["vwap"] is None
    assert cost["book"]["used"] is False
    assert cost["book"]["reason"].startswith("the order book disagrees with the quote: its bid 0.21")
    # Kelly at the quote: no at 1 - 0.71 = 0.29 (EV 0.1955 after the fee, as with the agreeing book).
    assert (cost["kelly"]["side"], cost["kelly"]["price"]) == ("no", pytest.approx(0.29))


def test_a_book_older_than_the_quote_is_refused(client, compared):  # noqa: F811
    Market.objects.filter(ticker=LIT).update(orderbook_at=NOW - timedelta(hours=2))
    cost = markets(client)[LIT]["cost"]
    assert cost["vwap"] is None and cost["book"]["used"] is False
    assert "is older than the quote" in cost["book"]["reason"]


def test_a_stake_is_shown_only_where_ev_at_the_price_paid_is_positive(client, compared):  # noqa: F811
    for row in markets(client).values():
        cost = row["cost"]
        side = cost["kelly"]["side"]
        if side is None:
            assert cost["kelly"]["fraction"] == 0
            continue
        paid_ev = cost["vwap"][f"ev{side.title()}"] if cost["book"]["used"] else cost[f"ev{side.title()}"]
        assert paid_ev > 0, row["ticker"]
