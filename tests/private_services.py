"""Postgres and Redis servers of a test's (or a benchmark's) own, on free loopback ports under a temp dir,
that it may stop, restart and kill without touching the shared servers other runs use.

Used by the infrastructure fault tests (tests/faults/test_infra_*.py) and bench/stream.py.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg

from tests.processes import ROOT, Proc, free_port

PG_BIN = Path("/usr/lib/postgresql/15/bin")


class PrivatePostgres:
    """One initdb'd cluster. initdb refuses to run as root, so as root it runs as the postgres user."""

    def __init__(self, *, max_connections: int = 100, prefix: str = "kp-pg-"):
        assert (PG_BIN / "initdb").exists(), f"no PostgreSQL 15 server binaries in {PG_BIN}"
        self.folder = Path(tempfile.mkdtemp(prefix=prefix))
        self.data = self.folder / "data"
        self.port = free_port()
        self.max_connections = max_connections
        self.run_as = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.run_as:
            shutil.chown(self.folder, "postgres")
        self._pg("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres")

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def _pg(self, tool: str, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([*self.run_as, str(PG_BIN / tool), *args], check=True, capture_output=True)

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
            f"-c max_connections={self.max_connections} -c fsync=off"
        )
        self._pg("pg_ctl", "-D", str(self.data), "-o", options, "-w", "-l", str(self.folder / "log"), "start")

    def stop(self, mode: str = "fast") -> None:
        """fast: every session is terminated (what a restart does to open connections); immediate: no
        shutdown checkpoint, as after a crash."""
        subprocess.run(
            [*self.run_as, str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop"],
            capture_output=True,
        )

    def restart(self, *, down_for: float = 0.0, mode: str = "fast") -> None:
        self.stop(mode)
        time.sleep(down_for)
        self.start()

    def migrate(self, env: dict, *also: list[str]) -> None:
        """The app's schema and sources on this cluster, then any further manage.py commands."""
        env = {**env, "DATABASE_URL": self.url}
        subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        for command in (["setup_sources"], *also):
            subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True,
                           capture_output=True)  # fmt: skip

    def query(self, sql: str, *params, dbname: str = "postgres") -> list[tuple]:
        url = self.url.rsplit("/", 1)[0] + f"/{dbname}"
        with psycopg.connect(url, connect_timeout=5, autocommit=True) as conn:
            return conn.execute(sql, params).fetchall()

    def remove(self) -> None:
        self.stop("immediate")
        shutil.rmtree(self.folder, ignore_errors=True)


class PrivateRedis:
    """A redis-server without persistence: a restart comes back empty, as a cache server would."""

    def __init__(self):
        self.port = free_port()
        self.proc: Proc | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        server = shutil.which("redis-server")
        assert server, "redis-server is not installed (apt-get install redis-server)"
        argv = [server, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        self.proc = Proc("redis", argv, env={})
        self.proc.wait_for_log(r"Ready to accept connections", timeout=20)

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.stop()
            self.proc = None

    def restart(self, *, down_for: float = 0.0) -> None:
        self.stop()
        time.sleep(down_for)
        self.start()
