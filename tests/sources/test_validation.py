"""Values are checked against their metric's range where they enter the store: real fixtures made bad."""

import json
import math
from datetime import UTC, datetime, timedelta

import pytest

from shows.services import watchlist_add
from sources.base import RawResponse, SnapshotIn
from sources.kalshi.normalize import normalize as kalshi_normalize
from sources.models import FetchRun, Snapshot, Source
from sources.pipeline import runs as pipeline
from sources.pipeline.validation import range_of, snapshots_checked
from tests.fakeupstream import Reply, fixture_text

KALSHI_NOW = datetime(2026, 7, 17, 14, 30, tzinfo=UTC)
MARKETS = r"^/trade-api/v2/markets$"
LIT = "KXNETFLIXRANKSHOW-26JUL20-LIT"
WIKI_NOW = datetime(2025, 8, 11, 12, tzinfo=UTC)
WIKI = r"/per-article/en\.wikipedia/all-access/user/"


def kalshi_markets(**changes) -> str:
    """The real open-markets page with fields of the LIT market changed."""
    page = json.loads(fixture_text("kalshi/markets_KXNETFLIXRANKSHOW_open.json"))
    for market in page["markets"]:
        if market["ticker"] == LIT:
            market.update(changes)
    return json.dumps(page)


def kalshi_page(body: str) -> RawResponse:
    meta = {"kind": "markets", "series": "KXNETFLIXRANKSHOW", "observed_at": KALSHI_NOW.isoformat()}
    return RawResponse("GET", "https://kalshi/markets", 200, body, KALSHI_NOW, meta)


def item(metric: str, value: float) -> SnapshotIn:
    return SnapshotIn(metric=metric, period="instant", observed_at=KALSHI_NOW, value=value, scope="T")


@pytest.mark.parametrize("price", ["NaN", "-5", "inf", "1.5"])
def test_a_kalshi_price_outside_zero_to_one_dollar_is_refused_and_the_others_kept(price):
    items = kalshi_normalize([kalshi_page(kalshi_markets(last_price_dollars=price))])
    valid, errors = snapshots_checked(source_key="kalshi", items=items)
    assert len(valid) == len(items) - 1
    assert not any(i.scope == LIT and i.metric == "last_price" for i in valid)
    assert len(errors) == 1 and f"last_price of {LIT}" in errors[0] and "1 value(s) refused" in errors[0]


def test_a_negative_count_is_refused():
    items = kalshi_normalize([kalshi_page(kalshi_markets(volume_fp="-3.00"))])
    valid, errors = snapshots_checked(source_key="kalshi", items=items)
    assert "volume" in errors[0] and "outside [0, 1e+10]" in errors[0]
    assert len(valid) == len(items) - 1


def test_every_fixture_value_of_the_real_pages_is_in_range():
    items = kalshi_normalize([kalshi_page(fixture_text("kalshi/markets_KXNETFLIXRANKSHOW_open.json"))])
    assert snapshots_checked(source_key="kalshi", items=items) == (items, [])


@pytest.mark.parametrize(
    ("source", "metric", "value", "ok"),
    [
        ("tudum", "rank", 10, True),
        ("tudum", "rank", 11, False),
        ("tudum", "rank", 2.5, False),
        ("tudum", "views_first_91_days", 325100000, True),
        ("flixpatrol", "rank", 0, False),
        ("reddit", "score", -12, True),
        ("reddit", "comments", -1, False),
        ("wikipedia", "pageviews", math.nan, False),
        ("google_trends", "interest", 250.0, True),  # above the anchor's mean
        ("wikipedia", "no_such_metric", 1, False),
    ],
)
def test_each_metric_has_its_range(source, metric, value, ok):
    valid, errors = snapshots_checked(source_key=source, items=[item(metric, value)])
    assert bool(valid) is ok and bool(errors) is not ok


def test_every_source_of_the_registry_has_ranges():
    from sources import registry

    assert all(spec.metrics for spec in registry.specs().values())
    assert range_of("x", "post_count") is not None


def test_a_long_list_of_refused_values_names_a_few_and_counts_the_rest():
    _, errors = snapshots_checked(source_key="x", items=[item("post_count", -1)] * 12)
    assert errors[0].startswith("12 value(s) refused") and errors[0].endswith("and 7 more")


@pytest.fixture
def run_kalshi(fake_upstream, sources_ready, redis_conn, settings, django_capture_on_commit_callbacks):
    settings.KALSHI_SERIES = ["KXNETFLIXRANKSHOW"]

    def run(now=KALSHI_NOW):
        with django_capture_on_commit_callbacks(execute=True):
            return pipeline.run("kalshi", now=now)

    return run


