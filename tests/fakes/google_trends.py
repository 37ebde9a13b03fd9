"""Google Trends' internal endpoints (what pytrends calls), served from tests/fixtures/google_trends/.

Handlers see only the path, not the query, so the default multiline answer is the real two-term
fixture; tests comparing more terms queue `multiline(columns)` answers.
"""

import json

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


ROUTES = [
    (WARM_UP, lambda m: not_found_page()),
    (EXPLORE, lambda m: Reply(200, fixture_text("google_trends/explore_widgets.raw.txt"), content_type=JS)),
    (MULTILINE, lambda m: Reply(200, fixture_text("google_trends/multiline_daily.raw.txt"), content_type=JS)),
]
