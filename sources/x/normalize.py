"""X recent counts -> post_count snapshots per show and bucket. Pure: tested on fixtures."""

import json
from datetime import datetime, timedelta

from sources.base import RawResponse, SnapshotIn

STEP = {"hour": timedelta(hours=1), "day": timedelta(days=1)}


class MalformedResponse(ValueError):
    pass


def _time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _aligned(moment: datetime, step: timedelta) -> bool:
    since_midnight = moment - moment.replace(hour=0, minute=0, second=0, microsecond=0)
    return since_midnight % step == timedelta(0)


def _buckets(body: str, query: str) -> list[dict]:
    try:
        data = json.loads(body)
    except json.JSONDecodeError as exc:
        raise MalformedResponse(f"{query}: body is not JSON ({exc.msg})") from None
    if not isinstance(data, dict) or not isinstance(data.get("meta"), dict):
        raise MalformedResponse(f"{query}: no 'meta' object in the response")
    buckets = data.get("data", [])
    if not isinstance(buckets, list):
        raise MalformedResponse(f"{query}: 'data' is not a list")
    return buckets


def empty_answer(body: str, query: str) -> str:
    """Why a parseable answer proves nothing ("" when it does): X sends a bucket for every period of
    the window, with tweet_count 0 when nothing matched, so an answer without buckets is not a zero."""
    try:
        buckets = _buckets(body, query)
    except MalformedResponse:
        return ""  # normalize fails the run on it with the full message
    return "" if buckets else f"{query}: the answer holds no bucket, so no count is known (stored kept)"


def normalize(responses: list[RawResponse]) -> list[SnapshotIn]:
    out: list[SnapshotIn] = []
    for r in responses:
        period, query = r.meta["granularity"], r.meta["query"]
        step = STEP[period]
        for n, bucket in enumerate(_buckets(r.body, query)):
            try:
                start, end, count = _time(bucket["start"]), _time(bucket["end"]), bucket["tweet_count"]
            except (KeyError, TypeError, ValueError):
                raise MalformedResponse(f"{query}: bucket {n} lacks start, end or tweet_count") from None
            if isinstance(count, bool) or not isinstance(count, int) or count < 0:
                raise MalformedResponse(f"{query}: bucket {n} has tweet_count={count!r}")
            if end - start > step:
                raise MalformedResponse(f"{query}: bucket {n} is longer than one {period}")
            if not _aligned(start, step):
                # The window's first bucket starts mid-period: storing it would undercount the period.
                continue
            out.append(
                SnapshotIn(
                    show_id=r.meta["show_id"],
                    metric="post_count",
                    period=period,
                    observed_at=start,
                    value=float(count),
                    # The current period is still counting; the next run replaces it (kept as a revision).
                    attrs={"query": query, **({"partial": True} if end - start < step else {})},
                )
            )
    return out
