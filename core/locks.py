"""The per-source run lock: one run of a source at a time, freed within seconds when its worker dies.

The lock is a Redis key with a short TTL (SOURCE_LOCK_TTL_SECONDS) that a heartbeat thread renews every
third of it while the run is alive, and that the run releases when it ends (only if it still holds its
token). A worker killed mid-run stops renewing, so the lock expires within one TTL instead of after the
task time limit. Each beat also stamps the run in HEARTBEATS, from which the reaper
(`sources.services.runs_reap`) tells a run still going from one whose worker is gone.

On Postgres the run also claims its source where the rows are: a session advisory lock on the run's
database connection. Redis is the fast path; the claim is what holds when Redis forgets (issue 22: after
a Redis restart two workers ran one source at once). Postgres frees the claim itself when the worker's
connection ends, so a killed worker never leaves it behind.
"""

import json
import logging
import os
import socket
import threading
import time
import uuid

import redis
from django.conf import settings
from django.db import DatabaseError, connection
from redis.exceptions import LockError, LockNotOwnedError

from core import cache

log = logging.getLogger(__name__)
LOCK_KEY = "lock:source:{key}"
# Hash: FetchRun id -> {"at": epoch seconds of the last beat, "worker": "host:pid"}, or, for a run that
# ended without recording its result, {"at": ..., "ended": "<why>"}.
HEARTBEATS = "kp:run-heartbeats"
# The advisory lock's first key: the space of source claims (the second is hashtext(source key)).
CLAIM_SPACE = 22_0001
# Whether this session holds the claim: pg_locks shows a two-key advisory lock as classid, objid (the
# second key as an unsigned oid) and objsubid 2.
HELD = """SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted
          AND pid = pg_backend_pid() AND objsubid = 2 AND classid = %s
          AND objid = (hashtext(%s)::bigint & 4294967295)::text::oid)"""


