"""One HTTP session factory for every source's client: timeouts, User-Agent, backoff on 429/5xx, and a
total deadline per request and per run.

Timeouts are per socket read, so an upstream sending a byte every few seconds never trips them; the
deadline bounds the whole request (retries, their waits and the body included), and `run_deadline`
bounds every request of one pipeline run together.
"""

import time
from contextvars import ContextVar
from urllib.parse import urlsplit

import requests
from django.conf import settings
from requests.adapters import HTTPAdapter
from urllib3.exceptions import (
    ConnectTimeoutError,
    NameResolutionError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
    SSLError,
)
from urllib3.util.retry import Retry

# body_limit is imported from here by the pipeline, beside run_deadline.
from core.http_body import BodyTooLarge, body_limit, read_body  # noqa: F401


class SourceError(Exception):
    """An upstream failure. permanent=True (bad credentials, bad configuration, a 404 on a configured
    id) holds the source (sources/pipeline/hold.py): no run until its settings change or an admin releases
    it."""

    def __init__(self, message: str, *, permanent: bool = False):
        super().__init__(message)
        self.permanent = permanent


RETRY_STATUSES = (429, 500, 502, 503, 504)
# (time.monotonic() after which no request of the current run may go on, its length); None outside a run.
_run_ends_at: ContextVar[tuple[float, float] | None] = ContextVar("run_ends_at", default=None)
# time.monotonic() by which the request being sent must end; read by CappedRetry, which urllib3 runs
# inside Session.request, where DeadlineSession cannot look between attempts.
_request_ends_at: ContextVar[float | None] = ContextVar("request_ends_at", default=None)


class DeadlineExceeded(requests.Timeout):
    """A request went past its total deadline. A Timeout, so every client treats it as temporary."""


class _NoTimeToRetry(Exception):  # noqa: N818 - not an error of the request, a retry given up
    """A retry's wait would end past the request's deadline. Not an OSError, so requests' adapter lets
    it through unwrapped to DeadlineSession, which words it."""

    def __init__(self, wait: float, status: int | None):
        super().__init__(wait, status)
        self.wait, self.status = wait, status


class CappedRetry(Retry):
    """urllib3's Retry, honouring Retry-After but never sleeping longer than the configured cap, nor
    retrying when the wait would end past the request's deadline (the request then fails at once:
    sleeping up to the deadline would leave no time for the retry).

    A long Retry-After is better served by the next scheduled run than by a worker asleep for an hour.
    """

    def get_retry_after(self, response):
        value = super().get_retry_after(response)
        if value is None:
            return None
        return min(value, float(settings.HTTP_MAX_RETRY_AFTER))

    def sleep_for_retry(self, response) -> bool:
        retry_after = self.get_retry_after(response)
        if not retry_after:
            return False
        self._sleep_before_deadline(retry_after, response.status)
        return True

    def sleep(self, response=None) -> None:
        if self.respect_retry_after_header and response and self.sleep_for_retry(response):
            return
        self._sleep_before_deadline(self.get_backoff_time(), response.status if response else None)

    @staticmethod
    def _sleep_before_deadline(wait: float, status: int | None) -> None:
        ends_at = _request_ends_at.get()
        if ends_at is not None and time.monotonic() + wait >= ends_at:
            raise _NoTimeToRetry(wait, status)
        if wait > 0:
            time.sleep(wait)


