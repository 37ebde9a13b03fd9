"""Wikimedia pageviews API, served from tests/fixtures/wikipedia/."""

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


ROUTES = [(PER_ARTICLE, per_article)]
