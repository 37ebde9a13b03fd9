"""The one path every source runs through (docs/architecture.md, "One run"):

lock -> FetchRun -> fetch -> RawEvent -> normalize -> upsert -> Redis latest -> event -> health.
Runners only fetch and normalize; everything stateful happens here.
"""

import copy
import logging
from dataclasses import replace
from datetime import datetime

import redis
from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from core import cache, credentials, http
from core.locks import SourceLock
from core.redact import redact
from core.text import clip
from shows.identity import show_refs_resolve
from sources.base import FetchContext, SnapshotIn, SourceError
from sources.dispatch import run_committed
from sources.live import events
from sources.live.payloads import latest_payload, run_payload
from sources.models import FetchRun, Source
from sources.pipeline import health, hold, quota
from sources.pipeline.raw_events import raw_events_store
from sources.pipeline.store import snapshots_upsert
from sources.pipeline.validation import snapshots_checked
from sources.registry import get_runner
from sources.selectors import watched_shows

log = logging.getLogger(__name__)
LOCK_HELD = "another run of this source is still in progress"
NOTHING_TO_FETCH = "nothing to fetch: the run made no request and has no value to store"


def run(key: str, *, now: datetime | None = None, **options) -> FetchRun | None:
    """Run one source once. Returns its FetchRun, or None when the source may not run now."""
    source = Source.objects.select_related("periodic_task__interval").get(key=key)
    now = now or timezone.now()
    if not source.enabled:
        return None
    runner = get_runner(key)
    missing = credentials.missing(key)
    if missing:
        # Not a failure: nothing can change until someone sets the variables, so no run and no retry.
        _set_source(
            source,
            last_error=f"missing credentials: {', '.join(missing)}",
            health=Source.Health.NEEDS_CREDENTIALS,
        )
        return None
    if hold.still_held(source):
        # Held by a permanent error: running would only repeat it (and spend quota) until the
        # source's settings change (still_held releases it then) or an admin releases it.
        return None
    lock = SourceLock(key)
    if not lock.acquire():
        return FetchRun.objects.create(
            source=source,
            status=FetchRun.Status.SKIPPED,
            finished_at=timezone.now(),
            error=LOCK_HELD,
            backfill=bool(options.get("backfill")),
        )
    unrecorded = ""
    try:
        return _run_locked(source, runner, now, options, lock)
    except BaseException as exc:  # the run could not record its end; the reaper writes this on it
        unrecorded = f"{type(exc).__name__}: {exc}"
        raise
    finally:
        lock.release(unrecorded=unrecorded)


def _run_locked(source: Source, runner, now: datetime, options: dict, lock: SourceLock) -> FetchRun:
    ctx = FetchContext(
        base_url=settings.SOURCE_BASE_URLS[source.key],
        shows=watched_shows(show_id=(options.get("show") or {}).get("id"), show_ids=options.get("shows")),
        now=now,
        options=options,
        state=copy.deepcopy(source.state or {}),  # a failed run must not keep in-place edits
    )
    over_quota = quota.preflight(source.key, runner, ctx)
    if over_quota:  # not a failure: the budget comes back by itself, and spending it on errors helps no one
        return FetchRun.objects.create(
            source=source, status=FetchRun.Status.SKIPPED, finished_at=timezone.now(), error=over_quota
        )
    fetch_run = FetchRun.objects.create(source=source, backfill=bool(options.get("backfill")))
    lock.track(fetch_run.id)
    error, items, permanent = "", [], False
    deadline = http.run_deadline(settings.RUN_DEADLINE_SECONDS)
    try:
        with deadline, http.body_limit(source.key):
            to_normalize = runner.fetch(ctx)
    except SourceError as exc:
        permanent = exc.permanent
        error = f"{'permanent' if exc.permanent else 'temporary'}: {exc}"
    except Exception as exc:  # a bug in one runner must still end in a recorded, failed run
        log.exception("runner %s crashed", source.key)
        error = f"unexpected {type(exc).__name__}: {exc}"
    if error and deadline.passed and "deadline" not in error:
        error = f"{error} (run deadline of {deadline.seconds}s exceeded)"
    quota.record(source.key, ctx.quota, now)
    try:
        raw_events_store(source, fetch_run, ctx.responses)
    except DatabaseError as exc:
        # The database went away mid-run (a restart): fail the run, recorded if it is back by now.
        log.exception("storing raw responses of %s failed", source.key)
        error = f"storing raw responses failed: {type(exc).__name__}: {exc}" + (f"; {error}" if error else "")
        if not connection.in_atomic_block:
            connection.close_if_unusable_or_obsolete()  # the next query reconnects
    if not error:
        try:
            items = runner.normalize(to_normalize)
        except Exception as exc:  # malformed upstream body: fail the run, keep stored rows
            log.warning("normalizing %s failed: %s", source.key, exc)
            error = f"malformed response: {type(exc).__name__}: {exc}"
    if not error:
        error = _checked(source.key, ctx, items)
        if error == NOTHING_TO_FETCH:
            return _skipped(fetch_run)
    counts = None
    if not error:
        try:
            # One transaction: snapshots, the shows they create and the extra rows land together or not
            # at all, and the run is still recorded if storing fails.
            with transaction.atomic():
                lock.claim_check()  # a run that lost its claim to another stops before it writes
                items = _resolve_shows(source.key, items)
                counts = snapshots_upsert(source=source, items=items, fetched_at=timezone.now())
                runner.store_extra(to_normalize)
        except Exception as exc:
            log.exception("storing %s failed", source.key)
            error, counts = f"storing failed: {type(exc).__name__}: {exc}", None
    return _finish(source, fetch_run, ctx, items, counts, error, hold_it=bool(error and permanent))


