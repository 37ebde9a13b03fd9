"""DATABASES: Postgres through Django's psycopg pool, bounded so web, worker and beat together stay
under the server's connections; SQLite unchanged (kalshi_predictions/database_settings.py)."""

import json
import os
import subprocess
import sys

PRINT = (
    "import django, json; django.setup(); from django.conf import settings; "
    "d = settings.DATABASES['default']; "
    "out = {'engine': d['ENGINE'], 'age': d['CONN_MAX_AGE'], 'opts': d.get('OPTIONS', {})}; "
    "print(json.dumps(out, default=str))"
)


def settings_with(**env):
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("KP_DB_") and k not in ("KP_WORKERS", "KP_PROCESS")
    }
    started = subprocess.run(
        [sys.executable, "-c", PRINT],
        env={**base, **env, "DJANGO_SETTINGS_MODULE": "kalshi_predictions.settings"},
        capture_output=True,
        text=True,
    )
    return started.returncode, (json.loads(started.stdout) if started.returncode == 0 else started.stderr)


def test_postgres_gets_a_bounded_pool_and_no_persistent_connections():
    code, db = settings_with(
        DATABASE_URL="postgres://u@127.0.0.1:5432/x", KP_DB_POOL_MAX="6", KP_PROCESS="web"
    )
    assert code == 0, db
    assert db["age"] == 0  # what the pool requires: a closed connection goes back to it
    assert db["opts"]["pool"] == {"min_size": 1, "max_size": 6, "timeout": 10.0}


def test_pool_max_zero_keeps_the_persistent_connections_of_before():
    code, db = settings_with(
        DATABASE_URL="postgres://u@127.0.0.1:5432/x", KP_DB_POOL_MAX="0", KP_PROCESS="web"
    )
    assert code == 0, db
    assert db["age"] == 60 and "pool" not in db["opts"]


def test_a_pool_that_would_exceed_the_connection_share_stops_start_up():
    # 76 (web's pool) + 4 worker children + worker parent + beat = 82 > 80
    code, err = settings_with(
        DATABASE_URL="postgres://u@127.0.0.1:5432/x", KP_DB_POOL_MAX="76", KP_WORKERS="4", KP_PROCESS="web"
    )
    assert code != 0
    assert (
        "KP_DB_POOL_MAX=76 (the web process's pool) + 6 connections" in err and "KP_DB_CONNECTIONS=80" in err
    )


def test_workers_beat_and_commands_keep_connections_whose_close_ends_the_session():
    # A run's claim is a session advisory lock: a pooled connection given back would keep it.
    code, db = settings_with(DATABASE_URL="postgres://u@127.0.0.1:5432/x", KP_DB_POOL_MAX="8")
    assert code == 0, db
    assert db["age"] == 60 and "pool" not in db["opts"]


def test_sqlite_has_no_pool():
    code, db = settings_with(DATABASE_URL="")
    assert code == 0, db
    assert db["engine"] == "django.db.backends.sqlite3" and "pool" not in db["opts"]