class ClaimLost(Exception):  # noqa: N818 - a state, named as the run's error says it
    """The run's database claim on its source is held by another run: it must not write."""


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class SourceLock:
    def __init__(self, key: str, *, ttl: int | None = None):
        self.key = key
        self.ttl = ttl or settings.SOURCE_LOCK_TTL_SECONDS
        self.worker = worker_name()
        self.token = f"{self.worker}:{uuid.uuid4().hex}"
        # thread_local=False: the heartbeat thread must see the token the run's thread acquired with.
        self._lock = cache.redis_client().lock(
            LOCK_KEY.format(key=key), timeout=self.ttl, blocking=False, thread_local=False
        )
        self._run_id: int | None = None
        self._claimed = False
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def acquire(self) -> bool:
        """False if another run holds the lock or the claim. With Redis down the run goes on the
        database claim alone (on SQLite, the embedded default of one machine, unlocked: the database's
        unique keys still keep a concurrent run from duplicating rows)."""
        locked = False
        try:
            if not self._lock.acquire(token=self.token):
                return False
            locked = True
        except redis.RedisError as exc:
            log.warning("running %s without its redis lock (%s)", self.key, exc)
        try:
            claimed = self._claim("pg_try_advisory_lock")
        except BaseException:  # the database is down: no run; the task retries (sources/tasks.py)
            if locked:
                self._free_redis_lock()
            raise
        self._claimed = claimed
        if not claimed:
            log.warning("%s: another run holds its database claim (its redis lock was lost)", self.key)
            if locked:
                self._free_redis_lock()
            return False
        self._thread = threading.Thread(target=self._beat, name=f"heartbeat-{self.key}", daemon=True)
        self._thread.start()
        return True

    def track(self, run_id: int) -> None:
        """From now on each beat also says that this FetchRun is alive."""
        self._run_id = run_id
        self._stamp()

    def release(self, *, unrecorded: str = "") -> None:
        """End the heartbeat and free the lock. `unrecorded`: why the run could not record its end (the
        database went away), kept for the reaper to write on the run once it can."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        try:
            if self._run_id is not None:
                if unrecorded:
                    entry = {"at": time.time(), "ended": unrecorded[:500]}
                    cache.redis_client().hset(HEARTBEATS, str(self._run_id), json.dumps(entry))
                else:
                    cache.redis_client().hdel(HEARTBEATS, str(self._run_id))
        except redis.RedisError as exc:
            log.warning("could not update the heartbeat of %s run %s: %s", self.key, self._run_id, exc)
        # The claim first: once the Redis lock (the fast path every run reads first) is free, the claim
        # is too, so the next run is never skipped by a claim about to go.
        if self._claimed:
            self._claimed = False
            try:
                self._claim("pg_advisory_unlock")
            except DatabaseError as exc:  # the connection is gone, and its claim with it
                log.warning("could not free the database claim of %s: %s", self.key, exc)
        self._free_redis_lock()

    def claim_check(self) -> None:
        """Before the run writes: its database claim is still held, or taken back when no other run
        has it. A claim ends with the connection that took it, so a run whose connection was replaced
        mid-run (a database restart) may have lost it to another worker: then ClaimLost, nothing written."""
        if not self._claimed or connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            cursor.execute(HELD, [CLAIM_SPACE, self.key])
            if cursor.fetchone()[0]:
                return
        if self._claim("pg_try_advisory_lock"):
            log.warning("%s: the database claim ended with its connection and was taken back", self.key)
            return
        self._claimed = False
        raise ClaimLost(
            f"the database claim of {self.key} ended with its connection and another run holds it now"
        )

    def _claim(self, function: str) -> bool:
        if connection.vendor != "postgresql":
            return True
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {function}(%s, hashtext(%s))", [CLAIM_SPACE, self.key])
            return bool(cursor.fetchone()[0])

    def _free_redis_lock(self) -> None:
        try:
            self._lock.release()  # a Lua script: deletes the key only if it still holds our token
        except LockNotOwnedError:
            log.warning("the lock of %s expired or was taken before the run ended", self.key)
        except (LockError, redis.RedisError) as exc:
            log.warning("could not release the lock of %s: %s", self.key, exc)

    def _stamp(self) -> None:
        if self._run_id is None:
            return
        entry = json.dumps({"at": time.time(), "worker": self.worker})
        try:
            cache.redis_client().hset(HEARTBEATS, str(self._run_id), entry)
        except redis.RedisError as exc:
            log.warning("heartbeat of %s run %s not recorded: %s", self.key, self._run_id, exc)

    def _beat(self) -> None:
        while not self._stop.wait(self.ttl / 3):
            self._stamp()
            try:
                if self._lock.local.token is None:
                    # Started while Redis was down, so never locked: reacquire() would refuse ("an
                    # unlocked lock") on every beat. Take it now, as after an expiry.
                    raise LockNotOwnedError("never acquired")
                self._lock.reacquire()  # back to the full TTL, only if the key still holds our token
            except LockNotOwnedError:
                # Expired during a Redis outage (or Redis restarted empty): take it back unless another
                # run has it by now.
                try:
                    if not self._lock.acquire(token=self.token):
                        log.error("the lock of %s was taken by another run while this one ran", self.key)
                except redis.RedisError as exc:
                    log.warning("could not take back the lock of %s: %s", self.key, exc)
            except (LockError, redis.RedisError) as exc:
                log.warning("could not renew the lock of %s: %s", self.key, exc)


def heartbeats(run_ids: list[int]) -> dict[int, dict]:
    """The last heartbeat entry of each run that has one; raises redis.RedisError when Redis is down,
    or restarted too recently for a missing entry to mean anything."""
    if not run_ids:
        return {}
    client = cache.redis_client()
    # A Redis restarted empty holds no heartbeat until each live run beats again: within a third of
    # the TTL once its worker's breaker lets it reach Redis. Until then alive and dead look alike.
    settle = settings.SOURCE_LOCK_TTL_SECONDS + settings.REDIS_RETRY_AFTER
    uptime = client.info("server").get("uptime_in_seconds", settle)
    if uptime < settle:
        raise redis.RedisError(f"redis restarted {uptime}s ago, heartbeats count after {settle:g}s")
    values = client.hmget(HEARTBEATS, [str(i) for i in run_ids])
    return {i: json.loads(v) for i, v in zip(run_ids, values, strict=True) if v}


def heartbeat_forget(*run_ids: int) -> None:
    if run_ids:
        cache.redis_client().hdel(HEARTBEATS, *[str(i) for i in run_ids])


def heartbeat_run_ids() -> list[int]:
    """The runs HEARTBEATS has an entry for; raises redis.RedisError when Redis is down."""
    return [int(i) for i in cache.redis_client().hkeys(HEARTBEATS) if i.isdigit()]
