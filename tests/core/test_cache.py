"""core.cache: Redis as a cache that fails fast, with the database copy behind every read."""

import socket
import threading

import pytest
import redis
from django_eventstream.models import Event

from core import cache
from sources.live import events
from sources.models import Source

pytestmark = pytest.mark.postgres
STORED = {"source": "wikipedia", "ts": "2026-01-05T00:00:00+00:00", "payload": {"items": 7}}


@pytest.fixture
def hanging_port():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    held = []
    threading.Thread(target=lambda: held.extend(iter(lambda: sock.accept()[0], None)), daemon=True).start()
    yield sock.getsockname()[1]
    sock.close()


def test_a_cache_miss_answers_from_the_database_and_refills_redis(sources_ready, redis_conn):
    # Redis restarted empty: the Source row still holds the last successful run's payload.
    Source.objects.filter(key="wikipedia").update(latest_payload=STORED)
    latest = cache.latest_or_stored({"wikipedia": STORED, "tudum": None})
    assert latest == {"wikipedia": (STORED, "database"), "tudum": (None, "redis")}
    assert cache.latest_many(["wikipedia"]) == {"wikipedia": STORED}
    assert cache.latest_or_stored({"wikipedia": STORED})["wikipedia"] == (STORED, "redis")


def test_api_sources_shows_the_stored_latest_after_redis_lost_it(client, settings, sources_ready, redis_conn):
    settings.KP_PUBLIC_READ = True
    Source.objects.filter(key="wikipedia").update(latest_payload=STORED)
    wiki = next(s for s in client.get("/api/sources").json() if s["key"] == "wikipedia")
    assert wiki["latest"] == STORED and wiki["latestFrom"] == "database"


def test_after_one_refused_connection_redis_is_not_tried_again_for_a_while(redis_at, connects):
    redis_at(1)  # nothing listens on port 1
    with pytest.raises(redis.ConnectionError):
        cache.redis_client().get("x")
    assert connects["n"] == 1  # no retries
    for _ in range(50):
        with pytest.raises(redis.ConnectionError, match="not retried"):
            cache.redis_client().get("x")
    assert connects["n"] == 1
    assert not cache.available()


def test_a_hanging_redis_costs_one_socket_timeout_then_fails_at_once(redis_at, hanging_port, settings):
    redis_at(hanging_port)
    with pytest.raises((redis.TimeoutError, redis.ConnectionError)) as first:
        cache.redis_client().mget(["a"])
    assert "not retried" not in str(first.value)
    with pytest.raises(redis.ConnectionError, match="not retried"):
        cache.redis_client().mget(["a"])


def test_the_breaker_closes_again_after_its_wait(redis_at, redis_conn, settings):
    settings.REDIS_RETRY_AFTER = 0
    redis_at(1)
    with pytest.raises(redis.ConnectionError):
        cache.redis_client().get("x")
    redis_at(settings.REDIS_URL and redis_conn.connection_pool.connection_kwargs["port"])
    assert cache.redis_client().ping() is True and cache.available()


def test_events_with_redis_down_are_stored_and_cost_one_connection_attempt(
    transactional_db, redis_at, connects
):
    # A run announces one event per source and per show: with Redis down each used to cost ~4 s of
    # redis-py's default retries. Now the first fails, the rest skip Redis; all are kept for replay.
    redis_at(1)
    before = Event.objects.filter(eid__gt=0).count()
    events.announce("wikipedia", "snapshot", {"source": "wikipedia"}, show_ids=range(1, 20))  # autocommit
    # (django-eventstream also writes an eid-0 marker row when a channel is first used.)
    assert Event.objects.filter(eid__gt=0).count() - before == 20
    assert connects["n"] == 1
