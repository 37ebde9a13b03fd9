"""GET /api/snapshots: filtered, streamed JSON or CSV export of stored snapshots."""

import csv
import io
import json

import pytest
from asgiref.sync import async_to_sync

from tests.api.conftest import hours_ago

pytestmark = pytest.mark.postgres


@pytest.fixture
def stored(show, add_snapshots):
    add_snapshots(show, "wikipedia", "pageviews", [(hours_ago(3), 1), (hours_ago(2), 2)])
    add_snapshots(show, "kalshi", "yes_bid", [(hours_ago(1), 0.5)], period="instant")
    add_snapshots(None, "tudum", "rank", [(hours_ago(30), 4)], scope="tv_english", period="week")
    return show


def body(response):
    assert response.streaming
    return b"".join(response.streaming_content).decode()


def test_json_export_streams_every_row_oldest_first(api, stored):
    rows = json.loads(body(api.get("/api/snapshots")))
    assert [(r["source"], r["value"]) for r in rows] == [
        ("tudum", 4),
        ("wikipedia", 1),
        ("wikipedia", 2),
        ("kalshi", 0.5),
    ]
    assert rows[1]["show"] == stored.id and rows[1]["title"] == "Wednesday"


def test_csv_export_with_filters(api, stored):
    response = api.get(
        f"/api/snapshots?format=csv&show={stored.id}&source=wikipedia&from={hours_ago(2).isoformat()}".replace(
            "+", "%2B"
        )
    )
    assert response["Content-Disposition"] == 'attachment; filename="snapshots.csv"'
    rows = list(csv.reader(io.StringIO(body(response))))
    assert rows[0][:5] == ["source", "show", "title", "season", "metric"]
    assert [(r[0], r[8]) for r in rows[1:]] == [("wikipedia", "2.0")]


def test_metric_and_to_filters(api, stored):
    to = hours_ago(29).isoformat().replace("+", "%2B")
    rows = json.loads(body(api.get(f"/api/snapshots?metric=rank&to={to}")))
    assert [r["metric"] for r in rows] == ["rank"]
    assert json.loads(body(api.get(f"/api/snapshots?metric=pageviews&to={to}"))) == []


def test_an_empty_export_is_an_empty_list(api, db):
    assert json.loads(body(api.get("/api/snapshots"))) == []


@pytest.mark.parametrize(
    ("query", "field", "named"),
    [
        ("source=nope", "source", "wikipedia"),
        ("metric=nope", "metric", "pageviews"),
        ("from=yesterday", "from", "YYYY-MM-DD"),
        ("to=13/01/2025", "to", "YYYY-MM-DD"),
        ("show=abc", "show", "integer"),
    ],
)
def test_a_bad_filter_is_a_400_naming_what_is_accepted(api, db, query, field, named):
    response = api.get(f"/api/snapshots?{query}")
    assert response.status_code == 400
    assert named in response.json()[field][0]


def test_an_unknown_show_is_a_404(api, db):
    assert api.get("/api/snapshots?show=99999").status_code == 404


def test_the_browsable_api_shows_a_preview(api, stored):
    response = api.get("/api/snapshots", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert b"wikipedia" in response.content


def test_under_asgi_the_body_is_an_async_stream(async_client, stored):
    async def fetch():
        response = await async_client.get("/api/snapshots?format=csv")
        assert response.is_async  # else Django would collect every row into a list first
        return b"".join([chunk async for chunk in response.streaming_content])

    assert async_to_sync(fetch)().decode().count("\n") == 5
