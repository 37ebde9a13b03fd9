"""The Kalshi normalizer on every Kalshi fixture (pure: no database, no network)."""

import json
from datetime import UTC, datetime

import pytest

from shows.refs import ShowRef
from sources.base import RawResponse
from sources.kalshi.normalize import (
    MalformedResponse,
    market_rows,
    market_snapshots,
    normalize,
    split_outcome,
)
from tests.fakeupstream import fixture_text

NOW = datetime(2026, 7, 17, 14, 30, tzinfo=UTC)
SOURCES = [{"name": "Netflix Top 10", "url": "https://www.netflix.com/tudum/top10/tv"}]


def raw(fixture: str, kind: str, series: str = "KXNETFLIXRANKSHOW", body: str | None = None, **meta):
    meta = {"kind": kind, "series": series, "settlement_sources": SOURCES, "ticker_shows": {}, **meta}
    if kind == "markets":
        meta.setdefault("observed_at", NOW.isoformat())
    text = body if body is not None else fixture_text(f"kalshi/{fixture}")
    return RawResponse("GET", f"http://kalshi.test/{fixture}", 200, text, NOW, meta)


def by_key(items):
    return {(i.scope, i.metric, i.observed_at): i for i in items}


def test_open_markets_give_five_instant_values_per_market():
    items = normalize([raw("markets_KXNETFLIXRANKSHOW_open.json", "markets")])
    assert len(items) == 4 * 5
    assert {i.period for i in items} == {"instant"} and {i.observed_at for i in items} == {NOW}
    lit = {i.metric: i.value for i in items if i.scope == "KXNETFLIXRANKSHOW-26JUL20-LIT"}
    assert lit == {
        "yes_bid": 0.71,
        "yes_ask": 0.74,
        "last_price": 0.73,
        "volume": 61877.0,
        "open_interest": 38210.0,
    }


def test_outcome_names_become_show_refs_split_like_tudum():
    items = normalize([raw("markets_KXNETFLIXRANKSHOW_open.json", "markets")])
    refs = {i.scope.rsplit("-", 1)[1]: i.show_ref for i in items}
    assert refs["LIT"] == ShowRef("Little House on the Prairie", "Season 1", "tv", create=False)
    assert refs["AVA"] == ShowRef("Avatar: The Last Airbender", "Season 2", "tv", create=False)
    assert refs["IWI"] == ShowRef("I Will Find You", "Limited Series", "tv", create=False)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Wednesday: Season 2", ("Wednesday", "Season 2")),
        ("The Lincoln Lawyer: Season 4", ("The Lincoln Lawyer", "Season 4")),
        ("Avatar: The Last Airbender: Season 2", ("Avatar: The Last Airbender", "Season 2")),
        ("Outer Banks: Season 4: Part 2", ("Outer Banks", "Season 4: Part 2")),
        ("People We Meet on Vacation", ("People We Meet on Vacation", "")),
        ("Mission: Impossible", ("Mission: Impossible", "")),
    ],
)
def test_split_outcome(name, expected):
    assert split_outcome(name) == expected


def test_a_ticker_listed_on_a_watched_show_names_it_directly():
    page = raw(
        "markets_KXNETFLIXRANKSHOW_open.json",
        "markets",
        ticker_shows={"KXNETFLIXRANKSHOW-26JUL20-THE": 42},
    )
    the = [i for i in normalize([page]) if i.scope.endswith("-THE")]
    assert {(i.show_id, i.show_ref) for i in the} == {(42, None)}


def test_movie_series_name_films():
    body = fixture_text("kalshi/markets_KXNETFLIXRANKSHOW_open.json")
    items = normalize([raw("x", "markets", series="KXNETFLIXRANKMOVIE", body=body)])
    assert {i.show_ref.kind for i in items} == {"film"}


def test_the_list_prices_agree_with_the_order_book():
    # Bids only, best last; the yes ask is 1 - the best no bid (docs/stack-facts.md, Kalshi).
    book = json.loads(fixture_text("kalshi/orderbook_KXNETFLIXRANKSHOW-26JUL20-LIT.json"))["orderbook_fp"]
    best_yes_bid = float(book["yes_dollars"][-1][0])
    yes_ask = round(1 - float(book["no_dollars"][-1][0]), 4)
    items = normalize([raw("markets_KXNETFLIXRANKSHOW_open.json", "markets")])
    lit = {i.metric: i.value for i in items if i.scope == "KXNETFLIXRANKSHOW-26JUL20-LIT"}
    assert (lit["yes_bid"], lit["yes_ask"]) == (best_yes_bid, yes_ask)


def test_an_empty_market_list_gives_nothing():
    page = raw("markets_empty.json", "markets")
    assert normalize([page]) == [] and market_rows([page]) == []


