"""Wikimedia per-article daily pageviews -> snapshots. Pure: tested on fixtures."""

import json
from datetime import UTC, date, datetime, timedelta

from sources.base import RawResponse, SnapshotIn


class MalformedResponse(ValueError):
    pass


def _day(value: str) -> date:
    return datetime.strptime(value[:8], "%Y%m%d").date()


def _views_by_day(body: str, article: str) -> dict[date, int]:
    try:
        data = json.loads(body)
    except json.JSONDecodeError as exc:
        raise MalformedResponse(f"{article}: body is not JSON ({exc.msg})") from None
    items = data.get("items") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise MalformedResponse(f"{article}: no 'items' list in the response")
    views: dict[date, int] = {}
    for n, item in enumerate(items):
        try:
            day = _day(item["timestamp"])
            count = item["views"]
        except (KeyError, TypeError, ValueError):
            raise MalformedResponse(f"{article}: item {n} lacks a valid timestamp or views") from None
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise MalformedResponse(f"{article}: item {n} has views={count!r}")
        views[day] = count
    return views


def normalize(responses: list[RawResponse]) -> list[SnapshotIn]:
    out: list[SnapshotIn] = []
    for r in responses:
        meta = r.meta
        start, end = date.fromisoformat(meta["start"]), date.fromisoformat(meta["end"])
        views = _views_by_day(r.body, meta["article"])
        # The API omits days with no views. A missing day is a true 0 once the day is surely loaded
        # (meta["complete_through"]); a missing recent day may just not be loaded yet, so it waits.
        last = max([date.fromisoformat(meta["complete_through"]), *views])
        day = start
        while day <= min(end, last):
            out.append(
                SnapshotIn(
                    show_id=meta["show_id"],
                    metric="pageviews",
                    scope=meta["project"],
                    period="day",
                    observed_at=datetime(day.year, day.month, day.day, tzinfo=UTC),
                    value=float(views.get(day, 0)),
                    attrs={"article": meta["article"]},
                )
            )
            day += timedelta(days=1)
    return out
