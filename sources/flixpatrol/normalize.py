"""FlixPatrol pages and API answers -> daily rank/points snapshots. Pure: tested on fixtures."""

import json
from datetime import UTC, date, datetime

from shows.refs import ShowRef
from sources.base import RawResponse, SnapshotIn
from sources.flixpatrol.chart import cut_short, parse_chart, why_no_rows, wrong_day

KINDS = {"tv": "tv", "films": "film"}
# API `type` codes as the R client maps them (2 = movie, 3 = TV show); that is UNCONFIRMED
# (docs/stack-facts.md, FlixPatrol), so anything else is skipped rather than guessed.
API_TYPES = {2: "films", 3: "tv"}
INCOMPLETE = "page cut short or incomplete"


class MalformedResponse(ValueError):
    pass


def _midnight(day: str) -> datetime:
    d = date.fromisoformat(day)
    return datetime(d.year, d.month, d.day, tzinfo=UTC)


def _snapshot(metric, value, *, day, scope, title, list_name, attrs) -> SnapshotIn:
    ref = ShowRef(
        title=title, season="", kind=KINDS[list_name], create=True, external_id=attrs.get("title_slug") or ""
    )
    return SnapshotIn(
        metric=metric,
        period="day",
        observed_at=_midnight(day),
        value=float(value),
        scope=scope,
        # FlixPatrol has no season; its titles name the show, which Tudum may know by season.
        show_ref=ref,
        attrs={"list": list_name, **attrs},
    )


def _from_page(r: RawResponse) -> list[SnapshotIn]:
    rows = parse_chart(r.body)
    if not rows:
        raise MalformedResponse(f"markup changed or blocked: {why_no_rows(r.status, r.body)} on {r.url}")
    cut = cut_short(r.body, rows)
    if cut:  # the runner skips such pages too; none of a cut page's rows is stored
        raise MalformedResponse(f"{INCOMPLETE} ({cut}) on {r.url}")
    other_day = wrong_day(r.body, date.fromisoformat(r.meta["date"]))
    if other_day:  # the runner skips such pages; a raw page normalized again must not slip through
        raise MalformedResponse(f"{other_day} on {r.url}")
    meta, out = r.meta, []
    for row in rows:
        common = dict(day=meta["date"], scope=meta["scope"], title=row.title, list_name=row.list_name)
        attrs = {"country_slug": meta["country_slug"], "title_slug": row.slug, "href": f"/title/{row.slug}/"}
        out.append(_snapshot("rank", row.rank, attrs=attrs, **common))
        if row.points is not None:
            out.append(_snapshot("points", row.points, attrs=attrs, **common))
    return out


def api_rows(body: str) -> list[dict]:
    """The `data` records of a /v2/top10s answer; raises MalformedResponse on another shape."""
    try:
        data = json.loads(body)
    except json.JSONDecodeError as exc:
        raise MalformedResponse(f"API answer is not JSON ({exc.msg})") from None
    records = data.get("data") if isinstance(data, dict) else None
    if not isinstance(records, list):
        raise MalformedResponse("API answer has no 'data' list")
    return [rec.get("data") if isinstance(rec, dict) else None for rec in records]


def _from_api(r: RawResponse) -> list[SnapshotIn]:
    out = []
    for n, rec in enumerate(api_rows(r.body)):
        try:
            list_name = API_TYPES.get(rec["type"])
            rank, day = int(rec["ranking"]), rec["date"]["from"]
            movie = rec["movie"]["data"]
            title = movie["title"].strip()
        except (KeyError, TypeError, ValueError, AttributeError):
            raise MalformedResponse(f"API record {n} lacks ranking, type, date or movie title") from None
        if list_name is None:
            continue
        attrs = {"flixpatrol_id": movie.get("id", ""), "days_total": rec.get("daysTotal")}
        out.append(
            _snapshot(
                "rank", rank, day=day, scope=r.meta["scope"], title=title, list_name=list_name, attrs=attrs
            )
        )
    return out


def normalize(responses: list[RawResponse]) -> list[SnapshotIn]:
    out: list[SnapshotIn] = []
    for r in responses:
        out.extend(_from_api(r) if r.meta.get("backend") == "api" else _from_page(r))
    return out
