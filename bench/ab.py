"""The metrics endpoint of several commits on one loaded dataset: each change measured alone.

On a loaded machine two benchmark runs differ by 2× in wall time, so comparing a before-run with an
after-run says little. Here the data is loaded once and each commit (a `git archive` snapshot under
var/bench-ab/) serves it in turn from its own uvicorn, with the same requests (`bench.metrics.run`), in
alternating order round by round; beside the client-side times it records the web process's CPU per
request and the connections it opened (`pg_stat_database.sessions`), which load disturbs far less.

    DATABASE_URL=postgres://… REDIS_URL=redis://127.0.0.1:6379/7 .venv/bin/python manage.py shell -c \
        "from bench import ab; ab.main(['ad1ad90', 'e2e0411'], windows=('24h', '1y'), rounds=2)"
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import psutil
import psycopg

from bench import data, db, metrics
from bench.procs import ROOT, free_port, wait_for

SESSIONS = "SELECT sessions FROM pg_stat_database WHERE datname = current_database()"


def _snapshot(commit: str) -> str:
    # Under var/ (ignored by git): the worktree itself may be edited while a run goes on.
    path = Path(ROOT) / "var" / "bench-ab" / commit
    if not path.is_dir():
        path.mkdir(parents=True)
        tree = subprocess.run(["git", "-C", ROOT, "archive", commit], capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(path)], input=tree, check=True)
    return str(path)


def _sessions(dsn: str) -> int:
    with psycopg.connect(dsn, autocommit=True) as conn:
        return conn.execute(SESSIONS).fetchone()[0]


def _variant(commit: str, dsn: str, shows: list[int], windows, log) -> dict:
    env = {**os.environ, "DATABASE_URL": db.bench_url(), "KP_PUBLIC_READ": "true", "DEBUG": "false"}
    port = free_port()
    argv = [sys.executable, "-m", "uvicorn", "kalshi_predictions.asgi:application", "--host", "127.0.0.1",
            "--port", str(port), "--no-access-log"]  # fmt: skip
    proc = subprocess.Popen(argv, cwd=_snapshot(commit), env=env, stdout=subprocess.DEVNULL)
    try:
        wait_for(f"http://127.0.0.1:{port}/api/sources")
        web, before, out = psutil.Process(proc.pid), _sessions(dsn), {}
        for window in windows:
            metrics.WINDOWS = (window,)  # one window at a time, so its CPU is its own
            cpu = sum(web.cpu_times()[:2])
            out |= metrics.run(f"http://127.0.0.1:{port}", dsn, shows, requests=200, log=log)
            used = (sum(web.cpu_times()[:2]) - cpu) * 1000 / 203  # 3 warm-up requests + 200
            out[window]["web_cpu_ms_per_request"] = round(used, 2)
        out["connections_opened"] = _sessions(dsn) - before - 1  # less this function's own
        return out
    finally:
        proc.terminate()
        proc.wait(10)
        metrics.WINDOWS = ("24h", "7d", "30d", "90d", "1y")


def main(commits: list[str], *, windows=("24h", "7d", "1y"), rounds: int = 2, shows: int = 50, log=print):
    result: dict = {commit: [] for commit in commits}
    with db.bench_database():
        dsn = db.dsn()
        ds = data.load(dsn, shows=shows, log=log)
        for n in range(rounds):
            for commit in commits if n % 2 == 0 else commits[::-1]:
                log(f"== {commit}, round {n + 1}")
                result[commit].append(_variant(commit, dsn, ds.shows, windows, log))
    path = Path(ROOT) / "bench" / "results" / "ab.json"
    path.write_text(json.dumps(result, indent=2) + "\n")
    log(f"wrote {path}")
    return result
