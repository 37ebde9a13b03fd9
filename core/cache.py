"""Redis access for the latest-value cache, quota counters and the per-source run lock.

Redis is a cache here, never the only copy: every caller catches `redis.RedisError` and falls back to
Postgres. So a Redis that is down or hangs must fail *fast*: short socket timeouts, no retries, and a
breaker that, once a connection has failed, answers every further call at once with a ConnectionError
for `REDIS_RETRY_AFTER` seconds. A page then waits at most one timeout, and a run with Redis down
pays one timeout per window instead of seconds of retries per event.
"""

import json
import logging
import threading
import time
from functools import cache

import redis
from django.conf import settings
from redis.backoff import NoBackoff
from redis.retry import Retry

log = logging.getLogger(__name__)
LATEST_KEY = "source:{key}:latest"


class Breaker:
    """Open (calls refused) for a while after a connection failure; closed again on a good connect."""

    def __init__(self, retry_after: float):
        self.retry_after = retry_after
        self.down_until = 0.0
        self.reason = ""
        self._lock = threading.Lock()

    def check(self) -> None:
        if time.monotonic() < self.down_until:
            raise redis.ConnectionError(f"redis unavailable (not retried for a few seconds): {self.reason}")

    def trip(self, exc: Exception) -> None:
        with self._lock:
            first = time.monotonic() >= self.down_until
            self.down_until = time.monotonic() + self.retry_after
            self.reason = str(exc) or type(exc).__name__
        if first:  # one line per outage, not one per call
            log.warning("redis unavailable, not retried for %ss: %s", self.retry_after, self.reason)

    def reset(self) -> None:
        self.down_until = 0.0

    @property
    def is_open(self) -> bool:
        return time.monotonic() < self.down_until


class _FailFast:
    """Mixed into redis-py's connection class of one client; `breaker` is set on the subclass."""

    breaker: Breaker

    def connect_check_health(self, *args, **kwargs):
        self.breaker.check()
        try:
            result = super().connect_check_health(*args, **kwargs)
        except (redis.ConnectionError, redis.TimeoutError) as exc:
            self.breaker.trip(exc)
            raise
        self.breaker.reset()
        return result

    def read_response(self, *args, **kwargs):
        try:
            return super().read_response(*args, **kwargs)
        except (redis.ConnectionError, redis.TimeoutError) as exc:  # a server that stopped answering
            self.breaker.trip(exc)
            raise


def client_options() -> dict:
    """The timeouts every Redis client of ours uses (cache, events, the stream's check)."""
    return {
        "socket_timeout": settings.REDIS_SOCKET_TIMEOUT,
        "socket_connect_timeout": settings.REDIS_CONNECT_TIMEOUT,
    }


def fail_fast_client(kwargs: dict) -> redis.Redis:
    client = redis.Redis(**kwargs, **client_options(), retry=Retry(NoBackoff(), 0))
    pool = client.connection_pool
    base = pool.connection_class
    pool.connection_class = type(
        f"FailFast{base.__name__}", (_FailFast, base), {"breaker": Breaker(settings.REDIS_RETRY_AFTER)}
    )
    return client


@cache
def redis_client() -> redis.Redis:
    return fail_fast_client(settings.REDIS)


def breaker() -> Breaker:
    return redis_client().connection_pool.connection_class.breaker


def available() -> bool:
    """False while the breaker is open: a recent call found Redis down. Makes no network call."""
    return not breaker().is_open


def latest_set(key: str, data: dict) -> None:
    redis_client().set(LATEST_KEY.format(key=key), json.dumps(data, separators=(",", ":")))


def latest_many(keys: list[str]) -> dict[str, dict | None]:
    """The cached latest payload of each source; raises redis.RedisError when Redis is down."""
    values = redis_client().mget([LATEST_KEY.format(key=k) for k in keys])
    return {k: (json.loads(v) if v else None) for k, v in zip(keys, values, strict=True)}


def latest_or_stored(stored: dict[str, dict | None]) -> dict[str, tuple[dict | None, str]]:
    """Each source's latest payload and where it came from ("redis" or "database").

    `stored` is the copy each Source row keeps. A cache miss (Redis restarted empty, or the key evicted)
    answers from it and puts it back, so the next read is a hit again; Redis down answers from it all.
    """
    try:
        cached = latest_many(list(stored))
    except (redis.RedisError, OSError, ValueError) as exc:
        log.warning("latest values from the database (redis: %s)", exc)
        return {k: (v, "database") for k, v in stored.items()}
    out = {}
    for key, value in cached.items():
        if value is None and stored[key] is not None:
            out[key] = (stored[key], "database")
            try:
                latest_set(key, stored[key])
            except redis.RedisError:
                pass  # still answered from the database; the next run writes it again
        else:
            out[key] = (value, "redis")
    return out
