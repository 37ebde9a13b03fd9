"""X recent counts -> post_count snapshots, on the fixtures."""

from datetime import UTC, datetime

import pytest

from sources.base import RawResponse
from sources.x.fake import hourly
from sources.x.normalize import MalformedResponse, normalize
from tests.fakeupstream import fixture_text


def raw(body: str, granularity: str = "hour") -> RawResponse:
    meta = {"show_id": 7, "query": '("Wednesday") -is:retweet', "granularity": granularity}
    return RawResponse("GET", "http://x/2/tweets/counts/recent", 200, body, datetime.now(UTC), meta)


def test_daily_buckets_skip_the_partial_first_day_and_mark_the_running_one():
    items = normalize([raw(fixture_text("x/counts_recent_day.json"), "day")])
    assert [i.observed_at.day for i in items] == [5, 6, 7, 8, 9, 10, 11]
    assert items[3].value == 398120 and items[3].period == "day" and items[3].metric == "post_count"
    assert items[-1].attrs.get("partial") is True
    assert "partial" not in items[0].attrs


def test_hourly_buckets_start_on_the_hour():
    items = normalize([raw(hourly())])
    assert all(i.observed_at.minute == 0 and i.period == "hour" for i in items)
    assert items[0].observed_at == datetime(2025, 8, 4, 15, tzinfo=UTC)
    assert items[-1].observed_at == datetime(2025, 8, 11, 14, tzinfo=UTC)
    assert items[-1].attrs["partial"] is True


def test_a_query_matching_nothing_gives_zero_counts_not_nothing():
    items = normalize([raw(fixture_text("x/counts_recent_zero.json"), "day")])
    assert len(items) == 7 and {i.value for i in items} == {0.0}


def test_a_body_without_meta_is_malformed():
    with pytest.raises(MalformedResponse, match="no 'meta'"):
        normalize([raw('{"title": "Service Unavailable"}')])


def test_a_bucket_longer_than_the_asked_granularity_is_malformed():
    with pytest.raises(MalformedResponse, match="longer than one hour"):
        normalize([raw(fixture_text("x/counts_recent_day.json"), "hour")])
