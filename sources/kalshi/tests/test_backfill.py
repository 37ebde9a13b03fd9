"""`manage.py backfill kalshi`: settled markets and their hourly candles, through the real pipeline."""

from datetime import UTC, datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from shows.models import Show
from sources.kalshi.models import Market
from sources.models import FetchRun, Snapshot
from sources.pipeline import runs as pipeline
from tests.fakeupstream import Reply

SERIES = ["KXNETFLIXRANKSHOW", "KXNETFLIXRANKSHOWGLOBAL"]
SETTLED = r"^/trade-api/v2/markets\?"  # requests seen keep their query string
HISTORICAL = r"^/trade-api/v2/historical/markets\?"
LIVE_CANDLES = r"^/trade-api/v2/series/KXNETFLIXRANKSHOW/markets/[^/]+/candlesticks\?"
OLD_CANDLES = r"^/trade-api/v2/historical/markets/[^/]+/candlesticks"
FEB_WINNER = "KXNETFLIXRANKSHOWGLOBAL-26FEB16-THE"  # settled in February: the historical tier
JUL_WINNER = "KXNETFLIXRANKSHOW-26JUL20-LIT"  # settled in July: the live tier
# The candlestick fixture's hours: a no-trade hour has a volume and no price.
HOURS = {
    ("last_price", 10): 0.68,
    ("volume", 10): 1840,
    ("volume", 11): 0,
    ("last_price", 12): 0.73,
    ("volume", 12): 3095,
}


@pytest.fixture(autouse=True)
def _two_series(settings):
    settings.KALSHI_SERIES = SERIES
    settings.KALSHI_MIN_BACKOFF_MS = 100


@pytest.fixture
def ready(fake_upstream, sources_ready, redis_conn):
    return fake_upstream


def backfill(*args) -> str:
    out = StringIO()
    call_command("backfill", "kalshi", *args, stdout=out)
    return out.getvalue()


def hourly(ticker: str) -> dict:
    rows = Snapshot.objects.filter(source__key="kalshi", scope=ticker, period="hour")
    return {(s.metric, s.observed_at.hour): s.value for s in rows}


def test_backfill_stores_settled_markets_of_both_tiers_with_their_hourly_candles(ready):
    lincoln = Show.objects.create(title="The Lincoln Lawyer", season="Season 4")
    output = backfill()
    assert Market.objects.filter(series="KXNETFLIXRANKSHOWGLOBAL").count() == 4
    assert Market.objects.filter(series="KXNETFLIXRANKSHOW").count() == 4
    winners = dict(Market.objects.filter(result="yes").values_list("ticker", "show"))
    assert winners == {FEB_WINNER: lincoln.id, JUL_WINNER: None}
    feb = Market.objects.get(ticker=FEB_WINNER)
    assert (feb.close_time, feb.status) == (datetime(2026, 2, 17, 4, 59, tzinfo=UTC), "finalized")
    assert feb.settlement_sources and feb.rules_primary.startswith("If The Lincoln Lawyer")
    # The same hours whichever tier the candles came from (the historical one names fields bare).
    assert hourly(FEB_WINNER) == HOURS == hourly(JUL_WINNER)
    assert set(Snapshot.objects.filter(scope=FEB_WINNER).values_list("show", flat=True)) == {lincoln.id}
    assert len(ready.requests_to(OLD_CANDLES)) == 4 and len(ready.requests_to(LIVE_CANDLES)) == 4
    # A settled market's final quote is no price history: only candles become snapshots.
    assert not Snapshot.objects.filter(period="instant").exists()
    assert "100%" in output and "backfilled 40 values" in output


def test_the_settled_listing_is_read_once_for_all_windows(ready):
    backfill()
    assert FetchRun.objects.filter(status="ok").count() > 1
    listed = [s.path for s in ready.requests_to(SETTLED)]
    assert len(listed) == 2 and all("status=settled" in p for p in listed)
    assert {p.split("series_ticker=")[1].split("&")[0] for p in listed} == set(SERIES)
    assert len(ready.requests_to(HISTORICAL)) == 2


