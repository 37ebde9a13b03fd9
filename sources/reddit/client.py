"""Reddit through PRAW: the only module that talks to reddit.com.

PRAW handles the app-only OAuth token, Reddit's rate-limit headers and its error statuses. Its
requests go through a session of ours whose response hook keeps every response as received, so the
pipeline stores the raw bodies and the normalizer works on them like every other source's.
"""

from collections.abc import Callable

import praw
import requests
from django.conf import settings

from core import http
from sources.base import RawResponse

TOKEN_PATH = "/api/v1/access_token"


class Recorder:
    """Collects each response PRAW receives, tagged with what it was asked for."""

    def __init__(self, on_response: Callable[[RawResponse], None], clock: Callable):
        self.meta: dict = {}
        self._on_response, self._clock = on_response, clock

    def hook(self, response: requests.Response, *args, **kwargs) -> None:
        # The token is fetched lazily inside whichever call comes first; it is not that call's answer.
        meta = {"kind": "token"} if TOKEN_PATH in response.url else dict(self.meta)
        self._on_response(
            RawResponse(
                response.request.method or "GET",
                response.url,
                response.status_code,
                response.text,
                self._clock(),
                meta,
            )
        )


class RecordingSession(http.DeadlineSession):
    """Records each response once its body is read within the deadline (a response hook would read it
    first, with no deadline)."""

    def __init__(self, recorder: "Recorder"):
        super().__init__()
        self.deadline_seconds = settings.HTTP_DEADLINE_SECONDS
        self.recorder = recorder

    def request(self, method, url, *args, **kwargs):
        response = super().request(method, url, *args, **kwargs)
        self.recorder.hook(response)
        return response


def make_reddit(
    *,
    client_id: str,
    client_secret: str,
    user_agent: str,
    reddit_url: str,
    oauth_url: str,
    recorder: Recorder,
) -> praw.Reddit:
    # No retry adapter (prawcore retries 5xx itself), but the same total deadline as every other source:
    # a trickling answer otherwise held a run for as long as bytes kept coming.
    session = RecordingSession(recorder)
    return praw.Reddit(
        client_id=client_id,
        client_secret=client_secret,
        user_agent=user_agent,
        reddit_url=reddit_url,
        oauth_url=oauth_url,
        # The requestor's own timeout is what the token request gets (prawcore's default is 16 s): without
        # it a firewalled host held a run 3 x 16 s although every other request gives up after the timeout.
        requestor_kwargs={"session": session, "timeout": settings.HTTP_TIMEOUT_SECONDS},
        timeout=settings.HTTP_TIMEOUT_SECONDS,
        check_for_updates=False,
        check_for_async=False,
    )


def search_query(title: str, search_terms: tuple[str, ...]) -> str:
    terms = [t.replace('"', "").strip() for t in search_terms if t.strip()] or [title.replace('"', "")]
    return " OR ".join(f'"{t}"' for t in terms)


def fetch_about(reddit: praw.Reddit, subreddit: str) -> None:
    reddit.get(f"/r/{subreddit}/about/")


def fetch_newest_posts(reddit: praw.Reddit, query: str, limit: int) -> None:
    # One page of the newest matches across Reddit; the normalizer keeps those in the hour it counts.
    reddit.get(
        "/r/all/search/", params={"q": query, "sort": "new", "t": "day", "limit": limit, "raw_json": 1}
    )
