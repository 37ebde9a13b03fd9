"""TikTok Research API: the only module that talks to open.tiktokapis.com."""

import json
from datetime import date

import requests
from django.conf import settings

from core import http
from sources.base import SourceError

TOKEN_PATH = "/v2/oauth/token/"
QUERY_PATH = "/v2/research/video/query/"
FIELDS = "id,create_time,region_code,share_count,view_count,like_count,comment_count,hashtag_names"
PAGE_SIZE = 100  # the API's maximum max_count
RETRY_ON = (500, 502, 503, 504)


def make_session() -> requests.Session:
    session = http.make_session()
    # A 429 here means the daily or per-minute budget is gone: retrying in the run only spends more.
    retry = session.get_adapter("https://").max_retries.new(status_forcelist=RETRY_ON)
    for prefix in ("http://", "https://"):
        session.get_adapter(prefix).max_retries = retry
    return session


def _post(session: requests.Session, url: str, **kwargs) -> requests.Response:
    try:
        return session.post(url, timeout=settings.HTTP_TIMEOUT_SECONDS, **kwargs)
    except requests.Timeout:
        raise SourceError(f"timed out after {settings.HTTP_TIMEOUT_SECONDS}s: {url}") from None
    except requests.ConnectionError as exc:
        raise SourceError(f"{http.connection_cause(exc, url)}: {url}") from None
    except requests.RequestException as exc:
        raise SourceError(f"request failed: {url} ({type(exc).__name__})") from None


def request_token(
    session: requests.Session, base_url: str, client_key: str, secret: str
) -> requests.Response:
    form = {"client_key": client_key, "client_secret": secret, "grant_type": "client_credentials"}
    return _post(session, base_url + TOKEN_PATH, data=form)


def query_videos(
    session: requests.Session,
    base_url: str,
    token: str,
    *,
    hashtag: str,
    start: date,
    end: date,
    cursor: int = 0,
    search_id: str = "",
) -> requests.Response:
    body = {
        "query": {"and": [{"operation": "IN", "field_name": "hashtag_name", "field_values": [hashtag]}]},
        "start_date": start.strftime("%Y%m%d"),
        "end_date": end.strftime("%Y%m%d"),
        "max_count": PAGE_SIZE,
    }
    if search_id:
        body.update(cursor=cursor, search_id=search_id)
    return _post(
        session,
        base_url + QUERY_PATH,
        params={"fields": FIELDS},
        data=json.dumps(body),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
