"""YouTube search and videos.list bodies -> trailer ids and views/likes/comments. Pure."""

import json
from datetime import datetime

from sources.base import RawResponse, SnapshotIn

# statistics field -> our metric; likeCount is absent when likes are hidden, commentCount when
# comments are off: an absent count is unknown, not zero, so no row is written for it.
METRICS = {"viewCount": "views", "likeCount": "likes", "commentCount": "comments"}


class MalformedResponse(ValueError):
    pass


def _items(body: str, what: str) -> list:
    try:
        data = json.loads(body)
    except json.JSONDecodeError as exc:
        raise MalformedResponse(f"{what}: body is not JSON ({exc.msg})") from None
    items = data.get("items") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise MalformedResponse(f"{what}: no 'items' list in the response")
    return items


def search_video_ids(body: str) -> list[str]:
    ids = []
    for item in _items(body, "search.list"):
        video_id = (item.get("id") or {}).get("videoId") if isinstance(item, dict) else None
        if isinstance(video_id, str) and video_id:
            ids.append(video_id)
    return ids


def error_reason(body: str) -> tuple[str, str]:
    """(reason, message) of a Google API error body, e.g. ("quotaExceeded", "...")."""
    try:
        error = json.loads(body)["error"]
        first = (error.get("errors") or [{}])[0]
        return first.get("reason", ""), first.get("message") or error.get("message", "")
    except (ValueError, KeyError, TypeError, AttributeError):
        return "", body[:200]


def normalize(responses: list[RawResponse]) -> list[SnapshotIn]:
    out: list[SnapshotIn] = []
    for r in responses:
        day = datetime.fromisoformat(r.meta["day"])
        shows_of = r.meta["shows_by_video"]
        for n, item in enumerate(_items(r.body, "videos.list")):
            try:
                video_id, stats = item["id"], item["statistics"]
            except (KeyError, TypeError):
                raise MalformedResponse(f"videos.list: item {n} lacks id or statistics") from None
            title = (item.get("snippet") or {}).get("title", "")
            for field, metric in METRICS.items():
                if field not in stats:
                    continue
                try:
                    value = float(int(stats[field]))  # strings on the wire
                except (TypeError, ValueError):
                    raise MalformedResponse(f"{video_id}: {field}={stats[field]!r}") from None
                for show_id in shows_of.get(video_id, []):
                    out.append(
                        SnapshotIn(
                            show_id=show_id,
                            metric=metric,
                            scope=video_id,
                            # Running totals as of today's fetch; a later fetch the same day updates it.
                            period="day",
                            observed_at=day,
                            value=value,
                            attrs={"title": title, "cumulative": True},
                        )
                    )
    return out


def listed_video_ids(body: str) -> set[str]:
    return {i["id"] for i in _items(body, "videos.list") if isinstance(i, dict) and "id" in i}
