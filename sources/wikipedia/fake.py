"""Wikimedia pageviews API, served from sources/wikipedia/fixtures/."""

import gzip
import json
import re
from datetime import date, datetime
from urllib.parse import unquote

from tests.fakeupstream import Reply, fixture_text

PER_ARTICLE = (
    r"^/api/rest_v1/metrics/pageviews/per-article/(?P<project>[^/]+)/(?P<access>[^/]+)/"
    r"(?P<agent>[^/]+)/(?P<article>[^/]+)/daily/(?P<start>\d{8})(?:\d\d)?/(?P<end>\d{8})(?:\d\d)?$"
)


def _day(timestamp: str) -> date:
    return datetime.strptime(timestamp[:8], "%Y%m%d").date()


def per_article(match: re.Match, fixture: str = "wikipedia/per_article_daily.json") -> Reply:
    """The fixture's days moved so its last day is the requested end, and days outside the range
    dropped, as the real API returns only the days asked for."""
    data = json.loads(fixture_text(fixture))
    start, end = _day(match["start"]), _day(match["end"])
    shift = end - max(_day(i["timestamp"]) for i in data["items"])
    items = []
    for item in data["items"]:
        day = _day(item["timestamp"]) + shift
        if start <= day <= end:
            stamp = day.strftime("%Y%m%d") + "00"
            items.append({**item, "article": unquote(match["article"]), "timestamp": stamp})
    if not items:
        return Reply(404, fixture_text("wikipedia/error_404_no_data.json"))
    return Reply(200, json.dumps({"items": items}))


def query_api(match: re.Match, query: dict) -> Reply:
    """action=query: the fixture's answers, plus every other asked title as an existing page."""
    data = json.loads(fixture_text("wikipedia/query_redirects.json"))
    q = data["query"]
    known = {p["title"] for p in q["pages"]} | {s["from"] for s in q["normalized"] + q["redirects"]}
    for title in query.get("titles", [""])[0].split("|"):
        if title and title not in known:
            q["pages"].append({"pageid": 1, "ns": 0, "title": title})
    return Reply(200, json.dumps(data))


def hourly_dump(match: re.Match) -> Reply:
    """Any hour's dump: the sample lines, gzipped as Wikimedia serves them."""
    body = gzip.compress(fixture_text("wikipedia/pageviews-hourly.sample.txt").encode())
    return Reply(200, body, content_type="application/octet-stream")


ROUTES = [
    (PER_ARTICLE, per_article),
    (r"^/w/api\.php$", query_api),
    (r"^/other/pageviews/\d{4}/\d{4}-\d\d/pageviews-\d{8}-\d{2}0000\.gz$", hourly_dump),
]
