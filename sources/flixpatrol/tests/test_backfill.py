"""FlixPatrol's history (`manage.py backfill flixpatrol`) and the live read of today's chart, through the
real pipeline against dated chart pages built from the fixture pages."""

import json
from datetime import UTC, date, datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from sources.base import FetchContext
from sources.flixpatrol import fake
from sources.flixpatrol.runner import chart_days
from sources.models import FetchRun, Snapshot, SnapshotRevision, Source
from tests.fakeupstream import Reply

PER_DAY = 16  # world: 6 ranks + 6 points; US: 4 ranks
ANY_PAGE = r"^/top10/netflix/"
# Monday 2025-08-04, 23:30 in New York: already Tuesday in UTC, half an hour before Kalshi's close.
MONDAY_NIGHT = datetime(2025, 8, 5, 3, 30, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _one_country_no_pause(settings):
    settings.FLIXPATROL_COUNTRIES = (("US", "united-states"),)
    settings.FLIXPATROL_PAGE_DELAY_SECONDS = 0
    settings.FLIXPATROL_BACKEND = "http"
    settings.HTTP_RETRIES = 0  # a 500 is the answer under test, not something to wait out


@pytest.fixture
def ready(fake_upstream, sources_ready, redis_conn):
    return fake_upstream


def backfill(*args) -> str:
    out = StringIO()
    call_command("backfill", "flixpatrol", *args, stdout=out)
    return out.getvalue()


def stored_days() -> set[date]:
    return {d.date() for d in Snapshot.objects.values_list("observed_at", flat=True)}


def test_backfill_stores_each_days_charts_under_that_day(ready):
    output = backfill("--since", "2025-08-01", "--until", "2025-08-03")
    assert Snapshot.objects.count() == 3 * PER_DAY
    assert stored_days() == {date(2025, 8, 1), date(2025, 8, 2), date(2025, 8, 3)}
    assert [r.path for r in ready.requests_to(ANY_PAGE)] == [
        f"/top10/netflix/{slug}/2025-08-0{d}/" for d in (1, 2, 3) for slug in ("world", "united-states")
    ]
    # One recorded pipeline run and one progress line per day.
    assert FetchRun.objects.filter(status="ok").count() == 3
    assert "[########################] 100% 3/3 2025-08-03 … 2025-08-03: ok, 16 values" in output
    assert f"backfilled {3 * PER_DAY} values" in output
    # The shape the forecasts read: rank/points per day at midnight UTC, the list in attrs.
    row = Snapshot.objects.get(show__title="Wednesday", metric="points", observed_at__date=date(2025, 8, 2))
    assert (row.source.key, row.period, row.scope, row.value) == ("flixpatrol", "day", "world", 901)
    assert row.observed_at == datetime(2025, 8, 2, tzinfo=UTC) and row.attrs["list"] == "tv"


def test_a_second_backfill_adds_nothing(ready):
    backfill("--since", "2025-08-01", "--until", "2025-08-03")
    again = backfill("--since", "2025-08-01", "--until", "2025-08-03")
    assert Snapshot.objects.count() == 3 * PER_DAY
    assert f"0 new, 0 updated, {3 * PER_DAY} unchanged" in again


def test_a_day_answered_500_stops_the_backfill_naming_it_and_the_resumed_run_completes(ready):
    ready.queue(r"^/top10/netflix/united-states/2025-08-02/$", Reply(500, "Internal Server Error"))
    with pytest.raises(CommandError) as failed:
        backfill("--since", "2025-08-01", "--until", "2025-08-03")
    message = str(failed.value)
    assert (
        "window from 2025-08-02 failed" in message and "US: markup changed or blocked (HTTP 500)" in message
    )
    assert message.endswith("Windows before it are stored; go on with: --since 2025-08-02 --until 2025-08-03")
    # The failed day stores nothing, not even its world chart: a half day would be a silent gap.
    assert stored_days() == {date(2025, 8, 1)}

    output = backfill("--since", "2025-08-02", "--until", "2025-08-03")
    assert stored_days() == {date(2025, 8, 1), date(2025, 8, 2), date(2025, 8, 3)}
    assert Snapshot.objects.count() == 3 * PER_DAY
    assert "2/2" in output and f"{2 * PER_DAY} new" in output


def test_a_first_day_behind_cloudflare_says_nothing_was_stored(ready):
    ready.queue(r"^/top10/netflix/world/2025-08-01/$", fake.challenge())
    with pytest.raises(CommandError) as failed:
        backfill("--since", "2025-08-01", "--until", "2025-08-02")
    message = str(failed.value)
    assert "Cloudflare challenge page, HTTP 403" in message
    assert message.endswith("Nothing was stored yet; go on with: --since 2025-08-01 --until 2025-08-02")
    assert not Snapshot.objects.exists()


def test_a_page_showing_another_day_is_refused_in_a_backfill(ready):
    ready.queue(r"^/top10/netflix/world/2025-08-02/$", fake.dated_page(fake.WORLD, date(2025, 8, 1)))
    with pytest.raises(CommandError, match="the page shows the chart of 2025-08-01, not 2025-08-02"):
        backfill("--since", "2025-08-01", "--until", "2025-08-02")
    assert stored_days() == {date(2025, 8, 1)}


def test_longer_windows_read_each_of_their_days_and_end_at_until(ready):
    output = backfill("--since", "2025-08-01", "--until", "2025-08-03", "--chunk-days", "2")
    assert stored_days() == {date(2025, 8, 1), date(2025, 8, 2), date(2025, 8, 3)}
    assert len(ready.requests_to(ANY_PAGE)) == 6
    assert "1/2 2025-08-01 … 2025-08-02: ok, 32 values" in output
    assert "2/2 2025-08-03 … 2025-08-03: ok, 16 values" in output


def test_a_backfill_without_until_stops_at_new_yorks_yesterday(ready, monkeypatch):
    # Monday 23:30 in New York is Tuesday in UTC, where the windows end: Monday's chart is still today's.
    monkeypatch.setattr(timezone, "now", lambda: MONDAY_NIGHT)
    output = backfill("--since", "2025-08-02")
    assert stored_days() == {date(2025, 8, 2), date(2025, 8, 3)}
    assert not ready.requests_to(r"/2025-08-0[45]/$")
    assert "100%" in output and f"backfilled {2 * PER_DAY} values" in output


def test_until_before_since_is_refused(ready):
    with pytest.raises(CommandError, match="--until 2025-08-01 is before --since 2025-08-03"):
        backfill("--since", "2025-08-03", "--until", "2025-08-01")


def context(now: datetime, **options) -> FetchContext:
    return FetchContext(base_url="", shows=[], now=now, options=options)


def test_backfill_windows_pick_their_days_and_the_open_one_stops_at_yesterday():
    assert chart_days(context(MONDAY_NIGHT, backfill=True, since="2025-08-02", until="2025-08-03")) == [
        date(2025, 8, 2)
    ]
    # The open last window: complete charts only, up to New York's yesterday (Sunday 08-03).
    assert chart_days(context(MONDAY_NIGHT, backfill=True, since="2025-08-02", until=None)) == [
        date(2025, 8, 2),
        date(2025, 8, 3),
    ]
    assert chart_days(context(MONDAY_NIGHT, backfill=True, since="2025-08-05", until=None)) == []
    assert chart_days(context(MONDAY_NIGHT)) == [date(2025, 8, 3)]
    assert chart_days(context(MONDAY_NIGHT, today=True)) == [date(2025, 8, 4)]


def test_the_live_today_read_stores_the_current_new_york_days_chart(run_source, fake_upstream):
    run = run_source("flixpatrol", now=MONDAY_NIGHT, today=True)
    assert run.status == FetchRun.Status.OK, run.error
    assert [r.path for r in fake_upstream.requests_to(ANY_PAGE)] == [
        "/top10/netflix/world/2025-08-04/",
        "/top10/netflix/united-states/2025-08-04/",
    ]
    assert run.created == PER_DAY
    assert set(Snapshot.objects.values_list("observed_at", flat=True)) == {datetime(2025, 8, 4, tzinfo=UTC)}


def test_re_reading_today_updates_values_in_place_and_keeps_the_old_one(run_source, fake_upstream):
    run_source("flixpatrol", now=MONDAY_NIGHT, today=True)
    later = fake.dated_html(fake.WORLD, date(2025, 8, 4)).replace(">901<", ">950<")
    fake_upstream.queue(r"^/top10/netflix/world/2025-08-04/$", Reply(200, later, content_type="text/html"))
    again = run_source("flixpatrol", now=MONDAY_NIGHT, today=True)
    assert (again.created, again.updated, again.unchanged) == (0, 1, PER_DAY - 1)
    row = Snapshot.objects.get(show__title="Wednesday", metric="points")
    assert row.value == 950
    assert list(SnapshotRevision.objects.filter(snapshot=row).values_list("value", flat=True)) == [901]
    assert Snapshot.objects.count() == PER_DAY


def test_todays_chart_not_out_yet_stores_nothing_under_today(run_source, fake_upstream):
    # FlixPatrol answers with the previous day's chart (world) or 404 (country) until the day is out.
    fake_upstream.queue(r"^/top10/netflix/world/2025-08-04/$", fake.dated_page(fake.WORLD, date(2025, 8, 3)))
    fake_upstream.queue(r"^/top10/netflix/united-states/2025-08-04/$", Reply(404, "Not Found"))
    run = run_source("flixpatrol", now=MONDAY_NIGHT, today=True)
    assert run.status == FetchRun.Status.FAILED
    assert "the page shows the chart of 2025-08-03, not 2025-08-04 (not out yet?)" in run.error
    assert not Snapshot.objects.exists()


def test_sundays_country_list_still_served_on_monday_is_not_stored_as_mondays(run_source, fake_upstream):
    def stored():
        return sorted(Snapshot.objects.values_list("scope", "metric", "show_id", "observed_at", "value"))

    assert run_source("flixpatrol", now=MONDAY_NIGHT, date="2025-08-03").status == FetchRun.Status.OK
    sunday = stored()
    # Monday's pages before Monday is out: the world page says Sunday; the US page, which names no
    # day, is Sunday's list again.
    fake_upstream.queue(r"^/top10/netflix/world/2025-08-04/$", fake.dated_page(fake.WORLD, date(2025, 8, 3)))
    run = run_source("flixpatrol", now=MONDAY_NIGHT, today=True)
    assert run.status == FetchRun.Status.FAILED and run.error.startswith("temporary:")
    assert (
        "US: the page names no day and this run's world page does not show the chart of 2025-08-04:"
        " it may be an earlier day's list (not out yet?)"
    ) in run.error
    assert stored() == sunday


WEDNESDAY = '<a href="/title/wednesday-2022/" class="hover:underline">Wednesday</a>'
UNTAMED = '<a href="/title/untamed-2025/" class="hover:underline">Untamed</a>'


def monday_us_list(reply: Reply) -> Reply:
    """The US page with Wednesday (1.) and Untamed (2.) swapped: a list that changed since Sunday."""
    swapped = reply.body.replace(WEDNESDAY, "@").replace(UNTAMED, WEDNESDAY).replace("@", UNTAMED)
    return Reply(200, swapped, content_type="text/html")


def test_a_country_page_repeating_the_day_befores_lists_is_refused_while_today_is_read(
    run_source, fake_upstream
):
    assert run_source("flixpatrol", now=MONDAY_NIGHT, date="2025-08-03").status == FetchRun.Status.OK
    monday = datetime(2025, 8, 4, tzinfo=UTC)
    # The world page shows Monday; the US page, which names no day, still holds Sunday's lists.
    run = run_source("flixpatrol", now=MONDAY_NIGHT, today=True)
    assert run.status == FetchRun.Status.PARTIAL
    assert run.error == (
        "US: both lists are, title for title, the ones stored for 2025-08-03: not yet 2025-08-04's?"
    )
    assert Snapshot.objects.filter(scope="world", observed_at=monday).count() == 12
    assert not Snapshot.objects.filter(scope="US", observed_at=monday).exists()
    # The next read, once the US list has changed, stores it under Monday.
    fake_upstream.tamper(r"^/top10/netflix/united-states/2025-08-04/$", monday_us_list)
    assert run_source("flixpatrol", now=MONDAY_NIGHT, today=True).status == FetchRun.Status.OK
    us = dict(Snapshot.objects.filter(scope="US", observed_at=monday).values_list("show__title", "value"))
    assert us["Untamed"] == 1 and us["Wednesday"] == 2


def test_the_morning_read_of_a_finished_day_stores_a_list_that_really_repeats(run_source):
    assert run_source("flixpatrol", now=MONDAY_NIGHT, date="2025-08-03").status == FetchRun.Status.OK
    tuesday_morning = datetime(2025, 8, 5, 12, tzinfo=UTC)  # reads Monday, 2025-08-04
    run = run_source("flixpatrol", now=tuesday_morning)
    assert run.status == FetchRun.Status.OK, run.error
    assert Snapshot.objects.filter(scope="US", observed_at=datetime(2025, 8, 4, tzinfo=UTC)).count() == 4


def test_a_country_page_is_refused_when_the_world_page_of_its_run_is_blocked(run_source, fake_upstream):
    fake_upstream.queue(r"^/top10/netflix/world/2025-08-04/$", fake.challenge())
    run = run_source("flixpatrol", now=MONDAY_NIGHT, today=True)
    assert run.status == FetchRun.Status.FAILED
    assert "world: markup changed or blocked (Cloudflare challenge page, HTTP 403)" in run.error
    assert "US: the page names no day and this run's world page does not show the chart" in run.error
    assert not Snapshot.objects.exists()


def test_setup_schedules_the_monday_reads_until_the_close(db):
    call_command("setup_sources")
    task = PeriodicTask.objects.get(name="flixpatrol: today Monday until the close")
    assert (json.loads(task.args), json.loads(task.kwargs), task.enabled) == (
        ["flixpatrol"],
        {"today": True},
        True,
    )
    c = task.crontab
    assert (c.minute, c.hour, c.day_of_week, str(c.timezone)) == ("15,45", "12-23", "1", "America/New_York")
    assert "23:59 ET" in task.description
    evening = PeriodicTask.objects.get(name="flixpatrol: today evening")
    assert json.loads(evening.kwargs) == {"today": True} and evening.crontab.day_of_week == "0,2-6"
    # The source's primary schedule (its card, its health) stays the morning read of yesterday.
    assert Source.objects.get(key="flixpatrol").periodic_task.name == "flixpatrol: daily chart"
