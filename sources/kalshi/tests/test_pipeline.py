"""The Kalshi source through the real pipeline and HTTP code against the fake upstream."""

import json
from datetime import UTC, datetime, timedelta

import pytest

from shows.models import Show
from sources.kalshi import client
from sources.kalshi.models import Market
from sources.models import FetchRun, Snapshot, Source
from tests.fakeupstream import Reply, fixture_text

NOW = datetime(2026, 7, 17, 14, 30, 27, tzinfo=UTC)
LATER = NOW + timedelta(days=5)
MARKETS = r"^/trade-api/v2/markets$"  # queued replies match the path
LISTED = r"^/trade-api/v2/markets\?"  # requests seen keep their query string
EVENTS = r"^/trade-api/v2/events/"
CANDLES = r"/candlesticks\?"
LIT = "KXNETFLIXRANKSHOW-26JUL20-LIT"
EMPTY = fixture_text("kalshi/markets_empty.json")


@pytest.fixture(autouse=True)
def _one_series(settings):
    # The fake answers GET /markets by path only, so one series keeps each market listed once.
    settings.KALSHI_SERIES = ["KXNETFLIXRANKSHOW"]
    settings.KALSHI_MIN_BACKOFF_MS = 300


@pytest.fixture
def little_house(db):
    return Show.objects.create(title="Little House on the Prairie", season="Season 1")


def snapshots(**filters):
    return Snapshot.objects.filter(source__key="kalshi", **filters)


def state():
    return Source.objects.get(key="kalshi").state


def test_a_run_stores_the_prices_of_every_open_market(run_source, little_house):
    run = run_source("kalshi", now=NOW)
    assert run.status == FetchRun.Status.OK, run.error
    assert snapshots(period="instant").count() == 4 * 5
    lit = {s.metric: s.value for s in snapshots(scope=LIT)}
    assert lit == {
        "yes_bid": 0.71,
        "yes_ask": 0.74,
        "last_price": 0.73,
        "volume": 61877,
        "open_interest": 38210,
    }
    # observed_at is the fetch time to the minute; the outcome's show is linked, never created.
    assert set(snapshots().values_list("observed_at", flat=True)) == {NOW.replace(second=0)}
    assert set(snapshots(scope=LIT).values_list("show", flat=True)) == {little_house.id}
    assert set(snapshots().exclude(scope=LIT).values_list("show", flat=True)) == {None}
    assert Show.objects.count() == 1


def test_market_rows_are_stored_with_their_outcome_names(run_source, little_house):
    run_source("kalshi", now=NOW)
    outcomes = dict(Market.objects.values_list("ticker", "outcome"))
    assert outcomes == {
        LIT: "Little House on the Prairie: Season 1",
        "KXNETFLIXRANKSHOW-26JUL20-IWI": "I Will Find You: Limited Series",
        "KXNETFLIXRANKSHOW-26JUL20-THE": "The Hawk: Season 1",
        "KXNETFLIXRANKSHOW-26JUL20-AVA": "Avatar: The Last Airbender: Season 2",
    }
    market = Market.objects.get(ticker=LIT)
    assert (market.series, market.event_ticker, market.status, market.result) == (
        "KXNETFLIXRANKSHOW",
        "KXNETFLIXRANKSHOW-26JUL20",
        "active",
        "",
    )
    assert market.close_time == datetime(2026, 7, 21, 3, 59, tzinfo=UTC)
    assert market.rules_primary.startswith("If Little House on the Prairie: Season 1 is ranked #1")
    assert market.settlement_sources == [
        {"name": "Netflix Top 10", "url": "https://www.netflix.com/tudum/top10/tv"}
    ]
    assert market.show == little_house


def test_rerun_changes_nothing(run_source):
    run_source("kalshi", now=NOW)
    rows = sorted(snapshots().values_list("scope", "metric", "observed_at", "value"))
    markets = list(Market.objects.order_by("ticker").values())
    second = run_source("kalshi", now=NOW)
    assert (second.status, second.created, second.updated, second.unchanged) == ("ok", 0, 0, 20)
    assert sorted(snapshots().values_list("scope", "metric", "observed_at", "value")) == rows
    assert list(Market.objects.order_by("ticker").values()) == markets


