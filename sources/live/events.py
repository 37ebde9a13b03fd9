"""Announce to live pages, only once the rows an event speaks of are committed; and the stream view.

Channels: `sources` carries every event; `show-<id>` carries the snapshot events of the runs that touched
that show, with `latest` cut down to that show's values, so a details panel listens to one show only.
"""

import copy
import logging
import re
from collections.abc import Iterable

import redis
from asgiref.sync import sync_to_async
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django_eventstream import eventstream as _eventstream
from django_eventstream import send_event
from django_eventstream.views import events as eventstream_view
from django_eventstream.views import get_listener_manager

from core import access, cache
from shows.models import Show
from sources.live.bus import supervise

log = logging.getLogger(__name__)
CHANNEL = "sources"
SHOW_CHANNEL = re.compile(r"^show-(?P<id>[1-9][0-9]{0,17})$")
MAX_CHANNELS = 10
# How long a browser waits before asking for the stream again while the event bus is down.
RETRY_AFTER_SECONDS = 10
ERROR_ID = "error"  # the id django-eventstream gives its `stream-error` events

supervise(get_listener_manager())


def show_channel(show_id: int) -> str:
    return f"show-{show_id}"


def _for_show(data: dict, show_id: int) -> dict:
    data = copy.deepcopy(data)
    payload = data.get("payload") or {}
    if isinstance(payload.get("latest"), list):
        payload["latest"] = [i for i in payload["latest"] if i.get("show") == show_id]
    return data


def _send(channel: str, event_type: str, data: dict) -> None:
    # django-eventstream publishes through its own module-level client, built with redis-py's default
    # retries (about 4 s per event with Redis down); ours fails at once while Redis is known down.
    _eventstream.redis_client = cache.redis_client()
    try:
        send_event(channel, event_type, data)
    except Exception as exc:  # Redis down: the event is stored; pages replay it on reconnect
        # One warning per outage comes from core.cache; each skipped event is only a debug line.
        log.debug("could not announce %s on %s: %s", event_type, channel, exc)


def announce(source_key: str, event_type: str, data: dict, show_ids: Iterable[int] = ()) -> None:
    show_ids = sorted({i for i in show_ids if i})

    def send() -> None:
        _send(CHANNEL, event_type, data)
        for show_id in show_ids:
            _send(show_channel(show_id), event_type, _for_show(data, show_id))

    transaction.on_commit(send)


def stream(request: HttpRequest) -> HttpResponse:
    """GET /api/stream[?channel=sources|show-<id>...]: django-eventstream's view on checked channels."""
    channels = request.GET.getlist("channel") or [CHANNEL]
    bad = [c for c in channels if c != CHANNEL and not SHOW_CHANNEL.match(c)]
    if bad or len(channels) > MAX_CHANNELS:
        message = f"use channel=sources or channel=show-<id>, at most {MAX_CHANNELS}; not accepted: {bad}"
        return JsonResponse({"channel": [message]}, status=400)
    if not access.may_read(request.user):
        return JsonResponse({"detail": "Authentication credentials were not provided."}, status=401)
    _forget_error_id(request)
    show_ids = {int(SHOW_CHANNEL.match(c)["id"]) for c in channels if c != CHANNEL}
    missing = show_ids - set(Show.objects.filter(pk__in=show_ids).values_list("pk", flat=True))
    if missing:
        return JsonResponse({"detail": f"no show with id {sorted(missing)}"}, status=404)
    try:
        cache.redis_client().ping()
    except redis.RedisError as exc:
        # Without Redis no event from a worker can reach this process: refuse the stream, so the
        # browser's EventSource errors, the live badge turns grey and the page polls until it is back.
        response = JsonResponse(
            {"detail": f"live updates unavailable: the event bus (Redis) is unreachable ({exc})"},
            status=503,
        )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    response = eventstream_view(request, channels=sorted(set(channels)))
    if getattr(response, "is_async", False):
        response.streaming_content = _until_stream_error(response.streaming_content)
    return response


def _forget_error_id(request: HttpRequest) -> None:
    # A browser that met a `stream-error` carrying `id: error` (this app before issue 22, or
    # django-eventstream's own errors) sends it back for ever, and the library answers 400 each time.
    # Treated as no id: a fresh stream, whose next event's id the browser then keeps.
    if request.META.get("HTTP_LAST_EVENT_ID") == ERROR_ID:
        del request.META["HTTP_LAST_EVENT_ID"]
    if ERROR_ID in request.GET.getlist("lastEventId"):
        request.GET = request.GET.copy()
        request.GET.setlist("lastEventId", [v for v in request.GET.getlist("lastEventId") if v != ERROR_ID])


@sync_to_async  # thread-sensitive: the request's own thread, whose connection the reads used
def _give_back() -> None:
    if not connection.in_atomic_block:  # a test's transaction: its connection is not ours to give
        connection.close()


async def _until_stream_error(chunks):
    # django-eventstream writes `stream-error` (e.g. sources.live.bus closing streams when Redis goes away)
    # and then keeps the stream open; end it, so the browser reconnects and meets the 503 above.
    # Its `id: error` line is dropped: an event without an id leaves the browser's last event id as it
    # was, so the reconnect resumes from the last event received instead of sending "error" (a 400).
    pooled = bool(getattr(connection, "pool", None))
    async for chunk in chunks:
        text = chunk.decode(errors="replace") if isinstance(chunk, bytes) else chunk
        if "event: stream-error" not in text:
            yield chunk
            if pooled:
                # Each wake of the stream reads the event storage in this request's thread, whose
                # connection Django gives back only when the stream ends: with a pool of a few connections
                # the next streams would wait for it. Given back after each chunk, streams share the pool
                # instead of holding one connection each (docs/performance.md, "Connection pool").
                await _give_back()
            continue
        text = text.replace(f"event: stream-error\nid: {ERROR_ID}\n", "event: stream-error\n")
        yield text.encode() if isinstance(chunk, bytes) else text
        return
