"""The watchlist's index-skipping reads on Postgres give what the portable reads give."""

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from dashboard.selectors import watchlist
from shows.models import Show
from sources.models import Snapshot, Source
from sources.series.rollups import rollups_rebuild

pytestmark = pytest.mark.postgres

NOW = datetime(2025, 3, 10, 12, tzinfo=UTC)


def _table(rows: list[dict]) -> list[tuple]:
    return [
        (
            r["show"].id,
            {
                key: (c.value, c.observed_at, c.scope, c.period, c.previous, [round(v, 9) for v in c.spark])
                for key, c in sorted(r["cells"].items())
            },
        )
        for r in rows
    ]


def _portable(monkeypatch, **kwargs) -> list[tuple]:
    with monkeypatch.context() as m:
        m.setattr(watchlist, "connection", SimpleNamespace(vendor="portable"))
        return _table(watchlist.watchlist_rows(now=NOW, **kwargs))


@pytest.fixture
def history(sources_ready):
    """Series the choice must get right: several scopes and periods of one signal, a tie on the newest
    time (the broadest scope wins), a series with one row, rows older than the sparkline, and rows
    the table must leave out (other metrics, a list-level row, an unwatched show)."""
    src = {s.key: s for s in Source.objects.all()}
    shows = [Show.objects.create(title=f"Show {n}", on_watchlist=True) for n in range(4)]
    unwatched = Show.objects.create(title="Gone", on_watchlist=False)
    rows = []

    def add(show, key, metric, scope, period, hours, value):
        for h in hours:
            rows.append(
                Snapshot(source=src[key], show=show, metric=metric, scope=scope, period=period,
                         observed_at=NOW - timedelta(hours=h), value=value + h, fetched_at=NOW)
            )  # fmt: skip

    a, b, c, _ = shows
    add(a, "wikipedia", "pageviews", "en.wikipedia", "hour", range(1, 400), 10)
    add(a, "wikipedia", "pageviews", "en.wikipedia", "day", range(36, 900, 24), 5000)
    add(a, "tudum", "rank", "tv_english", "week", range(100, 3000, 168), 1)
    add(a, "tudum", "rank", "global", "week", range(100, 3000, 168), 7)  # same times: global wins
    add(a, "flixpatrol", "rank", "US", "day", range(12, 2000, 24), 2)
    add(a, "flixpatrol", "rank", "world", "day", range(36, 2000, 24), 3)  # older: US wins
    add(a, "wikipedia", "edits", "en.wikipedia", "hour", range(0, 30), 1)  # not a watchlist signal
    add(b, "kalshi", "last_price", "KXA-1", "instant", [5], 0.4)  # one row: no previous
    add(b, "kalshi", "last_price", "KXA-2", "instant", range(2, 300, 7), 0.1)
    add(b, "youtube", "views", "vid1", "day", range(400, 4000, 24), 100)  # no day in the sparkline
    add(c, "google_trends", "interest", "US", "hour", range(1, 50), 3)
    add(None, "tudum", "rank", "tv_english", "week", [100], 1)
    add(unwatched, "wikipedia", "pageviews", "en.wikipedia", "hour", range(1, 50), 10)
    Snapshot.objects.bulk_create(rows)
    rollups_rebuild()  # bulk_create passes by the upsert that keeps the day rollups the sparklines read
    return shows


def test_the_skip_scan_reads_give_the_same_table_as_the_window_function(history, monkeypatch):
    skipped = _table(watchlist.watchlist_rows(now=NOW))
    assert skipped == _portable(monkeypatch)
    a, b, c, d = (cells for _, cells in skipped)
    assert a["tudum.rank"][2] == "global" and a["flixpatrol.rank"][2] == "US"
    assert a["wikipedia.pageviews"][3] == "hour" and len(a["wikipedia.pageviews"][5]) == 7
    assert b["kalshi.last_price"][2] == "KXA-2" and b["youtube.views"][5] == []
    assert set(c) == {"google_trends.interest"} and d == {}


def test_a_single_row_series_has_no_previous_value(history, monkeypatch):
    Snapshot.objects.filter(scope="KXA-2").delete()
    rollups_rebuild()
    skipped = _table(watchlist.watchlist_rows(now=NOW))
    assert skipped == _portable(monkeypatch)
    assert skipped[1][1]["kalshi.last_price"][4] is None


def test_sorting_by_a_signal_orders_the_same_way(history, monkeypatch):
    for sort in ("-wikipedia.pageviews", "flixpatrol.rank", "-title"):
        assert _table(watchlist.watchlist_rows(now=NOW, sort=sort)) == _portable(monkeypatch, sort=sort)