def test_a_second_backfill_adds_nothing(ready):
    backfill()
    markets = list(Market.objects.order_by("ticker").values())
    again = backfill()
    assert list(Market.objects.order_by("ticker").values()) == markets
    assert Snapshot.objects.count() == 40
    assert "0 new, 0 updated, 40 unchanged" in again


def test_a_window_keeps_only_the_markets_that_close_in_it(ready):
    run = pipeline.run("kalshi", backfill=True, since="2026-02-01", until="2026-03-01", reuse={})
    assert run.status == "ok", run.error
    assert set(Market.objects.values_list("series", flat=True)) == {"KXNETFLIXRANKSHOWGLOBAL"}
    assert not ready.requests_to(LIVE_CANDLES)


def test_the_live_sweep_state_is_left_alone(ready):
    from sources.models import Source

    backfill()
    assert "open" not in Source.objects.get(key="kalshi").state


def test_a_failed_window_stops_with_a_clear_message_and_keeps_earlier_windows(ready):
    # Windows of 13 weeks from 2025-12-01: February's markets are in the first, July's in the third.
    ready.queue(r"^/trade-api/v2/series/KXNETFLIXRANKSHOW/markets/", Reply(404, '{"error": "not found"}'))
    with pytest.raises(CommandError, match=f"(?s){JUL_WINNER} candlesticks: HTTP 404.*--since 2026-06-01"):
        backfill()
    assert set(Market.objects.values_list("series", flat=True)) == {"KXNETFLIXRANKSHOWGLOBAL"}
    assert hourly(FEB_WINNER) == HOURS
    assert FetchRun.objects.filter(status="failed").count() == 1


def test_a_settled_listing_that_is_not_json_fails_the_window(ready):
    ready.queue(r"^/trade-api/v2/historical/markets$", Reply(200, "<html>maintenance</html>"))
    with pytest.raises(CommandError, match="(?s)malformed response: .*not JSON.*--since 2025-12-01"):
        backfill()
    assert not Market.objects.exists() and not Snapshot.objects.exists()


def test_settled_markets_are_paged_by_cursor(ready):
    import json

    from sources.kalshi.fake import settled_open_event

    found = settled_open_event()["event"]["markets"]
    pages = [{"markets": found[:3], "cursor": "CgsIkp2"}, {"markets": found[3:], "cursor": ""}]
    ready.queue(r"^/trade-api/v2/markets$", *(Reply(200, json.dumps(p)) for p in pages))
    backfill()
    listed = [s.path for s in ready.requests_to(SETTLED)]
    assert "cursor=CgsIkp2" in listed[1]
    assert Market.objects.filter(series="KXNETFLIXRANKSHOW").count() == 4


def test_historical_candles_read_their_bare_dollar_strings():
    from sources.base import RawResponse
    from sources.kalshi.fake import historical_candlesticks
    from sources.kalshi.normalize import candle_snapshots

    body = historical_candlesticks({"ticker": FEB_WINNER}).body
    assert '"close": "0.6800"' in body and '"volume": "1840.00"' in body  # no _dollars / _fp names
    meta = {"kind": "candles", "series": "S", "ticker": FEB_WINNER, "interval": 60, "historical": True}
    items = candle_snapshots(RawResponse("GET", "http://kalshi.test/h", 200, body, datetime.now(UTC), meta))
    assert {(i.metric, i.observed_at.hour): i.value for i in items} == HOURS


@pytest.mark.parametrize(
    ("close_from", "close_until", "inside"),
    [
        ("2026-02-17", None, True),
        ("2026-02-01", "2026-02-17", False),  # until is exclusive
        ("2026-02-17", "2026-02-18", True),
        ("2026-02-18", None, False),
    ],
)
def test_a_market_belongs_to_the_window_its_close_day_falls_in(close_from, close_until, inside):
    from sources.kalshi.normalize import closes_in

    market = {"ticker": FEB_WINNER, "close_time": "2026-02-17T04:59:00Z"}
    assert closes_in(market, close_from, close_until) is inside
