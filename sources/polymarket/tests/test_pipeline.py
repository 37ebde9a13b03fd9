"""The Polymarket source through the real pipeline and HTTP code against the fake upstream."""

import json
from datetime import UTC, datetime, timedelta

from shows.models import Show
from sources.kalshi.models import Market
from sources.models import FetchRun, Snapshot, Source
from sources.polymarket.fake import NETFLIX, WINNER, open_event
from tests.fakeupstream import Reply, fixture_text

NOW = datetime(2026, 7, 17, 14, 30, 27, tzinfo=UTC)
LATER = NOW + timedelta(days=5)
PAGE = r"^/events/keyset$"
LISTED = r"^/events/keyset\?"
EVENT = r"^/events/slug/"
BOOKS = r"^/book\?"
EMPTY = json.dumps({"events": []})


def snapshots(**filters):
    return Snapshot.objects.filter(source__key="polymarket", **filters)


def state():
    return Source.objects.get(key="polymarket").state


def test_a_run_stores_prices_rules_and_books_of_the_named_legs(run_source, fake_upstream):
    little_house = Show.objects.create(title="Little House on the Prairie", season="Season 1")
    run = run_source("polymarket", now=NOW)
    assert run.status == FetchRun.Status.OK, run.error
    listing = fake_upstream.requests_to(LISTED)[0].path
    assert "tag_slug=top-netflix" in listing and "closed=false" in listing and "offset" not in listing
    rows = Market.objects.filter(venue="polymarket")
    assert sorted(rows.values_list("outcome", flat=True)) == [
        "I Will Find You",
        "Little House on the Prairie",
        "The Hawk",
    ]
    lit = rows.get(ticker=WINNER)
    assert (lit.series, lit.event_ticker, lit.status, lit.show) == (
        "1-us-netflix-show",
        NETFLIX,
        "active",
        little_house,
    )
    assert "#1 US Netflix show" in lit.rules_primary
    assert lit.orderbook == {
        "yes_dollars": [["0.44", "200"], ["0.45", "100"]],
        "no_dollars": [["0.53", "250"], ["0.54", "150"]],
    }
    assert lit.orderbook_at == NOW.replace(second=0)
    # One book per named leg, asked by its YES token (index 0 of clobTokenIds).
    tokens = {json.loads(m["clobTokenIds"])[0] for m in open_event()["markets"][:3]}
    assert {s.path.split("token_id=")[1] for s in fake_upstream.requests_to(BOOKS)} == tokens
    prices = {s.metric: s.value for s in snapshots(scope=WINNER)}
    assert prices == {
        "yes_price": 0.725,
        "yes_bid": 0.72,
        "yes_ask": 0.73,
        "last_price": 0.725,
        "volume": 48210.5,
    }
    assert set(snapshots(scope=WINNER).values_list("show", flat=True)) == {little_house.id}
    assert not Market.objects.filter(venue="kalshi").exists()
    assert set(state()["open"]) == {NETFLIX}


def test_rerun_changes_nothing(run_source):
    run_source("polymarket", now=NOW)
    rows = list(Market.objects.order_by("ticker").values())
    second = run_source("polymarket", now=NOW)
    assert (second.status, second.created, second.updated) == ("ok", 0, 0)
    assert list(Market.objects.order_by("ticker").values()) == rows


def test_a_departed_event_is_looked_up_until_it_resolves(run_source, fake_upstream):
    run_source("polymarket", now=NOW)
    fake_upstream.queue(PAGE, Reply(200, EMPTY))
    run = run_source("polymarket", now=LATER)
    assert run.status == "ok", run.error
    assert [s.path for s in fake_upstream.requests_to(EVENT)] == [f"/events/slug/{NETFLIX}"]
    results = dict(Market.objects.filter(venue="polymarket").values_list("ticker", "result"))
    assert results.pop(WINNER) == "yes" and set(results.values()) == {"no"}
    won = Market.objects.get(ticker=WINNER)
    assert (won.status, won.settled_at) == ("settled", datetime(2026, 7, 21, 20, 4, 12, tzinfo=UTC))
    assert state()["open"] == {}
    fake_upstream.queue(PAGE, Reply(200, EMPTY))
    run_source("polymarket", now=LATER + timedelta(minutes=15))
    assert len(fake_upstream.requests_to(EVENT)) == 1  # resolved: not asked again


def test_paging_follows_next_cursor_as_after_cursor(run_source, fake_upstream):
    page = fixture_text("polymarket/events_keyset_top-netflix.assembled.json")
    first = json.dumps({"events": [], "next_cursor": "eyJpZCI6NzA4Mzk4fQ"})
    fake_upstream.queue(PAGE, Reply(200, first), Reply(200, page))
    run = run_source("polymarket", now=NOW)
    assert run.status == "ok", run.error
    pages = [s.path for s in fake_upstream.requests_to(LISTED)]
    assert len(pages) == 2 and "after_cursor=eyJpZCI6NzA4Mzk4fQ" in pages[1] and "&cursor=" not in pages[1]
    assert Market.objects.filter(venue="polymarket").count() == 3


def test_an_unreadable_book_is_an_item_error_and_the_prices_stay(run_source, fake_upstream):
    fake_upstream.queue(BOOKS[:-2], Reply(404, fixture_text("polymarket/book_error_404.json")))
    run = run_source("polymarket", now=NOW)
    assert run.status == "partial" and "order book: HTTP 404" in run.error
    assert Market.objects.filter(venue="polymarket", orderbook__isnull=False).count() == 2
    assert snapshots(scope=WINNER).count() == 5


def test_a_malformed_listing_fails_the_run_and_stores_nothing(run_source, fake_upstream):
    fake_upstream.queue(PAGE, Reply(200, "<html>maintenance</html>", content_type="text/html"))
    run = run_source("polymarket", now=NOW)
    assert run.status == "failed" and "not JSON" in run.error
    assert not snapshots().exists() and not Market.objects.exists()
