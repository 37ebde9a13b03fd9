"""Google Trends' internal endpoints (what pytrends calls), served from sources/google_trends/fixtures/.

The default multiline answer is the real two-term fixture; tests comparing more terms queue
`multiline(columns)` answers. A request for an explicit date range (what a backfill window asks,
"2021-07-01 2021-12-27") is answered for that range instead: the fixture's widget with the range and
terms asked, and a timeline of the fixture's values repeated over the range's days, or its weeks when
the range is longer than Google answers daily (~9 months).
"""

import json
import re
from datetime import UTC, date, datetime, timedelta

from tests.fakeupstream import Reply, fixture_text

WARM_UP = r"^/trends/explore/?$"
EXPLORE = r"^/trends/api/explore$"
MULTILINE = r"^/trends/api/widgetdata/multiline$"
JS = "application/json; charset=utf-8"


def not_found_page() -> Reply:
    """Google's HTML 404, as the cookie warm-up call really received it."""
    return Reply(404, fixture_text("google_trends/error_404_google.html"), content_type="text/html")


def multiline(columns: int) -> Reply:
    """The real daily answer widened to `columns` terms: the anchor keeps the fixture's first series,
    term k is the second series times k."""
    prefix, _, payload = fixture_text("google_trends/multiline_daily.raw.txt").partition("\n")
    data = json.loads(payload)
    for row in data["default"]["timelineData"]:
        anchor, term = row["value"]
        row["value"] = [anchor, *(term * k for k in range(1, columns))]
        row["hasData"] = [True] * columns
        row["formattedValue"] = [str(v) for v in row["value"]]
    data["default"]["averages"] = []
    return Reply(200, prefix + "\n" + json.dumps(data), content_type=JS)


DATE_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2}) (\d{4}-\d{2}-\d{2})$")
DAILY_UP_TO_DAYS = 269  # Google's limit for daily points is ~9 months (docs/stack-facts.md: not exact)


def _range(time: str) -> tuple[date, date] | None:
    match = DATE_RANGE.match(time or "")
    return (date.fromisoformat(match[1]), date.fromisoformat(match[2])) if match else None


def _req(query: dict) -> dict:
    return json.loads((query.get("req") or ["{}"])[0])


def explore(match, query) -> Reply:
    body = fixture_text("google_trends/explore_widgets.raw.txt")
    items = _req(query).get("comparisonItem") or []
    span = _range(items[0].get("time", "")) if items else None
    if span is None:
        return Reply(200, body, content_type=JS)
    prefix, _, payload = body.partition("\n")
    data = json.loads(payload)
    widget = next(w for w in data["widgets"] if w["id"] == "TIMESERIES")
    widget["request"]["time"] = items[0]["time"]
    widget["request"]["resolution"] = "DAY" if (span[1] - span[0]).days <= DAILY_UP_TO_DAYS else "WEEK"
    template = widget["request"]["comparisonItem"][0]
    widget["request"]["comparisonItem"] = [
        {**template, "complexKeywordsRestriction": {"keyword": [{"type": "BROAD", "value": i["keyword"]}]}}
        for i in items
    ]
    return Reply(200, prefix + "\n" + json.dumps(data), content_type=JS)


def timeline_for(first: date, last: date, columns: int) -> Reply:
    """The fixture's values repeated over each day (each week past ~9 months) from first to last."""
    prefix, _, payload = fixture_text("google_trends/multiline_daily.raw.txt").partition("\n")
    data = json.loads(payload)
    sample = [row["value"] for row in data["default"]["timelineData"]]
    step = timedelta(days=1 if (last - first).days <= DAILY_UP_TO_DAYS else 7)
    rows, day, n = [], first, 0
    while day <= last:
        anchor, term = sample[n % len(sample)]
        values = [anchor, *(term * k for k in range(1, columns))]
        at = datetime(day.year, day.month, day.day, tzinfo=UTC)
        rows.append(
            {
                "time": str(int(at.timestamp())),
                "formattedTime": f"{at:%b} {at.day}, {at.year}",
                "formattedAxisTime": f"{at:%b} {at.day}, {at.year}",
                "value": values,
                "hasData": [True] * columns,
                "formattedValue": [str(v) for v in values],
            }
        )
        day, n = day + step, n + 1
    data["default"] = {"timelineData": rows, "averages": []}
    return Reply(200, prefix + "\n" + json.dumps(data), content_type=JS)


def multiline_reply(match, query) -> Reply:
    request = _req(query)
    span = _range(request.get("time", ""))
    if span is None:
        return Reply(200, fixture_text("google_trends/multiline_daily.raw.txt"), content_type=JS)
    return timeline_for(*span, columns=len(request.get("comparisonItem") or []))


ROUTES = [
    (WARM_UP, lambda m: not_found_page()),
    (EXPLORE, explore),
    (MULTILINE, multiline_reply),
]
