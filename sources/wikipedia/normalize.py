"""Wikimedia responses -> snapshots and canonical titles. Pure: tested on fixtures."""

import json
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from urllib.parse import unquote

from sources.base import RawResponse, SnapshotIn


class MalformedResponse(ValueError):
    pass


def _day(value: str) -> date:
    return datetime.strptime(value[:8], "%Y%m%d").date()


def _json(body: str, what: str):
    try:
        return json.loads(body)
    except json.JSONDecodeError as exc:
        raise MalformedResponse(f"{what}: body is not JSON ({exc.msg})") from None


def _views_by_day(body: str, article: str) -> dict[date, int]:
    data = _json(body, article)
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


def daily_problem(r: RawResponse) -> str:
    """Why a 200 answer must not be used ("" when it can); checked in fetch, so one bad article makes
    a partial run and its stored days stay as they are."""
    try:
        views = _views_by_day(r.body, r.meta["article"])
    except MalformedResponse as exc:
        return str(exc)
    if not views:
        return f"{r.meta['article']}: the answer holds no day, so no day is known (stored days kept)"
    return ""


def _proven_through(meta: dict, views: dict[date, int]) -> date:
    """The last day a non-empty answer proves.

    The API omits days without views. An answer whose first day is the window's first day is not
    cut at the front: the article had data from the start, so a day it omits up to the last day
    surely loaded (meta["complete_through"]) had no views, also after its last answered day. An
    answer starting later (the article may be new, or moved) proves nothing past its last day.
    """
    last = max(views)
    start, through = date.fromisoformat(meta["start"]), meta.get("complete_through")
    if min(views) <= start and through:
        last = max(last, min(date.fromisoformat(meta["end"]), date.fromisoformat(through)))
    return last


def daily_shortfall(r: RawResponse) -> str:
    """ "" unless the answer proves no day up to the last day surely loaded (it starts after the
    window's first day and stops before that day): those days are not stored, so what is stored for
    them stays."""
    meta = r.meta
    views = _views_by_day(r.body, meta["article"])
    wanted = min(date.fromisoformat(meta["end"]), date.fromisoformat(meta["complete_through"]))
    last = _proven_through(meta, views)
    if last < wanted:
        return (
            f"{meta['article']}: the answer starts at {min(views)}, after {meta['start']}, and stops at"
            f" {last}, before {wanted}; later days not stored"
        )
    return ""


def daily(r: RawResponse) -> list[SnapshotIn]:
    meta = r.meta
    start, end = date.fromisoformat(meta["start"]), date.fromisoformat(meta["end"])
    views = _views_by_day(r.body, meta["article"])
    if not views:
        return []  # proves nothing: an empty answer must not zero the stored days
    # The API omits days with no views, so a day missing *between* two answered days is a true 0, and
    # one after the last answered day too when the answer starts at the window's start and the day is
    # surely loaded (_proven_through). Before the first answered day the answer proves nothing (the
    # article may not exist yet): those days are left out.
    out, day = [], max(start, min(views))
    while day <= min(end, _proven_through(meta, views)):
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


def hourly(r: RawResponse) -> list[SnapshotIn]:
    """Lines of an hourly dump ("<domain> <title> <views> <bytes>"), desktop and mobile summed."""
    meta = r.meta
    wanted: dict[str, list[int]] = {a: ids for a, ids in meta["articles"].items()}
    views: dict[str, int] = defaultdict(int)
    for n, line in enumerate(r.body.splitlines()):
        parts = line.split(" ")
        if len(parts) != 4 or not parts[2].isdigit():
            raise MalformedResponse(f"hourly dump {meta['hour']}: line {n + 1} is not 4 fields")
        title = unquote(parts[1])
        if title in wanted:
            views[title] += int(parts[2])
    hour = datetime.fromisoformat(meta["hour"])
    return [
        SnapshotIn(
            show_id=show_id,
            metric="pageviews",
            scope=meta["project"],
            period="hour",
            observed_at=hour,
            # An article absent from a complete hourly file had no views that hour.
            value=float(views.get(article, 0)),
            attrs={"article": article},
        )
        for article, ids in wanted.items()
        for show_id in ids
    ]


def canonical_titles(body: str, asked: list[str]) -> dict[str, str | None]:
    """Map each asked title (with underscores) to its canonical article, None when it does not exist.

    formatversion=2 answers {"query": {"normalized": [{from, to}], "redirects": [{from, to}],
    "pages": [{title, missing?}]}}; titles come back with spaces.
    """
    data = _json(body, "redirect lookup")
    query = data.get("query") if isinstance(data, dict) else None
    if not isinstance(query, dict) or not isinstance(query.get("pages"), list):
        raise MalformedResponse("redirect lookup: no query.pages in the response")
    steps = {s["from"]: s["to"] for s in query.get("normalized", []) + query.get("redirects", [])}
    missing = {p["title"] for p in query["pages"] if p.get("missing") or p.get("invalid")}
    out = {}
    for article in asked:
        title = article.replace("_", " ")
        for _ in range(5):  # normalized, then a redirect, and rarely one more hop
            if title not in steps:
                break
            title = steps[title]
        out[article] = None if title in missing else title.replace(" ", "_")
    return out


def normalize(responses: list[RawResponse]) -> list[SnapshotIn]:
    out: list[SnapshotIn] = []
    for r in responses:
        out.extend(hourly(r) if r.meta.get("kind") == "hourly" else daily(r))
    return out
