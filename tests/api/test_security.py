"""Deployment security: KP_HTTPS passes `check --deploy`, a CSP with no inline code, failed sign-ins
locked out, the schema behind KP_PUBLIC_READ, and a compose file without a shipped secret."""

import base64
import os
import re
import secrets
import subprocess
import sys

import pytest
import yaml
from django.urls import reverse

from shows.models import Show
from tests.processes import ROOT

pytestmark = pytest.mark.postgres


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # As a deployment runs it: without the test run's own switches (DJANGO_ALLOW_ASYNC_UNSAFE, ...).
    dropped = ("KP_HTTPS", "SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")
    full = {k: v for k, v in os.environ.items() if k not in dropped}
    full.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=full, capture_output=True, text=True, timeout=120
    )


DEPLOY = {"DEBUG": "false", "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "kp.example.org"}


def test_check_deploy_passes_at_warning_level_with_kp_https():
    result = manage("check", "--deploy", "--fail-level", "WARNING", KP_HTTPS="true", **DEPLOY)
    assert result.returncode == 0, result.stdout + result.stderr


def test_without_kp_https_check_deploy_names_what_is_missing():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **DEPLOY)
    assert result.returncode != 0
    for warning in ("W004", "W008", "W012", "W016"):
        assert warning in result.stdout + result.stderr


def test_a_malformed_kp_https_stops_start_up():
    result = manage("check", KP_HTTPS="sometimes", **DEPLOY)
    assert result.returncode != 0 and "KP_HTTPS='sometimes'" in result.stderr


def test_kp_https_redirects_to_https_and_sends_hsts(client, settings, sources_ready):
    settings.KP_PUBLIC_READ = True
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31_536_000
    response = client.get("/api/sources")
    assert response.status_code == 301 and response["Location"].startswith("https://")
    secure = client.get("/api/sources", secure=True)
    assert secure.status_code == 200 and "max-age=31536000" in secure["Strict-Transport-Security"]


PAGES = ["/", "/sources", "/watchlist", "/forecasts/", "/admin/login/"]


@pytest.mark.parametrize("path", PAGES)
def test_pages_carry_a_csp_and_no_inline_code(client, settings, sources_ready, path):
    settings.KP_PUBLIC_READ = True
    response = client.get(path)
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "default-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    html = response.content.decode()
    # What such a policy would block: inline scripts, event-handler and hx-on attributes.
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert not re.search(r"\s(on[a-z]+|hx-on[:-][^=\s]*)=", html)


def test_the_show_page_has_no_inline_code_either(client, settings, sources_ready):
    settings.KP_PUBLIC_READ = True
    show = Show.objects.create(title="Wednesday", on_watchlist=True)
    html = client.get(f"/shows/{show.id}").content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)


def basic(username: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_user("editor", password="right-password", is_staff=True)


def test_thirty_wrong_basic_auth_passwords_lock_the_right_one_out(client, settings, editor, sources_ready):
    settings.KP_PUBLIC_READ = False
    right = basic("editor", "right-password")
    assert client.get("/api/watchlist", HTTP_AUTHORIZATION=right).status_code == 200
    statuses = {
        client.get("/api/watchlist", HTTP_AUTHORIZATION=basic("editor", f"guess{n}")).status_code
        for n in range(30)
    }
    assert 200 not in statuses
    locked = client.get("/api/watchlist", HTTP_AUTHORIZATION=right)
    assert locked.status_code in (401, 403, 429)


def test_the_lockout_is_per_user_and_address(client, settings, editor, django_user_model, sources_ready):
    settings.KP_PUBLIC_READ = False
    django_user_model.objects.create_user("other", password="other-password")
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.get("/api/watchlist", HTTP_AUTHORIZATION=basic("editor", f"guess{n}"))
    other = basic("other", "other-password")
    assert client.get("/api/watchlist", HTTP_AUTHORIZATION=other).status_code == 200


def test_the_admin_sign_in_form_locks_out_too(client, editor, settings):
    url = reverse("admin:login")
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, {"username": "editor", "password": f"guess{n}"})
    response = client.post(url, {"username": "editor", "password": "right-password"})
    assert response.status_code in (403, 429)
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("path", ["/api/schema", "/api/docs"])
def test_the_schema_follows_kp_public_read(client, settings, django_user_model, path):
    settings.KP_PUBLIC_READ = False
    assert client.get(path).status_code in (401, 403)
    client.force_login(django_user_model.objects.create_user("member", password="pw"))
    assert client.get(path).status_code == 200
    client.logout()
    settings.KP_PUBLIC_READ = True
    assert client.get(path).status_code == 200


def test_compose_ships_no_secret_and_publishes_web_on_the_loopback_only():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    env = compose["x-app"]["environment"]
    assert env["SECRET_KEY"].startswith("${SECRET_KEY:?"), "SECRET_KEY must come from the environment"
    for name, service in compose["services"].items():
        for port in service.get("ports", []):
            assert str(port).startswith("127.0.0.1:"), f"{name} publishes {port} beyond the loopback"
