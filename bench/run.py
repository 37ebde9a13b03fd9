"""Runs every part of the benchmark at one scale and writes bench/results/<date>-<scale>.json."""

import json
import logging
import os
import platform
import subprocess
import time
from datetime import date
from pathlib import Path

import psutil
import psycopg

from bench import data, db, export, ingest, memory, metrics, pages, stream
from bench.procs import ROOT, uvicorn
from bench.report import table

SCALES = {
    # shows with a year of history, snapshots of the one ingest run, metrics requests per window
    "full": {"shows": 500, "ingest": 100_000, "requests": 200, "clients": 1000, "events": 100},
    "quick": {"shows": 50, "ingest": 10_000, "requests": 200, "clients": 1000, "events": 100},
}
PARTS = ("metrics", "ingest", "export", "stream", "pages", "memory")


def machine(dsn: str) -> dict:
    with psycopg.connect(dsn) as conn:
        version = conn.execute("SHOW server_version").fetchone()[0]
        shared = conn.execute("SHOW shared_buffers").fetchone()[0]
    cpu = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "ram_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "postgres": version,
        "shared_buffers": shared,
        "python": platform.python_version(),
        "commit": subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip(),  # fmt: skip
    }


def run(scale: str, *, parts=PARTS, log=print, shows: int | None = None) -> dict:
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one INFO line per request otherwise
    cfg = dict(SCALES[scale])
    if shows:
        cfg["shows"] = shows
    began = time.monotonic()
    result: dict = {"scale": scale, "date": date.today().isoformat(), "config": cfg}
    with db.bench_database():
        dsn = db.dsn()
        result["machine"] = machine(dsn)
        log(f"loading {cfg['shows']} shows x {data.rows_per_show():,} rows with COPY ...")
        ds = data.load(dsn, shows=cfg["shows"], log=log)
        result["rows"] = ds.rows
        result["load"] = {"seconds": round(ds.load_s, 1), "rows_s": round(ds.rows / ds.load_s)}
        log(f"  {ds.rows:,} rows in {ds.load_s:.0f}s")
        env = {**os.environ, "DATABASE_URL": db.bench_url(), "KP_PUBLIC_READ": "true", "DEBUG": "false"}

        def part(name, fn):
            # One part failing (e.g. a source mid-change) is recorded; the others are still measured.
            try:
                result[name] = fn()
            except Exception as exc:
                result[name] = {"error": f"{type(exc).__name__}: {str(exc)[-500:]}"}
                log(f"  {name} failed: {result[name]['error']}")

        if "metrics" in parts or "export" in parts:
            with uvicorn(env) as (web, base_url):
                if "metrics" in parts:
                    n = cfg["requests"]
                    part("metrics", lambda: metrics.run(base_url, dsn, ds.shows, requests=n, log=log))
                    part("explain", lambda: {w: metrics.explain(dsn, ds.shows[1], w) for w in ("90d", "1y")})
                if "export" in parts:
                    part("export", lambda: export.run(base_url, web.pid, dsn, ds.shows[0], log=log))
        if "ingest" in parts:
            part("ingest", lambda: ingest.run(dsn, ds.shows, ds.start, n=cfg["ingest"], log=log))
        if "pages" in parts:
            part("pages", lambda: pages.run(ds.watched, ds.shows[0], log=log))
        if "stream" in parts:
            part("stream", lambda: stream.run(env, clients=cfg["clients"], events=cfg["events"], log=log))
        if "memory" in parts:
            part("memory", lambda: memory.run(env, log=log))
            backfills = [m for m in result["memory"].values() if isinstance(m, dict)]
            peaks = [m["peak_rss_mb"] for m in backfills if m.get("peak_rss_mb")]
            result["worker_rss_mb"] = max(peaks) if peaks else None
    result["seconds"] = round(time.monotonic() - began)
    return result


def save(result: dict) -> Path:
    path = Path(ROOT) / "bench" / "results" / f"{result['date']}-{result['scale']}.json"
    path.write_text(json.dumps(result, indent=2) + "\n")
    return path


__all__ = ["run", "save", "table", "SCALES", "PARTS"]
