"""Beat's scheduler: django-celery-beat's DatabaseScheduler, made to outlive a database outage.

django-celery-beat 2.9.0 catches database errors where it checks for changes and where it saves run
times, but not in its full re-read (`schedule` -> `all_as_schedule`, forced every 5 minutes): an outage
covering that moment raised OperationalError out of `tick` and beat exited (issue 22, 2 of 2 outages that
covered the resync). Beat also sends the reaper's sweeps, so with it gone a run left `started` stayed so.

Here a failed re-read keeps the last schedule that was read (beat goes on sending what it knew) and is
tried again after a backoff (BEAT_RETRY_FIRST_SECONDS, doubling to BEAT_RETRY_MAX_SECONDS), logging
each failure; any other database error inside a tick waits the same backoff instead of ending beat.
"""

import datetime
import logging
import time

from django.conf import settings
from django.db import InterfaceError, OperationalError, close_old_connections
from django.db.utils import DatabaseError
from django_celery_beat.schedulers import DatabaseScheduler

log = logging.getLogger(__name__)
DATABASE_ERRORS = (DatabaseError, InterfaceError, OperationalError)
BEAT_RETRY_FIRST_SECONDS = 1.0
BEAT_RETRY_MAX_SECONDS = 30.0


class ResilientDatabaseScheduler(DatabaseScheduler):
    _failures = 0
    _retry_at: float | None = None  # time.monotonic() of the next re-read after a failed one

    def _failed(self, what: str, exc: BaseException) -> float:
        """Record a failure; the seconds to wait before the next try (doubling, capped)."""
        self._failures += 1
        wait = min(BEAT_RETRY_FIRST_SECONDS * 2 ** (self._failures - 1), BEAT_RETRY_MAX_SECONDS)
        log.warning(
            "beat: %s failed (%s: %s), failure %d in a row; keeping the last schedule read "
            "(%d entries), trying again in %.0fs",
            what,
            type(exc).__name__,
            str(exc).strip().splitlines()[0] if str(exc).strip() else "",
            self._failures,
            len(self._schedule or {}),
            wait,
        )
        # A connection the outage broke must not be reused: the next try opens a new one.
        try:
            close_old_connections()
        except DATABASE_ERRORS:
            pass
        return wait

    def all_as_schedule(self):
        try:
            schedule = super().all_as_schedule()
        except DATABASE_ERRORS as exc:
            self._retry_at = time.monotonic() + self._failed("reading the schedule", exc)
            # {} only before any read succeeded (beat started while the database was down).
            return self._schedule if self._schedule is not None else {}
        if self._failures:
            log.info("beat: the schedule was read again after %d failed tries", self._failures)
        self._failures, self._retry_at = 0, None
        return schedule

    @property
    def schedule(self):
        # A re-read that failed is tried again once its backoff has passed, not 5 minutes later.
        due = self._retry_at is not None and time.monotonic() >= self._retry_at
        if self._last_full_sync is not None and not due:
            since = (datetime.datetime.now() - self._last_full_sync).total_seconds()
            due = since >= settings.BEAT_RESYNC_SECONDS  # the parent's 5 minutes, or sooner when set
        if due:
            self._retry_at = None
            # Seen by the parent as "last full read long ago": it reads everything now.
            self._last_full_sync = datetime.datetime.min
        return super().schedule

    def tick(self, *args, **kwargs):
        try:
            wait = super().tick(*args, **kwargs)
        except DATABASE_ERRORS as exc:
            # Any other database call of a tick (an expired entry disabled, a one-off saved): wait,
            # keep what is known, try again; beat's loop sleeps the seconds returned.
            return self._failed("a tick", exc)
        if self._retry_at is None:
            self._failures = 0
        return wait
