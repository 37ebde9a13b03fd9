"""`manage.py backfill <source> [--show ID] [--since DATE] [--until DATE]`: load a source's history
through the pipeline."""

import time
from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandError

from shows.models import Show
from sources import registry
from sources.pipeline import backfill_progress
from sources.pipeline.backfill import BackfillError, source_backfill

BAR_WIDTH = 24


def _bar(done: int, total: int) -> str:
    filled = round(BAR_WIDTH * done / total)
    return "[" + "#" * filled + "-" * (BAR_WIDTH - filled) + f"] {100 * done // total:3d}%"


class Command(BaseCommand):
    help = "Load a source's history (e.g. every Tudum week since 2021) through the pipeline, with progress."

    def add_arguments(self, parser):
        parser.add_argument("key", choices=registry.keys())
        parser.add_argument("--show", help="id of one show to load (default: every watched show)")
        parser.add_argument(
            "--since", type=date.fromisoformat, help="first date to load, YYYY-MM-DD (default: all)"
        )
        parser.add_argument(
            "--until", type=date.fromisoformat, help="last date to load, YYYY-MM-DD (default: up to now)"
        )
        parser.add_argument("--chunk-days", type=int, help="days per window (default: the source's)")

    def handle(
        self, *args, key: str, show: str | None, since: date | None, until: date | None, chunk_days, **options
    ):
        if chunk_days is not None and chunk_days < 1:
            raise CommandError("--chunk-days must be at least 1")
        if since and until and until < since:
            raise CommandError(f"--until {until} is before --since {since}")
        began = time.monotonic()
        live = backfill_progress.reporter(key)  # /sources shows it, updated by an SSE event per window

        def progress(n, total, window_since, until, run):
            live(n, total, window_since, until, run)
            label = f"{window_since} … {until - timedelta(days=1) if until else 'now'}"
            self.stdout.write(
                f"{_bar(n, total)} {n}/{total} {label}: {run.status}, {run.items} values "
                f"({run.created} new, {run.updated} updated, {run.unchanged} unchanged)"
            )
            if run.error:
                self.stdout.write(f"    {run.error}")

        try:
            totals = source_backfill(
                key,
                show=self._show(show) if show else None,
                since=since,
                until=until,
                chunk=timedelta(days=chunk_days) if chunk_days else None,
                on_window=progress,
            )
        except BackfillError as exc:
            backfill_progress.stopped(key, str(exc))
            raise CommandError(str(exc)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"{key}: backfilled {totals.items} values in {time.monotonic() - began:.1f}s: "
                f"{totals.created} new, {totals.updated} updated, {totals.unchanged} unchanged"
            )
        )

    def _show(self, ref: str) -> dict:
        show = Show.objects.filter(pk=int(ref)).first() if ref.isdigit() else None
        if show is None:
            raise CommandError(f"no show with id {ref!r}")
        return {"id": show.id, "title": show.title, "season": show.season}
