"""`make test`: the whole suite against DATABASE_URL / REDIS_URL when set, else Postgres and Redis on
127.0.0.1 when they answer, else SQLite and a private Redis (tests needing Postgres are then skipped,
with the reason printed)."""

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import private_redis

ROOT = Path(__file__).resolve().parent.parent


def local_postgres() -> tuple[str | None, str]:
    try:
        import psycopg
    except ImportError:
        return None, "psycopg is not installed"
    users = ["postgres", os.environ.get("USER") or "root"]
    for user in dict.fromkeys(users):
        url = f"postgres://{user}@127.0.0.1:5432/postgres"
        try:
            with psycopg.connect(url, connect_timeout=2) as conn:
                if conn.execute(
                    "select rolcreatedb or rolsuper from pg_roles where rolname = current_user"
                ).fetchone()[0]:
                    return url, f"Postgres on 127.0.0.1:5432 as {user}"
        except psycopg.Error:
            continue
    return None, "no Postgres answered on 127.0.0.1:5432 with a role that may create databases"


def local_redis() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def ensure_browser() -> None:
    """Browser tests drive Debian's Chromium; without it, Playwright's own build (a download)."""
    if shutil.which("chromium") or shutil.which("chromium-browser"):
        return
    print("no chromium on PATH: installing Playwright's Chromium for the browser tests", flush=True)
    if subprocess.call([sys.executable, "-m", "playwright", "install", "chromium"]) != 0:
        print("could not install a browser; browser tests will fail (apt-get install chromium)", flush=True)


def main() -> int:
    env = dict(os.environ)
    env["KP_OFFLINE"] = "true"  # upstreams not pointed at the fake go to a closed port, never the internet
    private = None
    if not env.get("DATABASE_URL"):
        url, why = local_postgres()
        if url:
            env["DATABASE_URL"] = url
        else:
            env["KP_POSTGRES_SKIP_REASON"] = why
        print(f"database: {url and why or 'SQLite (' + why + ')'}", flush=True)
    if not env.get("REDIS_URL"):
        if local_redis():
            # db 15 keeps test keys and queues away from a development app on db 0.
            env["REDIS_URL"] = "redis://127.0.0.1:6379/15"
        else:
            private = private_redis.var_dir(str(ROOT / "var" / "test-redis"))
            private_redis.start(private)
            env["REDIS_URL"] = private_redis.url(private)
    print(f"redis: {env['REDIS_URL']}", flush=True)
    ensure_browser()
    try:
        code = subprocess.call([sys.executable, "-m", "pytest", *sys.argv[1:]], cwd=ROOT, env=env)
    finally:
        if private:
            private_redis.stop(private)
    if code == 5:
        print("no tests ran", file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main())