def _checked(source_key: str, ctx: FetchContext, items: list[SnapshotIn]) -> str:
    """Drop values outside their metric's range (as item errors, in place) and say why a run that
    is left with nothing to store is not a success ("" when it is)."""
    items[:], refused = snapshots_checked(source_key=source_key, items=items)
    ctx.item_errors.extend(refused)
    if items:
        return ""
    if ctx.item_errors:
        return "nothing stored: " + "; ".join(ctx.item_errors)
    if not ctx.responses and not ctx.options.get("backfill"):
        # A live run that asked nothing (no watched show has what the source needs) proves nothing.
        # A backfill window served from what an earlier window downloaded is done, but proves nothing
        # about the upstream either: _finish leaves last_success_at alone for both.
        return NOTHING_TO_FETCH
    # The upstream answered and had nothing new (a 304, an hourly file not yet published, a window
    # before the show existed). An empty answer where data must be is for the runner to name as an
    # item error (e.g. Wikipedia's {"items": []}), which makes this run failed above.
    return ""


def _skipped(fetch_run: FetchRun) -> FetchRun:
    """Recorded, but the source row is left alone: no success, no failure, no event."""
    fetch_run.status, fetch_run.error = FetchRun.Status.SKIPPED, NOTHING_TO_FETCH
    fetch_run.finished_at = timezone.now()
    fetch_run.save(update_fields=["status", "error", "finished_at"])
    return fetch_run


def _resolve_shows(source_key: str, items: list[SnapshotIn]) -> list[SnapshotIn]:
    """Give items that name a show (show_ref) the id of its canonical show, when it has one."""
    refs = {i.show_ref for i in items if i.show_ref is not None and i.show_id is None}
    if not refs:
        return items
    ids = show_refs_resolve(source_key=source_key, refs=refs)
    return [
        replace(i, show_id=ids.get(i.show_ref)) if i.show_ref is not None and i.show_id is None else i
        for i in items
    ]


# What a run's end writes on its source, and what others write meanwhile (admin, sources/pipeline/hold.py).
RUN_WRITES = ["last_run_at", "last_error", "consecutive_failures", "last_success_at"]
RUN_WRITES += ["state", "latest_payload", "health"]
HOLD_FIELDS = ["held_at", "held_reason", "held_fingerprint"]
OTHERS_WRITE = ["enabled", "held_at", "held_reason", "held_fingerprint", "consecutive_failures"]


def _finish(source, fetch_run, ctx, items, counts, error, hold_it=False) -> FetchRun:
    finished = timezone.now()
    fetch_run.finished_at = finished
    fetch_run.requests = len(ctx.responses)
    fetch_run.items = len(items)
    if error:
        fetch_run.status = FetchRun.Status.FAILED
        fetch_run.error = clip(redact(error))
    else:
        fetch_run.status = FetchRun.Status.PARTIAL if ctx.item_errors else FetchRun.Status.OK
        fetch_run.error = clip(redact("; ".join(ctx.item_errors)))
        fetch_run.created, fetch_run.updated, fetch_run.unchanged = (
            counts.created,
            counts.updated,
            counts.unchanged,
        )
    fetch_run.save()

    # Only what a run decides is written back: the row was read when the run began, and an admin edit
    # made since (enabled, a hold released, a cadence) must not be undone by a long run ending.
    source.refresh_from_db(fields=OTHERS_WRITE)
    if hold_it:
        hold.source_hold(source=source, reason=clip(redact(error)))
    source.last_run_at = finished
    source.last_error = fetch_run.error
    if error:
        source.consecutive_failures += 1
    else:
        if ctx.responses:
            # Health comes from real answers: a backfill window served from what an earlier window
            # downloaded says nothing about whether the upstream answers now.
            source.consecutive_failures = 0
            source.last_success_at = finished
        source.state = ctx.state
        source.latest_payload = latest_payload(source, fetch_run, items, finished)
    source.health = health.compute(source, finished)
    source.save(update_fields=RUN_WRITES + (HOLD_FIELDS if hold_it else []))

    if error:
        events.announce(source.key, "run", run_payload(source, fetch_run, finished))
    else:
        try:
            cache.latest_set(source.key, source.latest_payload)
        except redis.RedisError as exc:
            log.warning("could not refresh source:%s:latest: %s", source.key, exc)
        show_ids = {i.show_id for i in items if i.show_id}
        events.announce(source.key, "snapshot", source.latest_payload, show_ids=show_ids)
        transaction.on_commit(lambda: run_committed.send(sender=Source, key=source.key, run=fetch_run))
    return fetch_run


def _set_source(source: Source, **fields) -> None:
    changed = {k: v for k, v in fields.items() if getattr(source, k) != v}
    if changed:
        for k, v in changed.items():
            setattr(source, k, v)
        source.save(update_fields=list(changed))
