"""The OpenAPI schema lists every endpoint, the docs work offline, and fuzzing it finds no 500."""

import pytest
import schemathesis
from django.contrib.staticfiles import finders
from hypothesis import HealthCheck, settings

from shows.models import Show
from tests.api.fuzzing import schema

pytestmark = pytest.mark.postgres

ENDPOINTS = {
    "/api/sources": {"get"},
    "/api/shows": {"get"},
    "/api/shows/{id}": {"get", "patch"},
    "/api/shows/{id}/metrics": {"get"},
    "/api/watchlist": {"get", "post"},
    "/api/watchlist/{id}": {"get", "put", "delete"},
    "/api/snapshots": {"get"},
    "/api/stream": {"get"},
    "/api/forecasts/markets": {"get"},
    "/api/forecasts/markets/{ticker}/history": {"get"},
    "/api/forecasts/track-record": {"get"},
}


def test_every_endpoint_is_in_the_schema(client, db):
    schema = client.get("/api/schema?format=json").json()
    paths = {path: set(ops) - {"parameters"} for path, ops in schema["paths"].items()}
    for path, methods in ENDPOINTS.items():
        assert methods <= paths.get(path, set()), path
    metrics = schema["paths"]["/api/shows/{id}/metrics"]["get"]
    assert {p["name"] for p in metrics["parameters"]} >= {
        "window",
        "source",
        "metric",
        "resolution",
        "format",
    }


def test_the_docs_page_uses_only_our_own_static_files(client, db):
    html = client.get("/api/docs").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
    assert finders.find("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")


@pytest.mark.parametrize(
    "path",
    [
        "/api/sources",
        "/api/shows",
        "/api/shows/{id}",
        "/api/shows/{id}/metrics",
        "/api/watchlist",
        "/api/watchlist/{id}",
        "/api/snapshots",
    ],
)
def test_every_endpoint_has_the_browsable_api(client, sources_ready, path):
    show = Show.objects.create(title="Wednesday")
    response = client.get(path.format(id=show.id), HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert b"browsable-api" in response.content or b"Django REST framework" in response.content


@schema.parametrize()
# No example database: it would write .hypothesis/ into the work tree.
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
def test_no_input_makes_the_api_fail_with_a_500(case, staff_token):
    case.call_and_validate(
        headers={"Authorization": f"Token {staff_token}"},
        checks=[schemathesis.checks.not_a_server_error],
    )
