"""`make test`: the whole suite against DATABASE_URL / REDIS_URL when set, else Postgres and Redis on
127.0.0.1 when they answer, else SQLite and a private Redis (tests needing Postgres are then skipped,
with the reason printed).

Two pytest processes, the same arguments to both: every test but tests/browser (tests/ and each source's
sources/<key>/tests/), then tests/browser. The first runs on several pytest-xdist workers (`-n`, unless
given): most of the suite waits on processes, sockets and Postgres rather than the CPU, so more workers
than cores pay; each worker has its own test database and Redis db (tests/workers.py). The browser tests
run on one (see with_workers).
Playwright's sync API leaves its event loop marked running in the test thread, which would make Django
refuse every later database call there; apart, neither run needs Django's async-safety check switched
off for the whole process. Paths given (`make test ARGS=tests/x.py`) go to the run they belong to, and
a run that has none is left out. The exit code is the first failing run's.
"""

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import private_redis

ROOT = Path(__file__).resolve().parent.parent
BROWSER = "tests/browser"
# pytest options whose value may be the next argument; any other argument not starting with "-" is a path.
VALUE_OPTIONS = {
    "-k", "-m", "-p", "-c", "-o", "-r", "-W", "-n", "--deselect", "--ignore", "--ignore-glob", "--rootdir",
    "--basetemp", "--confcutdir", "--junitxml", "--junit-xml", "--override-ini", "--log-file", "--tb",
    "--maxfail", "--durations", "--color", "--capture", "--log-level", "--log-cli-level", "--browser",
}  # fmt: skip
NO_TESTS = 5  # pytest's exit code when it collected nothing


def split_args(args: list[str]) -> tuple[list[str], list[str]]:
    """(options with their values, test paths) of a pytest command line."""
    options: list[str] = []
    paths: list[str] = []
    value_next = False
    for arg in args:
        if value_next or arg.startswith("-"):
            options.append(arg)
            value_next = not value_next and arg in VALUE_OPTIONS
        else:
            paths.append(arg)
    return options, paths


def pytest_runs(args: list[str]) -> list[list[str]]:
    """The pytest argument lists: the browser tests in a run of their own, after the others."""
    options, paths = split_args(args)
    browser_dir = (ROOT / BROWSER).resolve()
    others, browser = [], []
    for path in paths or ["tests", "sources"]:
        where = (ROOT / path.split("::")[0]).resolve()
        if where == browser_dir or browser_dir in where.parents:
            browser.append(path)
        else:
            others.append(path)
            if where in browser_dir.parents:  # a folder holding the browser tests: they run apart
                browser.append(BROWSER)
    runs = []
    if others:
        runs.append([*options, *others, f"--ignore={BROWSER}"])
    if browser:
        runs.append([*options, *dict.fromkeys(browser)])
    return runs


def with_workers(args: list[str]) -> list[str]:
    """A run's arguments with pytest-xdist's workers, unless the caller chose (`-n 0` runs in-process).
    worksteal: a worker left idle takes tests queued on another, so the few slow ones don't end alone."""
    options, _ = split_args(args)
    if any(o.startswith(("-n", "--numprocesses", "--dist")) or o == "no:xdist" for o in options):
        return args
    browser = args and args[-1].startswith(BROWSER)
    # The browser tests on one worker: their pages follow the live stream, and Redis pub/sub channels span
    # every database of a server, so another worker's runs would refresh a page mid-test (a sorted
    # watchlist swapped back to its default order, seen once in ten minutes of load).
    workers = os.environ.get("KP_TEST_WORKERS") or ("1" if browser else "4")
    return ["-n", workers, "--dist", "worksteal", *args]


def exit_code(codes: list[int]) -> int:
    """The first failing run's code; "no tests ran" only when no run ran any."""
    failed = [code for code in codes if code not in (0, NO_TESTS)]
    if failed:
        return failed[0]
    return 0 if 0 in codes else NO_TESTS


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
    codes = []
    try:
        for args in pytest_runs(sys.argv[1:]):
            args = with_workers(args)
            print(f"pytest {' '.join(args)}", flush=True)
            codes.append(subprocess.call([sys.executable, "-m", "pytest", *args], cwd=ROOT, env=env))
    finally:
        if private:
            private_redis.stop(private)
    code = exit_code(codes)
    if code == NO_TESTS:
        print("no tests ran", file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main())
