"""A year of synthetic history, shaped like what the runners store, loaded with COPY.

Per show: the nine hourly series the hourly sources keep (Wikipedia pageviews, Google Trends interest, X
post counts, Reddit mentions/comments/score, Kalshi last price/yes bid/volume), the daily ones (Wikipedia
daily pageviews, FlixPatrol US and world ranks, TikTok and YouTube views, YouTube likes) and Tudum's
weekly three. 500 shows × 365 days is about 40 million rows. Rows are written hour after hour across all
shows, as the pipeline writes them, so one show's year is spread over the table as it is in production.
"""

import io
import math
import random
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import psycopg
from django.db import transaction

from shows.models import Show
from sources.models import Source
from sources.series.rollups import rollups_rebuild
from sources.services import sources_setup

HOURLY = [
    ("wikipedia", "pageviews", "en.wikipedia", "count", 400),
    ("google_trends", "interest", "US", "index", 40),
    ("x", "post_count", "global", "count", 120),
    ("reddit", "mentions", "search", "count", 6),
    ("reddit", "comments", "r/netflix", "count", 30),
    ("reddit", "score", "r/netflix", "count", 90),
    ("kalshi", "last_price", "{ticker}", "price", 0),
    ("kalshi", "yes_bid", "{ticker}", "price", 0),
    ("kalshi", "volume", "{ticker}", "cumulative", 50),
]
DAILY = [
    ("wikipedia", "pageviews", "en.wikipedia", "count", 9600),
    ("flixpatrol", "rank", "US", "rank", 0),
    ("flixpatrol", "rank", "world", "rank", 0),
    ("tiktok", "views", "global", "cumulative", 20000),
    ("youtube", "views", "{video}", "cumulative", 8000),
    ("youtube", "likes", "{video}", "cumulative", 300),
]
WEEKLY = [
    ("tudum", "rank", "global", "rank", 0),
    ("tudum", "weekly_views", "global", "count", 2_000_000),
    ("tudum", "weekly_hours_viewed", "global", "count", 9_000_000),
]
PERIOD_OF = {id(s): p for group, p in ((HOURLY, "hour"), (DAILY, "day"), (WEEKLY, "week")) for s in group}
COLUMNS = "source_id, show_id, metric, scope, period, observed_at, value, fetched_at, attrs"
WATCHED = 200  # the pages and backfills are measured with this many watched shows


@dataclass
class Dataset:
    shows: list[int]  # ids of the shows with a year of history
    watched: list[int]
    start: datetime  # first hour loaded
    end: datetime  # last hour loaded (the hour before now)
    rows: int
    load_s: float