def test_series_details_are_read_once_a_day(run_source, fake_upstream):
    run_source("kalshi", now=NOW)
    run_source("kalshi", now=NOW + timedelta(minutes=15))
    assert len(fake_upstream.requests_to(r"^/trade-api/v2/series/KXNETFLIXRANKSHOW$")) == 1


def test_settled_markets_are_read_with_their_candlesticks_once_they_leave_the_list(
    run_source, fake_upstream, little_house
):
    run_source("kalshi", now=NOW)
    assert set(state()["open"]) == set(Market.objects.values_list("ticker", flat=True))
    fake_upstream.queue(MARKETS, Reply(200, EMPTY))  # the week closed: nothing open any more
    run = run_source("kalshi", now=LATER)
    # Nothing open in any series is worth a note even when closed markets were settled meanwhile.
    assert run.status == "partial" and "lists an open market" in run.error
    assert len(fake_upstream.requests_to(EVENTS)) == 1
    assert len(fake_upstream.requests_to(CANDLES)) == 4
    candle = fake_upstream.requests_to(CANDLES)[0].path
    assert "period_interval=60" in candle and "start_ts=" in candle and "end_ts=" in candle
    results = dict(Market.objects.values_list("ticker", "result"))
    assert results[LIT] == "yes" and {r for t, r in results.items() if t != LIT} == {"no"}
    assert set(Market.objects.values_list("status", flat=True)) == {"finalized"}
    hourly = {(s.metric, s.observed_at.hour): s.value for s in snapshots(scope=LIT, period="hour")}
    assert hourly == {
        ("last_price", 10): 0.68,
        ("volume", 10): 1840,
        ("volume", 11): 0,
        ("last_price", 12): 0.73,
        ("volume", 12): 3095,
    }
    assert set(snapshots(scope=LIT, period="hour").values_list("show", flat=True)) == {little_house.id}
    assert snapshots(period="instant").count() == 20  # the live prices seen before stay
    assert state()["open"] == {}
    fake_upstream.queue(MARKETS, Reply(200, EMPTY))
    run_source("kalshi", now=LATER + timedelta(minutes=15))
    assert len(fake_upstream.requests_to(EVENTS)) == 1  # settled markets are not asked again


def test_an_event_can_be_backfilled_by_option(run_source, fake_upstream):
    lincoln = Show.objects.create(title="The Lincoln Lawyer", season="Season 4")
    run = run_source("kalshi", now=NOW, events=["KXNETFLIXRANKSHOWGLOBAL-26FEB16"])
    assert run.status == "ok", run.error
    winner = Market.objects.get(ticker="KXNETFLIXRANKSHOWGLOBAL-26FEB16-THE")
    assert (winner.result, winner.show, winner.outcome) == ("yes", lincoln, "The Lincoln Lawyer: Season 4")
    assert winner.settled_at == datetime(2026, 2, 17, 21, 4, 12, tzinfo=UTC)
    assert snapshots(scope=winner.ticker, period="hour", metric="last_price").count() == 2
    paths = [s.path for s in fake_upstream.requests_to(CANDLES)]
    assert len(paths) == 4 and all(
        p.startswith("/trade-api/v2/series/KXNETFLIXRANKSHOWGLOBAL/") for p in paths
    )


def test_an_empty_market_list_of_every_series_is_a_failed_run_that_stores_nothing(run_source, fake_upstream):
    fake_upstream.queue(MARKETS, Reply(200, EMPTY))
    run = run_source("kalshi", now=NOW)
    assert (run.status, run.items) == ("failed", 0)
    assert "no configured series lists an open market" in run.error
    assert not snapshots().exists() and Source.objects.get(key="kalshi").last_success_at is None


def test_a_legacy_cents_market_is_stored_in_dollars(run_source, fake_upstream):
    legacy = json.loads(fixture_text("kalshi/legacy_market_cents_schema.json"))
    fake_upstream.queue(MARKETS, Reply(200, json.dumps({"markets": [legacy], "cursor": ""})))
    run = run_source("kalshi", now=NOW)
    assert run.status == "ok", run.error
    values = {s.metric: s.value for s in snapshots(scope="KXELONMARS-99")}
    assert values == {
        "yes_bid": 0.08,
        "yes_ask": 0.10,
        "last_price": 0.08,
        "volume": 19920,
        "open_interest": 13169,
    }
    assert Market.objects.get(ticker="KXELONMARS-99").outcome == ""


