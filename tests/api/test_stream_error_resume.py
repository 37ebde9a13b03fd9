"""A `stream-error` (the event bus going away) ends the stream without `id: error`, so the browser's
reconnect resumes from the last event it received (Last-Event-ID) instead of sending "error" and
getting 400 for ever (issue 22); a browser already holding "error" gets a fresh stream."""

import pytest
from asgiref.sync import async_to_sync
from django_eventstream.utils import sse_encode_error, sse_encode_event

from sources.live.events import _until_stream_error

pytestmark = pytest.mark.postgres

SNAPSHOT = sse_encode_event("snapshot", {"run": 7}, event_id="sources:5", json_encode=True)
# What the library writes when sources.live.bus closes the streams (Redis went away).
ERROR = sse_encode_error("unavailable", "live updates interrupted: Redis unreachable")
AFTER = sse_encode_event("keep-alive", "", event_id="sources:5")


def streamed(chunks: list) -> list:
    async def source():
        for chunk in chunks:
            yield chunk

    async def collect():
        return [chunk async for chunk in _until_stream_error(source())]

    return async_to_sync(collect)()


def last_event_id(stream: str) -> str:
    """The browser's last event id after reading `stream` (the SSE spec: every `id:` field sets it;
    an event without one leaves it)."""
    last = ""
    for line in stream.splitlines():
        if line.startswith("id:"):
            last = line.removeprefix("id:").strip()
    return last


def test_the_library_error_event_carries_id_error():
    assert "id: error\n" in ERROR  # what this module works around; a library fix makes it moot


@pytest.mark.parametrize("encode", [str, str.encode], ids=["str", "bytes"])
def test_a_stream_error_ends_the_stream_without_an_id_so_last_event_id_stays_resumable(encode):
    out = streamed([encode(SNAPSHOT), encode(ERROR), encode(AFTER)])
    text = "".join(c.decode() if isinstance(c, bytes) else c for c in out)
    assert type(out[-1]) is type(encode(ERROR))
    assert "event: stream-error\ndata: " in text and "id: error" not in text
    assert "keep-alive" not in text  # the stream ended at the error
    assert last_event_id(text) == "sources:5"


def test_a_browser_sending_last_event_id_error_gets_a_stream_not_a_400(client, db):
    response = client.get("/api/stream", HTTP_LAST_EVENT_ID="error")
    assert response.status_code == 200 and response.streaming
    response.close()
    response = client.get("/api/stream?lastEventId=error")
    assert response.status_code == 200 and response.streaming
    response.close()
