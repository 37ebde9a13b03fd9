"""YouTube Data API v3 through google-api-python-client: the only module that talks to it.

The static discovery document shipped with the library builds the client offline; `api_endpoint`
points it at YOUTUBE_BASE_URL (the real host, or the fake upstream in tests). Its requests go through
core/http.py's session (not httplib2), so they share the other sources' timeouts, retries with a
capped Retry-After, error wording and total deadline per request and per run.
"""

from dataclasses import dataclass

import httplib2
import requests
from googleapiclient.discovery import build
from googleapiclient.errors import HttpError

from core import http

SEARCH_UNITS = 100
VIDEOS_UNITS = 1
BATCH = 50  # videos.list takes at most 50 ids


@dataclass
class Answer:
    url: str  # carries key=...; the pipeline redacts it before storing
    status: int
    body: str


class DeadlineHttp:
    """The part of httplib2.Http that googleapiclient uses (`request` returning
    `(httplib2.Response, content)`, and `close`), served by a core/http.py session.

    httplib2 reads a body with per-read timeouts only, so a body trickling in a byte at a time held a
    run until the task time limit; the session ends it at the request or run deadline.
    """

    def __init__(self, session: requests.Session | None = None):
        self.session = session or http.make_session()

    def request(self, uri, method="GET", body=None, headers=None, redirections=5, connection_type=None):
        headers = {k: v for k, v in (headers or {}).items() if k.lower() != "user-agent"}
        # The project's User-Agent (with a contact), keeping "gzip": Google compresses only for it.
        headers["User-Agent"] = f"{self.session.headers['User-Agent']} (gzip)"
        answer = http.send(self.session, method, uri, data=body, headers=headers)
        info = {k.lower(): v for k, v in answer.headers.items()}
        # requests has decoded the body; as httplib2 does, say so instead of the encoding it came in.
        if info.pop("content-encoding", None):
            info["content-length"] = str(len(answer.content))
        response = httplib2.Response({**info, "status": str(answer.status_code)})
        response.reason = answer.reason
        return response, answer.content

    def close(self) -> None:
        self.session.close()


def build_service(api_key: str, base_url: str):
    return build(
        "youtube",
        "v3",
        developerKey=api_key,
        static_discovery=True,
        cache_discovery=False,
        http=DeadlineHttp(),
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
        # The session retries 429/5xx and connection errors (HTTP_RETRIES, Retry-After capped);
        # retrying here as well would multiply the attempts inside one deadline.
        request.execute(num_retries=0)
    except HttpError as exc:  # the runner decides what an error status means
        seen["status"], seen["body"] = exc.resp.status, exc.content.decode("utf-8", "replace")
    return Answer(url=request.uri, status=seen["status"], body=seen["body"])


def search_trailers(service, query: str, max_results: int) -> Answer:
    request = service.search().list(
        part="snippet", q=query, type="video", order="relevance", maxResults=max_results
    )
    return _execute(request)


def video_statistics(service, ids: list[str]) -> Answer:
    request = service.videos().list(part="snippet,statistics", id=",".join(ids), maxResults=len(ids))
    return _execute(request)
