"""What a market settles on, parsed from the rules texts of the Kalshi fixtures."""

import json
from datetime import UTC, date, datetime

import pytest

from forecasts.markets.settlement import settles_on
from tests.fakeupstream import fixture_text


def fixture_market(name: str, ticker: str) -> dict:
    data = json.loads(fixture_text(f"kalshi/{name}"))
    markets = data.get("markets") or data["event"]["markets"]
    return next(m for m in markets if m["ticker"] == ticker)


def parse(market: dict, rules: str | None = None):
    close = datetime.fromisoformat(market["close_time"]).astimezone(UTC)
    return settles_on(rules=market["rules_primary"] if rules is None else rules, close_time=close)


@pytest.fixture
def us_market():
    return fixture_market("markets_KXNETFLIXRANKSHOW_open.json", "KXNETFLIXRANKSHOW-26JUL20-LIT")


def test_a_us_tv_market_settles_on_the_us_tv_list_of_its_week_published_the_tuesday_after(us_market):
    got = parse(us_market)
    assert got.parsed and not got.problem and not got.caveat
    assert (got.list, got.rank, got.views_at_least) == ("US TV", 1, None)
    assert (got.week_start, got.week_end) == (date(2026, 7, 13), date(2026, 7, 19))
    assert got.published_on == date(2026, 7, 21) and got.published_on.weekday() == 1
    assert got.close_time == datetime(2026, 7, 21, 3, 59, tzinfo=UTC)  # Monday 23:59 EDT


def test_the_api_form_names_every_field(us_market):
    api = parse(us_market).as_api()
    assert {
        "list",
        "rank",
        "viewsAtLeast",
        "weekStart",
        "weekEnd",
        "publishedOn",
        "closeTime",
        "parsed",
    } <= set(api)


def test_a_global_market_reads_as_the_english_list_and_says_the_rules_name_no_language():
    market = fixture_market(
        "event_KXNETFLIXRANKSHOWGLOBAL-26FEB16.settled.json", "KXNETFLIXRANKSHOWGLOBAL-26FEB16-THE"
    )
    got = parse(market)
    assert got.parsed and (got.list, got.rank) == ("TV (English)", 1)
    assert (got.week_start, got.week_end, got.published_on) == (
        date(2026, 2, 9),
        date(2026, 2, 15),
        date(2026, 2, 17),
    )
    assert "without a language" in got.caveat


@pytest.mark.parametrize(
    "phrase, list_name",
    [
        ("Netflix's Global Top 10 TV (Non-English) list", "TV (Non-English)"),
        ("Netflix's Global Top 10 Films (English) list", "Films (English)"),
        ("Netflix's United States Top 10 Films list", "US Films"),
    ],
)
def test_the_list_named_in_the_rules_wins(us_market, phrase, list_name):
    rules = us_market["rules_primary"].replace("Netflix's United States Top 10 TV list", phrase)
    assert parse(us_market, rules).list == list_name


def test_a_runner_up_market_reads_rank_two(us_market):
    rules = us_market["rules_primary"].replace("ranked #1", "ranked #2")
    assert parse(us_market, rules).rank == 2


def test_a_views_market_reads_its_threshold_and_the_publication_day(us_market):
    # The wording of the views markets' rules is not in any fixture; this is the issue's paraphrase
    # of them ("the #1 show has at least N million views on the chart published on …").
    rules = (
        "If the #1 show on Netflix's Global Top 10 TV (English) list has at least 25 million views "
        "on the chart published on Jul 21, 2026, then the market resolves to Yes."
    )
    got = parse(us_market, rules)
    assert got.parsed and (got.list, got.rank, got.views_at_least) == ("TV (English)", 1, 25_000_000)
    assert (got.week_start, got.week_end, got.published_on) == (
        date(2026, 7, 13),
        date(2026, 7, 19),
        date(2026, 7, 21),
    )


@pytest.mark.parametrize(
    "rules, problem",
    [
        ("", "no rules text"),
        (None, "Netflix Top 10 list"),  # the legacy Elon Musk market: not about Netflix at all
        ("week of Jul 14, 2026 - Jul 20, 2026", "not a Monday–Sunday week"),
        ("for the week of Jul 13, 2026 - Jul 19, 2026", None),
        ("is in the Top 10 on", "no rank"),
    ],
)
def test_rules_that_cannot_be_parsed_say_so_instead_of_guessing(us_market, rules, problem):
    if rules is None:
        market = json.loads(fixture_text("kalshi/legacy_market_cents_schema.json"))
        got = parse(market)
    elif rules.startswith("week of"):
        got = parse(
            us_market, us_market["rules_primary"].replace("week of Jul 13, 2026 - Jul 19, 2026", rules)
        )
    elif rules.startswith("for the week"):
        got = parse(us_market, us_market["rules_primary"].replace(rules, "this week"))
        problem = "no week"
    elif rules:
        got = parse(us_market, us_market["rules_primary"].replace("is ranked #1 on", rules))
    else:
        got = parse(us_market, rules)
    assert not got.parsed and problem in got.problem
    assert got.list is None and got.week_end is None and got.published_on is None
    assert got.close_time is not None  # the close time is the market's own, known either way
