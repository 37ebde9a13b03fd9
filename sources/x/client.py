"""X API v2 recent post counts: the only module that talks to api.x.com."""

from datetime import UTC, datetime

import requests

from core import http

COUNTS_PATH = "/2/tweets/counts/recent"
# Basic access caps the query at 512 characters; longer ones are answered with a 400.
MAX_QUERY_CHARS = 512
RETRY_ON = (500, 502, 503, 504)


def make_session(bearer_token: str) -> requests.Session:
    session = http.make_session()
    # X answers 429 with x-rate-limit-reset (not Retry-After): retrying in the run only burns requests.
    retry = session.get_adapter("https://").max_retries.new(status_forcelist=RETRY_ON)
    for prefix in ("http://", "https://"):
        session.get_adapter(prefix).max_retries = retry
    session.headers["Authorization"] = f"Bearer {bearer_token}"
    return session


def build_query(title: str, search_terms: tuple[str, ...]) -> str:
    """Quoted terms OR-ed together, retweets left out (they repeat a post, not new buzz).

    Without search terms the title gets a `netflix` co-term: titles like "Untamed" are common words.
    """
    terms = [t.replace('"', "").strip() for t in search_terms if t.strip()]
    core = " OR ".join(f'"{t}"' for t in terms) if terms else f'"{title.replace(chr(34), "")}" netflix'
    return f"({core}) -is:retweet"[:MAX_QUERY_CHARS]


def _rfc3339(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def counts_recent(
    session: requests.Session,
    base_url: str,
    *,
    query: str,
    start: datetime,
    end: datetime,
    granularity: str,
) -> requests.Response:
    params = {
        "query": query,
        "granularity": granularity,
        "start_time": _rfc3339(start),
        "end_time": _rfc3339(end),
    }
    return http.get(session, base_url + COUNTS_PATH, params=params)


def rate_limit(response: requests.Response) -> tuple[int | None, datetime | None]:
    """(requests left in the window, when the window resets) from X's x-rate-limit-* headers."""
    remaining = response.headers.get("x-rate-limit-remaining")
    reset = response.headers.get("x-rate-limit-reset")
    left = int(remaining) if remaining and remaining.isdigit() else None
    until = datetime.fromtimestamp(int(reset), tz=UTC) if reset and reset.isdigit() else None
    return left, until
