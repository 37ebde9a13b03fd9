"""Real processes for system tests: uvicorn (ASGI web), Celery worker and beat, and an SSE client.

They run against the test database (pytest-django's, so tests using them need `transactional_db`) and
the test Redis, on a queue of their own so a development worker on the same Redis cannot steal tasks.
"""

import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable


def eventually(condition, *, timeout: float = 60, what: str = "condition"):
    """The first truthy value of `condition`, polled every 0.2 s; AssertionError naming `what` at timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"{what}: not within {timeout}s")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_database_url() -> str:
    """A DATABASE_URL for the database this test session runs on."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def upstream_env(url: str) -> dict[str, str]:
    """Every `<KEY>_BASE_URL` pointed at the fake upstream, so no child process reaches a real host."""
    return {f"{key.upper()}_BASE_URL": url for key in settings.SOURCE_BASE_URLS}


def process_env(**extra: str) -> dict:
    env = dict(os.environ)
    # The app runs as deployed: a browser test's async bypass (tests/browser/conftest.py) stays with it.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env.update(
        DATABASE_URL=test_database_url(),
        REDIS_URL=settings.REDIS_URL,
        KP_CELERY_QUEUE=f"test-{uuid.uuid4().hex[:8]}",
        KP_VAR_DIR=str(settings.VAR_DIR),
        KP_PUBLIC_READ="true",  # anonymous stream and page clients, as on a local `make run`
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


class Proc:
    """A child process whose combined output goes to a log file that tests can wait on."""

    def __init__(self, name: str, argv: list[str], env: dict):
        self.name = name
        self.log_path = Path(tempfile.mkstemp(prefix=f"kp-{name}-", suffix=".log")[1])
        self._log = self.log_path.open("wb")
        self.popen = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_for_log(self, pattern: str, *, count: int = 1, timeout: float = 30) -> list[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = re.findall(pattern, self.log())
            if len(found) >= count:
                return found
            if self.popen.poll() is not None:
                break
            time.sleep(0.2)
        raise AssertionError(
            f"{self.name}: {pattern!r} seen {len(re.findall(pattern, self.log()))}/{count} times "
            f"within {timeout}s (exit={self.popen.poll()}); log:\n{self.log()[-4000:]}"
        )

    def stop(self, sig: int = 15, timeout: float = 15) -> int:
        if self.popen.poll() is None:
            self.popen.send_signal(sig)
            try:
                self.popen.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()
        self._log.close()
        return self.popen.returncode


def start_worker(env: dict) -> Proc:
    proc = Proc(
        "worker",
        [
            PY,
            "-m",
            "celery",
            "-A",
            "kalshi_predictions",
            "worker",
            "-l",
            "info",
            "--pool",
            "solo",
            "-Q",
            env["KP_CELERY_QUEUE"],
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        env,
    )
    proc.wait_for_log(r"ready\.", timeout=60)
    return proc


def start_beat(env: dict) -> Proc:
    proc = Proc(
        "beat",
        [
            PY,
            "-m",
            "celery",
            "-A",
            "kalshi_predictions",
            "beat",
            "-l",
            "debug",
            "--pidfile=",
            "--max-interval",
            "1",
        ],
        env,
    )
    proc.wait_for_log(r"beat: Starting", timeout=60)
    return proc


def wait_for_http(url: str, timeout: float = 60, proc: Proc | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            httpx.get(url, timeout=2)
            return
        except httpx.HTTPError:
            if proc is not None and proc.popen.poll() is not None:
                raise AssertionError(f"{proc.name} exited:\n{proc.log()[-4000:]}") from None
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer within {timeout}s")


def start_web(env: dict) -> tuple[Proc, str]:
    port = free_port()
    proc = Proc(
        "web",
        [
            PY,
            "-m",
            "uvicorn",
            "kalshi_predictions.asgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--timeout-graceful-shutdown",
            "1",
        ],
        env,
    )
    url = f"http://127.0.0.1:{port}"
    wait_for_http(url + "/api/sources", proc=proc)
    return proc, url
