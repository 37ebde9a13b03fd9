import json

from sources.base import RawResponse, SnapshotIn


def normalize(responses: list[RawResponse]) -> list[SnapshotIn]:
    return [
        SnapshotIn(metric="count", period="day", observed_at=r.fetched_at, value=json.loads(r.body)["count"])
        for r in responses
    ]
