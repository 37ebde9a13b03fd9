"""The live FlixPatrol read: a day's chart is readable only from the next day, so the task polls for the
newest readable day from shortly after midnight ET until it is stored. Through the real pipeline against
dated chart pages built from the fixture pages."""

import json
from datetime import UTC, date, datetime

import pytest
from django.core.management import call_command
from django_celery_beat.models import PeriodicTask

from sources.base import FetchContext
from sources.flixpatrol import config, fake
from sources.flixpatrol.runner import chart_days
from sources.models import FetchRun, Snapshot, SnapshotRevision, Source
from tests.fakeupstream import Reply

PER_DAY = 16  # world: 6 ranks + 6 points; US: 4 ranks
ANY_PAGE = r"^/top10/netflix/"
# Monday 2025-08-04, 23:30 in New York: already Tuesday in UTC, half an hour before Kalshi's close.
MONDAY_NIGHT = datetime(2025, 8, 5, 3, 30, tzinfo=UTC)
# Monday 00:20 in New York: the first polls for Sunday's chart.
MONDAY_AFTER_MIDNIGHT = datetime(2025, 8, 4, 4, 20, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _one_country_no_pause(settings):
    settings.FLIXPATROL_COUNTRIES = (("US", "united-states"),)
    settings.FLIXPATROL_PAGE_DELAY_SECONDS = 0
    settings.FLIXPATROL_BACKEND = "http"
    settings.FLIXPATROL_PUBLICATION_LAG_DAYS = 1


def context(now: datetime, state=None, **options) -> FetchContext:
    return FetchContext(base_url="", shows=[], now=now, options=options, state=state or {})


def stored_days() -> set[date]:
    return {d.date() for d in Snapshot.objects.values_list("observed_at", flat=True)}


WEDNESDAY = '<a href="/title/wednesday-2022/" class="hover:underline">Wednesday</a>'
UNTAMED = '<a href="/title/untamed-2025/" class="hover:underline">Untamed</a>'


def changed_us_list(reply: Reply) -> Reply:
    """The US page with Wednesday (1.) and Untamed (2.) swapped: a list that changed since the day before."""
    swapped = reply.body.replace(WEDNESDAY, "@").replace(UNTAMED, WEDNESDAY).replace("@", UNTAMED)
    return Reply(200, swapped, content_type="text/html")


def us_list_changes_on(fake_upstream, day: str) -> None:
    """The fixture pages hold the same lists every day; a poll refuses a new day's country list that
    repeats the day before's (below), so the day polled for gets a changed one."""
    fake_upstream.tamper(rf"^/top10/netflix/united-states/{day}/$", changed_us_list)


def test_backfill_windows_end_at_the_newest_readable_day():
    assert chart_days(context(MONDAY_NIGHT, backfill=True, since="2025-08-02", until="2025-08-03")) == [
        date(2025, 8, 2)
    ]
    # The open last window: up to New York's yesterday (Sunday 08-03), Monday's chart is not out.
    assert chart_days(context(MONDAY_NIGHT, backfill=True, since="2025-08-02", until=None)) == [
        date(2025, 8, 2),
        date(2025, 8, 3),
    ]
    assert chart_days(context(MONDAY_NIGHT, backfill=True, since="2025-08-05", until=None)) == []
    assert chart_days(context(MONDAY_NIGHT)) == [date(2025, 8, 3)]


def test_a_poll_reads_the_days_not_stored_yet_up_to_the_newest_readable_one():
    days = [date(2025, 8, 1), date(2025, 8, 2), date(2025, 8, 3)]
    assert chart_days(context(MONDAY_NIGHT, poll=True)) == days
    done_saturday = {"complete_through": "2025-08-02"}
    assert chart_days(context(MONDAY_NIGHT, done_saturday, poll=True)) == [date(2025, 8, 3)]
    assert chart_days(context(MONDAY_NIGHT, {"complete_through": "2025-08-03"}, poll=True)) == []
    # The schedules written before the lag was known asked for "today": the same poll now.
    assert chart_days(context(MONDAY_NIGHT, done_saturday, today=True)) == [date(2025, 8, 3)]
    # A lag of 0 reads New York's today.
    assert chart_days(context(MONDAY_NIGHT, done_saturday, poll=True), lag_days=0) == [
        date(2025, 8, 3),
        date(2025, 8, 4),
    ]


def test_a_poll_at_the_monday_close_never_asks_for_mondays_list(run_source, fake_upstream):
    us_list_changes_on(fake_upstream, "2025-08-03")
    run = run_source("flixpatrol", now=MONDAY_NIGHT, poll=True)
    assert run.status == FetchRun.Status.OK, run.error
    assert not fake_upstream.requests_to(r"/2025-08-04/$")
    assert max(stored_days()) == date(2025, 8, 3)


def test_once_the_newest_day_is_stored_the_next_polls_ask_nothing(run_source, fake_upstream):
    assert run_source("flixpatrol", now=MONDAY_NIGHT, date="2025-08-02").status == FetchRun.Status.OK
    us_list_changes_on(fake_upstream, "2025-08-03")
    run = run_source("flixpatrol", now=MONDAY_AFTER_MIDNIGHT, poll=True)
    assert run.status == FetchRun.Status.OK, run.error
    assert [r.path for r in fake_upstream.requests_to(ANY_PAGE)][-2:] == [
        "/top10/netflix/world/2025-08-03/",
        "/top10/netflix/united-states/2025-08-03/",
    ]
    assert Source.objects.get(key="flixpatrol").state["complete_through"] == "2025-08-03"
    asked = len(fake_upstream.requests_to(ANY_PAGE))
    again = run_source("flixpatrol", now=MONDAY_NIGHT, poll=True)
    assert again.status == FetchRun.Status.SKIPPED
    assert len(fake_upstream.requests_to(ANY_PAGE)) == asked


def test_a_poll_before_the_newest_day_is_out_stores_nothing_and_is_not_a_failure(run_source, fake_upstream):
    assert run_source("flixpatrol", now=MONDAY_NIGHT, date="2025-08-02").status == FetchRun.Status.OK
    # Until Sunday's chart is out, its dated page shows Saturday's.
    fake_upstream.queue(r"^/top10/netflix/world/2025-08-03/$", fake.dated_page(fake.WORLD, date(2025, 8, 2)))
    run = run_source("flixpatrol", now=MONDAY_AFTER_MIDNIGHT, poll=True)
    assert run.status == FetchRun.Status.OK, run.error
    assert not fake_upstream.requests_to(r"^/top10/netflix/united-states/2025-08-03/$")  # not asked
    assert stored_days() == {date(2025, 8, 2)}
    source = Source.objects.get(key="flixpatrol")
    assert source.consecutive_failures == 0 and source.state["complete_through"] == "2025-08-02"
    # The next poll asks again, and stores it once it is out.
    us_list_changes_on(fake_upstream, "2025-08-03")
    assert run_source("flixpatrol", now=MONDAY_AFTER_MIDNIGHT, poll=True).created == PER_DAY
    assert stored_days() == {date(2025, 8, 2), date(2025, 8, 3)}


def test_a_lag_of_zero_reads_todays_chart(run_source, fake_upstream, settings):
    settings.FLIXPATROL_PUBLICATION_LAG_DAYS = 0
    assert run_source("flixpatrol", now=MONDAY_NIGHT, date="2025-08-03").status == FetchRun.Status.OK
    us_list_changes_on(fake_upstream, "2025-08-04")
    run = run_source("flixpatrol", now=MONDAY_NIGHT, poll=True)
    assert run.status == FetchRun.Status.OK, run.error
    assert stored_days() == {date(2025, 8, 3), date(2025, 8, 4)}


def test_re_reading_a_day_updates_values_in_place_and_keeps_the_old_one(run_source, fake_upstream):
    run_source("flixpatrol", now=MONDAY_NIGHT, date="2025-08-03")
    later = fake.dated_html(fake.WORLD, date(2025, 8, 3)).replace(">901<", ">950<")
    fake_upstream.queue(r"^/top10/netflix/world/2025-08-03/$", Reply(200, later, content_type="text/html"))
    again = run_source("flixpatrol", now=MONDAY_NIGHT, date="2025-08-03")
    assert (again.created, again.updated, again.unchanged) == (0, 1, PER_DAY - 1)
    row = Snapshot.objects.get(show__title="Wednesday", metric="points")
    assert row.value == 950
    assert list(SnapshotRevision.objects.filter(snapshot=row).values_list("value", flat=True)) == [901]


def test_an_undated_country_page_is_refused_when_the_world_page_shows_another_day(run_source, fake_upstream):
    # The world page of Sunday still says Saturday: the US page, which names no day, may be Saturday's.
    fake_upstream.queue(r"^/top10/netflix/world/2025-08-03/$", fake.dated_page(fake.WORLD, date(2025, 8, 2)))
    run = run_source("flixpatrol", now=MONDAY_NIGHT, date="2025-08-03")
    assert run.status == FetchRun.Status.FAILED and run.error.startswith("temporary:")
    assert (
        "US: the page names no day and this run's world page does not show the chart of 2025-08-03:"
        " it may be an earlier day's list (not out yet?)"
    ) in run.error
    assert not Snapshot.objects.exists()


def test_a_country_page_is_refused_when_the_world_page_of_its_run_is_blocked(run_source, fake_upstream):
    fake_upstream.queue(r"^/top10/netflix/world/2025-08-03/$", fake.challenge())
    run = run_source("flixpatrol", now=MONDAY_NIGHT, date="2025-08-03")
    assert run.status == FetchRun.Status.FAILED and run.error.startswith("temporary:")
    assert "world: markup changed or blocked (Cloudflare challenge page, HTTP 403)" in run.error
    assert "US: the page names no day and this run's world page does not show the chart" in run.error
    assert not Snapshot.objects.exists()


def test_a_country_page_repeating_the_day_befores_lists_is_refused_while_polling(run_source, fake_upstream):
    assert run_source("flixpatrol", now=MONDAY_NIGHT, date="2025-08-02").status == FetchRun.Status.OK
    sunday = datetime(2025, 8, 3, tzinfo=UTC)
    # The world page shows Sunday; the US page, which names no day, still holds Saturday's lists.
    run = run_source("flixpatrol", now=MONDAY_AFTER_MIDNIGHT, poll=True)
    assert run.status == FetchRun.Status.PARTIAL
    assert run.error == (
        "US: both lists are, title for title, the ones stored for 2025-08-02: not yet 2025-08-03's?"
    )
    assert Snapshot.objects.filter(scope="world", observed_at=sunday).count() == 12
    assert not Snapshot.objects.filter(scope="US", observed_at=sunday).exists()
    # The day is not complete, so the next poll reads it again, and stores the changed US list.
    fake_upstream.tamper(r"^/top10/netflix/united-states/2025-08-03/$", changed_us_list)
    assert run_source("flixpatrol", now=MONDAY_AFTER_MIDNIGHT, poll=True).status == FetchRun.Status.OK
    us = dict(Snapshot.objects.filter(scope="US", observed_at=sunday).values_list("show__title", "value"))
    assert us["Untamed"] == 1 and us["Wednesday"] == 2


def test_a_read_of_a_day_out_for_longer_stores_a_list_that_really_repeats(run_source):
    assert run_source("flixpatrol", now=MONDAY_NIGHT, date="2025-08-02").status == FetchRun.Status.OK
    run = run_source("flixpatrol", now=MONDAY_NIGHT)  # the newest readable day, Sunday, not a poll
    assert run.status == FetchRun.Status.OK, run.error
    assert Snapshot.objects.filter(scope="US", observed_at=datetime(2025, 8, 3, tzinfo=UTC)).count() == 4


def test_setup_schedules_the_poll_from_after_midnight(db):
    call_command("setup_sources")
    task = PeriodicTask.objects.get(name="flixpatrol: newest day's chart")
    assert (json.loads(task.args), json.loads(task.kwargs)) == (["flixpatrol"], {"poll": True})
    c = task.crontab
    assert (c.minute, c.hour, c.day_of_week) == ("5,20,35,50", "0-11", "*")
    assert str(c.timezone) == "America/New_York"
    assert "23:59 ET" in task.description
    assert not PeriodicTask.objects.filter(name__startswith="flixpatrol: today").exists()
    assert Source.objects.get(key="flixpatrol").periodic_task == task


def test_the_polls_window_and_cadence_come_from_flixpatrol_poll(monkeypatch):
    monkeypatch.setenv("FLIXPATROL_POLL", "*/10 0-5")
    assert config.poll_cron() == {"minute": "*/10", "hour": "0-5", "day_of_week": "*"}
    monkeypatch.setenv("FLIXPATROL_POLL", "now and then")  # refused at start-up by its setting
    assert config.poll_cron() == {"minute": "5,20,35,50", "hour": "0-11", "day_of_week": "*"}
