"""1,000 SSE clients of /api/stream on one uvicorn process, 100 events sent from another process:
latency from send to receipt at every client and the web process's peak RSS; direct, then through Pushpin
holding the connections (GRIP), with django_grip in front of the same app."""

import json
import resource
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import psutil
import psycopg

from bench.procs import ROOT, PeakRSS, free_port, percentile, uvicorn, wait_for
from tests.private_services import PrivatePostgres


def _raise_nofile():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 65536)), hard))


@contextmanager
def private_redis():
    """Redis pub/sub ignores the db number, so the stream runs on a Redis of its own: no other run on
    this machine can deliver into (or receive) the benchmark's events."""
    port = free_port()
    folder = tempfile.mkdtemp(prefix="kp-bench-redis-")
    proc = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            folder,
            "--maxclients",
            "10000",
        ],  # fmt: skip
        stdout=subprocess.DEVNULL,
    )
    try:
        time.sleep(0.5)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait(10)
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def private_postgres(env: dict):
    """A Postgres of the stream's own, allowing 1,100 connections. The web process holds one database
    connection per open SSE request (Django gives each ASGI request its own thread for sync code, and a
    streamed response finishes only when the client leaves), so 1,000 direct clients need 1,000
    connections: far past the shared server's max_connections, whose other users must not starve."""
    pg = PrivatePostgres(max_connections=1100, prefix="kp-bench-pg-")
    try:
        pg.start()
        pg.migrate(env)
        yield pg.url
    finally:
        pg.remove()