def test_nan_prices_are_a_partial_run_that_stores_none_of_them_and_the_api_stays_json(
    run_kalshi, fake_upstream, admin_client
):
    page = json.loads(fixture_text("kalshi/markets_KXNETFLIXRANKSHOW_open.json"))
    for market in page["markets"]:
        market["yes_bid_dollars"] = "NaN"
    fake_upstream.queue(MARKETS, Reply(200, json.dumps(page)))
    run = run_kalshi()
    assert run.status == FetchRun.Status.PARTIAL
    assert "4 value(s) refused" in run.error and "nan is not finite" in run.error
    assert not Snapshot.objects.filter(metric="yes_bid").exists()
    assert Snapshot.objects.filter(metric="last_price").count() == 4
    source = Source.objects.get(key="kalshi")
    assert "NaN" not in json.dumps(source.latest_payload)
    answer = admin_client.get("/api/snapshots", {"source": "kalshi"})
    assert answer.status_code == 200
    body = b"".join(answer.streaming_content)
    rows = json.loads(body, parse_constant=pytest.fail)  # a literal NaN is not JSON
    assert b"NaN" not in body and rows


def test_a_price_of_minus_five_never_replaces_the_stored_price(run_kalshi, fake_upstream):
    run_kalshi()
    stored = Snapshot.objects.get(scope=LIT, metric="last_price").value
    fake_upstream.queue(MARKETS, Reply(200, kalshi_markets(last_price_dollars="-5")))
    run = run_kalshi(KALSHI_NOW + timedelta(minutes=15))
    assert run.status == FetchRun.Status.PARTIAL and "-5.0 is outside [0, 1]" in run.error
    assert list(Snapshot.objects.filter(scope=LIT, metric="last_price").values_list("value", flat=True)) == [
        stored
    ]


def test_a_run_whose_every_value_is_refused_fails_and_keeps_its_state(run_kalshi, fake_upstream):
    page = json.loads(fixture_text("kalshi/markets_KXNETFLIXRANKSHOW_open.json"))
    for market in page["markets"]:
        for name in ("yes_bid_dollars", "yes_ask_dollars", "last_price_dollars"):
            market[name] = "NaN"
        market["volume_fp"] = market["open_interest_fp"] = "-1"
    fake_upstream.queue(MARKETS, Reply(200, json.dumps(page)))
    run = run_kalshi()
    assert run.status == FetchRun.Status.FAILED and run.error.startswith("nothing stored: 20 value(s)")
    source = Source.objects.get(key="kalshi")
    assert source.last_success_at is None and source.state == {}


@pytest.fixture
def run_wikipedia(fake_upstream, sources_ready, redis_conn, settings, django_capture_on_commit_callbacks):
    settings.WIKIPEDIA_DAYS = 10

    def run():
        with django_capture_on_commit_callbacks(execute=True):
            return pipeline.run("wikipedia", now=WIKI_NOW)

    return run


def stored_views():
    return sorted(Snapshot.objects.filter(source__key="wikipedia").values_list("observed_at", "value"))


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ('{"items": []}', "the answer holds no day"),
        (fixture_text("wikipedia/per_article_daily.json")[:700], "not JSON"),  # cut off mid-body
    ],
)
def test_an_empty_or_cut_off_wikipedia_answer_fails_and_changes_no_stored_day(
    run_wikipedia, fake_upstream, body, says
):
    watchlist_add(title="Wednesday", wikipedia="Wednesday_(TV_series)")
    run_wikipedia()
    before = stored_views()
    assert len(before) == 10 and all(v > 0 for _, v in before)
    fake_upstream.queue(WIKI, Reply(200, body))
    run = run_wikipedia()
    assert run.status == FetchRun.Status.FAILED and says in run.error
    assert stored_views() == before


def test_a_short_wikipedia_answer_is_partial_and_keeps_the_days_it_lacks(run_wikipedia, fake_upstream):
    watchlist_add(title="Wednesday", wikipedia="Wednesday_(TV_series)")
    run_wikipedia()
    before = stored_views()
    page = json.loads(fixture_text("wikipedia/per_article_daily.json"))
    # Asked from 2025-08-01, it starts on 08-02 and stops on 08-05: it proves nothing after 08-05 (an
    # answer from the window's first day would prove its omitted days 0, sources/wikipedia/normalize.py).
    page["items"] = page["items"][1:5]
    fake_upstream.queue(WIKI, Reply(200, json.dumps(page)))
    run = run_wikipedia()
    assert run.status == FetchRun.Status.PARTIAL and "stops at 2025-08-05" in run.error
    assert stored_views() == before


def test_one_empty_article_among_two_is_a_partial_run(run_wikipedia, fake_upstream):
    watchlist_add(title="Wednesday", wikipedia="Wednesday_(TV_series)")
    watchlist_add(title="Squid Game", wikipedia="Squid_Game")
    fake_upstream.queue(r"/per-article/.*/Squid_Game/", Reply(200, '{"items": []}'))
    run = run_wikipedia()
    assert run.status == FetchRun.Status.PARTIAL and "Squid_Game: the answer holds no day" in run.error
    assert not Snapshot.objects.filter(attrs__article="Squid_Game").exists()
    assert Snapshot.objects.filter(attrs__article="Wednesday_(TV_series)").count() == 10
