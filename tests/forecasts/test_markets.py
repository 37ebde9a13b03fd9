"""Which list, rank and week a rank market is compared on: its rules first, the tickers for rules
that cannot be read."""

import json
from datetime import UTC, date, datetime

from forecasts.markets.targets import Target, market_target
from tests.fakeupstream import fixture_text

LIT = json.loads(fixture_text("kalshi/markets_KXNETFLIXRANKSHOW_open.json"))["markets"][0]
CLOSE = datetime(2026, 7, 21, 3, 59, tzinfo=UTC)


def target(rules: str, series: str = "KXNETFLIXRANKSHOW"):
    return market_target(series=series, event_ticker=LIT["event_ticker"], rules=rules, close_time=CLOSE)


def test_the_fixture_rules_give_the_us_tv_list_rank_one_and_the_week():
    assert target(LIT["rules_primary"]) == Target("US TV", 1, date(2026, 7, 19))


def test_the_rules_win_over_the_series_name():
    rules = LIT["rules_primary"].replace("ranked #1", "ranked #2")
    assert target(rules, series="KXNETFLIXRANKSHOW") == Target("US TV", 2, date(2026, 7, 19))


def test_rules_that_cannot_be_read_fall_back_to_the_series_and_event_ticker():
    assert target("") == Target("US TV", 1, date(2026, 7, 19))


def test_markets_of_other_series_are_not_rank_markets():
    assert target(LIT["rules_primary"], series="KXNETFLIXTOPVIEWSTV") is None
