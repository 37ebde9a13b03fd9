"""Fixtures for tests of sources that point the app's Redis client somewhere else and count its
connections (the cache and the pipeline with Redis down)."""

import pytest
import redis

from core import cache


@pytest.fixture
def redis_at(settings):
    """Point the app's Redis client at a port (a dead or hanging one); the cached client is rebuilt."""

    def point(port: int) -> None:
        settings.REDIS = {"host": "127.0.0.1", "port": port, "db": 6}
        cache.redis_client.cache_clear()

    cache.redis_client.cache_clear()
    yield point
    cache.redis_client.cache_clear()


@pytest.fixture
def connects(monkeypatch):
    """How many times any of our clients opened a socket to Redis."""
    count = {"n": 0}
    original = redis.connection.Connection._connect

    def counting(self):
        count["n"] += 1
        return original(self)

    monkeypatch.setattr(redis.connection.Connection, "_connect", counting)
    return count
