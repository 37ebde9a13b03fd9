"""X API v2 recent counts, served from sources/x/fixtures/.

The fixture has daily buckets; the runner asks for hourly ones, so the default route splits each day
bucket into the hours it covers (same fields, counts shared out by duration). The fake cannot see the
query string, so it always answers for the fixture's own week (2025-08-04 .. 2025-08-11 14:22:41Z).
"""

import json
import time
from datetime import datetime, timedelta

from tests.fakeupstream import Reply, fixture_text

COUNTS = r"^/2/tweets/counts/recent$"
HOUR = timedelta(hours=1)


def _time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def hourly(fixture: str = "x/counts_recent_day.json") -> str:
    data = json.loads(fixture_text(fixture))
    buckets = []
    for day in data["data"]:
        start, end, count = _time(day["start"]), _time(day["end"]), day["tweet_count"]
        total, given, cut = (end - start).total_seconds(), 0, start
        while cut < end:
            nxt = min(cut.replace(minute=0, second=0) + HOUR, end)
            share = round(count * (nxt - start).total_seconds() / total) - given
            buckets.append({"end": _stamp(nxt), "start": _stamp(cut), "tweet_count": share})
            given, cut = given + share, nxt
    return json.dumps({"data": buckets, "meta": data["meta"]})


def rate_headers(remaining: int = 299) -> dict[str, str]:
    return {
        "x-rate-limit-limit": "300",
        "x-rate-limit-remaining": str(remaining),
        "x-rate-limit-reset": str(int(time.time()) + 900),
    }


def counts(match) -> Reply:
    return Reply(200, hourly(), rate_headers())


ROUTES = [(COUNTS, counts)]
