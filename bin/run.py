"""`make run`: prepare the database, then run web (uvicorn, ASGI), Celery worker and beat together.

With no REDIS_URL a private Redis under var/ is started first and stopped on exit. Ctrl-C stops all.
"""

import os
import secrets
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import private_redis

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable


def manage(*args: str, env: dict) -> None:
    subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, check=True)


def admin_password(var: Path) -> str:
    given = os.environ.get("KP_ADMIN_PASSWORD")
    if given:
        return given
    stored = var / "admin_password"
    if not stored.exists():
        stored.write_text(secrets.token_urlsafe(12))
        stored.chmod(0o600)
    return stored.read_text().strip()


ADMIN = {"DJANGO_SUPERUSER_USERNAME": "admin", "DJANGO_SUPERUSER_EMAIL": "admin@localhost"}
# createsuperuser's answer when the user exists: a later start keeps that admin and its password.
ADMIN_EXISTS = "That username is already taken"


def ensure_admin(env: dict, password: str) -> None:
    """Create the `admin` superuser once. The password goes in the command's own environment only, never
    in its arguments (visible in `ps`) nor in the environment of the processes started afterwards."""
    admin_env = {**env, **ADMIN, "DJANGO_SUPERUSER_PASSWORD": password}
    done = subprocess.run(
        [PY, "manage.py", "createsuperuser", "--noinput"],
        cwd=ROOT,
        env=admin_env,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0 and ADMIN_EXISTS not in done.stderr:
        sys.stderr.write(done.stdout + done.stderr)
        raise subprocess.CalledProcessError(done.returncode, done.args, done.stdout, done.stderr)


# A line each process logs once it is up: the URL and login are printed after all three, so they are
# the last thing on the screen rather than lost above the workers' banners.
READY = {"web": b"Uvicorn running on", "worker": b" ready.", "beat": b"beat: Starting"}
READY_TIMEOUT_SECONDS = 60


def start(name: str, argv: list[str], env: dict) -> tuple[subprocess.Popen, threading.Event]:
    """Start one process, relaying its output line by line and noting when it says it is up."""
    proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    up = threading.Event()

    def relay() -> None:
        out = sys.stdout.buffer
        for line in proc.stdout:
            out.write(line)
            out.flush()
            if READY[name] in line:
                up.set()
        up.set()  # it exited: the main loop reports that

    threading.Thread(target=relay, name=f"relay-{name}", daemon=True).start()
    return proc, up


def main() -> int:
    env = dict(os.environ)
    var = private_redis.var_dir()
    env["KP_VAR_DIR"] = str(var)
    private = not env.get("REDIS_URL")
    if private:
        private_redis.start(var)
        env["REDIS_URL"] = private_redis.url(var)
    port = env.get("PORT", "8000")
    host = env.get("HOST", "127.0.0.1")
    if host in ("127.0.0.1", "localhost", "::1"):
        # Only this machine can reach it: let the API be read without logging in, like the board.
        env.setdefault("KP_PUBLIC_READ", "true")
    procs: list[subprocess.Popen] = []
    try:
        manage("migrate", "--noinput", "-v", "0", env=env)
        manage("setup_sources", env=env)
        manage("watchlist", "starter", env=env)
        password = admin_password(var)
        ensure_admin(env, password)
        celery = [PY, "-m", "celery", "-A", "kalshi_predictions"]
        commands = {
            "web": [
                PY,
                "-m",
                "uvicorn",
                "kalshi_predictions.asgi:application",
                "--host",
                host,
                "--port",
                port,
                "--timeout-graceful-shutdown",
                "3",
                "--no-access-log",
            ],
            "worker": [*celery, "worker", "-l", "info", "-c", env.get("KP_WORKERS", "2")],
            "beat": [*celery, "beat", "-l", "info", "--pidfile="],
        }
        env.setdefault("PYTHONUNBUFFERED", "1")
        ready = []
        for name, argv in commands.items():
            proc, up = start(name, argv, env)
            procs.append(proc)
            ready.append(up)
        manage("kick_sources", env=env)
        deadline = time.monotonic() + READY_TIMEOUT_SECONDS
        for up in ready:
            up.wait(timeout=max(0.0, deadline - time.monotonic()))
        print(f"\n  Kalshi-Predictions on http://{host}:{port}/", flush=True)
        print(f"  admin: http://{host}:{port}/admin/  login admin / {password}", flush=True)
        db = "Postgres" if env.get("DATABASE_URL") else f"SQLite {var / 'app.sqlite3'}"
        print(f"  database: {db}; redis: {env['REDIS_URL']}; Ctrl-C stops everything\n", flush=True)
        signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
        while all(p.poll() is None for p in procs):
            time.sleep(0.5)
        failed = [argv for argv, p in zip(commands, procs, strict=True) if p.poll() is not None]
        print(f"stopped because {', '.join(failed)} exited", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    except subprocess.CalledProcessError as exc:
        print(f"set-up step failed: {' '.join(exc.cmd[1:])}", file=sys.stderr)
        return 1
    finally:
        for p in procs:
            if p.poll() is None:
                p.terminate()
        for p in procs:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
        if private:
            private_redis.stop(var)


if __name__ == "__main__":
    sys.exit(main())