class run_deadline:  # noqa: N801 - used as `with http.run_deadline(seconds):`, like a contextmanager
    """Every request made inside fails once `seconds` have passed since entering; `passed` says
    afterwards whether the run went past it (so a runner's own error message can be explained)."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.ends_at = 0.0

    def __enter__(self) -> "run_deadline":
        self.ends_at = time.monotonic() + self.seconds
        self._token = _run_ends_at.set((self.ends_at, self.seconds))
        return self

    def __exit__(self, *exc) -> None:
        _run_ends_at.reset(self._token)

    @property
    def passed(self) -> bool:
        return bool(self.ends_at) and time.monotonic() >= self.ends_at


class DeadlineSession(requests.Session):
    """A Session whose requests end by a total deadline: the body is read as it arrives and the request
    is abandoned once the deadline (of the request, or of the run if sooner) has passed.

    The body is refused past the run's body limit (core/http_body.py). Callers that ask for
    `stream=True` read the body themselves: the deadline bounds their retries, not their body, and
    no limit applies (Wikipedia's hourly dumps, read line by line and never held whole).
    """

    deadline_seconds: float

    def request(self, method, url, *args, **kwargs):
        now = time.monotonic()
        ends_at, what = now + self.deadline_seconds, f"deadline of {self.deadline_seconds:g}s"
        run = _run_ends_at.get()
        if run is not None and run[0] < ends_at:
            ends_at, what = run[0], f"run deadline of {run[1]:g}s"
        if now >= ends_at:
            raise DeadlineExceeded(f"{what} exceeded before {url}")
        streamed = kwargs.get("stream")
        kwargs["stream"] = True
        token = _request_ends_at.set(ends_at)
        try:
            response = super().request(method, url, *args, **kwargs)
        except _NoTimeToRetry as exc:
            answer = f"HTTP {exc.status}" if exc.status else "a failed attempt"
            raise DeadlineExceeded(
                f"{what} leaves no time to wait {exc.wait:g}s and retry {url} after {answer}"
            ) from None
        finally:
            _request_ends_at.reset(token)
        if streamed:
            return response
        try:
            late = DeadlineExceeded(f"{what} exceeded while reading {url}")
            response._content = read_body(response, ends_at, late)
        except BaseException:
            response.close()
            raise
        response.raw.release_conn()
        return response


def user_agent() -> str:
    return f"KalshiPredictions/0.1 ({settings.KP_CONTACT}) python-requests/{requests.__version__}"


def make_session(*, retries: int | None = None, deadline: float | None = None) -> requests.Session:
    session = DeadlineSession()
    session.deadline_seconds = settings.HTTP_DEADLINE_SECONDS if deadline is None else deadline
    retry = CappedRetry(
        total=settings.HTTP_RETRIES if retries is None else retries,
        connect=2,
        backoff_factor=0.5,
        backoff_jitter=0.25,
        status_forcelist=RETRY_STATUSES,
        allowed_methods=None,
        respect_retry_after_header=True,
        raise_on_status=False,
    )
    adapter = HTTPAdapter(max_retries=retry)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers["User-Agent"] = user_agent()
    return session


def connection_cause(exc: BaseException, url: str) -> str:
    """Why a connection failed, in words a user can act on, before the URL: "DNS lookup of
    api.example.com failed", "connection refused by 127.0.0.1:9", "connect timed out", "TLS failed"."""
    parts = urlsplit(url)
    host = parts.hostname or url
    where = f"{host}:{parts.port}" if parts.port else host
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    if isinstance(reason, NameResolutionError):
        return f"DNS lookup of {host} failed (no network, or a wrong host)"
    if isinstance(reason, NewConnectionError):  # urllib3 makes it a ConnectTimeoutError too
        if "refused" in str(reason).lower():
            return f"connection refused by {where} (nothing listens there)"
        return f"connecting to {where} failed ({str(reason).rsplit(': ', 1)[-1]})"
    if isinstance(reason, ConnectTimeoutError):
        return f"connecting to {where} timed out after {settings.HTTP_TIMEOUT_SECONDS}s"
    if isinstance(reason, SSLError) or isinstance(exc, requests.exceptions.SSLError):
        return f"TLS handshake with {where} failed"
    if isinstance(reason, ProtocolError) or "RemoteDisconnected" in str(reason):
        return f"{where} closed the connection"
    return f"connection to {where} failed ({type(reason or exc).__name__})"


def get(session: requests.Session, url: str, **kwargs) -> requests.Response:
    """GET with the project's timeout; network failures become temporary SourceErrors."""
    return send(session, "GET", url, **kwargs)


def send(session: requests.Session, method: str, url: str, **kwargs) -> requests.Response:
    """Any method with the project's timeout; network failures become temporary SourceErrors."""
    try:
        return session.request(method, url, timeout=settings.HTTP_TIMEOUT_SECONDS, **kwargs)
    except (DeadlineExceeded, BodyTooLarge) as exc:
        raise SourceError(str(exc)) from None
    except requests.Timeout:
        raise SourceError(f"timed out after {settings.HTTP_TIMEOUT_SECONDS}s: {url}") from None
    except requests.ConnectionError as exc:
        # Once retries are used up, urllib3 reports a read timeout inside a ConnectionError.
        reason = getattr(exc.args[0], "reason", None) if exc.args else None
        if isinstance(reason, ReadTimeoutError):
            raise SourceError(f"timed out after {settings.HTTP_TIMEOUT_SECONDS}s: {url}") from None
        raise SourceError(f"{connection_cause(exc, url)}: {url}") from None
    except requests.RequestException as exc:
        raise SourceError(f"request failed: {url} ({exc})") from None