def rows_per_show(days: int = 365) -> int:
    return len(HOURLY) * days * 24 + len(DAILY) * days + len(WEEKLY) * (days // 7)


def _diurnal() -> list[float]:
    # Evening-peaked interest, as pageviews and posts are: 0.4× at 6 UTC, 1.6× at 18 UTC.
    return [1 + 0.6 * math.sin((h - 12) / 24 * 2 * math.pi) for h in range(24)]


def create_shows(n_data: int) -> tuple[list[int], list[int]]:
    total = max(n_data, WATCHED)
    Show.objects.bulk_create(
        Show(
            title=f"Bench Show {n}",
            normalized_title=f"bench show {n}",
            normalized_name=f"bench show {n}",
            on_watchlist=n < WATCHED,
            wikipedia_article=f"Bench_Show_{n}",
        )
        for n in range(total)
    )
    ids = list(Show.objects.order_by("id").values_list("id", flat=True))
    return ids[:n_data], ids[:WATCHED]


def _prefixes(source_ids: dict, show_id: int, n: int, specs: list) -> list[tuple]:
    out = []
    for spec in specs:
        key, metric, scope, kind, base = spec
        scope = scope.format(ticker=f"KXNETFLIXRANKSHOW-26DEC07-S{n}", video=f"vid{n:07d}")
        out.append((f"{source_ids[key]}\t{show_id}\t{metric}\t{scope}\t{PERIOD_OF[id(spec)]}\t", kind, base))
    return out


def _stamp(t: datetime) -> str:
    return t.strftime("%Y-%m-%d %H:%M:%S+00")


def _value(kind: str, base: float, scale: float, step: int, noise: float, diurnal: float) -> float:
    if kind == "count":
        return round(base * scale * diurnal * noise)
    if kind == "index":
        return min(100, round(base * scale * diurnal * noise))
    if kind == "price":
        return round(min(0.99, max(0.01, 0.5 + 0.45 * math.sin(step / 500 + scale * 10) * noise)), 2)
    if kind == "rank":
        return float(1 + (step + int(scale * 100)) % 10)
    return round(base * scale * (step + 1) * noise)  # cumulative: grows with time


def generate(source_ids: dict, shows: list[int], start: datetime, hours: int):
    """COPY text in chunks of about 4 MB, in time order."""
    rng = random.Random(14)
    noise = [rng.uniform(0.85, 1.15) for _ in range(4096)]
    diurnal = _diurnal()
    scales = [rng.lognormvariate(0, 1) for _ in shows]
    hourly = [_prefixes(source_ids, s, n, HOURLY) for n, s in enumerate(shows)]
    daily = [_prefixes(source_ids, s, n, DAILY) for n, s in enumerate(shows)]
    weekly = [_prefixes(source_ids, s, n, WEEKLY) for n, s in enumerate(shows)]
    buf = io.StringIO()
    k = 0
    for h in range(hours):
        t = start + timedelta(hours=h)
        stamp, fetched = _stamp(t), _stamp(t + timedelta(hours=1))
        groups = [(hourly, h)]
        if t.hour == 0:
            groups.append((daily, h // 24))
            if t.weekday() == 0:
                groups.append((weekly, h // 168))
        for series, step in groups:
            for n, prefixes in enumerate(series):
                scale = scales[n]
                for prefix, kind, base in prefixes:
                    k += 1
                    value = _value(kind, base, scale, step, noise[k & 4095], diurnal[t.hour])
                    buf.write(f"{prefix}{stamp}\t{value}\t{fetched}\t{{}}\n")
        if buf.tell() > 4_000_000:
            yield buf.getvalue()
            buf = io.StringIO()
    yield buf.getvalue()


def _constraints(conn) -> tuple[list[str], list[str]]:
    """Foreign keys, unique constraints and indexes of source_snapshots (not the primary key), as DDL."""
    cons = conn.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = 'source_snapshots'::regclass AND contype <> 'p'"
    ).fetchall()
    idx = conn.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'source_snapshots' "
        "AND indexname NOT IN (SELECT conname FROM pg_constraint "
        "WHERE conrelid = 'source_snapshots'::regclass)"
    ).fetchall()
    drops = [f'ALTER TABLE source_snapshots DROP CONSTRAINT "{n}"' for n, _ in cons]
    drops += [f'DROP INDEX "{n}"' for n, _ in idx]
    creates = [d for _, d in idx]
    creates += [f'ALTER TABLE source_snapshots ADD CONSTRAINT "{n}" {d}' for n, d in cons]
    return drops, creates


def load(dsn: str, *, shows: int, days: int = 365, log=print) -> Dataset:
    sources_setup()
    source_ids = dict(Source.objects.values_list("key", "id"))
    data_shows, watched = create_shows(shows)
    end = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(hours=1)
    start = end - timedelta(days=days) + timedelta(hours=1)
    began = time.monotonic()
    with psycopg.connect(dsn) as conn:
        # Loading without the indexes and building them once after is how a bulk load is done; the
        # indexes and constraints are then exactly the migrations' ones.
        drops, creates = _constraints(conn)
        for sql in drops:
            conn.execute(sql)
        with conn.cursor() as cur, cur.copy(f"COPY source_snapshots ({COLUMNS}) FROM STDIN") as copy:
            for chunk in generate(source_ids, data_shows, start, days * 24):
                copy.write(chunk)
        log(f"  copied in {time.monotonic() - began:.0f}s; building indexes")
        conn.execute("SET maintenance_work_mem = '1GB'")
        for sql in creates:
            conn.execute(sql)
        conn.commit()
    # COPY passes by the upsert that keeps the rollups: build them once, as the migration does.
    rolled = time.monotonic()
    with transaction.atomic():
        rollups_rebuild()
    log(f"  rollups built in {time.monotonic() - rolled:.0f}s")
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE source_snapshots")
        conn.execute("VACUUM ANALYZE source_snapshot_rollups")
        rows = conn.execute("SELECT count(*) FROM source_snapshots").fetchone()[0]
    return Dataset(data_shows, watched, start, end, rows, time.monotonic() - began)
