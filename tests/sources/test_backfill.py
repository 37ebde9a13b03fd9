"""`manage.py backfill`: Netflix's whole Top 10 history through the real pipeline, once."""

from collections import Counter
from datetime import date, timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from sources.models import FetchRun, Snapshot
from sources.pipeline import runs as pipeline
from sources.pipeline.backfill import backfill_windows
from sources.tudum.fake import COUNTRIES, GLOBAL, tsv_reply
from tests.fakeupstream import Reply, fixture_text

HISTORY = Path(__file__).resolve().parents[2] / "data" / "tudum" / "all-weeks-global.until-2025-08-10.tsv"
# The 8,600 rows (215 weeks x 4 lists x 10) of the real file: every row has a rank, hours viewed and
# weeks in the Top 10; views exist from the week ending 2023-06-18 on (4,520 rows) and runtimes too,
# except on the 144 rows with runtime 0 (staggered launches, live titles): 4,376.
EXPECTED = {
    "rank": 8600,
    "weekly_hours_viewed": 8600,
    "cumulative_weeks_in_top_10": 8600,
    "weekly_views": 4520,
    "runtime": 4376,
}
COUNTRY_VALUES = 60 * 2  # the sample's country week: 60 rows, rank and weeks in the Top 10


@pytest.fixture
def tudum_history(fake_upstream, sources_ready, redis_conn):
    fake_upstream.route(GLOBAL, tsv_reply(HISTORY.read_text(encoding="utf-8")))
    # A header-only country file is a file cut short (a partial run); serve a real week of it instead.
    fake_upstream.route(COUNTRIES, tsv_reply(fixture_text("tudum/all-weeks-countries.sample.tsv")))
    return fake_upstream


def backfill(*args) -> str:
    out = StringIO()
    call_command("backfill", *args, stdout=out)
    return out.getvalue()


def test_backfill_loads_every_week_of_the_history_exactly_once(tudum_history):
    output = backfill("tudum")
    global_lists = Snapshot.objects.filter(source__key="tudum", scope__contains="_")
    assert Counter(global_lists.values_list("metric", flat=True)) == EXPECTED
    total = sum(EXPECTED.values()) + COUNTRY_VALUES
    assert Snapshot.objects.filter(metric="rank").values("observed_at").distinct().count() == 215
    assert "100%" in output and f"backfilled {total} values" in output
    # Each window is one pipeline run; after the first, they ask with the ETag (a 304 costs nothing).
    requests = tudum_history.requests_to(GLOBAL)
    assert len(requests) > 1 and "If-None-Match" not in requests[0].headers
    assert all(r.headers["If-None-Match"].startswith('"') for r in requests[1:])

    again = backfill("tudum")
    assert Snapshot.objects.count() == total
    assert f"0 new, 0 updated, {total} unchanged" in again


def test_a_304_in_a_later_window_reuses_the_file_already_downloaded(tudum_history, redis_conn):
    reuse: dict = {}
    pipeline.run("tudum", backfill=True, since="2021-07-04", until="2022-01-02", reuse=reuse)
    tudum_history.queue(GLOBAL, Reply(304, ""))
    tudum_history.queue(COUNTRIES, Reply(304, ""))
    run = pipeline.run("tudum", backfill=True, since="2022-01-02", until="2022-07-03", reuse=reuse)
    # rank, hours, weeks in Top 10; the country week ending 2022-02-27 is in this window too
    assert run.status == "ok" and run.created == 26 * 40 * 3 + COUNTRY_VALUES
    assert set(run.raw_events.values_list("status", flat=True)) == {304}


def test_backfill_of_one_show_since_a_date(fake_upstream, sources_ready, redis_conn):
    from shows.services import watchlist_add

    show, _ = watchlist_add(title="Squid Game", season="Season 3")
    output = backfill("tudum", "--show", str(show.id), "--since", "2025-07-14")
    weeks = Snapshot.objects.filter(metric="rank").values_list("observed_at", flat=True)
    assert set(Snapshot.objects.values_list("show_id", flat=True)) == {show.id}
    assert sorted(w.date() for w in weeks) == [
        date(2025, 7, 14),
        date(2025, 7, 21),
        date(2025, 7, 28),
        date(2025, 8, 4),
    ]
    assert "100%" in output and "backfilled 20 values" in output


def test_a_failed_window_stops_the_backfill_saying_where_to_go_on(tudum_history):
    history = tsv_reply(HISTORY.read_text(encoding="utf-8"))
    tudum_history.queue(GLOBAL, history, history, Reply(200, "null"))
    with pytest.raises(CommandError, match="(?s)body is 'null'.*--since 2022-07-03"):
        backfill("tudum")
    stored = Snapshot.objects.values("observed_at").distinct().count()
    assert stored == 52  # the two windows before the failure
    assert FetchRun.objects.filter(status="failed").count() == 1


def test_a_source_whose_runner_cannot_backfill_is_refused(sources_ready):
    with pytest.raises(CommandError, match="'x' does not support backfill"):
        backfill("x")


def test_an_unknown_show_is_refused(sources_ready):
    with pytest.raises(CommandError, match="no show with id '999999'"):
        backfill("tudum", "--show", "999999")


def test_windows_cover_every_day_once_and_end_open():
    windows = backfill_windows(date(2021, 7, 4), date(2022, 7, 10), timedelta(weeks=26))
    assert windows == [
        (date(2021, 7, 4), date(2022, 1, 2)),
        (date(2022, 1, 2), date(2022, 7, 3)),
        (date(2022, 7, 3), None),
    ]
