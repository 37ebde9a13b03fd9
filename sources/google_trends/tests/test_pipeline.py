"""The Google Trends runner through the real pipeline against the fake upstream."""

import json
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest

from shows.services import watchlist_add
from sources.google_trends import client, fake
from sources.models import FetchRun, RawEvent, Snapshot, Source
from tests.fakeupstream import Reply, fixture_text

NOW = datetime(2021, 1, 6, 12, tzinfo=UTC)
TOKEN = "APP6_UEAAAAAZCFPLHz6xkRipufcZZNE92hnrJrQM4XT"  # the explore fixture's TIMESERIES token


@pytest.fixture(autouse=True)
def _no_pauses(settings):
    settings.GOOGLE_TRENDS_PAUSE_SECONDS = 0
    settings.GOOGLE_TRENDS_BACKOFF_SECONDS = 1
    settings.GOOGLE_TRENDS_MAX_WAIT_SECONDS = 10
    settings.GOOGLE_TRENDS_ANCHOR = "Netflix"


@pytest.fixture
def slept(monkeypatch):
    waits: list[float] = []
    monkeypatch.setattr(client, "_sleep", waits.append)
    return waits


@pytest.fixture
def run_trends(run_source, slept):
    return lambda **options: run_source("google_trends", now=NOW, **options)


def watch(n: int):
    return [watchlist_add(title=f"Show {k}", search_terms=[f"term {k}"])[0] for k in range(1, n + 1)]


def query(seen) -> dict:
    return {k: v[0] for k, v in parse_qs(urlsplit(seen.path).query).items()}


def sent(fake_upstream, route: str):
    """Requests to a fake route; seen paths carry the query string, so the route's "$" goes."""
    return fake_upstream.requests_to(route.removesuffix("$"))


def explored_terms(fake_upstream) -> list[list[str]]:
    return [
        [c["keyword"] for c in json.loads(query(s)["req"])["comparisonItem"]]
        for s in sent(fake_upstream, fake.EXPLORE)
    ]


def values(show) -> list[float]:
    return list(Snapshot.objects.filter(show=show).order_by("observed_at").values_list("value", flat=True))


def test_a_run_stores_daily_interest_on_the_anchor_scale(run_trends, fake_upstream):
    (show,) = watch(1)
    run = run_trends()
    assert run.status == FetchRun.Status.OK, run.error
    assert values(show) == [2.778, 2.778, 2.778, 1.389, 1.389]  # raw 2,2,2,1,1 / anchor mean 72
    row = Snapshot.objects.filter(show=show).earliest("observed_at")
    assert (row.metric, row.period, row.scope) == ("interest", "day", "US")
    assert explored_terms(fake_upstream) == [["Netflix", "term 1"]]
    (explore,) = sent(fake_upstream, fake.EXPLORE)
    assert explore.method == "POST"
    assert json.loads(query(explore)["req"])["comparisonItem"][0] == {
        "keyword": "Netflix",
        "time": "today 1-m",
        "geo": "US",
    }
    (multiline,) = sent(fake_upstream, fake.MULTILINE)
    assert query(multiline)["token"] == TOKEN
    # warm-up (Google's 404 page, tolerated), explore, multiline: all kept as raw events
    assert list(RawEvent.objects.filter(run=run).order_by("id").values_list("status", flat=True)) == [
        404,
        200,
        200,
    ]


def test_a_show_without_search_terms_is_searched_by_its_title(run_trends, fake_upstream):
    watchlist_add(title="Wednesday")
    assert run_trends().status == FetchRun.Status.OK
    assert explored_terms(fake_upstream) == [["Netflix", "Wednesday"]]


def test_rerun_changes_nothing(run_trends):
    watch(1)
    run_trends()
    before = list(Snapshot.objects.order_by("id").values_list("observed_at", "value"))
    second = run_trends()
    assert list(Snapshot.objects.order_by("id").values_list("observed_at", "value")) == before
    assert (second.created, second.updated, second.unchanged) == (0, 0, 5)


