"""Reading an answer's body under the request's deadline and the run's body limit (core/http.py's
DeadlineSession reads every body it is not told to stream through here).

The limit stops a runaway upstream before it is in memory: issue 22 saw 5 answers of 50 MB read whole
and stored as raw events in one Kalshi run (a worker child at 1.44 GB). It counts decoded bytes, so a
small gzip that inflates is stopped too. A refused answer raises BodyTooLarge, which the clients'
`http.send` turns into a temporary SourceError: the run fails naming it, and nothing of it is stored.
"""

import time
from contextvars import ContextVar

import requests
from django.conf import settings
from requests.exceptions import ChunkedEncodingError, ContentDecodingError
from urllib3.exceptions import DecodeError, ProtocolError, ReadTimeoutError

READ_SIZE = 64 * 1024
MB = 1024 * 1024
GENERAL_SETTING = "KP_HTTP_MAX_BODY_MB"
# (bytes, the setting that says so) for the run going on; None outside a run: the general limit.
_limit: ContextVar[tuple[int, str] | None] = ContextVar("body_limit", default=None)


class BodyTooLarge(requests.RequestException):
    """An answer's body is over the limit of its source; it is not read further."""


class body_limit:  # noqa: N801 - a context manager, like http.run_deadline
    """Bodies read inside are refused past the source's limit (settings.HTTP_MAX_BODY_BYTES_BY_SOURCE)."""

    def __init__(self, source_key: str):
        by_source = getattr(settings, "HTTP_MAX_BODY_BYTES_BY_SOURCE", {})
        self.limit = (
            by_source.get(source_key, settings.HTTP_MAX_BODY_BYTES),
            f"{source_key.upper()}_MAX_BODY_MB" if source_key in by_source else GENERAL_SETTING,
        )

    def __enter__(self) -> "body_limit":
        self._token = _limit.set(self.limit)
        return self

    def __exit__(self, *exc) -> None:
        _limit.reset(self._token)


def current_limit() -> tuple[int, str]:
    return _limit.get() or (settings.HTTP_MAX_BODY_BYTES, GENERAL_SETTING)


def _refused(url: str, size: str, limit: int, setting: str) -> BodyTooLarge:
    return BodyTooLarge(
        f"the answer of {url} is {size} the limit of {limit / MB:g} MB ({setting}): refused, not stored"
    )


def read_body(response: requests.Response, ends_at: float, late: Exception) -> bytes:
    """The whole body, read as it arrives: `late` is raised once time.monotonic() passes `ends_at`,
    BodyTooLarge once the body is over the run's limit."""
    limit, setting = current_limit()
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limit:  # refused before a byte is read
        raise _refused(response.url, f"{int(declared):,} bytes by its Content-Length, over", limit, setting)
    chunks, size = [], 0
    while True:
        if time.monotonic() >= ends_at:
            raise late
        try:
            # read1 returns what one socket read brought, so the deadline is checked at least once
            # per read timeout even when bytes trickle in.
            chunk = response.raw.read1(READ_SIZE, decode_content=True)
        except ReadTimeoutError as exc:
            raise requests.ReadTimeout(str(exc)) from None
        # The same translations as requests' own iter_content.
        except ProtocolError as exc:
            raise ChunkedEncodingError(exc) from None
        except DecodeError as exc:
            raise ContentDecodingError(exc) from None
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > limit:
            raise _refused(response.url, "over", limit, setting)
        chunks.append(chunk)
