"""The day and week rollups give the same points as the raw rows, for every kind of metric,
after revisions, and whichever way the rows were written. Runs on Postgres and on SQLite (the suite on
either database; see docs/performance.md)."""

import random
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from shows.models import Show
from sources.base import SnapshotIn
from sources.models import Snapshot, SnapshotRevision, SnapshotRollup, Source
from sources.pipeline.store import snapshots_upsert
from sources.series.rollups import rollups_rebuild
from sources.series.show_series import bucket_rows, raw_bucket_rows

END = datetime(2026, 3, 18, 13, 30, tzinfo=UTC)  # a Wednesday afternoon: both window edges cut buckets
FETCHED = END + timedelta(hours=1)
# (source, metric, scope, period, step): a mean per source period, a mean by the source's own rule
# (Reddit's comments), levels and prices kept as the last value, daily ranks and Tudum's weeks.
SERIES = [
    ("wikipedia", "pageviews", "en.wikipedia", "hour", timedelta(hours=5)),
    ("wikipedia", "pageviews", "en.wikipedia", "day", timedelta(days=1)),
    ("reddit", "comments", "r/netflix", "hour", timedelta(hours=7)),
    ("youtube", "comments", "vid1", "day", timedelta(days=1)),
    ("kalshi", "last_price", "KX-S1", "instant", timedelta(hours=4, minutes=13)),
    ("flixpatrol", "rank", "US", "day", timedelta(days=1)),
    ("tudum", "weekly_views", "global", "week", timedelta(days=7)),
]
WINDOWS = [
    (END - timedelta(days=400), END),
    (END - timedelta(days=90), END),
    (END - timedelta(days=30), END),
    (END - timedelta(hours=30), END),  # inside one week: the first bucket is also the last
    (END - timedelta(days=20, hours=5), END - timedelta(days=3, hours=7)),  # rows after the end too
    (datetime(2026, 3, 9, tzinfo=UTC), datetime(2026, 3, 16, tzinfo=UTC)),  # edges on bucket starts
]


def _value(metric: str, rng: random.Random) -> float:
    if metric == "last_price":
        return round(rng.uniform(0.01, 0.99), 2)
    if metric == "rank":
        return float(rng.randint(1, 10))
    return float(rng.randint(0, 5000))


def _items(show: Show, key: str, rng: random.Random, *, since: datetime, until: datetime) -> list[SnapshotIn]:
    items = []
    for source, metric, scope, period, step in SERIES:
        if source != key:
            continue
        at = since
        while at < until:
            value = _value(metric, rng)
            items.append(
                SnapshotIn(
                    metric=metric, period=period, observed_at=at, value=value, scope=scope, show_id=show.id
                )
            )
            at += step
    return items


@pytest.fixture
def show(sources_ready):
    return Show.objects.create(title="Wednesday")


@pytest.fixture
def history(show):
    """Stored through the pipeline's upsert, one run per source per four weeks, as the pipeline does."""
    rng = random.Random(14)
    start = END - timedelta(days=420, minutes=13)
    for source in {s[0] for s in SERIES}:
        db_source = Source.objects.get(key=source)
        at = start
        while at < END + timedelta(days=2):
            until = at + timedelta(days=28)
            items = _items(show, source, rng, since=at, until=until)
            snapshots_upsert(source=db_source, items=items, fetched_at=FETCHED)
            at = until
    return show


def _same_points(show: Show, resolutions=("day", "week")) -> int:
    compared = 0
    for start, end in WINDOWS:
        for resolution in resolutions:
            selection = {"show_id": show.id, "start": start, "end": end, "resolution": resolution}
            rolled = list(bucket_rows(**selection))
            raw = list(raw_bucket_rows(**selection))
            assert [r[:5] for r in rolled] == [r[:5] for r in raw], (start, end, resolution)
            assert [r[5] for r in rolled] == pytest.approx([r[5] for r in raw], rel=1e-12), (
                start,
                resolution,
            )
            compared += len(raw)
    return compared


def test_rollups_give_the_raw_rows_points_for_every_metric_kind(history):
    assert _same_points(history) > 1000
    kinds = {(r[0], r[1]) for r in raw_bucket_rows(show_id=history.id, start=END - timedelta(days=400),
                                                   end=END, resolution="week")}  # fmt: skip
    assert kinds == {(s[0], s[1]) for s in SERIES}


