"""The order books of open Kalshi markets: read per run (bounded), kept on the Market row, and a book
that cannot be read never costs the run its prices."""

import json
from datetime import UTC, datetime, timedelta

import pytest

from sources.base import RawResponse
from sources.kalshi.models import Market
from sources.kalshi.normalize import MalformedResponse, orderbook_from
from sources.models import Snapshot
from tests.fakeupstream import Reply, fixture_text

NOW = datetime(2026, 7, 17, 14, 30, 27, tzinfo=UTC)
LATER = NOW + timedelta(minutes=15)
BOOKS = r"^/trade-api/v2/markets/[^/]+/orderbook"
BOOK = fixture_text("kalshi/orderbook_KXNETFLIXRANKSHOW-26JUL20-LIT.json")
FIXTURE_BOOK = json.loads(BOOK)["orderbook_fp"]


@pytest.fixture(autouse=True)
def _one_series(settings):
    settings.KALSHI_SERIES = ["KXNETFLIXRANKSHOW"]
    settings.KALSHI_MIN_BACKOFF_MS = 0


def prices():
    return Snapshot.objects.filter(source__key="kalshi", period="instant").count()


def raw(body: str) -> RawResponse:
    return RawResponse("GET", "http://kalshi/orderbook", 200, body, NOW, {"kind": "orderbook"})


def test_the_fixture_book_is_read_as_its_price_and_size_strings():
    assert orderbook_from(raw(BOOK)) == FIXTURE_BOOK
    assert FIXTURE_BOOK["no_dollars"][-1] == ["0.2600", "200.00"]  # best bid last


def test_a_side_without_bids_is_an_empty_list():
    assert orderbook_from(raw('{"orderbook_fp": {"yes_dollars": null}}')) == {
        "yes_dollars": [],
        "no_dollars": [],
    }


@pytest.mark.parametrize(
    "body",
    [
        '{"orderbook": {}}',
        '{"orderbook_fp": {"yes_dollars": [["1.5", "3"]]}}',
        '{"orderbook_fp": {"no_dollars": [["x"]]}}',
    ],
)
def test_a_malformed_book_is_refused(body):
    with pytest.raises(MalformedResponse):
        orderbook_from(raw(body))


def test_a_run_stores_the_book_of_every_open_market(run_source, fake_upstream):
    run = run_source("kalshi", now=NOW)
    assert run.status == "ok", run.error
    seen = fake_upstream.requests_to(BOOKS)
    assert len(seen) == 4 and all("depth=100" in s.path for s in seen)
    books = dict(Market.objects.values_list("ticker", "orderbook"))
    # Each ticker its own book, whose best bids are its quote: yes bid, and 1 - yes ask on the no side.
    assert len(books) == 4 and books["KXNETFLIXRANKSHOW-26JUL20-LIT"] == FIXTURE_BOOK
    assert books["KXNETFLIXRANKSHOW-26JUL20-IWI"]["yes_dollars"][-1] == ["0.2100", "150.00"]
    assert books["KXNETFLIXRANKSHOW-26JUL20-IWI"]["no_dollars"][-1] == ["0.7600", "200.00"]
    assert books["KXNETFLIXRANKSHOW-26JUL20-AVA"]["yes_dollars"] == []  # quoted with no yes bid
    assert set(Market.objects.values_list("orderbook_at", flat=True)) == {NOW.replace(second=0)}
    assert prices() == 20  # the books are no snapshots: prices are as before


def test_books_per_run_are_bounded_by_a_setting(run_source, fake_upstream, settings):
    settings.KALSHI_ORDERBOOK_MAX = 2
    assert run_source("kalshi", now=NOW).status == "ok"
    assert len(fake_upstream.requests_to(BOOKS)) == 2
    assert Market.objects.filter(orderbook__isnull=False).count() == 2
    settings.KALSHI_ORDERBOOK_MAX = 0
    run_source("kalshi", now=LATER)
    assert len(fake_upstream.requests_to(BOOKS)) == 2


def test_an_order_book_500_leaves_the_run_partial_with_prices_and_books_stored(
    run_source, fake_upstream, settings
):
    run_source("kalshi", now=NOW)
    settings.HTTP_RETRIES = 1
    error = Reply(500, json.dumps({"error": {"code": "internal_server_error", "message": "internal"}}))
    fake_upstream.queue(BOOKS, error, error)
    run = run_source("kalshi", now=LATER)
    assert run.status == "partial"
    assert "order book: HTTP 500 after retries; stopped" in run.error
    assert prices() == 40  # this run's prices stored beside the first run's
    # The first book request failed and stopped the rest: every stored book stays as it was.
    assert set(Market.objects.values_list("orderbook_at", flat=True)) == {NOW.replace(second=0)}
    assert Market.objects.get(ticker="KXNETFLIXRANKSHOW-26JUL20-LIT").orderbook == FIXTURE_BOOK


def test_a_malformed_book_is_an_item_error_and_the_other_books_are_stored(run_source, fake_upstream):
    fake_upstream.queue(BOOKS, Reply(200, '{"orderbook_fp": {"yes_dollars": "none"}}'))
    run = run_source("kalshi", now=NOW)
    assert run.status == "partial" and "yes_dollars is not a list" in run.error
    assert Market.objects.filter(orderbook__isnull=False).count() == 3
    assert prices() == 20


def test_a_refused_book_request_ends_the_books_but_not_the_run(run_source, fake_upstream):
    fake_upstream.queue(BOOKS, Reply(403, fixture_text("kalshi/error_401.json")))
    run = run_source("kalshi", now=NOW)
    assert run.status == "partial" and "no more books this run" in run.error
    assert len(fake_upstream.requests_to(BOOKS)) == 1
    assert prices() == 20 and Market.objects.count() == 4
