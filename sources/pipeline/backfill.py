"""Load a source's history in windows through the pipeline (the `backfill` command and the task run when
a show joins the watchlist).

Each window is an ordinary pipeline run with `backfill=True`, so every window is a recorded FetchRun and
a failure leaves the windows before it stored. A runner supports this by accepting
`ctx.options["backfill"]`, `["since"]`, `["until"]` (ISO dates; until exclusive) and `["show"]`, and by
naming where its history starts (`Runner.backfill_start`, a date) and, optionally, a window size
(`backfill_chunk`, a timedelta). `backfill_per_show = True` marks runners whose history is per show, so
a newly watched show gets its own. `["reuse"]` is one dict shared by all windows of a backfill, in which
a runner may keep what it downloaded so later windows need not download it again.

A per-show source's backfill of the whole watchlist runs each window SHOWS_PER_RUN shows at a time
(`["shows"]`, one pipeline run each), so what a run holds (responses, snapshots, the stored rows the
upsert compares them with) follows the batch, not the watchlist: one 366-day Wikipedia window of 200
shows peaked at 799 MB as a single run.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import timezone

from sources import registry
from sources.base import Runner
from sources.models import FetchRun, Source
from sources.pipeline import backfill_progress
from sources.pipeline import runs as pipeline
from sources.selectors import watched_shows

log = logging.getLogger(__name__)
SHOWS_PER_RUN = 5


class BackfillError(Exception):
    pass


class SourceBusy(BackfillError):
    """A window met its source's lock held by another run. Nothing is lost: the backfill goes on from
    `since` once that run is over (the backfill_show task retries)."""

    def __init__(self, message: str, *, since: date):
        super().__init__(message)
        self.since = since


@dataclass
class Totals:
    windows: int = 0
    items: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    runs: list[FetchRun] = field(default_factory=list)


def backfill_windows(start: date, end: date, chunk: timedelta) -> list[tuple[date, date | None]]:
    """Consecutive [since, until) windows from start; the last one is open so nothing newer is missed."""
    windows: list[tuple[date, date | None]] = []
    since = start
    while since + chunk <= end:
        windows.append((since, since + chunk))
        since += chunk
    windows.append((since, None))
    return windows


def show_batches(runner: Runner, show: dict | None) -> list[dict]:
    """The pipeline options naming the shows of each run of a window."""
    if show:
        return [{"show": show}]
    ids = [s.id for s in watched_shows()] if runner.backfill_per_show else []
    if not ids:
        return [{}]
    return [{"shows": ids[i : i + SHOWS_PER_RUN]} for i in range(0, len(ids), SHOWS_PER_RUN)]


def backfill_runner(key: str) -> Runner:
    runner = registry.get_runner(key)
    if runner.backfill_start is None:
        raise BackfillError(f"source {key!r} does not support backfill (its runner has no backfill_start)")
    return runner


def per_show_sources() -> list[str]:
    """Sources whose history is kept per show, so a newly watched show can be backfilled alone."""
    keys = []
    for key in registry.specs():
        try:
            runner = registry.get_runner(key)
        except Exception:  # a broken runner must not stop the others' backfill
            log.exception("runner %s cannot be loaded for backfill", key)
            continue
        if runner.backfill_per_show and runner.backfill_start:
            keys.append(key)
    return keys


def source_backfill(
    key: str,
    *,
    show: dict | None = None,
    since: date | None = None,
    until: date | None = None,
    chunk: timedelta | None = None,
    on_window: Callable[[int, int, date, date | None, FetchRun], None] | None = None,
) -> Totals:
    """`until` is the last day to load (inclusive); without it the last window stays open."""
    runner = backfill_runner(key)
    if not Source.objects.filter(key=key).exists():
        raise BackfillError("sources are not set up; run: python manage.py setup_sources")
    start = runner.backfill_start
    chunk = chunk or runner.backfill_chunk
    first = max(since or start, start)
    if until is None:
        windows = backfill_windows(first, timezone.now().date(), chunk)
    elif until < first:
        raise BackfillError(f"{key}: nothing to load, --until {until} is before {first}")
    else:
        end = until + timedelta(days=1)
        windows = [(s, min(u or end, end)) for s, u in backfill_windows(first, end, chunk) if s < end]
    last_day = until  # `until` names each window's end in the loop below
    batches = show_batches(runner, show)
    runs = [(window, batch) for window in windows for batch in batches]
    reuse: dict = {}
    totals = Totals()
    for n, ((window_since, until), batch) in enumerate(runs, 1):
        run = pipeline.run(
            key,
            backfill=True,
            since=window_since.isoformat(),
            until=until.isoformat() if until else None,
            reuse=reuse,
            **batch,
        )
        if run is None:
            source = Source.objects.get(key=key)
            raise BackfillError(f"{key} did not run: {source.health}. {source.last_error}".strip())
        if run.status in (FetchRun.Status.FAILED, FetchRun.Status.SKIPPED):
            stored = "Windows before it are stored" if totals.windows else "Nothing was stored yet"
            resume = f"--since {window_since}" + (f" --until {last_day}" if last_day else "")
            if run.status == FetchRun.Status.SKIPPED and run.error == pipeline.LOCK_HELD:
                message = f"{key}: window from {window_since} not run yet: {run.error}"
                raise SourceBusy(f"{message}\n{stored}; go on with: {resume}", since=window_since)
            raise BackfillError(
                f"{key}: window from {window_since} {run.status}: {run.error}\n{stored}; go on with: {resume}"
            )
        totals.windows += 1
        totals.runs.append(run)
        for name in ("items", "created", "updated", "unchanged"):
            setattr(totals, name, getattr(totals, name) + getattr(run, name))
        if on_window:
            on_window(n, len(runs), window_since, until, run)
    return totals


def show_backfill(
    *, show_id: int, resume: dict[str, str] | None = None
) -> dict[str, Totals | str | SourceBusy]:
    """Backfill one show from each per-show source; one source failing does not stop the others.

    A source whose lock was held comes back as its SourceBusy; `resume` ({key: ISO date}) then backfills
    only those sources, each from the window where it stopped.
    """
    results: dict[str, Totals | str | SourceBusy] = {}
    for key in list(resume) if resume is not None else per_show_sources():
        since = date.fromisoformat(resume[key]) if resume is not None else None
        try:
            # /sources shows its progress like a command's (sources/pipeline/backfill_progress.py).
            on_window = backfill_progress.reporter(key)
            results[key] = source_backfill(key, show={"id": show_id}, since=since, on_window=on_window)
        except SourceBusy as exc:
            log.info("backfill of show %s from %s waits for the lock: %s", show_id, key, exc)
            results[key] = exc
        except BackfillError as exc:
            log.warning("backfill of show %s from %s stopped: %s", show_id, key, exc)
            backfill_progress.stopped(key, str(exc))
            results[key] = str(exc)
    return results
