"""GET /api/shows/<id>/metrics: buckets made by the database, mean or last per metric, strict params."""

import csv
import io
from datetime import UTC, timedelta

import pytest
from django.utils import timezone

from tests.api.conftest import hours_ago

pytestmark = pytest.mark.postgres


def url(show, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return f"/api/shows/{show.id}/metrics" + (f"?{query}" if query else "")


def three_days_ago_midnight():
    today = timezone.now().astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    return today - timedelta(days=3)


def test_default_window_is_seven_days_hourly_in_the_design_shape(api, show, add_snapshots):
    add_snapshots(show, "wikipedia", "pageviews", [(hours_ago(5), 100), (hours_ago(4), 120)])
    add_snapshots(show, "wikipedia", "pageviews", [(hours_ago(24 * 8), 999)])  # outside the window
    body = api.get(url(show)).json()
    assert body["window"] == "7d" and body["resolution"] == "hour"
    assert body["show"]["id"] == show.id
    assert set(body) == {"show", "window", "resolution", "from", "to", "series"}
    [series] = body["series"]
    assert (series["source"], series["metric"], series["scope"], series["period"]) == (
        "wikipedia",
        "pageviews",
        "global",
        "hour",
    )
    assert [p[1] for p in series["points"]] == [100, 120]
    assert series["points"][0][0] == hours_ago(5).isoformat()


@pytest.mark.parametrize(
    ("window", "resolution"), [("24h", "hour"), ("7d", "hour"), ("8d", "day"), ("90d", "day"), ("1y", "week")]
)
def test_default_resolution_follows_the_window(api, show, window, resolution):
    assert api.get(url(show, window=window)).json()["resolution"] == resolution


def test_a_day_bucket_averages_counts_per_period(api, show, add_snapshots):
    day = three_days_ago_midnight()
    add_snapshots(
        show, "wikipedia", "pageviews", [(day + timedelta(hours=1), 10), (day + timedelta(hours=5), 30)]
    )
    [series] = api.get(url(show, window="30d")).json()["series"]
    assert series["aggregation"] == "mean"
    assert series["points"] == [[day.isoformat(), 20.0]]


def test_a_day_bucket_keeps_the_last_value_of_a_level(api, show, add_snapshots):
    day = three_days_ago_midnight()
    add_snapshots(
        show,
        "kalshi",
        "last_price",
        [(day + timedelta(hours=9), 0.4), (day + timedelta(hours=2), 0.1)],
        scope="KXNETFLIX-WED",
        period="instant",
    )
    [series] = api.get(url(show, window="30d", resolution="day")).json()["series"]
    assert series["aggregation"] == "last"
    assert series["points"] == [[day.isoformat(), 0.4]]


def test_source_and_metric_filter_the_series(api, show, add_snapshots):
    add_snapshots(show, "wikipedia", "pageviews", [(hours_ago(3), 1)])
    add_snapshots(show, "kalshi", "yes_bid", [(hours_ago(3), 0.5)], period="instant")
    body = api.get(url(show, source="kalshi")).json()
    assert [s["metric"] for s in body["series"]] == ["yes_bid"]
    body = api.get(url(show, metric="pageviews")).json()
    assert [s["source"] for s in body["series"]] == ["wikipedia"]


@pytest.mark.parametrize(
    ("param", "value", "named"),
    [
        ("window", "7w", "24h, 7d, 30d, 90d, 1y"),
        ("window", "400d", "365 days"),
        ("window", "0d", "Nd / Nh"),
        ("source", "myspace", "wikipedia"),
        ("metric", "likes_per_minute", "pageviews"),
        ("resolution", "minute", "hour, day, week"),
    ],
)
def test_a_bad_parameter_is_a_400_naming_the_accepted_values(api, show, param, value, named):
    response = api.get(url(show, **{param: value}))
    assert response.status_code == 400
    assert named in response.json()[param][0]


def test_an_unknown_show_is_a_404(api, db):
    assert api.get("/api/shows/999999/metrics").status_code == 404


def test_csv_streams_one_row_per_bucket(api, show, add_snapshots):
    add_snapshots(show, "wikipedia", "pageviews", [(hours_ago(5), 100), (hours_ago(4), 120)])
    response = api.get(url(show, format="csv"))
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == ["source", "metric", "scope", "period", "aggregation", "bucket", "value"]
    assert rows[1:] == [
        ["wikipedia", "pageviews", "global", "hour", "mean", hours_ago(5).isoformat(), "100.0"],
        ["wikipedia", "pageviews", "global", "hour", "mean", hours_ago(4).isoformat(), "120.0"],
    ]


def test_a_csv_request_with_a_bad_window_is_a_400_in_csv(api, show):
    response = api.get(url(show, window="forever", format="csv"))
    assert response.status_code == 400
    assert response.content.decode().startswith("field,error\nwindow,")


def test_query_count_does_not_grow_with_series_or_window(api, show, add_snapshots, django_assert_num_queries):
    add_snapshots(show, "wikipedia", "pageviews", [(hours_ago(2), 1)])
    with django_assert_num_queries(2):  # the show, then every bucket of every series
        assert api.get(url(show)).status_code == 200
    for i, key in enumerate(["kalshi", "youtube", "reddit", "x"]):
        add_snapshots(show, key, "views", [(hours_ago(h), h) for h in range(1, 24 * 300, 7)], scope=f"s{i}")
    with django_assert_num_queries(2):
        body = api.get(url(show, window="1y", resolution="hour")).json()
    assert len(body["series"]) == 5
