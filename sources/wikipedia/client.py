"""Wikimedia pageviews REST API: the only module that talks to it."""

from datetime import date
from urllib.parse import quote

import requests

from sources import http

# agent=user leaves out crawlers; all-access counts desktop and mobile together.
PER_ARTICLE = (
    "/api/rest_v1/metrics/pageviews/per-article/{project}/all-access/user/{article}/daily/{start}/{end}"
)


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
