"""A backfill's progress (windows done of total) for /sources: kept in Redis while it runs and announced
as the SSE event `backfill` after each window, so the page updates without a reload.

Fed by `source_backfill`'s `on_window` callback (`reporter`), so the backfill itself is unchanged. Redis
is a cache here like everywhere: with it down the backfill goes on, only its progress is not shown.
"""

import json
import logging
from collections.abc import Callable
from datetime import date

import redis
from django.utils import timezone

from core import cache
from core.text import clip
from sources.live import events

log = logging.getLogger(__name__)
KEY = "source:{key}:backfill"
# A backfill killed without a last word stops showing as running after this long.
TTL_SECONDS = 6 * 3600
RUNNING, DONE, STOPPED = "running", "done", "stopped"


def publish(
    key: str,
    *,
    done: int,
    total: int,
    since: date | None,
    until: date | None,
    status: str = RUNNING,
    error: str = "",
) -> dict:
    data = {
        "source": key,
        "done": done,
        "total": total,
        "since": since.isoformat() if since else None,
        "until": until.isoformat() if until else None,
        "status": status,
        "error": clip(error, 300) if error else "",
        "at": timezone.now().isoformat(),
    }
    try:
        cache.redis_client().set(KEY.format(key=key), json.dumps(data), ex=TTL_SECONDS)
    except redis.RedisError as exc:
        log.debug("backfill progress of %s not kept: %s", key, exc)
    events.announce(key, "backfill", data)
    return data


def reporter(key: str) -> Callable:
    """An `on_window` callback for `source_backfill` that publishes each window's progress."""

    def on_window(n: int, total: int, window_since: date, until: date | None, run) -> None:
        publish(
            key, done=n, total=total, since=window_since, until=until, status=DONE if n == total else RUNNING
        )

    return on_window


def stopped(key: str, error: str) -> None:
    """The backfill ended early (a failed window, a busy source): keep its count, say why."""
    last = progress_many([key]).get(key) or {"done": 0, "total": 0, "since": None, "until": None}
    publish(
        key,
        done=last["done"],
        total=last["total"],
        since=date.fromisoformat(last["since"]) if last["since"] else None,
        until=date.fromisoformat(last["until"]) if last["until"] else None,
        status=STOPPED,
        error=error,
    )


def progress_many(keys: list[str]) -> dict[str, dict]:
    """Source key -> its last published progress, for the sources that have one (none with Redis down)."""
    if not keys:
        return {}
    try:
        values = cache.redis_client().mget([KEY.format(key=k) for k in keys])
    except redis.RedisError as exc:
        log.debug("backfill progress unreadable: %s", exc)
        return {}
    return {k: json.loads(v) for k, v in zip(keys, values, strict=True) if v}
