"""The sign-in lockout holds against a client that rotates X-Forwarded-For (core/client_ip.py): the
address is the TCP peer's unless KP_BEHIND_PROXY, and then the one the proxy appended."""

import shlex

import httpx
import pytest

from core.client_ip import client_ip
from tests.api.test_security import basic
from tests.processes import ROOT, Proc, free_port, process_env, wait_for_http

WATCHLIST = "/api/watchlist"


@pytest.fixture
def editor(django_user_model, settings, sources_ready):
    settings.KP_PUBLIC_READ = False
    return django_user_model.objects.create_user("editor", password="right-password", is_staff=True)


def guesses(get, n: int = 6) -> list[int]:
    """n wrong passwords, each with a new X-Forwarded-For, from one TCP peer."""
    return [
        get(
            WATCHLIST,
            headers={"Authorization": basic("editor", f"guess{i}"), "X-Forwarded-For": f"203.0.113.{i}"},
        )
        for i in range(n)
    ]


def test_six_wrong_passwords_with_rotating_x_forwarded_for_lock_the_account(client, editor, settings):
    assert settings.AXES_FAILURE_LIMIT == 5 and not settings.KP_BEHIND_PROXY
    assert 200 not in {r.status_code for r in guesses(client.get)}
    locked = client.get(WATCHLIST, headers={"Authorization": basic("editor", "right-password")})
    assert locked.status_code in (401, 403, 429)


def test_behind_a_proxy_the_address_it_appended_counts_not_what_the_client_wrote(client, editor, settings):
    settings.KP_BEHIND_PROXY = True

    def via_proxy(path, headers):  # the client writes its own entry; the proxy appends what it saw
        headers = {**headers, "X-Forwarded-For": headers["X-Forwarded-For"] + ", 198.51.100.7"}
        return client.get(path, headers=headers, REMOTE_ADDR="10.0.0.2")

    assert 200 not in {r.status_code for r in guesses(via_proxy)}
    right = {"Authorization": basic("editor", "right-password")}
    assert via_proxy(WATCHLIST, {**right, "X-Forwarded-For": "192.0.2.1"}).status_code in (401, 403, 429)
    # Another client behind the same proxy is another address: not locked out by the first one.
    other = client.get(
        WATCHLIST, headers={**right, "X-Forwarded-For": "198.51.100.8"}, REMOTE_ADDR="10.0.0.2"
    )
    assert other.status_code == 200


def test_the_client_address_is_the_tcp_peer_unless_behind_a_proxy(rf, settings):
    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.7")
    settings.KP_BEHIND_PROXY = False
    assert client_ip(request) == "127.0.0.1"
    settings.KP_BEHIND_PROXY = True
    assert client_ip(request) == "198.51.100.7"
    assert client_ip(rf.get("/", REMOTE_ADDR="10.0.0.2")) == "10.0.0.2"  # no header: the peer


@pytest.mark.processes
def test_the_procfiles_uvicorn_does_not_turn_x_forwarded_for_into_the_client_address(
    transactional_db, editor
):
    """Uvicorn trusts X-Forwarded-For from 127.0.0.1 by default: run as the Procfile runs it, the same
    six guesses from the loopback lock the account."""
    port = free_port()
    line = next(line for line in (ROOT / "Procfile").read_text().splitlines() if line.startswith("web:"))
    argv = shlex.split(line.removeprefix("web: exec "))
    env = process_env(HOST="127.0.0.1", PORT=str(port), KP_PUBLIC_READ="false")
    argv = [
        part.replace("${HOST:-127.0.0.1}", "127.0.0.1").replace("${PORT:-8000}", str(port)) for part in argv
    ]
    web = Proc("web", [str(ROOT / ".venv" / "bin" / argv[0]), *argv[1:]], env)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_for_http(url + "/api/sources", proc=web)
        with httpx.Client(base_url=url, timeout=10) as http:
            assert 200 not in {r.status_code for r in guesses(http.get)}
            locked = http.get(WATCHLIST, headers={"Authorization": basic("editor", "right-password")})
        assert locked.status_code in (401, 403, 429)
    finally:
        web.stop()