def test_paging_follows_the_cursor(run_source, fake_upstream):
    data = json.loads(fixture_text("kalshi/markets_KXNETFLIXRANKSHOW_open.json"))
    first = {"markets": data["markets"][:2], "cursor": "CgsIkp2"}
    second = {"markets": data["markets"][2:], "cursor": ""}
    fake_upstream.queue(MARKETS, Reply(200, json.dumps(first)), Reply(200, json.dumps(second)))
    run = run_source("kalshi", now=NOW)
    assert run.status == "ok" and Market.objects.count() == 4
    pages = [s.path for s in fake_upstream.requests_to(LISTED)]
    assert len(pages) == 2 and "cursor=" not in pages[0] and "cursor=CgsIkp2" in pages[1]
    assert "series_ticker=KXNETFLIXRANKSHOW" in pages[0] and "status=open" in pages[0]


def test_a_429_backs_off_and_then_succeeds(run_source, fake_upstream, monkeypatch):
    waits = []
    backoff = client.PatientRetry.get_backoff_time

    def recorded(retry):
        waits.append(backoff(retry))
        return waits[-1]

    monkeypatch.setattr(client.PatientRetry, "get_backoff_time", recorded)
    fake_upstream.queue(MARKETS, Reply(429, fixture_text("kalshi/error_429.json")))
    run = run_source("kalshi", now=NOW)
    assert run.status == "ok", run.error
    assert len(fake_upstream.requests_to(LISTED)) == 2
    # No Retry-After: the retry still waits (urllib3 alone would retry a first 429 at once).
    assert waits == [0.3]


def test_a_429_that_persists_fails_the_run_as_temporary(run_source, fake_upstream, settings):
    settings.HTTP_RETRIES = 1
    run_source("kalshi", now=NOW)
    before = state()
    body = fixture_text("kalshi/error_429.json")
    fake_upstream.queue(MARKETS, Reply(429, body), Reply(429, body))
    run = run_source("kalshi", now=LATER)
    assert run.status == "failed"
    assert run.error.startswith("temporary:") and "HTTP 429" in run.error
    assert state() == before  # nothing taken as departed on a failed listing
    assert not fake_upstream.requests_to(EVENTS)


def test_a_malformed_page_fails_the_run_and_keeps_stored_rows(run_source, fake_upstream):
    run_source("kalshi", now=NOW)
    rows = sorted(snapshots().values_list("scope", "metric", "value"))
    fake_upstream.queue(MARKETS, Reply(200, "<html>maintenance</html>", content_type="text/html"))
    run = run_source("kalshi", now=LATER)
    assert run.status == "failed" and "malformed response" in run.error and "not JSON" in run.error
    assert sorted(snapshots().values_list("scope", "metric", "value")) == rows
    assert Market.objects.count() == 4


def test_an_unknown_event_makes_a_partial_run_and_is_no_longer_awaited(run_source, fake_upstream):
    run_source("kalshi", now=NOW)
    source = Source.objects.get(key="kalshi")
    source.state["open"]["KXNETFLIXRANKSHOW-26JUN01-WED"] = {
        "series": "KXNETFLIXRANKSHOW",
        "event": "KXNETFLIXRANKSHOW-26JUN01",
    }
    source.save()
    run = run_source("kalshi", now=NOW + timedelta(minutes=15))
    assert run.status == "partial"
    assert "KXNETFLIXRANKSHOW-26JUN01: HTTP 404" in run.error
    assert "KXNETFLIXRANKSHOW-26JUN01-WED" not in state()["open"]
    assert snapshots(period="instant").count() == 40  # the open markets were still stored


def test_a_departed_market_missing_from_its_event_is_no_longer_awaited(run_source, fake_upstream):
    run_source("kalshi", now=NOW)
    source = Source.objects.get(key="kalshi")
    source.state["open"]["KXNETFLIXRANKSHOW-26JUL20-ZZZ"] = {
        "series": "KXNETFLIXRANKSHOW",
        "event": "KXNETFLIXRANKSHOW-26JUL20",
    }
    source.save()
    run = run_source("kalshi", now=NOW + timedelta(minutes=15))
    assert run.status == "partial" and "KXNETFLIXRANKSHOW-26JUL20-ZZZ: not among the markets" in run.error
    assert "KXNETFLIXRANKSHOW-26JUL20-ZZZ" not in state()["open"]
