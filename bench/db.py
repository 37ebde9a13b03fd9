"""The throwaway bench database: created on DATABASE_URL's server, migrated, dropped at the end."""

import subprocess
import sys
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

import psycopg
from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections

BENCH_DB = "bench_kalshi_predictions"


def server_url() -> str:
    url = settings.DATABASE_URL
    if not url or not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("the benchmark needs Postgres: set DATABASE_URL=postgres://user@host:port/db")
    return url


def bench_url(name: str = BENCH_DB) -> str:
    parts = urlsplit(server_url())
    return urlunsplit(parts._replace(path="/" + name))


def dsn() -> str:
    """The bench database for psycopg (libpq takes the URL as it is)."""
    return bench_url()


def _admin(sql: str) -> None:
    with psycopg.connect(server_url(), autocommit=True) as conn:
        conn.execute(sql)


def _forget_pool() -> None:
    # Django keeps one pool per alias, built from the settings it first saw: with NAME changed, a pool
    # made before would still hand out connections to the old database.
    if getattr(connection, "pool", None):
        connection.close_pool()


@contextmanager
def bench_database():
    """Point Django (and every subprocess started with `env()`) at a fresh, migrated bench database."""
    _admin(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
    _admin(f'CREATE DATABASE "{BENCH_DB}"')
    old = connection.settings_dict["NAME"]
    connections.close_all()
    _forget_pool()
    for alias in (settings.DATABASES["default"], connection.settings_dict):
        alias["NAME"] = BENCH_DB
    try:
        call_command("migrate", verbosity=0, interactive=False)
        yield
    finally:
        connections.close_all()
        _forget_pool()
        connection.settings_dict["NAME"] = old
        settings.DATABASES["default"]["NAME"] = old
        _admin(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')


def manage(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "manage.py", *args], env=env, check=True, capture_output=True)
