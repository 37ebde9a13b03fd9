from datetime import UTC, datetime

import pytest

from sources.base import RawResponse
from sources.wikipedia.normalize import MalformedResponse, daily_problem, daily_shortfall, normalize
from tests.fakeupstream import fixture_text


def raw(body: str, start="2025-08-01", end="2025-08-10", complete_through="2025-08-09"):
    return RawResponse(
        method="GET",
        url="https://wikimedia.org/...",
        status=200,
        body=body,
        fetched_at=datetime(2025, 8, 11, tzinfo=UTC),
        meta={
            "show_id": 7,
            "article": "Wednesday_(TV_series)",
            "project": "en.wikipedia",
            "start": start,
            "end": end,
            "complete_through": complete_through,
        },
    )


def test_each_day_becomes_one_daily_pageviews_value():
    items = normalize([raw(fixture_text("wikipedia/per_article_daily.json"))])
    assert len(items) == 10
    first = items[0]
    assert (first.show_id, first.metric, first.scope, first.period) == (
        7,
        "pageviews",
        "en.wikipedia",
        "day",
    )
    assert first.observed_at == datetime(2025, 8, 1, tzinfo=UTC)
    assert first.value == 61234.0
    assert items[6].value == 388605.0


def test_days_the_api_omits_between_answered_days_are_stored_as_zero():
    body = fixture_text("wikipedia/per_article_daily_gaps.json")  # days 1, 2, 5, 6, 7 of 1..10
    items = normalize([raw(body, start="2025-07-30", complete_through="2025-08-10")])
    by_day = {i.observed_at.day: i.value for i in items}
    assert by_day[3] == 0.0 and by_day[4] == 0.0
    assert by_day[1] == 3.0
    # It starts after the window's first day, so after its last answered day nothing is proven.
    assert sorted(by_day) == [1, 2, 3, 4, 5, 6, 7]


def test_an_answer_from_the_window_start_proves_its_trailing_omitted_days_zero_up_to_the_last_loaded():
    body = fixture_text("wikipedia/per_article_daily_gaps.json")  # days 1, 2, 5, 6, 7, asked 1..20
    r = raw(body, end="2025-08-20", complete_through="2025-08-12")
    by_day = {i.observed_at.day: i.value for i in normalize([r])}
    assert sorted(by_day) == list(range(1, 13))  # not past the last day surely loaded
    assert [by_day[d] for d in range(8, 13)] == [0.0] * 5 and by_day[7] == 41.0
    assert daily_shortfall(r) == ""  # a quiet article does not make every run partial


def test_an_answer_cut_at_the_front_that_stops_early_is_named_and_its_missing_days_are_not_zero_filled():
    body = fixture_text("wikipedia/per_article_daily_gaps.json")
    r = raw(body, start="2025-07-25", end="2025-08-20", complete_through="2025-08-12")
    assert max(i.observed_at.day for i in normalize([r])) == 7
    assert daily_shortfall(r) == (
        "Wednesday_(TV_series): the answer starts at 2025-08-01, after 2025-07-25, and stops at 2025-08-07,"
        " before 2025-08-12; later days not stored"
    )


def test_a_days_answer_that_reaches_the_last_loaded_day_has_no_shortfall():
    r = raw(fixture_text("wikipedia/per_article_daily.json"), complete_through="2025-08-09")
    assert daily_shortfall(r) == "" and daily_problem(r) == ""


def test_an_empty_answer_proves_no_day_and_is_a_problem_not_a_window_of_zeros():
    r = raw('{"items": []}')
    assert normalize([r]) == []
    assert "the answer holds no day" in daily_problem(r)


@pytest.mark.parametrize(
    "body",
    [
        "<html>oops</html>",
        "null",
        '{"items": "x"}',
        '{"items": [{"timestamp": "2025080100"}]}',
        '{"items": [{"timestamp": "2025080100", "views": -3}]}',
    ],
)
def test_malformed_bodies_raise_a_clear_error(body):
    with pytest.raises(MalformedResponse, match="Wednesday_"):
        normalize([raw(body)])
