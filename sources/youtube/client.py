"""YouTube Data API v3 through google-api-python-client: the only module that talks to it.

The static discovery document shipped with the library builds the client offline; `api_endpoint`
points it at YOUTUBE_BASE_URL (the real host, or the fake upstream in tests).
"""

import socket
from dataclasses import dataclass

import httplib2
from django.conf import settings
from googleapiclient.discovery import build
from googleapiclient.errors import HttpError

from sources.base import SourceError

SEARCH_UNITS = 100
VIDEOS_UNITS = 1
BATCH = 50  # videos.list takes at most 50 ids


@dataclass
class Answer:
    url: str  # carries key=...; the pipeline redacts it before storing
    status: int
    body: str


def build_service(api_key: str, base_url: str):
    return build(
        "youtube",
        "v3",
        developerKey=api_key,
        static_discovery=True,
        cache_discovery=False,
        http=httplib2.Http(timeout=settings.HTTP_TIMEOUT_SECONDS),
        # The static document's method paths start with youtube/v3/, so the endpoint is the host.
        client_options={"api_endpoint": f"{base_url}/"},
    )


def _execute(request) -> Answer:
    """Run a request and keep the body exactly as received, error or not."""
    seen: dict = {}
    parse = request.postproc

    def keep_raw(resp, content):
        seen["status"], seen["body"] = resp.status, content.decode("utf-8", "replace")
        return parse(resp, content)

    request.postproc = keep_raw
    try:
        # num_retries covers 429/5xx (and 403 rateLimitExceeded), with the library's own backoff.
        request.execute(num_retries=settings.HTTP_RETRIES)
    except HttpError as exc:  # the runner decides what an error status means
        seen["status"], seen["body"] = exc.resp.status, exc.content.decode("utf-8", "replace")
    except TimeoutError:
        raise SourceError(f"timed out after {settings.HTTP_TIMEOUT_SECONDS}s") from None
    except (OSError, httplib2.HttpLib2Error) as exc:
        raise SourceError(f"{_cause(exc)}: {request.uri.split('?')[0]}") from None
    return Answer(url=request.uri, status=seen["status"], body=seen["body"])


def _cause(exc: BaseException) -> str:
    """The root cause first (httplib2 raises the socket's own errors)."""
    if isinstance(exc, socket.gaierror | httplib2.ServerNotFoundError):
        return "DNS lookup failed (no network, or a wrong host)"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused (nothing listens there)"
    return f"connection failed ({type(exc).__name__})"


def search_trailers(service, query: str, max_results: int) -> Answer:
    request = service.search().list(
        part="snippet", q=query, type="video", order="relevance", maxResults=max_results
    )
    return _execute(request)


def video_statistics(service, ids: list[str]) -> Answer:
    request = service.videos().list(part="snippet,statistics", id=",".join(ids), maxResults=len(ids))
    return _execute(request)
