"""Reddit about pages and search listings -> subscribers, active users, mentions, score, comments."""

import json
from datetime import UTC, datetime

from sources.base import RawResponse, SnapshotIn

TOP_POSTS = 5


class MalformedResponse(ValueError):
    pass


def _data(body: str, kind: str, what: str) -> dict:
    try:
        data = json.loads(body)
    except json.JSONDecodeError as exc:
        raise MalformedResponse(f"{what}: body is not JSON ({exc.msg})") from None
    if not isinstance(data, dict) or data.get("kind") != kind or not isinstance(data.get("data"), dict):
        raise MalformedResponse(f"{what}: expected a {kind} object")
    return data["data"]


def _about(r: RawResponse) -> list[SnapshotIn]:
    sub = r.meta["subreddit"]
    data = _data(r.body, "t5", f"r/{sub}")
    hour = datetime.fromisoformat(r.meta["hour"])
    out = []
    # active_user_count can be null (Reddit hides it on some subreddits): unknown, so no row.
    for metric, field in (("subscribers", "subscribers"), ("active_users", "active_user_count")):
        value = data.get(field)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int):
            raise MalformedResponse(f"r/{sub}: {field}={value!r}")
        out.append(
            SnapshotIn(
                show_id=r.meta["show_id"],
                metric=metric,
                scope=f"r/{sub}",
                period="hour",
                observed_at=hour,
                value=float(value),
            )
        )
    return out


def _search(r: RawResponse) -> list[SnapshotIn]:
    query = r.meta["query"]
    start, end = datetime.fromisoformat(r.meta["from"]), datetime.fromisoformat(r.meta["to"])
    posts = []
    for n, child in enumerate(_data(r.body, "Listing", query).get("children") or []):
        try:
            post = child["data"]
            created = datetime.fromtimestamp(post["created_utc"], tz=UTC)
            score, comments = int(post["score"]), int(post["num_comments"])
        except (KeyError, TypeError, ValueError):
            raise MalformedResponse(f"{query}: post {n} lacks created_utc, score or num_comments") from None
        if start <= created < end:
            posts.append((score, comments, post.get("id", "")))
    top = [p[2] for p in sorted(posts, reverse=True)[:TOP_POSTS]]
    values = {
        "mentions": len(posts),
        "score": sum(p[0] for p in posts),
        "comments": sum(p[1] for p in posts),
    }
    return [
        SnapshotIn(
            show_id=r.meta["show_id"],
            metric=metric,
            scope="search",
            period="hour",
            observed_at=start,
            value=float(value),
            attrs={"query": query, "top_posts": top},
        )
        for metric, value in values.items()
    ]


def normalize(responses: list[RawResponse]) -> list[SnapshotIn]:
    out: list[SnapshotIn] = []
    for r in responses:
        out.extend(_about(r) if r.meta["kind"] == "about" else _search(r))
    return out
