"""`manage.py backfill google_trends`: daily interest since the first Tudum week, through the pipeline."""

import json
from datetime import date, timedelta
from io import StringIO
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from shows.services import watchlist_add
from sources.google_trends import client, fake
from sources.google_trends.runner import GoogleTrendsRunner
from sources.models import FetchRun, Snapshot
from sources.pipeline.backfill import per_show_sources
from tests.fakeupstream import Reply

START = GoogleTrendsRunner.backfill_start


@pytest.fixture(autouse=True)
def _no_pauses(monkeypatch, settings):
    settings.GOOGLE_TRENDS_PAUSE_SECONDS = 0
    settings.GOOGLE_TRENDS_BACKOFF_SECONDS = 1
    settings.GOOGLE_TRENDS_MAX_WAIT_SECONDS = 10
    settings.GOOGLE_TRENDS_ANCHOR = "Netflix"
    monkeypatch.setattr(client, "_sleep", lambda seconds: None)


@pytest.fixture
def ready(fake_upstream, sources_ready, redis_conn):
    return fake_upstream


def backfill(*args) -> str:
    out = StringIO()
    call_command("backfill", "google_trends", *args, stdout=out)
    return out.getvalue()


def watch(n: int):
    return [watchlist_add(title=f"Show {k}", search_terms=[f"term {k}"])[0] for k in range(1, n + 1)]


def days(show) -> list[date]:
    rows = Snapshot.objects.filter(show=show, source__key="google_trends")
    return sorted(rows.values_list("observed_at__date", flat=True))


def explored(fake_upstream) -> list[dict]:
    """The comparison items of every explore request, in order."""
    seen = fake_upstream.requests_to(fake.EXPLORE.removesuffix("$"))
    return [json.loads(parse_qs(urlsplit(s.path).query)["req"][0])["comparisonItem"] for s in seen]


def test_backfill_stores_one_daily_value_per_day_since_the_first_tudum_week(ready):
    (show,) = watch(1)
    output = backfill()
    today = timezone.now().date()
    assert days(show) == [START + timedelta(days=n) for n in range((today - START).days + 1)]
    row = Snapshot.objects.filter(show=show).earliest("observed_at")
    assert (row.metric, row.period, row.scope) == ("interest", "day", "US")  # as the scheduled runs
    assert (row.value, row.attrs["anchor"]) == (2.778, "Netflix")  # raw 2 on the anchor's mean 72
    # Every window is one request of 180 days at most, with the anchor first.
    windows = [items[0]["time"] for items in explored(ready)]
    assert windows[:2] == ["2021-07-01 2021-12-27", "2021-12-28 2022-06-25"]
    assert windows[-1].endswith(f" {today}")
    assert all([i["keyword"] for i in items] == ["Netflix", "term 1"] for items in explored(ready))
    assert "100%" in output and f"backfilled {len(days(show))} values" in output


def test_a_second_backfill_adds_nothing(ready):
    (show,) = watch(1)
    backfill()
    stored = Snapshot.objects.count()
    again = backfill()
    assert Snapshot.objects.count() == stored
    assert f"0 new, 0 updated, {stored} unchanged" in again


def test_backfill_of_one_show_asks_and_stores_only_that_show(ready):
    first, second = watch(2)
    output = backfill("--show", str(second.id), "--since", "2026-01-01")
    assert set(Snapshot.objects.values_list("show_id", flat=True)) == {second.id}
    assert days(second)[0] == date(2026, 1, 1)
    assert {tuple(i["keyword"] for i in items) for items in explored(ready)} == {("Netflix", "term 2")}
    assert "100%" in output


def test_a_failed_window_stops_the_backfill_and_keeps_the_windows_before_it(ready):
    (show,) = watch(1)
    first_window = fake.timeline_for(START, date(2021, 12, 27), columns=2)
    changed_shape = Reply(200, ')]}\',\n{"default": {}}', content_type=fake.JS)
    ready.queue(fake.MULTILINE, first_window, changed_shape)
    with pytest.raises(CommandError, match="(?s)no default.timelineData.*--since 2021-12-28"):
        backfill()
    assert days(show) == [START + timedelta(days=n) for n in range(180)]
    assert FetchRun.objects.filter(status="failed").count() == 1


def test_one_failed_batch_fails_its_window_rather_than_leaving_a_gap(ready):
    watch(5)  # two requests per window: the anchor and four terms, then the anchor and the fifth
    first_batch = fake.timeline_for(START, date(2021, 12, 27), columns=5)
    changed_shape = Reply(200, ')]}\',\n{"default": {}}', content_type=fake.JS)
    ready.queue(fake.MULTILINE, first_batch, changed_shape)
    with pytest.raises(CommandError, match="(?s)a Google Trends batch failed: batch 2 .*--since 2021-07-01"):
        backfill()
    assert not Snapshot.objects.exists()


def test_windows_too_long_for_daily_values_fail_instead_of_storing_weeks_as_days(ready):
    watch(1)
    with pytest.raises(CommandError, match="points 7 days apart for 2021-07-01 2022-06-30.*daily values"):
        backfill("--chunk-days", "365")
    assert not Snapshot.objects.exists()


def test_a_newly_watched_show_gets_its_trends_history_too(db):
    assert "google_trends" in per_show_sources()
