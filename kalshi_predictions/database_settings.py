"""DATABASES, read once at start-up (settings.py imports them): SQLite under var/ with no DATABASE_URL
(the embedded default), else Postgres through Django's psycopg connection pool.

Why a pool (docs/performance.md, "Connection pool"): under ASGI each request runs its sync code in a
thread of its own, and Django's connections are per thread, so `CONN_MAX_AGE` kept a connection per
thread instead of per process: one was opened (~6 ms here) far more often than one was reused, and
20 concurrent clients ran the server out of connections. The pool holds at most KP_DB_POOL_MAX
connections per process and hands them from thread to thread; Django returns a request's connection to
it at `request_finished` (`CONN_MAX_AGE = 0` is what the pool requires: "close" means "give back").

Only the web process pools (kalshi_predictions/asgi.py sets KP_PROCESS=web before the settings load).
Workers, beat and commands keep one connection per thread whose close ends its Postgres session: a run's
claim on its source is a session advisory lock (core/locks.py), freed when its worker's connection
closes or dies; a pooled connection given back would keep the claim for whichever run took it next.
"""

import dj_database_url

from kalshi_predictions.env import ImproperEnv, env_float, env_int, env_str

DATABASE_URL = env_str("DATABASE_URL")
# Per process: web (one uvicorn process), each Celery worker child (KP_WORKERS, which the Procfile
# passes to `-c`), the worker's parent and beat each have their own pool. Their sum must stay under
# the server's max_connections (100 by default, 3 kept for superusers) with room for psql, migrations
# and the tests: KP_DB_CONNECTIONS is that share, checked below, so a setting that would run the
# server out of connections stops the app at start-up instead of failing requests under load.
KP_DB_POOL_MAX = env_int("KP_DB_POOL_MAX", 8, minimum=0)  # 0: no pool, a connection per request
# Kept open while idle: the web process answers its first requests without a connect. Small, since
# a Celery prefork child's pool is closed after every task (celery.fixups.django) and reopened.
KP_DB_POOL_MIN = env_int("KP_DB_POOL_MIN", 1, minimum=0)
# How long a request waits for a free connection before failing with a 503 (DatabaseUnavailable).
KP_DB_POOL_TIMEOUT = env_float("KP_DB_POOL_TIMEOUT", 10, minimum=0.1, maximum=300)
KP_DB_CONNECTIONS = env_int("KP_DB_CONNECTIONS", 80, minimum=1)
KP_WORKERS = env_int("KP_WORKERS", 2, minimum=1)
OTHER_CONNECTIONS = KP_WORKERS + 2  # one each: worker children, the worker's parent, beat
POOLED = env_str("KP_PROCESS") == "web"


def _from_url(url: str) -> dict:
    try:
        # Health checks: a kept connection (no pool) that a database restart ended is replaced before
        # its first query of a request or task; with the pool, a connection is checked as it leaves it.
        db = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    except Exception as exc:  # dj-database-url raises several types for a bad URL
        raise ImproperEnv(f"DATABASE_URL: {exc}") from None
    if db["ENGINE"] != "django.db.backends.postgresql" or not KP_DB_POOL_MAX or not POOLED:
        return db
    if KP_DB_POOL_MIN > KP_DB_POOL_MAX:
        raise ImproperEnv(f"KP_DB_POOL_MIN={KP_DB_POOL_MIN} is above KP_DB_POOL_MAX={KP_DB_POOL_MAX}")
    if KP_DB_POOL_MAX + OTHER_CONNECTIONS > KP_DB_CONNECTIONS:
        raise ImproperEnv(
            f"KP_DB_POOL_MAX={KP_DB_POOL_MAX} (the web process's pool) + {OTHER_CONNECTIONS} connections "
            f"(KP_WORKERS={KP_WORKERS} worker children, the worker's parent, beat) exceeds "
            f"KP_DB_CONNECTIONS={KP_DB_CONNECTIONS}, the share of the server's max_connections this app may "
            "hold"
        )
    db["CONN_MAX_AGE"] = 0  # what Django's pool requires: closing a connection gives it back
    db.setdefault("OPTIONS", {})["pool"] = {
        "min_size": KP_DB_POOL_MIN,
        "max_size": KP_DB_POOL_MAX,
        "timeout": KP_DB_POOL_TIMEOUT,
    }
    return db


def databases(var_dir) -> dict:
    if DATABASE_URL:
        db = _from_url(DATABASE_URL)
        if db["ENGINE"] == "django.db.backends.postgresql":
            db.setdefault("TEST", {})["NAME"] = env_str("KP_TEST_DATABASE_NAME", "test_kalshi_predictions")
        return {"default": db}
    return {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": var_dir / "app.sqlite3",
            # WAL + IMMEDIATE + a busy timeout let web, worker and beat share one file (docs/stack-facts.md).
            "OPTIONS": {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;",
            },
            # A file, not :memory:, so worker and server processes started by tests see the test data.
            "TEST": {"NAME": str(var_dir / "test.sqlite3")},
        }
    }
