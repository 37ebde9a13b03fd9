"""The CSV export on Postgres is written by COPY; it must be byte for byte what csv.writer writes."""

from datetime import UTC, datetime

import pytest
from asgiref.sync import async_to_sync

from shows.models import Show
from sources.api.views import CSV_HEADER, _csv_copied, _csv_rows
from sources.models import Snapshot, Source
from sources.selectors import COPY_CHUNK_BYTES, snapshot_rows
from sources.series.exports import csv_lines

pytestmark = pytest.mark.postgres

AT = datetime(2025, 3, 1, tzinfo=UTC)
# Every float form Python's repr and Postgres's float8 output write differently, and the same ones.
VALUES = [
    0.0, -0.0, 1.0, -3.0, 0.5, 1 / 3, 2_000_000.0, 12345.678, 0.0001, 0.00001, 1.5e-05, 2.5e-07,
    1e15, -1e15, 1234567890123456.8, 9999999999999998.0, 1e16, 1.5e16, 1.2345678901234568e17, 1e22,
    123456789.0, 0.1 + 0.2,
]  # fmt: skip


def _python_csv(**filters) -> bytes:
    return "".join(csv_lines(_csv_rows(snapshot_rows(**filters)))).encode()


def _copied_csv(**filters) -> bytes:
    full = {"show_id": None, "source": "", "metric": "", "start": None, "end": None, **filters}
    return b"".join(_csv_copied(full))


@pytest.fixture
def awkward(sources_ready):
    """Titles CSV must quote, an empty season, a list-level row (no show) and microsecond times."""
    wiki, tudum = Source.objects.get(key="wikipedia"), Source.objects.get(key="tudum")
    quoted = Show.objects.create(title='Say "when", then\nstop', season="")
    plain = Show.objects.create(title="Wednesday", season="Season 2")
    rows = [
        Snapshot(source=wiki, show=quoted, metric="pageviews", scope="en.wikipedia", period="hour",
                 observed_at=AT.replace(hour=n % 24, day=1 + n // 24), value=v,
                 fetched_at=AT.replace(day=9, microsecond=(n * 1000) % 1_000_000))
        for n, v in enumerate(VALUES)
    ]  # fmt: skip
    rows.append(
        Snapshot(source=tudum, show=None, metric="rank", scope="tv_english", period="week",
                 observed_at=AT.replace(microsecond=120), value=4.0, fetched_at=AT)
    )  # fmt: skip
    rows.append(
        Snapshot(source=tudum, show=plain, metric="weekly_views", scope="", period="week",
                 observed_at=AT, value=3_900_000.0, fetched_at=AT)
    )  # fmt: skip
    Snapshot.objects.bulk_create(rows)
    return quoted, plain


def test_copy_writes_the_same_csv_as_the_python_writer(awkward):
    python = _python_csv()
    assert python.count(b"\n") > len(VALUES)  # the quoted title's newline is one more
    assert _copied_csv() == python


@pytest.mark.parametrize(
    "filters",
    [
        {"source": "tudum"},
        {"metric": "pageviews"},
        {"start": AT.replace(day=1, hour=5), "end": AT.replace(day=1, hour=9)},
        {"end": AT},
        {"source": "nope"},
    ],
)
def test_copy_applies_the_same_filters(awkward, filters):
    assert _copied_csv(**filters) == _python_csv(**filters)


def test_copy_filters_by_show(awkward):
    quoted, plain = awkward
    assert _copied_csv(show_id=plain.id) == _python_csv(show_id=plain.id)
    assert _copied_csv(show_id=quoted.id).startswith(",".join(CSV_HEADER).encode() + b"\n")


def _hours(n: int) -> Show:
    wiki = Source.objects.get(key="wikipedia")
    show = Show.objects.create(title="Long", season="")
    Snapshot.objects.bulk_create(
        Snapshot(source=wiki, show=show, metric="pageviews", scope="en.wikipedia", period="hour",
                 observed_at=datetime.fromtimestamp(AT.timestamp() + 3600 * h, UTC), value=h, fetched_at=AT)
        for h in range(n)
    )  # fmt: skip
    return show


@pytest.fixture
def long_history(sources_ready) -> Show:
    """3,000 hours of one show: about 300 KB of CSV."""
    return _hours(3000)


def test_a_long_export_comes_in_bounded_chunks(long_history):
    show = long_history
    chunks = list(_csv_copied({"show_id": show.id}))
    assert len(chunks) > 3
    assert all(len(c) < COPY_CHUNK_BYTES + 1024 for c in chunks)
    assert b"".join(chunks) == _python_csv(show_id=show.id)


def test_leaving_a_copy_half_read_leaves_the_connection_usable(sources_ready):
    # 3 MB: more than the socket buffers hold, so the server is still sending and the COPY is cancelled.
    show = _hours(30_000)
    body = _csv_copied({"show_id": show.id})
    next(body), next(body)
    body.close()  # what the streamed response does when the client goes away
    assert Snapshot.objects.filter(show=show).count() == 30_000


def test_under_asgi_the_copied_csv_streams_as_chunks(async_client, awkward):
    async def fetch():
        response = await async_client.get("/api/snapshots?format=csv")
        assert response.is_async
        return b"".join([chunk async for chunk in response.streaming_content])

    assert async_to_sync(fetch)() == _python_csv()
