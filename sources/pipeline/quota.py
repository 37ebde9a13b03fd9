"""Upstream quotas of the keyed sources: what a run may spend, what it spent, what is left.

Use is counted in Redis per fixed window (`quota:<key>:<window id>`), from the units each run reports
in `FetchContext.quota`. When upstream itself says the quota is gone (YouTube's quotaExceeded, X's
x-rate-limit-reset), `quota:<key>:exhausted` holds the time it comes back. Runs that would go over are
skipped by the pipeline with the reason, instead of spending the rest of the budget on errors.
Counting fails open: with Redis down a run goes ahead (upstream still enforces its limits).
"""

import logging
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import redis
from django.conf import settings

from core import cache
from sources import registry
from sources.base import FetchContext, QuotaUse, Runner
from sources.spec import QuotaPolicy

log = logging.getLogger(__name__)
PACIFIC = ZoneInfo("America/Los_Angeles")
# Counters outlive their window a little, so a status read at the boundary still finds them.
KEEP_AFTER_WINDOW = timedelta(hours=1)
MAX_EXHAUSTED = timedelta(days=2)


def policy_of(key: str) -> QuotaPolicy | None:
    """The source's quota as its spec declares it; None for sources without one."""
    spec = registry.specs().get(key)
    return spec.quota if spec else None


def limit_of(key: str) -> int:
    # Read once at start-up from the spec's limit_env (kalshi_predictions/settings.py).
    return settings.SOURCE_QUOTA_LIMITS[key]


def window(policy: QuotaPolicy, now: datetime) -> tuple[str, datetime, datetime]:
    """(id, start, end) of the window holding `now`; times in UTC except the Pacific day's id."""
    if policy.window == "pacific_day":
        day = now.astimezone(PACIFIC).date()
        start = datetime.combine(day, time(), PACIFIC)
        return day.isoformat(), start, datetime.combine(day + timedelta(days=1), time(), PACIFIC)
    size = {"utc_day": timedelta(days=1), "15min": timedelta(minutes=15), "minute": timedelta(minutes=1)}[
        policy.window
    ]
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    start = midnight + ((now - midnight) // size) * size
    return start.strftime("%Y%m%dT%H%M"), start, start + size


def _count_key(key: str, window_id: str) -> str:
    return f"quota:{key}:{window_id}"


def _exhausted_key(key: str) -> str:
    return f"quota:{key}:exhausted"


def _read(key: str, policy: QuotaPolicy, now: datetime) -> tuple[int, datetime | None]:
    window_id = window(policy, now)[0]
    used, exhausted = cache.redis_client().mget([_count_key(key, window_id), _exhausted_key(key)])
    until = datetime.fromisoformat(exhausted.decode()) if exhausted else None
    return int(used or 0), (until if until and until > now else None)


def preflight(key: str, runner: Runner, ctx: FetchContext) -> str | None:
    """Why the run must not start now, or None when it may."""
    policy = policy_of(key)
    if policy is None:
        return None
    try:
        used, until = _read(key, policy, ctx.now)
    except redis.RedisError as exc:
        log.warning("quota of %s unknown (redis: %s); running anyway", key, exc)
        return None
    if until:
        return f"quota: {key} upstream reported its quota used up until {until:%Y-%m-%d %H:%M} UTC"
    needed = runner.quota_estimate(ctx)
    limit = limit_of(key)
    if needed > limit:
        return (
            f"quota: a run needs {needed} {policy.unit} but the whole window allows {limit}; "
            f"watch fewer shows or raise {policy.limit_env}"
        )
    if used + needed > limit:
        _, _, end = window(policy, ctx.now)
        return (
            f"quota: a run needs {needed} {policy.unit}, {limit - used} of {limit} left until "
            f"{end:%Y-%m-%d %H:%M %Z}"
        )
    return None


def record(key: str, use: QuotaUse, now: datetime) -> None:
    policy = policy_of(key)
    if policy is None or (not use.spent and not use.exhausted_until):
        return
    window_id, start, end = window(policy, now)
    try:
        pipe = cache.redis_client().pipeline()
        if use.spent:
            pipe.incrby(_count_key(key, window_id), use.spent)
            pipe.expire(_count_key(key, window_id), end - start + KEEP_AFTER_WINDOW)
        if use.exhausted_until and use.exhausted_until > now:
            ttl = min(use.exhausted_until - now, MAX_EXHAUSTED)
            pipe.set(_exhausted_key(key), use.exhausted_until.isoformat(), ex=max(ttl, timedelta(seconds=1)))
        pipe.execute()
    except redis.RedisError as exc:
        log.warning("could not record quota use of %s: %s", key, exc)


def window_end(key: str, now: datetime) -> datetime:
    """When the source's current window ends, e.g. midnight Pacific for YouTube."""
    return window(policy_of(key), now)[2]


def status(key: str, now: datetime) -> dict | None:
    """Remaining quota for the API and the source card; None for sources without a quota."""
    policy = policy_of(key)
    if policy is None:
        return None
    _, _, end = window(policy, now)
    limit = limit_of(key)
    info = {"unit": policy.unit, "limit": limit, "resetsAt": end.isoformat(), "scope": policy.why}
    try:
        used, until = _read(key, policy, now)
    except redis.RedisError:
        return {**info, "used": None, "remaining": None, "exhaustedUntil": None}
    return {
        **info,
        "used": used,
        "remaining": 0 if until else max(limit - used, 0),
        "exhaustedUntil": until.isoformat() if until else None,
    }
