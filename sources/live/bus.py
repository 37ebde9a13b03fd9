"""Keeps the web process's Redis subscriber honest about whether events can arrive.

django-eventstream subscribes to Redis once, on the first stream client, and never again: when Redis
goes away the subscriber task dies (or, with a Redis that hangs, waits forever), open streams stay open
with keep-alives, and the page's live badge stays green while nothing can reach it. Here the subscriber
runs under a supervisor that pings Redis every PROBE_SECONDS; when the subscriber ends or a ping fails,
every open stream is closed with a `stream-error` and the next stream client subscribes afresh. The
stream view (sources/live/events.py) refuses new clients while Redis is unreachable.
"""

import asyncio
import logging

from django.conf import settings
from django_eventstream.views import RedisListener
from redis.asyncio import Redis

log = logging.getLogger(__name__)
PROBE_SECONDS = 5


def _close_streams(manager, reason: str) -> None:
    with manager.lock:
        listeners = {listener for group in manager.listeners_by_channel.values() for listener in group}
        for listener in listeners:
            listener.error = {"condition": "unavailable", "text": f"live updates interrupted: {reason}"}
    for listener in listeners:
        listener.wake_threadsafe()


async def _probe(client: Redis) -> None:
    await asyncio.wait_for(client.ping(), settings.REDIS_SOCKET_TIMEOUT + settings.REDIS_CONNECT_TIMEOUT)


async def supervised_listen(manager) -> None:
    subscriber = RedisListener()
    probe = Redis(**settings.EVENTSTREAM_REDIS)
    task = asyncio.ensure_future(subscriber.start())
    reason = "the event bus (Redis) stopped answering"
    try:
        while True:
            done, _ = await asyncio.wait([task], timeout=PROBE_SECONDS)
            if done:
                exc = task.exception() if not task.cancelled() else None
                reason = f"the event bus (Redis) went away: {exc}" if exc else reason
                break
            try:
                await _probe(probe)
            except Exception as exc:  # any failure means no event can arrive
                reason = f"the event bus (Redis) did not answer a ping ({str(exc) or type(exc).__name__})"
                break
    finally:
        task.cancel()
        with manager.lock:
            manager.redis_listener_started = False  # the next stream client subscribes again
        log.warning("live stream subscriber stopped: %s", reason)
        _close_streams(manager, reason)
        for client in (subscriber.redis_client, probe):
            try:
                await client.aclose()
            except Exception:  # already broken; nothing left to release
                log.debug("closing a redis client after an outage failed", exc_info=True)


def supervise(manager) -> None:
    """Run the manager's Redis subscriber under supervised_listen (once per process)."""
    if manager.redis_listener is None or getattr(manager, "_kp_supervised", False):
        return

    async def start() -> None:
        await supervised_listen(manager)

    manager.start_redis_listener = start
    manager._kp_supervised = True