def test_a_value_revised_after_the_rollup_was_written_changes_its_buckets(history):
    source = Source.objects.get(key="wikipedia")
    rng = random.Random(3)
    rows = list(
        Snapshot.objects.filter(source=source, period="hour", observed_at__gte=END - timedelta(days=60))
    )
    revised = rng.sample(rows, 100)
    items = [
        SnapshotIn(metric=r.metric, period=r.period, observed_at=r.observed_at, value=r.value + 1000 + n,
                   scope=r.scope, show_id=r.show_id)
        for n, r in enumerate(revised)
    ]  # fmt: skip
    day = min(r.observed_at for r in revised).replace(hour=0, minute=0, second=0, microsecond=0)
    week = {"show_id": history.id, "start": day, "end": day + timedelta(days=1), "resolution": "day"}
    before = [p for p in bucket_rows(**week) if p[3] == "hour" and p[0] == "wikipedia"]
    counts = snapshots_upsert(source=source, items=items, fetched_at=FETCHED + timedelta(days=1))
    assert counts.updated == 100
    assert SnapshotRevision.objects.count() == 100
    after = [p for p in bucket_rows(**week) if p[3] == "hour" and p[0] == "wikipedia"]
    assert after[0][5] > before[0][5]  # the day's mean moved: the rollup was recomputed, not kept
    _same_points(history)


def test_a_revised_last_value_is_the_one_its_week_shows(history):
    kalshi = Source.objects.get(key="kalshi")
    newest = Snapshot.objects.filter(source=kalshi, observed_at__lte=END - timedelta(days=10)).latest(
        "observed_at"
    )
    item = SnapshotIn(metric=newest.metric, period=newest.period, observed_at=newest.observed_at, value=0.5,
                      scope=newest.scope, show_id=history.id)  # fmt: skip
    snapshots_upsert(source=kalshi, items=[item], fetched_at=FETCHED + timedelta(days=1))
    window = {
        "show_id": history.id,
        "start": newest.observed_at - timedelta(hours=1),
        "end": END - timedelta(days=10),
    }
    points = list(bucket_rows(**window, resolution="week", source="kalshi"))
    assert points[-1][5] == 0.5
    _same_points(history)


def test_rows_saved_one_at_a_time_refresh_their_buckets(history):
    youtube = Source.objects.get(key="youtube")
    Snapshot.objects.create(source=youtube, show=history, metric="comments", scope="vid2", period="day",
                            observed_at=END - timedelta(days=2), value=7, fetched_at=FETCHED)  # fmt: skip
    row = Snapshot.objects.filter(source=youtube, scope="vid1").latest("observed_at")
    row.value = 123456
    row.save()
    _same_points(history)


def test_the_rebuild_writes_what_the_upserts_kept(history):
    fields = [f.name for f in SnapshotRollup._meta.fields if f.name != "id"]
    kept = sorted(SnapshotRollup.objects.values_list(*fields))
    rollups_rebuild(show_ids=[history.id])
    rebuilt = sorted(SnapshotRollup.objects.values_list(*fields))
    assert len(rebuilt) == len(kept) > 100
    for a, b in zip(kept, rebuilt, strict=True):
        assert a[:7] == b[:7] and a[8:] == b[8:]
        assert a[7] == pytest.approx(b[7], rel=1e-12)  # sums: the same numbers, maybe another order


def test_the_migration_fills_rollups_for_rows_stored_before_it(history):
    import importlib

    from django.apps import apps
    from django.db import connection

    SnapshotRollup.objects.all().delete()
    migration = importlib.import_module("sources.migrations.0007_snapshot_rollups")
    # Only the editor's connection is used (SQLite refuses a schema editor inside the test's transaction).
    migration.fill_rollups(apps, SimpleNamespace(connection=connection))
    assert _same_points(history) > 1000


def test_a_row_without_a_show_has_no_rollup(sources_ready):
    tudum = Source.objects.get(key="tudum")
    item = SnapshotIn(metric="weekly_views", period="week", observed_at=END, value=1.0, scope="global")
    snapshots_upsert(source=tudum, items=[item], fetched_at=FETCHED)
    assert not SnapshotRollup.objects.exists()
