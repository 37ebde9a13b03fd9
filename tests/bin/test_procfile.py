"""The Procfile holds each process command once: `make run` starts its lines, and docker-compose's web,
worker and beat services run them through honcho. Docker cannot run here, so the services' commands run
natively, on the test database and Redis, the way their containers would run them."""

import contextlib
import os
import re
import shlex
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import httpx
import pytest
import yaml

from tests.processes import ROOT, Proc, free_port, process_env, wait_for_http

sys.path.insert(0, str(ROOT / "bin"))
import run  # noqa: E402

pytestmark = [pytest.mark.processes]
VENV_BIN = Path(sys.executable).parent
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]


def _native(argv: list[str]) -> list[str]:
    """A container's command with the image's executables taken from this virtualenv."""
    return [str(VENV_BIN / argv[0]), *argv[1:]]


def _container_env(service: str, **extra: str) -> dict:
    environment = {k: str(v) for k, v in COMPOSE[service]["environment"].items() if k in ("HOST", "PORT")}
    env = {**environment, **extra}
    env["PATH"] = os.pathsep.join([str(VENV_BIN), os.environ.get("PATH", "")])
    return env


def test_the_procfile_defines_web_worker_and_beat_and_compose_runs_each_of_its_lines():
    assert list(run.procfile()) == ["web", "worker", "beat"]
    for name in ("web", "worker", "beat"):
        argv = shlex.split(COMPOSE[name]["command"])
        assert argv[:4] == ["honcho", "start", "-f", "Procfile"], argv
        assert argv[-1] == name  # the one Procfile line, not a command of its own


def test_composes_setup_step_prepares_a_database_natively(tmp_path, redis_conn):
    argv = shlex.split(COMPOSE["migrate"]["command"])
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}  # a SQLite file of its own
    queue = f"test-{uuid.uuid4().hex[:8]}"  # kick_sources' runs land here, not on a real queue
    env.update(KP_VAR_DIR=str(tmp_path), KP_CELERY_QUEUE=queue, **_container_env("migrate"))
    try:
        done = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    finally:
        redis_conn.delete(queue)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "sources ready" in done.stdout and "queued: " in done.stdout


@pytest.mark.parametrize(
    ("service", "ready"),
    [("web", "Uvicorn running on"), ("worker", r"ready\."), ("beat", "beat: Starting")],
)
def test_composes_process_services_start_natively(transactional_db, sources_ready, service, ready):
    port = free_port()
    # The web container listens on 0.0.0.0 (published on the host's loopback); here the loopback is enough.
    env = process_env(**_container_env(service, PORT=str(port), KP_WORKERS="1"))
    env["HOST"] = "127.0.0.1"
    proc = Proc(service, _native(shlex.split(COMPOSE[service]["command"])), env)
    try:
        proc.wait_for_log(ready, timeout=90)
        if service == "web":
            wait_for_http(f"http://127.0.0.1:{port}/", proc=proc)
            assert httpx.get(f"http://127.0.0.1:{port}/api/sources", timeout=10).status_code == 200
    finally:
        _stop(proc)


def _stop(proc: Proc) -> None:
    """Stop honcho as `docker stop` does: SIGTERM, then SIGKILL for what is left (docker kills the
    container; here, the process group honcho started). A beat caught by SIGTERM inside a database call
    can hang in its own handler, and honcho's command line then waits for it for ever."""
    proc.stop(timeout=15)
    for pid in re.findall(r"started \(pid=(\d+)\)", proc.log()):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(int(pid), signal.SIGKILL)
