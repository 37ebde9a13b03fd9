"""A watchlist backfill of a per-show source runs each window a bounded batch of shows at a time."""

from datetime import date

import pytest

from shows.services import watchlist_add
from sources.models import FetchRun, Snapshot
from sources.pipeline import backfill

SINCE, UNTIL = date(2025, 1, 1), date(2025, 6, 30)  # one 366-day window
DAYS = 10  # the fake answers each article with the fixture's ten days, at the window's end


@pytest.fixture
def five_watched(fake_upstream, sources_ready, redis_conn, monkeypatch):
    monkeypatch.setattr(backfill, "SHOWS_PER_RUN", 2)
    return [watchlist_add(title=f"Show {n}", wikipedia=f"Show_{n}")[0] for n in range(5)]


def test_each_window_runs_the_watchlist_in_batches_and_stores_every_show_once(five_watched):
    totals = backfill.source_backfill("wikipedia", since=SINCE, until=UNTIL)
    runs = FetchRun.objects.filter(source__key="wikipedia", backfill=True).order_by("id")
    assert [r.status for r in runs] == ["ok", "ok", "ok"] and totals.runs == list(runs)
    assert totals.created == 5 * DAYS and [r.items for r in runs] == [2 * DAYS, 2 * DAYS, DAYS]
    per_show = list(Snapshot.objects.filter(period="day").values_list("show_id", flat=True))
    assert sorted(per_show) == sorted(s.id for s in five_watched for _ in range(DAYS))


def test_a_second_watchlist_backfill_changes_nothing(five_watched):
    backfill.source_backfill("wikipedia", since=SINCE, until=UNTIL)
    again = backfill.source_backfill("wikipedia", since=SINCE, until=UNTIL)
    assert again.created == again.updated == 0 and again.unchanged == 5 * DAYS


def test_progress_counts_every_run_of_every_window(five_watched):
    seen = []
    backfill.source_backfill(
        "wikipedia", since=SINCE, until=UNTIL, on_window=lambda n, total, *_: seen.append((n, total))
    )
    assert seen == [(1, 3), (2, 3), (3, 3)]


def test_one_shows_backfill_is_one_run_per_window(five_watched):
    totals = backfill.source_backfill("wikipedia", show={"id": five_watched[0].id}, since=SINCE, until=UNTIL)
    assert len(totals.runs) == 1
    assert set(Snapshot.objects.values_list("show_id", flat=True)) == {five_watched[0].id}


def test_a_source_kept_for_all_shows_at_once_is_not_split(sources_ready, redis_conn, monkeypatch):
    monkeypatch.setattr(backfill, "SHOWS_PER_RUN", 1)
    watchlist_add(title="One")
    watchlist_add(title="Two")
    assert backfill.show_batches(backfill.backfill_runner("tudum"), None) == [{}]
