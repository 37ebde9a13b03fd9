"""Google Trends answers -> interest snapshots on one scale across batches. Pure: tested on fixtures.

Google scales every request 0-100 on its own peak, so values of two requests do not compare. Each
batch therefore carries the same anchor term, and every value is expressed relative to the anchor's
average over the window: 100 = the anchor's mean interest. That scale does not depend on which other
shows share a batch, so adding a show to the watchlist does not move the others' values.
"""

import json
from dataclasses import dataclass
from datetime import UTC, datetime

from sources.base import RawResponse, SnapshotIn

DAY_SECONDS = 24 * 3600


class MalformedResponse(ValueError):
    pass


@dataclass(frozen=True)
class Point:
    time: datetime
    values: list[int]
    partial: bool


def _json(body: str, what: str):
    """Google prefixes its JSON with )]}' (explore) or )]}', (widgetdata) against JSON hijacking."""
    text = body.lstrip()
    if text.startswith(")]}'"):
        text = text[4:].lstrip(",")
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        start = " ".join(body[:60].split())
        raise MalformedResponse(f"{what}: body is not JSON (starts {start!r})") from None


def timeseries_widget(body: str) -> tuple[dict, str]:
    """The interest-over-time widget's request and token from an explore answer."""
    data = _json(body, "explore")
    widgets = data.get("widgets") if isinstance(data, dict) else None
    for widget in widgets if isinstance(widgets, list) else []:
        is_timeseries = isinstance(widget, dict) and widget.get("id") == "TIMESERIES"
        if is_timeseries and isinstance(widget.get("request"), dict) and widget.get("token"):
            return widget["request"], widget["token"]
    raise MalformedResponse("explore: no TIMESERIES widget with a request and token")


def timeline(body: str, columns: int) -> list[Point]:
    data = _json(body, "multiline")
    try:
        rows = data["default"]["timelineData"]
        points = [
            Point(
                time=datetime.fromtimestamp(int(row["time"]), tz=UTC),
                values=[int(v) for v in row["value"]],
                partial=bool(row.get("isPartial", False)),
            )
            for row in rows
        ]
    except (KeyError, TypeError, ValueError):
        raise MalformedResponse("multiline: no default.timelineData with time and value") from None
    for p in points:
        if len(p.values) != columns:
            raise MalformedResponse(f"multiline: {len(p.values)} values at {p.time}, expected {columns}")
    return points


def batch_problem(body: str, columns: int) -> str:
    """Why a multiline answer cannot be used ("" when it can): checked in fetch, so one bad batch
    makes a partial run instead of a failed one."""
    try:
        points = timeline(body, columns)
    except MalformedResponse as exc:
        return str(exc)
    if not points:
        return "multiline: no points"
    if not any(p.values[0] for p in points):
        return "the anchor has no interest in the window, so the batch cannot be scaled"
    return ""


def not_daily_problem(body: str, columns: int, timeframe: str) -> str:
    """Why the points are not one a day ("" when they are): Google widens its step for long ranges."""
    points = timeline(body, columns)
    steps = {int((b.time - a.time).total_seconds()) for a, b in zip(points, points[1:], strict=False)}
    if steps - {DAY_SECONDS}:
        days = max(steps) / DAY_SECONDS
        return (
            f"Google answered points {days:g} days apart for {timeframe}; a backfill window must be "
            "short enough for daily values (at most ~9 months)"
        )
    return ""


def _floor(t: datetime, period: str) -> datetime:
    return (
        t.replace(minute=0, second=0, microsecond=0)
        if period == "hour"
        else datetime(t.year, t.month, t.day, tzinfo=UTC)
    )


def normalize(responses: list[RawResponse]) -> list[SnapshotIn]:
    out: list[SnapshotIn] = []
    for r in responses:
        meta = r.meta
        columns, period = meta["columns"], meta["period"]
        problem = batch_problem(r.body, len(columns))
        if problem:
            raise MalformedResponse(problem)
        points = timeline(r.body, len(columns))
        anchor_mean = sum(p.values[0] for p in points) / len(points)
        for col, (term, show_ids) in enumerate(zip(columns, meta["shows"], strict=True)):
            for show_id in show_ids:
                for p in points:
                    out.append(
                        SnapshotIn(
                            show_id=show_id,
                            metric="interest",
                            period=period,
                            observed_at=_floor(p.time, period),
                            value=round(p.values[col] * 100 / anchor_mean, 3),
                            scope=meta["scope"],
                            attrs={
                                "term": term,
                                "raw": p.values[col],
                                "anchor": columns[0],
                                "anchor_mean": round(anchor_mean, 3),
                                "partial": p.partial,
                            },
                        )
                    )
    return out
