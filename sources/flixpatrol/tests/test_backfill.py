"""FlixPatrol's history (`manage.py backfill flixpatrol`), through the real pipeline against dated chart
pages built from the fixture pages (the live poll: test_flixpatrol_poll.py)."""

from datetime import UTC, date, datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from sources.flixpatrol import fake
from sources.models import FetchRun, Snapshot
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
