"""The series' fee schedule and fee changes, read with the series and kept on each market."""

import json
from datetime import UTC, datetime

import pytest

from sources.kalshi.models import Market
from tests.fakeupstream import Reply

LIT = "KXNETFLIXRANKSHOW-26JUL20-LIT"
NOW = datetime(2026, 7, 17, 14, 30, 27, tzinfo=UTC)
FEE_CHANGES = r"^/trade-api/v2/series/fee_changes"


@pytest.fixture(autouse=True)
def _one_series(settings):
    settings.KALSHI_SERIES = ["KXNETFLIXRANKSHOW"]


def test_each_market_keeps_its_series_fee_schedule_and_fee_changes(run_source, fake_upstream):
    change = {
        "id": "91b3a604-1798-4dc8-9831-5ecccf5e0758",
        "series_ticker": "KXNETFLIXRANKSHOW",
        "fee_type": "quadratic",
        "fee_multiplier": 0.5,
        "scheduled_ts": "2026-07-03T17:00:00Z",
    }
    fake_upstream.queue(FEE_CHANGES, Reply(200, json.dumps({"series_fee_change_arr": [change]})))
    run = run_source("kalshi", now=NOW)
    assert run.status == "ok", run.error
    asked = fake_upstream.requests_to(FEE_CHANGES + r"\?")[0].path
    assert "series_ticker=KXNETFLIXRANKSHOW" in asked and "show_historical=true" in asked
    # fee_type and fee_multiplier from the series fixture; the change as read.
    keys = {tuple(sorted(m.fee_schedule)) for m in Market.objects.all()}
    assert keys == {("changes", "multiplier", "type")}
    assert Market.objects.get(ticker=LIT).fee_schedule == {
        "type": "quadratic",
        "multiplier": 1,
        "changes": [{"type": "quadratic", "multiplier": 0.5, "scheduledTs": "2026-07-03T17:00:00Z"}],
    }


def test_unreadable_fee_changes_keep_the_series_schedule(run_source, fake_upstream):
    fake_upstream.queue(FEE_CHANGES, Reply(404, json.dumps({"error": {"code": "not_found"}})))
    run = run_source("kalshi", now=NOW)
    assert run.status == "partial" and "fee changes: HTTP 404" in run.error
    kept = Market.objects.get(ticker=LIT).fee_schedule
    assert kept == {"type": "quadratic", "multiplier": 1, "changes": None}