def test_legacy_integer_cents_become_dollars():
    market = json.loads(fixture_text("kalshi/legacy_market_cents_schema.json"))
    values = {i.metric: i.value for i in market_snapshots(market, {"series": "KXELONMARS"}, NOW)}
    # yes_bid/yes_ask have *_dollars next to the cents; last_price, volume, open_interest only cents.
    assert values == {
        "yes_bid": 0.08,
        "yes_ask": 0.10,
        "last_price": 0.08,
        "volume": 19920.0,
        "open_interest": 13169.0,
    }


def test_cents_alone_are_read_too():
    market = json.loads(fixture_text("kalshi/legacy_market_cents_schema.json"))
    del market["yes_bid_dollars"], market["yes_ask_dollars"]
    values = {i.metric: i.value for i in market_snapshots(market, {"series": "KXELONMARS"}, NOW)}
    assert (values["yes_bid"], values["yes_ask"]) == (0.08, 0.10)


def test_a_legacy_market_without_an_outcome_names_no_show():
    market = json.loads(fixture_text("kalshi/legacy_market_cents_schema.json"))
    items = market_snapshots(market, {"series": "KXELONMARS"}, NOW)
    assert {(i.show_id, i.show_ref) for i in items} == {(None, None)}


def test_a_settled_event_gives_market_rows_and_no_instant_prices():
    event = raw("event_KXNETFLIXRANKSHOWGLOBAL-26FEB16.settled.json", "event", "KXNETFLIXRANKSHOWGLOBAL")
    assert normalize([event]) == []
    rows = {m.ticker: m for m in market_rows([event])}
    assert len(rows) == 4
    winner = rows["KXNETFLIXRANKSHOWGLOBAL-26FEB16-THE"]
    assert (winner.outcome, winner.status, winner.result) == (
        "The Lincoln Lawyer: Season 4",
        "finalized",
        "yes",
    )
    assert winner.series == "KXNETFLIXRANKSHOWGLOBAL"
    assert winner.event_ticker == "KXNETFLIXRANKSHOWGLOBAL-26FEB16"
    assert winner.close_time == datetime(2026, 2, 17, 4, 59, tzinfo=UTC)
    assert winner.settled_at == datetime(2026, 2, 17, 21, 4, 12, tzinfo=UTC)
    assert winner.rules_primary.startswith("If The Lincoln Lawyer: Season 4 is ranked #1")
    assert winner.settlement_sources == tuple(SOURCES)
    assert winner.show_ref == ShowRef("The Lincoln Lawyer", "Season 4")
    assert {m.result for t, m in rows.items() if t != winner.ticker} == {"no"}


def test_candlesticks_become_hourly_prices_and_volumes_skipping_no_trade_prices():
    candles = raw(
        "candlesticks_KXNETFLIXRANKSHOW-26JUL20-LIT.json",
        "candles",
        ticker="KXNETFLIXRANKSHOW-26JUL20-LIT",
        outcome="Little House on the Prairie: Season 1",
        interval=60,
    )
    items = normalize([candles])
    assert {i.period for i in items} == {"hour"}
    got = {(i.metric, i.observed_at.hour): i.value for i in items}
    # end_period_ts 11:00, 12:00, 13:00 UTC -> hours starting 10:00, 11:00, 12:00; 11:00 had no trade.
    assert got == {
        ("last_price", 10): 0.68,
        ("volume", 10): 1840.0,
        ("volume", 11): 0.0,
        ("last_price", 12): 0.73,
        ("volume", 12): 3095.0,
    }
    assert {i.show_ref for i in items} == {ShowRef("Little House on the Prairie", "Season 1")}


@pytest.mark.parametrize("fixture", ["error_429.json", "error_401.json"])
def test_an_error_body_is_malformed_not_an_empty_list(fixture):
    with pytest.raises(MalformedResponse, match="no 'markets' list"):
        normalize([raw(fixture, "markets")])


def test_a_price_that_is_not_a_number_is_malformed():
    data = json.loads(fixture_text("kalshi/markets_KXNETFLIXRANKSHOW_open.json"))
    data["markets"][0]["yes_bid_dollars"] = "n/a"
    with pytest.raises(MalformedResponse, match="yes_bid_dollars='n/a'"):
        normalize([raw("x", "markets", body=json.dumps(data))])


def test_a_bad_close_time_is_malformed():
    data = json.loads(fixture_text("kalshi/markets_KXNETFLIXRANKSHOW_open.json"))
    data["markets"][1]["close_time"] = "next Monday"
    with pytest.raises(MalformedResponse, match="close_time"):
        normalize([raw("x", "markets", body=json.dumps(data))])


def test_a_body_that_is_not_json_is_malformed():
    with pytest.raises(MalformedResponse, match="not JSON"):
        normalize([raw("x", "markets", body="<html>Bad gateway</html>")])
