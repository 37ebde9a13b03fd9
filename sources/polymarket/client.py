"""Polymarket's public Gamma and CLOB APIs: the only module that talks to them. No key, no wallet."""

from urllib.parse import quote, urlencode

import requests

from core import http


def make_session() -> requests.Session:
    return http.make_session()


def events_page_url(base_url: str, tag_slug: str, *, limit: int, after_cursor: str = "") -> str:
    """One page of open events with the tag. Keyset pagination: `offset` is refused (422) since
    2026-05-01, and a cursor sent as `cursor=` silently returns page 1 again (VENUES.md A1)."""
    params = {"tag_slug": tag_slug, "closed": "false", "limit": limit}
    if after_cursor:
        params["after_cursor"] = after_cursor
    return base_url + "/events/keyset?" + urlencode(params)


def event_url(base_url: str, slug: str) -> str:
    # Closed events leave the open listing; their markets' close and resolution are read here.
    return base_url + "/events/slug/" + quote(slug, safe="")


def book_url(clob_base_url: str, token_id: str) -> str:
    return clob_base_url + "/book?" + urlencode({"token_id": token_id})


def get_json(session: requests.Session, url: str) -> requests.Response:
    return http.get(session, url, headers={"Accept": "application/json"})
