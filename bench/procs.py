"""Processes the benchmark starts: uvicorn on a free port, and peak-RSS sampling of a pid."""

import os
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager

import httpx
import psutil

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            httpx.get(url, timeout=2)
            return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer in {timeout}s")


@contextmanager
def uvicorn(env: dict, *, port: int | None = None, preexec=None):
    """One uvicorn process (one event loop, as `make run` starts it) serving the real ASGI app."""
    port = port or free_port()
    argv = [sys.executable, "-m", "uvicorn", "kalshi_predictions.asgi:application", "--host", "127.0.0.1",
            "--port", str(port), "--no-access-log", "--timeout-graceful-shutdown", "2",
            "--backlog", "4096"]  # fmt: skip
    proc = subprocess.Popen(
        argv, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, preexec_fn=preexec
    )
    try:
        wait_for(f"http://127.0.0.1:{port}/api/sources")
        yield proc, f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


class PeakRSS:
    """Samples a process's resident memory every 20 ms in a thread; `peak_mb` after stop()."""

    def __init__(self, pid: int):
        self.proc = psutil.Process(pid)
        self.start_mb = self.peak_mb = self.proc.memory_info().rss / 2**20
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.wait(0.02):
            try:
                self.peak_mb = max(self.peak_mb, self.proc.memory_info().rss / 2**20)
            except psutil.Error:
                return

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]
