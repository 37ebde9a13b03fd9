"""Every source is one package of one shape, and a new one needs only its package and a registry line."""

import importlib
from dataclasses import fields
from pathlib import Path

import pytest
from django_celery_beat.models import PeriodicTask

from sources import registry
from sources.base import Runner, WatchedShow
from sources.models import Snapshot
from sources.pipeline import runs as pipeline
from sources.pipeline.schedules import nominal_cadence
from sources.services import sources_setup
from tests.sources.extra_source.fake import ROUTES as EXTRA_ROUTES

EXTRA = "tests.sources.extra_source"


@pytest.mark.parametrize("key", registry.keys())
def test_every_source_package_has_the_same_shape(key):
    spec = registry.spec(key)
    package = Path(importlib.import_module(f"sources.{key}").__file__).parent
    assert {"spec.py", "client.py", "runner.py", "normalize.py"} <= {p.name for p in package.iterdir()}
    assert spec.runner.startswith(f"sources.{key}.runner.")
    runner = registry.get_runner(key)
    assert isinstance(runner, Runner) and runner.key == key
    assert any((package / "fixtures").iterdir()), f"real sample responses under sources/{key}/fixtures/"
    assert any((package / "tests").glob("test_*.py")), f"its tests under sources/{key}/tests/"
    assert importlib.import_module(f"sources.{key}.fake").ROUTES, "a fake-upstream route module"
    assert set(spec.show_fields) <= {f.name for f in fields(WatchedShow)}
    assert spec.metrics and all(spec.base_urls)


@pytest.fixture
def extra_source(db, monkeypatch, settings, fake_upstream):
    monkeypatch.setattr(registry, "PACKAGES", [*registry.PACKAGES, EXTRA])  # the one registry line
    # What settings would read from EXTRA_BASE_URL at start-up, pointed at the fake upstream.
    settings.SOURCE_BASE_URLS = {**settings.SOURCE_BASE_URLS, "extra": fake_upstream.url}
    settings.KP_PUBLIC_READ = True
    for pattern, handler in EXTRA_ROUTES:
        fake_upstream.route(pattern, handler(None))
    sources_setup()


def test_a_new_source_package_shows_in_the_api_schedules_and_board(extra_source, client, redis_conn):
    listed = {s["key"]: s for s in client.get("/api/sources").json()}
    assert listed["extra"]["name"] == "Extra test source"
    assert listed["extra"]["cadence"] == "every 60 minutes"
    task = PeriodicTask.objects.get(name="extra: hourly count")
    assert (task.args, task.expire_seconds) == ('["extra"]', 50 * 60)
    assert nominal_cadence("extra").total_seconds() == 3600
    assert "Extra test source" in client.get("/").content.decode()


def test_a_new_source_runs_through_the_pipeline(extra_source, redis_conn, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = pipeline.run("extra")
    assert run.status == "ok"
    assert Snapshot.objects.get(source__key="extra").value == 7
