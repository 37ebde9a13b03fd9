"""Anonymous and token reads of a chart's points take the short chain (kalshi_predictions/thin_reads.py)
and are answered exactly as the full middleware chain answers them."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.api.conftest import hours_ago

pytestmark = pytest.mark.postgres
THIN = "kalshi_predictions.thin_reads.ThinReadMiddleware"


def both(settings, path, **headers):
    """(thin answer, full answer): the second with the short chain taken out of MIDDLEWARE."""
    thin = APIClient().get(path, **headers)
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != THIN]
    full = APIClient().get(path, **headers)
    settings.MIDDLEWARE = [THIN, *settings.MIDDLEWARE]
    return thin, full


def same(thin, full):
    assert not hasattr(thin.wsgi_request, "session")  # the short chain was taken
    assert hasattr(full.wsgi_request, "session")
    assert thin.status_code == full.status_code
    headers = {k: v for k, v in thin.headers.items() if k != "Content-Length"}
    assert headers == {k: v for k, v in full.headers.items() if k != "Content-Length"}
    if thin["Content-Type"] == "application/json":
        # "from" and "to" follow the clock; everything else is the same bytes
        a, b = thin.json(), full.json()
        for body in (a, b):
            body.pop("from", None), body.pop("to", None)
        assert a == b
    else:
        assert b"".join(thin) == b"".join(full)


@pytest.mark.parametrize(
    "query", ["", "?window=24h", "?window=1y", "?window=2x", "?format=csv&window=24h", "?format=xml"]
)
def test_anonymous_reads_are_answered_as_by_the_full_chain(settings, show, add_snapshots, query):
    add_snapshots(show, "wikipedia", "pageviews", [(hours_ago(5), 100.5), (hours_ago(4), 120)])
    same(*both(settings, f"/api/shows/{show.id}/metrics{query}"))


def test_a_missing_show_and_a_closed_read_policy_too(settings, show):
    same(*both(settings, "/api/shows/999999/metrics"))
    settings.KP_PUBLIC_READ = False
    thin, full = both(settings, f"/api/shows/{show.id}/metrics")
    assert thin.status_code == 401
    same(thin, full)


@pytest.mark.parametrize("valid", [True, False])
def test_token_reads_too(settings, show, member, valid):
    settings.KP_PUBLIC_READ = False
    key = Token.objects.create(user=member).key if valid else "nope"
    thin, full = both(settings, f"/api/shows/{show.id}/metrics", HTTP_AUTHORIZATION=f"Token {key}")
    assert thin.status_code == (200 if valid else 401)
    same(thin, full)


def test_a_signed_in_browser_and_basic_auth_take_the_full_chain(settings, show, member):
    settings.KP_PUBLIC_READ = False
    browser = APIClient()
    browser.force_login(member)
    response = browser.get(f"/api/shows/{show.id}/metrics")
    assert response.status_code == 200 and hasattr(response.wsgi_request, "session")
    basic = APIClient().get(f"/api/shows/{show.id}/metrics", HTTP_AUTHORIZATION="Basic bWVtYmVyOnB3")
    assert basic.status_code == 200 and hasattr(basic.wsgi_request, "session")


def test_under_asgi_too(settings, show, add_snapshots):
    # uvicorn runs the async chain: the short chain is then one hop to the request's thread.
    from asgiref.sync import async_to_sync
    from django.test import AsyncClient

    add_snapshots(show, "wikipedia", "pageviews", [(hours_ago(5), 100.5)])
    response = async_to_sync(AsyncClient().get)(f"/api/shows/{show.id}/metrics?window=24h")
    assert response.status_code == 200 and not hasattr(response.asgi_request, "session")
    assert response.json()["series"][0]["points"][0][1] == 100.5
    assert response["Vary"] == "Accept, Cookie" and response["X-Frame-Options"] == "DENY"
