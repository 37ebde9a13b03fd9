"""Redis access for the latest-value cache and the per-source run lock."""

import json
from functools import cache

import redis
from django.conf import settings

LATEST_KEY = "source:{key}:latest"


@cache
def redis_client() -> redis.Redis:
    # Short timeouts: a page or API call falls back to Postgres quickly when Redis is down.
    return redis.Redis(**settings.REDIS, socket_timeout=2, socket_connect_timeout=2)


def latest_set(key: str, data: dict) -> None:
    redis_client().set(LATEST_KEY.format(key=key), json.dumps(data, separators=(",", ":")))


def latest_many(keys: list[str]) -> dict[str, dict | None]:
    """The cached latest payload of each source; raises redis.RedisError when Redis is down."""
    values = redis_client().mget([LATEST_KEY.format(key=k) for k in keys])
    return {k: (json.loads(v) if v else None) for k, v in zip(keys, values, strict=True)}
