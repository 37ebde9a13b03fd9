"""`make bench`: speed of the merged-series endpoint and memory of the streamed export, on a year of data.

Runs on a throwaway database (created and dropped here) of the configured engine, so the figures are
for Postgres when DATABASE_URL points there. Prints figures; asserts nothing.
"""

import statistics
import time
import tracemalloc
from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from shows.models import Show
from sources.models import Snapshot, Source
from sources.services import sources_setup

SOURCES_METRICS = [
    ("wikipedia", "pageviews", "en.wikipedia"), ("google_trends", "interest", "US"),
    ("x", "post_count", "global"), ("reddit", "mentions", "global"), ("tiktok", "views", "global"),
    ("youtube", "views", "global"), ("flixpatrol", "rank", "US"), ("flixpatrol", "rank", "world"),
    ("kalshi", "last_price", "KXNETFLIXRANKSHOW-26DEC07-WED"),
]  # fmt: skip


class Command(BaseCommand):
    help = "Benchmark the metrics endpoint and the streamed export on a year of hourly data."

    def add_arguments(self, parser):
        parser.add_argument("--other-shows", type=int, default=200)
        parser.add_argument("--repeat", type=int, default=5)

    def handle(self, *args, other_shows: int, repeat: int, **options):
        old_name = connection.settings_dict["NAME"]
        connection.settings_dict.setdefault("TEST", {})["NAME"] = "bench_kalshi_predictions"
        if connection.vendor == "sqlite":
            connection.settings_dict["TEST"]["NAME"] = str(connection.settings_dict["NAME"]) + ".bench"
        connection.creation.create_test_db(verbosity=0, autoclobber=True)
        try:
            with override_settings(KP_PUBLIC_READ=True, DEBUG=False):
                self._bench(other_shows, repeat)
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)

    def _bench(self, other_shows: int, repeat: int) -> None:
        sources_setup()
        sources = {s.key: s for s in Source.objects.all()}
        now = timezone.now().replace(minute=0, second=0, microsecond=0)
        hours = [now - timedelta(hours=h) for h in range(366 * 24)]
        target = Show.objects.create(title="Bench Show", on_watchlist=True)
        began = time.monotonic()
        rows = [
            Snapshot(source=sources[key], show=target, metric=metric, scope=scope, period="hour",
                     observed_at=t, value=float(i % 997), fetched_at=now)
            for key, metric, scope in SOURCES_METRICS
            for i, t in enumerate(hours)
        ]  # fmt: skip
        others = Show.objects.bulk_create(
            Show(title=f"Other {n}", normalized_title=f"other {n}", normalized_name=f"other {n}")
            for n in range(other_shows)
        )
        days = [now - timedelta(days=d) for d in range(366)]
        rows += [
            Snapshot(source=sources["wikipedia"], show=o, metric="pageviews", scope="en.wikipedia",
                     period="day", observed_at=t, value=1.0, fetched_at=now)
            for o in others
            for t in days
        ]  # fmt: skip
        Snapshot.objects.bulk_create(rows, batch_size=5000)
        self.stdout.write(
            f"data: {len(rows):,} snapshots ({len(SOURCES_METRICS)} hourly series x 366 days for the "
            f"show, {other_shows} other shows daily) loaded in {time.monotonic() - began:.1f}s "
            f"on {connection.vendor}"
        )
        client = Client()
        self.stdout.write(f"GET /api/shows/<id>/metrics (median of {repeat}):")
        for window in ("24h", "7d", "30d", "90d", "1y"):
            url = f"/api/shows/{target.id}/metrics?window={window}"
            times = []
            for _ in range(repeat):
                reset_queries()
                with CaptureQueriesContext(connection) as queries:
                    t0 = time.perf_counter()
                    response = client.get(url, HTTP_ACCEPT="application/json")
                    times.append((time.perf_counter() - t0) * 1000)
            data = response.json()
            points = sum(len(s["points"]) for s in data["series"])
            self.stdout.write(
                f"  window={window:>4} resolution={data.get('resolution', '?'):>4}: "
                f"{statistics.median(times):7.1f} ms, {len(queries)} queries, "
                f"{len(data['series'])} series, {points:,} points"
            )
        tracemalloc.start()
        t0 = time.perf_counter()
        response = client.get(f"/api/snapshots?format=csv&show={target.id}")
        size = lines = 0
        for chunk in response.streaming_content:
            size += len(chunk)
            lines += chunk.count(b"\n")
        elapsed = time.perf_counter() - t0
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        self.stdout.write(
            f"GET /api/snapshots?format=csv (one show, a year hourly): {lines - 1:,} rows, "
            f"{size / 1e6:.1f} MB in {elapsed:.2f}s, peak Python memory {peak / 1e6:.1f} MB"
        )
