"""`make run` creates its `admin` with `createsuperuser --noinput` once, and later starts keep it."""

import os
import sqlite3
import subprocess
import sys

import pytest
from django.contrib.auth.hashers import check_password

from tests.processes import ROOT

sys.path.insert(0, str(ROOT / "bin"))
import run  # noqa: E402

pytestmark = [pytest.mark.processes]


def _env(tmp_path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SUPERUSER_PASSWORD")}
    return {**env, "KP_VAR_DIR": str(tmp_path)}


def _admin(tmp_path) -> tuple[str, str, bool]:
    with sqlite3.connect(tmp_path / "app.sqlite3") as db:
        query = "SELECT email, password, is_superuser FROM auth_user WHERE username = 'admin'"
        return db.execute(query).fetchone()


def test_the_admin_is_created_once_and_a_later_start_keeps_its_password(tmp_path):
    env = _env(tmp_path)
    run.manage("migrate", "--noinput", "-v", "0", env=env)
    run.ensure_admin(env, "first-pass")
    run.ensure_admin(env, "second-pass")  # the user exists: no error, no change
    email, hashed, superuser = _admin(tmp_path)
    assert email == "admin@localhost" and superuser
    assert check_password("first-pass", hashed) and not check_password("second-pass", hashed)
    assert "DJANGO_SUPERUSER_PASSWORD" not in env  # the processes started afterwards never see it


def test_a_failure_other_than_an_existing_admin_stops_the_start(tmp_path, capfd):
    with pytest.raises(subprocess.CalledProcessError):
        run.ensure_admin(_env(tmp_path), "pass")  # no tables: the database was never migrated
    assert "no such table" in capfd.readouterr().err
