import csv
import io
from datetime import UTC, datetime

import pytest

from sources.base import RawResponse
from sources.google_trends.normalize import MalformedResponse, normalize, timeline, timeseries_widget
from tests.fakeupstream import fixture_text


def raw(body: str, columns=("Netflix", "wednesday"), shows=((), (7,)), period="day") -> RawResponse:
    return RawResponse(
        method="GET",
        url="https://trends.google.com/trends/api/widgetdata/multiline?...",
        status=200,
        body=body,
        fetched_at=datetime(2021, 1, 6, tzinfo=UTC),
        meta={"columns": list(columns), "shows": [list(s) for s in shows], "period": period, "scope": "US"},
    )


def test_explore_answer_gives_the_timeseries_request_and_token():
    request, token = timeseries_widget(fixture_text("google_trends/explore_widgets.raw.txt"))
    assert token == "APP6_UEAAAAAZCFPLHz6xkRipufcZZNE92hnrJrQM4XT"
    assert request["resolution"] == "DAY"
    assert [c["complexKeywordsRestriction"]["keyword"][0]["value"] for c in request["comparisonItem"]] == [
        "pizza",
        "bagel",
    ]


def test_daily_values_are_rescaled_to_the_anchors_mean():
    items = normalize([raw(fixture_text("google_trends/multiline_daily.raw.txt"))])
    # anchor series 100, 83, 78, 49, 50 (mean 72); the show's raw series 2, 2, 2, 1, 1
    assert [i.value for i in items] == [2.778, 2.778, 2.778, 1.389, 1.389]
    first = items[0]
    assert (first.show_id, first.metric, first.period, first.scope) == (7, "interest", "day", "US")
    assert first.observed_at == datetime(2021, 1, 1, tzinfo=UTC)
    assert first.attrs == {
        "term": "wednesday",
        "raw": 2,
        "anchor": "Netflix",
        "anchor_mean": 72.0,
        "partial": False,
    }


def test_a_show_searched_by_the_anchor_term_reads_the_anchor_column():
    items = normalize([raw(fixture_text("google_trends/multiline_daily.raw.txt"), shows=((3,), ()))])
    assert [i.value for i in items][:2] == [138.889, 115.278]
    assert {i.show_id for i in items} == {3}


def test_weekly_series_matches_pytrends_dataframe_and_keeps_the_partial_flag():
    points = timeline(fixture_text("google_trends/multiline_weekly_partial.raw.txt"), 2)
    frame = list(csv.DictReader(io.StringIO(fixture_text("google_trends/interest_over_time.dataframe.csv"))))
    assert len(points) == len(frame) == 260
    assert [(p.time.date().isoformat(), p.values, p.partial) for p in points] == [
        (row["date"], [int(row["pizza"]), int(row["bagel"])], row["isPartial"] == "True") for row in frame
    ]
    items = normalize([raw(fixture_text("google_trends/multiline_weekly_partial.raw.txt"))])
    assert [i.attrs["partial"] for i in items[-2:]] == [False, True]


def test_hourly_period_keeps_the_hour():
    items = normalize([raw(fixture_text("google_trends/multiline_daily.raw.txt"), period="hour")])
    assert items[0].period == "hour" and items[0].observed_at == datetime(2021, 1, 1, tzinfo=UTC)


def test_googles_html_error_page_is_not_json():
    page = fixture_text("google_trends/error_404_google.html")
    with pytest.raises(MalformedResponse, match="explore: body is not JSON"):
        timeseries_widget(page)
    with pytest.raises(MalformedResponse, match="multiline: body is not JSON"):
        normalize([raw(page)])


def test_a_column_count_other_than_asked_is_malformed():
    with pytest.raises(MalformedResponse, match="2 values .* expected 3"):
        normalize(
            [raw(fixture_text("google_trends/multiline_daily.raw.txt"), ("N", "a", "b"), ((), (1,), (2,)))]
        )


def test_an_anchor_without_interest_cannot_scale_the_batch():
    body = fixture_text("google_trends/multiline_daily.raw.txt")
    for anchor in ("[100,", "[83,", "[78,", "[49,", "[50,"):
        body = body.replace(f'"value":{anchor}', '"value":[0,')
    with pytest.raises(MalformedResponse, match="anchor has no interest"):
        normalize([raw(body)])


def test_an_explore_answer_without_timeseries_is_malformed():
    with pytest.raises(MalformedResponse, match="no TIMESERIES widget"):
        timeseries_widget(')]}\'\n{"widgets": [{"id": "GEO_MAP", "token": "x", "request": {}}]}')
