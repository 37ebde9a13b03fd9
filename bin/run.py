"""`make run`: prepare the database, then run the Procfile's web, worker and beat with honcho.

What honcho does not do stays here: with no REDIS_URL a private Redis under var/ is started first and
stopped on exit; migrate, setup_sources, the starter watchlist and the admin come before the processes, a
first run of the stale sources is queued beside them, the processes' output goes to var/log/<name>.log
(`make logs` follows it), and the URL and login are printed last, once all three have said they are up,
so they stay on screen. Ctrl-C stops all.
"""

import os
import re
import secrets
import subprocess
import sys
import threading
import time
from pathlib import Path

import private_redis
from honcho.environ import parse_procfile
from honcho.manager import Manager
from honcho.printer import Printer

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
# honcho's own line when a process ends (Manager.loop), the first of which says why everything stopped.
STOPPED = re.compile(r"^(\S+) stopped \(rc=")
# Manager.returncode after the SIGINT or SIGTERM that asked everything to stop.
SIGNALLED = {130, 143}
# How long a process asked to stop may take (a worker finishing its task) before it is killed.
KILL_WAIT_SECONDS = 10


class Supervisor(Manager):
    """honcho's Manager, which also kills what still runs KILL_WAIT_SECONDS after a Ctrl-C or SIGTERM.

    honcho kills late processes only when one exited by itself; after a signal it waits for ever, and a
    Celery beat stopped inside a database call can hang in its own SIGTERM handler."""

    _kill_armed = False

    def terminate(self) -> None:
        super().terminate()
        if not self._kill_armed:
            self._kill_armed = True
            timer = threading.Timer(KILL_WAIT_SECONDS, self.kill)
            timer.daemon = True
            timer.start()


class ReadyPrinter(Printer):
    """honcho's printer, writing each process's lines to `<log_dir>/<name>.log` (honcho's own to
    system.log) instead of the terminal, which gets one line per process once it is up, then the
    banner last, where it stays: the worker's and beat's banners and a minute of run logs (~100 lines)
    scrolled the URL and login away. honcho's start and stop lines go to both."""

    def __init__(self, banner: str, names: list[str], log_dir: Path | None = None):
        super().__init__(sys.stdout)
        self.banner = banner
        self.waiting = set(names)
        self.first_stopped: str | None = None
        self.log_dir = log_dir
        self._logs: dict[str, Printer] = {}
        self._shown = threading.Event()
        self._lock = threading.Lock()

    def log_path(self, name: str | None) -> Path:
        return self.log_dir / f"{name or 'system'}.log"

    def _log(self, name: str | None) -> Printer:
        if name not in self._logs:
            # Appended: a restart keeps the previous run's lines (a crash's cause) above a marker.
            output = self.log_path(name).open("a", encoding="utf-8")
            print(f"----- make run started {time.strftime('%Y-%m-%d %H:%M:%S')}", file=output, flush=True)
            self._logs[name] = Printer(output, colour=False)
        return self._logs[name]

    def write(self, message) -> None:
        data = message.data
        system = isinstance(data, str)  # honcho's own lines (started, stopped, signals) are str
        if self.log_dir is None or system:
            super().write(message)
        if self.log_dir is not None:
            self._log(message.name).write(message)
        ready = READY.get(message.name, b"\0")
        if isinstance(data, bytes) and message.name in self.waiting and ready in data:
            self.waiting.discard(message.name)
            if self.log_dir is not None:
                print(
                    f"  {message.name} is up (log: {self.log_path(message.name)})",
                    file=self.output,
                    flush=True,
                )
            if not self.waiting:
                self.show_banner()
        elif system and self.first_stopped is None and (stopped := STOPPED.match(data)):
            self.first_stopped = stopped[1]

    def tail(self, name: str, lines: int = 20) -> str:
        """The end of a process's log: why it stopped, on the terminal without opening the file."""
        path = self.log_path(name)
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else ""

    def show_banner(self) -> None:
        with self._lock:
            if self._shown.is_set():
                return
            self._shown.set()
        print(self.banner, file=self.output, flush=True)


def procfile() -> dict[str, str]:
    return dict(parse_procfile((ROOT / "Procfile").read_text()).processes)


def main() -> int:
    env = dict(os.environ)
    var = private_redis.var_dir()
    env["KP_VAR_DIR"] = str(var)
    private = not env.get("REDIS_URL")
    if private:
        private_redis.start(var)
        env["REDIS_URL"] = private_redis.url(var)
    env["PORT"] = port = env.get("PORT", "8000")
    env["HOST"] = host = env.get("HOST", "127.0.0.1")
    if host in ("127.0.0.1", "localhost", "::1"):
        # Only this machine can reach it: let the API be read without logging in, like the board.
        env.setdefault("KP_PUBLIC_READ", "true")
    # The Procfile names uvicorn and celery: this interpreter's, not whatever else is on PATH.
    env["PATH"] = os.pathsep.join([str(Path(PY).parent), env.get("PATH", "")])
    env.setdefault("PYTHONUNBUFFERED", "1")
    kick = None
    try:
        manage("migrate", "--noinput", "-v", "0", env=env)
        manage("setup_sources", env=env)
        manage("watchlist", "starter", env=env)
        password = admin_password(var)
        ensure_admin(env, password)
        db = "Postgres" if env.get("DATABASE_URL") else f"SQLite {var / 'app.sqlite3'}"
        logs = var / "log"
        logs.mkdir(parents=True, exist_ok=True)
        banner = (
            f"\n  database: {db}; redis: {env['REDIS_URL']}\n"
            f"  logs: {logs}/ (make logs follows them); Ctrl-C stops everything\n"
            f"  Kalshi-Predictions on http://{host}:{port}/\n"
            f"  admin: http://{host}:{port}/admin/  login admin / {password}\n"
        )
        processes = procfile()
        printer = ReadyPrinter(banner, list(processes), logs)
        manager = Supervisor(printer)
        for name, command in processes.items():
            manager.add_process(name, command, env=env, cwd=str(ROOT))
        # Queued while the processes start: the worker takes these runs once it is up.
        # Its output to its log too: it may finish after the banner, which must stay last.
        with (logs / "kick_sources.log").open("a") as kick_log:
            kick = subprocess.Popen(
                [PY, "manage.py", "kick_sources"],
                cwd=ROOT,
                env=env,
                stdout=kick_log,
                stderr=subprocess.STDOUT,
            )
        # A process that never says it is up still gets the banner printed, after this long.
        late = threading.Timer(READY_TIMEOUT_SECONDS, printer.show_banner)
        late.daemon = True
        late.start()
        manager.loop()  # until Ctrl-C or SIGTERM, or until one process exits (honcho then stops the rest)
        late.cancel()
        if manager.returncode in SIGNALLED:
            return 0
        if printer.first_stopped:
            print(printer.tail(printer.first_stopped), file=sys.stderr)
        print(f"stopped because {printer.first_stopped or 'a process'} exited", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    except subprocess.CalledProcessError as exc:
        print(f"set-up step failed: {' '.join(exc.cmd[1:])}", file=sys.stderr)
        return 1
    finally:
        if kick is not None and kick.poll() is None:
            kick.terminate()
            kick.wait()
        if private:
            private_redis.stop(var)


if __name__ == "__main__":
    sys.exit(main())
