"""Netflix's Top 10 files on netflix.com: the only module that talks to them."""

import requests

from core import http

# docs/stack-facts.md, Tudum. The old top10.netflix.com/data/ host answers 301 since 2023-06-01.
PATHS = {
    "global": "/tudum/top10/data/all-weeks-global.tsv",
    "countries": "/tudum/top10/data/all-weeks-countries.tsv",
    "most_popular": "/tudum/top10/data/most-popular.tsv",
}


def file_url(base_url: str, name: str) -> str:
    return base_url + PATHS[name]


def get_file(session: requests.Session, url: str, validators: dict[str, str]) -> requests.Response:
    """A conditional GET: with the ETag / Last-Modified of the last copy, an unchanged file is a 304.

    Redirects are not followed: a moved file has meant an HTML page where the TSV was (2023-06-01).
    """
    headers = {"Accept": "text/tab-separated-values, text/plain;q=0.5"}
    if validators.get("etag"):
        headers["If-None-Match"] = validators["etag"]
    if validators.get("last_modified"):
        headers["If-Modified-Since"] = validators["last_modified"]
    return http.get(session, url, headers=headers, allow_redirects=False)


def validators_of(response: requests.Response) -> dict[str, str]:
    found = {"etag": response.headers.get("ETag"), "last_modified": response.headers.get("Last-Modified")}
    return {k: v for k, v in found.items() if v}


def text_of(response: requests.Response) -> str:
    """The body as UTF-8 whatever the Content-Type says: requests would guess Latin-1 for text/*
    without a charset and garble Hangul and curly apostrophes. Bad bytes are replaced, not fatal."""
    return response.content.decode("utf-8-sig", errors="replace")
