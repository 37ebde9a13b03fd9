"""TikTok Research API pages -> per hashtag and day: video_count, views, likes, comments, shares."""

import json
from datetime import UTC, date, datetime, timedelta

from sources.base import RawResponse, SnapshotIn

SUMS = {"views": "view_count", "likes": "like_count", "comments": "comment_count", "shares": "share_count"}


class MalformedResponse(ValueError):
    pass


def parse(body: str, what: str) -> dict:
    """The JSON envelope {data, error}; raises MalformedResponse for anything else."""
    try:
        data = json.loads(body)
    except json.JSONDecodeError as exc:
        raise MalformedResponse(f"{what}: body is not JSON ({exc.msg})") from None
    if not isinstance(data, dict) or not isinstance(data.get("error"), dict):
        raise MalformedResponse(f"{what}: no 'error' object in the response")
    return data


def _videos(body: str, tag: str) -> list[dict]:
    videos = (parse(body, f"#{tag}").get("data") or {}).get("videos", [])
    if not isinstance(videos, list):
        raise MalformedResponse(f"#{tag}: 'videos' is not a list")
    return videos


def normalize(responses: list[RawResponse]) -> list[SnapshotIn]:
    # (show, tag) -> day -> video id -> video; ids dedupe pages that overlap after a restarted query.
    groups: dict[tuple[int, str], dict[date, dict]] = {}
    for r in responses:
        show_id, tag = r.meta["show_id"], r.meta["hashtag"]
        days = groups.setdefault((show_id, tag), {})
        day = date.fromisoformat(r.meta["start"])
        while day <= date.fromisoformat(r.meta["end"]):  # a day without videos counts 0, not unknown
            days.setdefault(day, {})
            day += timedelta(days=1)
        for n, video in enumerate(_videos(r.body, tag)):
            try:
                created = datetime.fromtimestamp(video["create_time"], tz=UTC).date()
                days.setdefault(created, {})[video["id"]] = video
            except (KeyError, TypeError, ValueError, OverflowError):
                raise MalformedResponse(f"#{tag}: video {n} lacks id or create_time") from None
    out: list[SnapshotIn] = []
    for (show_id, tag), days in groups.items():
        for day, videos in sorted(days.items()):
            values = {"video_count": len(videos)}
            for metric, field in SUMS.items():
                values[metric] = sum(int(v.get(field) or 0) for v in videos.values())
            observed = datetime(day.year, day.month, day.day, tzinfo=UTC)
            out.extend(
                SnapshotIn(
                    show_id=show_id,
                    metric=metric,
                    scope=f"#{tag}",
                    period="day",
                    observed_at=observed,
                    value=float(value),
                )
                for metric, value in values.items()
            )
    return out
