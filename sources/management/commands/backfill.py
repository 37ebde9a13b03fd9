"""`manage.py backfill <source> [--show ID] [--since DATE]`: load a source's history through the pipeline.

The history is loaded in windows (`since`/`until` dates), each one ordinary pipeline run with
`backfill=True`, so every window is a recorded FetchRun, progress is shown as windows finish, and a
failure leaves the windows before it stored (rerun with --since to go on). A runner supports this by
accepting `ctx.options["backfill"]`, `["since"]`, `["until"]` (ISO dates; until exclusive) and
`["show"]`, and by naming where its history starts (`backfill_start`, a date) and, optionally, a
window size (`backfill_chunk`, a timedelta). `["reuse"]` is one dict shared by all windows, in which a
runner may keep what it downloaded so later windows need not download it again.
"""

import time
from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from shows.models import Show
from sources import pipeline
from sources.models import FetchRun, Source
from sources.registry import SOURCES, NotBuilt, get_runner

DEFAULT_CHUNK = timedelta(weeks=26)
BAR_WIDTH = 24


def backfill_windows(start: date, end: date, chunk: timedelta) -> list[tuple[date, date | None]]:
    """Consecutive [since, until) windows from start; the last one is open so nothing newer is missed."""
    windows: list[tuple[date, date | None]] = []
    since = start
    while since + chunk <= end:
        windows.append((since, since + chunk))
        since += chunk
    windows.append((since, None))
    return windows


def _bar(done: int, total: int) -> str:
    filled = round(BAR_WIDTH * done / total)
    return "[" + "#" * filled + "-" * (BAR_WIDTH - filled) + f"] {100 * done // total:3d}%"


class Command(BaseCommand):
    help = "Load a source's history (e.g. every Tudum week since 2021) through the pipeline, with progress."

    def add_arguments(self, parser):
        parser.add_argument("key", choices=list(SOURCES))
        parser.add_argument("--show", help="id of one show to load (default: every show)")
        parser.add_argument(
            "--since", type=date.fromisoformat, help="first date to load, YYYY-MM-DD (default: all)"
        )
        parser.add_argument("--chunk-days", type=int, help="days per window (default: the source's)")

    def handle(self, *args, key: str, show: str | None, since: date | None, chunk_days, **options):
        try:
            runner = get_runner(key)
        except NotBuilt as exc:
            raise CommandError(str(exc)) from None
        start = getattr(runner, "backfill_start", None)
        if start is None:
            raise CommandError(f"source {key!r} does not support backfill (its runner has no backfill_start)")
        if not Source.objects.filter(key=key).exists():
            raise CommandError("sources are not set up; run: python manage.py setup_sources")
        if chunk_days is not None and chunk_days < 1:
            raise CommandError("--chunk-days must be at least 1")
        chunk = timedelta(days=chunk_days) if chunk_days else getattr(runner, "backfill_chunk", DEFAULT_CHUNK)
        windows = backfill_windows(max(since or start, start), timezone.now().date(), chunk)
        extra = {"show": self._show(show)} if show else {}
        reuse: dict = {}
        totals = {"items": 0, "created": 0, "updated": 0, "unchanged": 0}
        began = time.monotonic()
        for n, (window_since, until) in enumerate(windows, 1):
            run = pipeline.run(
                key,
                backfill=True,
                since=window_since.isoformat(),
                until=until.isoformat() if until else None,
                reuse=reuse,
                **extra,
            )
            self._check(key, run, window_since)
            for field in totals:
                totals[field] += getattr(run, field)
            label = f"{window_since} … {until - timedelta(days=1) if until else 'now'}"
            self.stdout.write(
                f"{_bar(n, len(windows))} {n}/{len(windows)} {label}: {run.status}, {run.items} values "
                f"({run.created} new, {run.updated} updated, {run.unchanged} unchanged)"
            )
            if run.error:
                self.stdout.write(f"    {run.error}")
        self.stdout.write(
            self.style.SUCCESS(
                f"{key}: backfilled {totals['items']} values in {time.monotonic() - began:.1f}s: "
                f"{totals['created']} new, {totals['updated']} updated, {totals['unchanged']} unchanged"
            )
        )

    def _show(self, ref: str) -> dict:
        show = Show.objects.filter(pk=int(ref)).first() if ref.isdigit() else None
        if show is None:
            raise CommandError(f"no show with id {ref!r}")
        return {"id": show.id, "title": show.title, "season": show.season}

    def _check(self, key: str, run: FetchRun | None, window_since: date) -> None:
        if run is None:
            source = Source.objects.get(key=key)
            raise CommandError(f"{key} did not run: {source.health}. {source.last_error}".strip())
        if run.status in (FetchRun.Status.FAILED, FetchRun.Status.SKIPPED):
            raise CommandError(
                f"{key}: window from {window_since} {run.status}: {run.error}\n"
                f"Windows before it are stored; go on with: --since {window_since}"
            )
