"""One HTTP session factory for every source's client: timeouts, User-Agent, backoff on 429/5xx."""

import requests
from django.conf import settings
from requests.adapters import HTTPAdapter
from urllib3.exceptions import ReadTimeoutError
from urllib3.util.retry import Retry

from .base import SourceError

RETRY_STATUSES = (429, 500, 502, 503, 504)


class CappedRetry(Retry):
    """urllib3's Retry, honouring Retry-After but never sleeping longer than the configured cap.

    A long Retry-After is better served by the next scheduled run than by a worker asleep for an hour.
    """

    def get_retry_after(self, response):
        value = super().get_retry_after(response)
        if value is None:
            return None
        return min(value, float(settings.HTTP_MAX_RETRY_AFTER))


def user_agent() -> str:
    return f"KalshiPredictions/0.1 ({settings.KP_CONTACT}) python-requests/{requests.__version__}"


def make_session(*, retries: int | None = None) -> requests.Session:
    session = requests.Session()
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


def get(session: requests.Session, url: str, **kwargs) -> requests.Response:
    """GET with the project's timeout; network failures become temporary SourceErrors."""
    try:
        return session.get(url, timeout=settings.HTTP_TIMEOUT_SECONDS, **kwargs)
    except requests.Timeout:
        raise SourceError(f"timed out after {settings.HTTP_TIMEOUT_SECONDS}s: {url}") from None
    except requests.ConnectionError as exc:
        # Once retries are used up, urllib3 reports a read timeout inside a ConnectionError.
        reason = getattr(exc.args[0], "reason", None) if exc.args else None
        if isinstance(reason, ReadTimeoutError):
            raise SourceError(f"timed out after {settings.HTTP_TIMEOUT_SECONDS}s: {url}") from None
        raise SourceError(f"connection failed: {url} ({type(exc).__name__})") from None
    except requests.RequestException as exc:
        raise SourceError(f"request failed: {url} ({exc})") from None