@contextmanager
def pushpin(origin_port: int):
    """Debian's pushpin with a private config: its own rundir, ports, and zurl run by its own runner
    (the stock config expects a zurl system service that nothing starts here; docs/stack-facts.md)."""
    folder = Path(tempfile.mkdtemp(prefix="kp-bench-pushpin-"))
    http_port, publish_port = free_port(), free_port()
    key = secrets.token_hex(16)
    conf = Path("/etc/pushpin/pushpin.conf").read_text()
    base = 30000 + (http_port % 2000) * 10
    replacements = {
        "rundir=/var/run/pushpin": f"rundir={folder}",
        "logdir=/var/log/pushpin": f"logdir={folder}",
        "services=condure,pushpin-proxy,pushpin-handler": "services=condure,zurl,pushpin-proxy,"
        "pushpin-handler",
        "http_port=7999": f"http_port=127.0.0.1:{http_port}",
        # The stock 2,500 messages/s spreads one event to 1,000 clients over 0.4 s; 100 events queue.
        "message_rate=2500": "message_rate=100000",
        "message_hwm=25000": "message_hwm=200000",
        "routesfile=routes": f"routesfile={folder / 'routes'}",
        "sig_key=changeme": f"sig_key={key}",
        "push_in_http_port=5561": f"push_in_http_port={publish_port}",
        "push_in_spec=tcp://127.0.0.1:5560": f"push_in_spec=tcp://127.0.0.1:{base}",
        "push_in_sub_specs=tcp://127.0.0.1:5562": f"push_in_sub_specs=tcp://127.0.0.1:{base + 2}",
        "command_spec=tcp://127.0.0.1:5563": f"command_spec=tcp://127.0.0.1:{base + 3}",
        "[proxy]": "[proxy]\nzurl_out_specs=ipc://{rundir}/{ipc_prefix}zurl-in\n"
        "zurl_out_stream_specs=ipc://{rundir}/{ipc_prefix}zurl-in-stream\n"
        "zurl_in_specs=ipc://{rundir}/{ipc_prefix}zurl-out",
    }
    for old, new in replacements.items():
        if old not in conf:
            raise RuntimeError(f"pushpin.conf has no {old!r}: another pushpin version?")
        conf = conf.replace(old, new)
    conf = conf.replace("include={libdir}/internal.conf", "include=/usr/lib/pushpin/internal.conf")
    (folder / "pushpin.conf").write_text(conf)
    (folder / "routes").write_text(f"* 127.0.0.1:{origin_port}\n")
    proc = subprocess.Popen(
        ["pushpin", "--config", str(folder / "pushpin.conf")], cwd=folder, preexec_fn=_raise_nofile,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_for(f"http://127.0.0.1:{http_port}/api/sources")
        yield f"http://127.0.0.1:{http_port}", f"http://127.0.0.1:{publish_port}?iss=pushpin&key={key}", proc
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(folder, ignore_errors=True)


def _measure(stream_url: str, web_pid: int, env: dict, *, clients: int, events: int, log) -> dict:
    argv = [sys.executable, "-m", "bench.sse_clients", stream_url, str(clients), str(events), "120"]
    crowd = subprocess.Popen(
        argv, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True, preexec_fn=_raise_nofile
    )
    with PeakRSS(web_pid) as rss:
        ready = crowd.stdout.readline().split()
        opened = int(ready[1]) if len(ready) == 2 else 0
        with psycopg.connect(env["DATABASE_URL"]) as conn:
            peak_connections = conn.execute(
                "SELECT count(*) - 1 FROM pg_stat_activity WHERE backend_type = 'client backend'"
            ).fetchone()[0]
        web_threads = psutil.Process(web_pid).num_threads()
        send = [sys.executable, "-m", "bench.sse_send", str(events), "0.1"]
        t0 = time.monotonic()
        subprocess.run(send, cwd=ROOT, env=env, check=True)
        result = json.loads(crowd.stdout.readline() or "{}")
        crowd.wait(30)
        elapsed = time.monotonic() - t0
    lat = result.get("latencies", [])
    out = {
        "db_connections": peak_connections,
        "web_threads": web_threads,
        "clients": clients,
        "opened": opened,
        "events": events,
        "received": len(lat),
        "expected": clients * events,
        "p50_ms": round(percentile(lat, 50), 1),
        "p99_ms": round(percentile(lat, 99), 1),
        "max_ms": round(max(lat), 1) if lat else None,
        "web_rss_before_mb": round(rss.start_mb, 1),
        "web_rss_peak_mb": round(rss.peak_mb, 1),
        "seconds": round(elapsed, 1),
    }
    log(f"  stream {opened}/{clients} clients: {len(lat):,}/{clients * events:,} received, p50 "
        f"{out['p50_ms']} ms p99 {out['p99_ms']} ms; web RSS peak {out['web_rss_peak_mb']} MB")  # fmt: skip
    return out


def run(env: dict, *, clients: int, events: int, log=print) -> dict:
    out = {}
    with private_redis() as redis_url, private_postgres(env) as pg_url:
        env = {**env, "REDIS_URL": redis_url, "DATABASE_URL": pg_url}
        log("  stream direct:")
        with uvicorn(env, preexec=_raise_nofile) as (web, base_url):
            url = f"{base_url}/api/stream"
            out["direct"] = _measure(url, web.pid, env, clients=clients, events=events, log=log)
        if not shutil.which("pushpin"):
            out["pushpin"] = {"error": "pushpin is not installed (apt-get install -y pushpin)"}
            return out
        log("  stream through pushpin:")
        port = free_port()
        try:
            with pushpin(port) as (front, grip_url, _):
                genv = {**env, "DJANGO_SETTINGS_MODULE": "bench.grip_settings", "KP_BENCH_GRIP_URL": grip_url}
                with uvicorn(genv, port=port, preexec=_raise_nofile) as (web, _base):
                    out["pushpin"] = _measure(f"{front}/api/stream", web.pid, genv, clients=clients,
                                              events=events, log=log)  # fmt: skip
        except Exception as exc:  # report why, keep the other figures
            out["pushpin"] = {"error": f"{type(exc).__name__}: {exc}"}
            log(f"  pushpin failed: {exc}")
    return out
