"""Who may read and who may write: anonymous, signed-in member, staff (session or token)."""

import pytest
from rest_framework.authtoken.models import Token

from shows.models import Show

pytestmark = pytest.mark.postgres

READS = ["/api/sources", "/api/shows", "/api/snapshots", "/api/watchlist"]


@pytest.fixture
def private(settings):
    settings.KP_PUBLIC_READ = False


@pytest.mark.parametrize("path", READS)
def test_anonymous_reads_when_public_read_is_on(api, sources_ready, path):
    assert api.get(path).status_code == 200


@pytest.mark.parametrize("path", READS)
def test_anonymous_is_asked_to_sign_in_when_public_read_is_off(api, sources_ready, private, path):
    response = api.get(path)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


@pytest.mark.parametrize("path", READS)
def test_a_member_reads_when_public_read_is_off(api, sources_ready, private, member, path):
    api.force_login(member)
    assert api.get(path).status_code == 200


def test_anonymous_and_members_cannot_write(api, show, member):
    assert api.delete(f"/api/watchlist/{show.id}").status_code == 401
    api.force_login(member)
    assert api.delete(f"/api/watchlist/{show.id}").status_code == 403
    assert api.patch(f"/api/shows/{show.id}", {"hashtags": ["x"]}, format="json").status_code == 403
    assert api.post("/api/watchlist", {"title": "Dept. Q"}, format="json").status_code == 403
    assert Show.objects.get(pk=show.pk).on_watchlist


def test_staff_writes_with_a_session(api, show, staff):
    api.force_login(staff)
    assert api.delete(f"/api/watchlist/{show.id}").status_code == 204
    assert not Show.objects.get(pk=show.pk).on_watchlist


def test_staff_writes_with_a_token(api, show, staff):
    token = Token.objects.create(user=staff)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = api.patch(f"/api/shows/{show.id}", {"subreddits": ["WednesdayNetflix"]}, format="json")
    assert response.status_code == 200
    assert Show.objects.get(pk=show.pk).subreddits == ["WednesdayNetflix"]


def test_a_wrong_token_is_a_401(api, show):
    api.credentials(HTTP_AUTHORIZATION="Token nope")
    assert api.get("/api/shows").status_code == 401


def test_a_session_write_needs_the_csrf_token(show, staff):
    from rest_framework.test import APIClient

    client = APIClient(enforce_csrf_checks=True)
    client.force_login(staff)
    assert client.delete(f"/api/watchlist/{show.id}").status_code == 403
