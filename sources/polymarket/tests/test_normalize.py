"""Pure normalize on the recorded responses (fixtures/README.md says which are real)."""

from datetime import UTC, datetime

import pytest

from sources.base import RawResponse
from sources.polymarket.fields import MalformedResponse, listed, number, yes_token
from sources.polymarket.normalize import book_from, events_from, is_named, market_rows, normalize, result_of
from sources.polymarket.spec import DEFAULT_PREFIXES
from tests.fakeupstream import fixture_text

AT = "2026-07-17T14:30:00+00:00"
NETFLIX = "events_keyset_top-netflix.assembled.json"
NYC = "event_highest-temperature-in-nyc-on-december-30.json"


def raw(name: str, kind: str = "events", **meta) -> RawResponse:
    body = fixture_text(f"polymarket/{name}")
    meta = {"kind": kind, "observed_at": AT, "prefixes": DEFAULT_PREFIXES, **meta}
    return RawResponse("GET", f"http://gamma/{name}", 200, body, datetime.now(UTC), meta)


def test_string_encoded_arrays_are_parsed_and_real_lists_taken():
    market = events_from(raw(NYC, "event"))[0]["markets"][0]
    assert listed(market, "outcomes") == ["Yes", "No"]
    assert listed(market, "outcomePrices") == ["0", "1"]
    assert yes_token(market).startswith("2044114825")  # index 0, as "Yes" is outcome 0
    assert listed({"outcomes": ["Yes", "No"]}, "outcomes") == ["Yes", "No"]
    with pytest.raises(MalformedResponse):
        listed({"slug": "x", "outcomes": "[not json"}, "outcomes")


def test_a_resolved_recording_reads_as_settled_with_its_result():
    markets = events_from(raw(NYC, "event"))[0]["markets"]
    assert [result_of(m) for m in markets] == ["no", "yes"]  # outcomePrices ["0","1"] then ["1","0"]
    # Not a Netflix family: no rows and no prices from it.
    assert market_rows([raw(NYC, "event")]) == []
    prefixes = ["highest-temperature-in-nyc-on-december"]
    rows = {r.ticker: r for r in market_rows([raw(NYC, "event", prefixes=prefixes)])}
    won = rows["highest-temperature-in-nyc-on-december-30-32-33f"]
    assert (won.venue, won.status, won.result, won.outcome) == ("polymarket", "settled", "yes", "32-33°F")
    assert won.settled_at == datetime(2025, 12, 31, 9, 10, 57, tzinfo=UTC)  # "2025-12-31 09:10:57+00"
    assert won.close_time == datetime(2025, 12, 30, 12, tzinfo=UTC)
    assert won.rules_primary.startswith("This market will resolve to the temperature range")
    assert won.settlement_sources[0]["url"].startswith("https://www.wunderground.com/")


def test_netflix_legs_skip_placeholders_and_other():
    event = events_from(raw(NETFLIX))[0]
    named = [m["groupItemTitle"] for m in event["markets"] if is_named(m)]
    assert named == ["Little House on the Prairie", "I Will Find You", "The Hawk"]
    rows = market_rows([raw(NETFLIX)])
    assert {r.series for r in rows} == {"1-us-netflix-show"}
    lit = next(r for r in rows if r.outcome == "Little House on the Prairie")
    assert (lit.status, lit.result, lit.event_ticker) == ("active", "", event["slug"])
    assert lit.rules_primary.endswith('this market will resolve to "No".')
    assert lit.close_time == datetime(2026, 7, 21, 23, 59, tzinfo=UTC)
    assert (lit.show_ref.title, lit.show_ref.kind, lit.show_ref.create) == (
        "Little House on the Prairie",
        "tv",
        False,
    )


def test_prices_of_named_legs_become_snapshots():
    snaps = normalize([raw(NETFLIX)])
    lit = {s.metric: s.value for s in snaps if s.scope.startswith("will-little-house")}
    assert lit == {
        "yes_price": 0.725,
        "yes_bid": 0.72,
        "yes_ask": 0.73,
        "last_price": 0.725,
        "volume": 48210.5,
    }
    assert {s.attrs["outcome"] for s in snaps} == {
        "Little House on the Prairie",
        "I Will Find You",
        "The Hawk",
    }
    assert {s.observed_at for s in snaps} == {datetime.fromisoformat(AT)}


def test_the_documented_book_becomes_bids_of_each_side_best_last():
    book = book_from(raw("book_doc-example.json", "book", token="0xabc123def456..."))
    # YES bids 0.45 and 0.44; YES asks 0.46 and 0.47 are NO bids at 0.54 and 0.53.
    assert book == {
        "yes_dollars": [["0.44", "200"], ["0.45", "100"]],
        "no_dollars": [["0.53", "250"], ["0.54", "150"]],
    }


def test_a_recorded_book_in_worst_first_order_is_sorted():
    token = "98756637703320879198441871470345384821367334051929992047845197222571333888980"
    book = book_from(raw("book_ws-capture-2026-10-02.json", "book", token=token))
    assert book["yes_dollars"][-1] == ["0.03", "41666.32"]  # best bid last
    assert book["no_dollars"][-1] == ["0.03", "8960.67"]  # best ask 0.97 -> NO bid 0.03
    with pytest.raises(MalformedResponse, match="another token"):
        book_from(raw("book_ws-capture-2026-10-02.json", "book", token="1111"))


def test_malformed_answers_are_refused():
    with pytest.raises(MalformedResponse, match="no 'bids' and 'asks'"):
        book_from(raw("book_error_404.json", "book", token="x"))
    bad = RawResponse("GET", "u", 200, '{"events": [{"slug": "x"}]}', datetime.now(UTC), {"kind": "events"})
    with pytest.raises(MalformedResponse, match="no list of events"):
        events_from(bad)
    html = RawResponse("GET", "u", 200, "<html>", datetime.now(UTC), {"kind": "events"})
    with pytest.raises(MalformedResponse, match="not JSON"):
        events_from(html)


def test_a_non_finite_number_is_malformed():
    for bad in ("NaN", "inf", True):
        with pytest.raises(MalformedResponse, match="is not a number"):
            number({"slug": "x", "bestBid": bad}, "bestBid")
