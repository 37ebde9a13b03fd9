"""GET /api/sources: every source, cadence, latest from Redis, Postgres when Redis is down."""

import pytest
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from core import cache
from sources.models import Source

pytestmark = pytest.mark.postgres


def test_every_source_is_listed_with_health_cadence_and_quota(api, sources_ready, redis_conn):
    body = api.get("/api/sources").json()
    assert len(body) == 10
    wiki = next(s for s in body if s["key"] == "wikipedia")
    assert wiki["name"] == "Wikipedia pageviews"
    assert wiki["enabled"] is True
    assert wiki["health"] == "never_run"
    assert wiki["cadence"] == "every 60 minutes"
    assert wiki["quotaLeft"] is None
    assert wiki["latest"] is None and wiki["latestFrom"] == "redis"
    tudum = next(s for s in body if s["key"] == "tudum")
    assert "America/New_York" in tudum["cadence"]


def test_latest_comes_from_redis(api, sources_ready, redis_conn):
    cache.latest_set("wikipedia", {"source": "wikipedia", "ts": "t", "payload": {"items": 3}})
    wiki = next(s for s in api.get("/api/sources").json() if s["key"] == "wikipedia")
    assert wiki["latest"]["payload"] == {"items": 3}
    assert wiki["latestFrom"] == "redis"


@pytest.fixture
def redis_down(settings):
    settings.REDIS = {"host": "127.0.0.1", "port": 1, "db": 5}  # nothing listens on port 1
    cache.redis_client.cache_clear()
    yield
    cache.redis_client.cache_clear()


def test_redis_down_falls_back_to_the_database_copy(api, sources_ready, redis_down):
    Source.objects.filter(key="wikipedia").update(
        latest_payload={"source": "wikipedia", "payload": {"items": 7}}
    )
    response = api.get("/api/sources")
    assert response.status_code == 200
    wiki = next(s for s in response.json() if s["key"] == "wikipedia")
    assert wiki["latest"]["payload"] == {"items": 7}
    assert wiki["latestFrom"] == "database"


def test_an_unreadable_cached_value_falls_back_too(api, sources_ready, redis_conn):
    redis_conn.set("source:wikipedia:latest", "{not json")
    response = api.get("/api/sources")
    assert response.status_code == 200
    assert {s["latestFrom"] for s in response.json()} == {"database"}


def test_query_count_does_not_grow_with_sources(api, sources_ready, redis_conn, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert len(api.get("/api/sources").json()) == 10
    every = IntervalSchedule.objects.create(every=5, period=IntervalSchedule.MINUTES)
    for n in range(20):
        task = PeriodicTask.objects.create(name=f"extra {n}", task="sources.tasks.run_source", interval=every)
        Source.objects.create(key=f"extra{n}", name=f"Extra {n}", periodic_task=task)
    with django_assert_num_queries(1):
        assert len(api.get("/api/sources").json()) == 30