def test_seven_watched_shows_take_two_requests_each_with_the_anchor(run_trends, fake_upstream):
    shows = watch(7)
    fake_upstream.queue(fake.MULTILINE, fake.multiline(5), fake.multiline(4))
    run = run_trends()
    assert run.status == FetchRun.Status.OK, run.error
    assert explored_terms(fake_upstream) == [
        ["Netflix", "term 1", "term 2", "term 3", "term 4"],
        ["Netflix", "term 5", "term 6", "term 7"],
    ]
    assert len(sent(fake_upstream, fake.MULTILINE)) == 2
    assert Snapshot.objects.count() == 35
    # Same anchor series in both batches: the first term of each batch lands on the same scale.
    assert values(shows[0]) == values(shows[4]) == [2.778, 2.778, 2.778, 1.389, 1.389]


def test_the_hourly_watchlist_run_asks_for_hourly_points(run_trends, fake_upstream):
    watch(1)
    run = run_trends(watchlist_hourly=True)
    assert run.status == FetchRun.Status.OK, run.error
    (explore,) = sent(fake_upstream, fake.EXPLORE)
    assert json.loads(query(explore)["req"])["comparisonItem"][0]["time"] == "now 7-d"
    assert set(Snapshot.objects.values_list("period", flat=True)) == {"hour"}


def test_a_429_backs_off_with_jitter_then_succeeds(run_trends, fake_upstream, slept):
    watch(1)
    fake_upstream.queue(fake.EXPLORE, Reply(429, "<html>rate limited</html>", content_type="text/html"))
    run = run_trends()
    assert run.status == FetchRun.Status.OK, run.error
    assert len(slept) == 1 and 1 <= slept[0] <= 2  # 1 s back-off plus up to 1 s jitter
    assert RawEvent.objects.filter(run=run, status=429).count() == 1


def test_retry_after_is_honoured_within_the_budget(run_trends, fake_upstream, slept):
    watch(1)
    fake_upstream.queue(fake.MULTILINE, Reply(429, "", headers={"Retry-After": "7"}))
    assert run_trends().status == FetchRun.Status.OK
    assert slept == [7.0]


def test_endless_429s_fail_the_run_after_a_capped_total_wait(run_trends, fake_upstream, slept):
    watch(1)
    fake_upstream.route(fake.EXPLORE, Reply(429, "<html>rate limited</html>", content_type="text/html"))
    run = run_trends()
    assert run.status == FetchRun.Status.FAILED
    assert "throttled (HTTP 429)" in run.error and "next scheduled run" in run.error
    assert sum(slept) <= 10
    assert len(sent(fake_upstream, fake.EXPLORE)) == len(slept) + 1
    assert Snapshot.objects.count() == 0


def test_throttling_in_a_later_batch_keeps_the_first_and_makes_a_partial_run(run_trends, fake_upstream):
    watch(5)
    fake_upstream.queue(fake.MULTILINE, fake.multiline(5))
    fake_upstream.queue(fake.EXPLORE, Reply(200, fixture_text("google_trends/explore_widgets.raw.txt")))
    fake_upstream.route(fake.EXPLORE, Reply(429, ""))
    run = run_trends()
    assert run.status == FetchRun.Status.PARTIAL
    assert run.error.startswith("batch 2 (term 5): Google Trends throttled")
    assert Snapshot.objects.count() == 20


def test_an_html_page_instead_of_json_fails_the_run_with_a_clear_error(run_trends, fake_upstream):
    watch(1)
    fake_upstream.route(fake.EXPLORE, fake.not_found_page())
    run = run_trends()
    assert run.status == FetchRun.Status.FAILED
    assert "explore HTTP 404" in run.error
    fake_upstream.route(fake.EXPLORE, Reply(200, fixture_text("google_trends/error_404_google.html")))
    run = run_trends()
    assert run.status == FetchRun.Status.FAILED
    assert "explore: body is not JSON" in run.error


def test_a_changed_answer_shape_fails_the_run_and_keeps_stored_rows(run_trends, fake_upstream):
    watch(1)
    run_trends()
    before = list(Snapshot.objects.values_list("value", flat=True))
    fake_upstream.queue(fake.MULTILINE, fake.multiline(3))
    run = run_trends()
    assert run.status == FetchRun.Status.FAILED
    assert "3 values" in run.error and "expected 2" in run.error
    assert list(Snapshot.objects.values_list("value", flat=True)) == before


def test_no_watched_shows_is_a_skipped_run_without_requests_that_is_no_success(run_trends, fake_upstream):
    run = run_trends()
    assert run.status == FetchRun.Status.SKIPPED and "nothing to fetch" in run.error
    assert not fake_upstream.seen
    assert Source.objects.get(key="google_trends").last_success_at is None
