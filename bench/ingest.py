"""The pipeline's upsert (sources/store.snapshots_upsert, one call per run as sources/pipeline/runs.py makes
it) of one large run, beside COPY of the same rows into an empty copy of the table."""

import dataclasses
import io
import time
from datetime import datetime, timedelta

import psycopg
from django.db import transaction
from django.utils import timezone

from sources.base import SnapshotIn
from sources.models import Source
from sources.pipeline.store import snapshots_upsert


def _items(shows: list[int], before: datetime, n: int) -> list[SnapshotIn]:
    """Wikipedia hourly pageviews for the hours just before the loaded year: a backfill's run, new rows
    landing in the full table."""
    hours = -(-n // len(shows))
    return [
        SnapshotIn(
            metric="pageviews",
            period="hour",
            observed_at=before - timedelta(hours=h + 1),
            value=float(100 + (h * 7 + s) % 500),
            scope="en.wikipedia",
            show_id=show,
        )
        for h in range(hours)
        for s, show in enumerate(shows)
    ][:n]


def _upsert(source, items) -> tuple[float, object]:
    t0 = time.perf_counter()
    with transaction.atomic():  # the pipeline's own transaction around the store
        counts = snapshots_upsert(source=source, items=items, fetched_at=timezone.now())
    return time.perf_counter() - t0, counts


def _copy(dsn: str, source_id: int, items: list[SnapshotIn], *, table: str = "") -> float:
    """COPY of the run's rows into an empty copy of the table (the issue's floor), or, with `table`, into
    that table itself, rolled back: writing the same rows where they belong, with its indexes' size."""
    now = timezone.now().isoformat()
    text = io.StringIO()
    for i in items:
        text.write(f"{source_id}\t{i.show_id}\t{i.metric}\t{i.scope}\t{i.period}\t"
                   f"{i.observed_at.isoformat()}\t{i.value}\t{now}\t{{}}\n")  # fmt: skip
    data = text.getvalue()
    with psycopg.connect(dsn) as conn:
        if not table:
            table = "ingest_floor"
            conn.execute("CREATE TEMP TABLE ingest_floor (LIKE source_snapshots INCLUDING ALL)")
        t0 = time.perf_counter()
        with (
            conn.cursor() as cur,
            cur.copy(
                f"COPY {table} (source_id, show_id, metric, scope, period, observed_at, value, "
                "fetched_at, attrs) FROM STDIN"
            ) as copy,
        ):
            copy.write(data)
        if table == "ingest_floor":
            conn.commit()
            return time.perf_counter() - t0
        elapsed = time.perf_counter() - t0
        conn.rollback()
        return elapsed


def run(dsn: str, shows: list[int], start: datetime, *, n: int, log=print) -> dict:
    source = Source.objects.get(key="wikipedia")
    items = _items(shows, start, n)
    first, c1 = _upsert(source, items)
    again, c2 = _upsert(source, items)
    changed = [dataclasses.replace(i, value=i.value + 1) if k % 10 == 0 else i for k, i in enumerate(items)]
    tenth, c3 = _upsert(source, changed)
    copy_s = _copy(dsn, source.id, items)
    # Before the upsert's first run these keys are new: shifted a year back, where no row is stored.
    earlier = [dataclasses.replace(i, observed_at=i.observed_at - timedelta(days=366)) for i in items]
    copy_full_s = _copy(dsn, source.id, earlier, table="source_snapshots")
    n = len(items)
    out = {
        "rows": n,
        "upsert_rows_s": round(n / first),
        "copy_rows_s": round(n / copy_s),
        "copy_into_table_rows_s": round(n / copy_full_s),
        "rerun_rows_s": round(n / again),
        "changed_10pct_rows_s": round(n / tenth),
        "upsert_vs_copy": round(copy_s / first, 3),
        "upsert_vs_copy_into_table": round(copy_full_s / first, 3),
        "rerun_speedup": round(first / again, 2),
        "counts": {"first": vars(c1), "rerun": vars(c2), "changed_10pct": vars(c3)},
    }
    log(f"  ingest {n:,} rows: upsert {out['upsert_rows_s']:,}/s, COPY {out['copy_rows_s']:,}/s "
        f"({out['upsert_vs_copy']:.0%}; into the table itself {out['copy_into_table_rows_s']:,}/s, "
        f"{out['upsert_vs_copy_into_table']:.0%}); unchanged re-run {out['rerun_rows_s']:,}/s "
        f"({out['rerun_speedup']}x); 10% changed {out['changed_10pct_rows_s']:,}/s")  # fmt: skip
    return out
