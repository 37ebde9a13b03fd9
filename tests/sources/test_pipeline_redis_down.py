"""A run with Redis down stores its rows and records the run without waiting on Redis per event."""

import time

import pytest
import redis

from sources import cache
from sources.models import FetchRun, Snapshot

pytestmark = pytest.mark.postgres


@pytest.fixture
def redis_down(settings):
    settings.REDIS = {"host": "127.0.0.1", "port": 1, "db": 6}  # nothing listens on port 1
    cache.redis_client.cache_clear()
    yield
    cache.redis_client.cache_clear()


@pytest.fixture
def connects(monkeypatch):
    count = {"n": 0}
    original = redis.connection.Connection._connect

    def counting(self):
        count["n"] += 1
        return original(self)

    monkeypatch.setattr(redis.connection.Connection, "_connect", counting)
    return count


def test_a_run_with_redis_down_tries_redis_about_once(run_source, watched, settings, redis_down, connects):
    settings.WIKIPEDIA_DAYS = 5
    started = time.monotonic()
    run = run_source("wikipedia")
    print(
        f"\n[redis down] wikipedia run: {run.status} in {time.monotonic() - started:.2f}s, "
        f"{connects['n']} connection attempt(s) to Redis"
    )
    print(f"[redis down] run error: {run.error!r}")
    assert FetchRun.objects.get(pk=run.pk).status == "ok"
    assert Snapshot.objects.filter(show=watched, metric="pageviews").count() == 5
    assert connects["n"] <= 2
