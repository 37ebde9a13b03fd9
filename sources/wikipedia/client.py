"""Wikimedia's pageviews REST API, hourly dump files and the wiki's own API: the only Wikipedia I/O."""

import gzip
from collections.abc import Iterator
from datetime import date, datetime
from urllib.parse import quote

import requests
from django.conf import settings

from core import http
from sources.base import SourceError

# agent=user leaves out crawlers; all-access counts desktop and mobile together.
PER_ARTICLE = (
    "/api/rest_v1/metrics/pageviews/per-article/{project}/all-access/user/{article}/daily/{start}/{end}"
)
DUMP = "/other/pageviews/{t:%Y}/{t:%Y-%m}/pageviews-{t:%Y%m%d-%H}0000.gz"
QUERY_BATCH = 50  # titles per action=query request, the API's limit for anonymous clients


def per_article_url(base_url: str, project: str, article: str, start: date, end: date) -> str:
    return base_url + PER_ARTICLE.format(
        project=project,
        # Titles such as "Wednesday_(TV_series)" or "Fate/Zero" must be encoded whole.
        article=quote(article, safe=""),
        start=start.strftime("%Y%m%d"),
        end=end.strftime("%Y%m%d"),
    )


def get_daily(session: requests.Session, url: str) -> requests.Response:
    return http.get(session, url, headers={"Accept": "application/json"})


def site_url(project: str) -> str:
    """The wiki's own host, e.g. https://en.wikipedia.org for en.wikipedia."""
    return settings.SOURCE_BASE_URLS.get("wikipedia_site") or f"https://{project}.org"


def query_redirects(session: requests.Session, project: str, titles: list[str]) -> requests.Response:
    """action=query with redirects=1: the canonical title of each given title."""
    return http.get(
        session,
        site_url(project) + "/w/api.php",
        params={
            "action": "query",
            "redirects": "1",
            "titles": "|".join(t.replace("_", " ") for t in titles),
            "format": "json",
            "formatversion": "2",
        },
    )


def dump_url(hour: datetime) -> str:
    return settings.SOURCE_BASE_URLS["wikipedia_dumps"] + DUMP.format(t=hour)


def dump_lines(session: requests.Session, url: str, domains: set[str]) -> tuple[int, Iterator[str]]:
    """Stream one hourly dump (about 50 MB gzipped) and yield only lines of the given domain codes.

    The file is decompressed as it arrives and never held whole in memory.
    """
    try:
        response = session.get(url, stream=True, timeout=settings.HTTP_TIMEOUT_SECONDS)
    except requests.RequestException as exc:
        raise SourceError(f"dump download failed: {url} ({type(exc).__name__})") from None
    if response.status_code != 200:
        response.close()
        return response.status_code, iter(())

    def lines() -> Iterator[str]:
        with response, gzip.GzipFile(fileobj=response.raw) as unzipped:
            for raw in unzipped:
                domain = raw.split(b" ", 1)[0].decode("ascii", "replace")
                if domain in domains:
                    yield raw.decode("utf-8", "replace").rstrip("\n")

    return 200, lines()
