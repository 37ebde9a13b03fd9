"""A run with Redis down stores its rows and records the run without waiting on Redis per event."""

import time

import pytest

from sources.models import FetchRun, Snapshot

pytestmark = pytest.mark.postgres


@pytest.fixture
def redis_down(redis_at):
    redis_at(1)  # nothing listens on port 1


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
