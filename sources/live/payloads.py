"""The JSON a run announces: the SSE event's data, the Redis `source:<key>:latest` value and
Source.latest_payload all have this one shape ({source, ts, payload})."""

from datetime import datetime

from sources.base import SnapshotIn
from sources.models import FetchRun, Source

LATEST_ITEMS = 50


def run_payload(source: Source, fetch_run: FetchRun, ts: datetime) -> dict:
    return {
        "source": source.key,
        "ts": ts.isoformat(),
        "payload": {
            "run": fetch_run.id,
            "status": fetch_run.status,
            "health": source.health,
            "error": fetch_run.error,
        },
    }


def latest_payload(source, fetch_run, items: list[SnapshotIn], ts: datetime) -> dict:
    """Compact: run counts plus the newest value of each (show, metric, scope) series."""
    newest: dict[tuple, SnapshotIn] = {}
    for item in items:
        key = (item.show_id, item.metric, item.scope, item.period)
        if key not in newest or item.observed_at > newest[key].observed_at:
            newest[key] = item
    latest = sorted(newest.values(), key=lambda i: (i.show_id or 0, i.metric, i.scope))
    data = run_payload(source, fetch_run, ts)
    data["payload"].update(
        items=fetch_run.items,
        created=fetch_run.created,
        updated=fetch_run.updated,
        unchanged=fetch_run.unchanged,
        latest=[
            {
                "show": i.show_id,
                "metric": i.metric,
                "scope": i.scope,
                "period": i.period,
                "observed_at": i.observed_at.isoformat(),
                "value": i.value,
            }
            for i in latest[:LATEST_ITEMS]
        ],
    )
    return data
