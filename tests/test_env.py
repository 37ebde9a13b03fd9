import pytest

from kalshi_predictions.env import (
    ImproperEnv,
    celery_broker_url,
    env_base_url,
    env_bool,
    env_int,
    redis_parts,
)


def test_booleans_accept_only_true_or_false_spellings(monkeypatch):
    monkeypatch.setenv("X_FLAG", "True")
    assert env_bool("X_FLAG", False) is True
    monkeypatch.setenv("X_FLAG", "nope")
    with pytest.raises(ImproperEnv, match="X_FLAG='nope'"):
        env_bool("X_FLAG", False)


def test_integers_are_checked_and_bounded(monkeypatch):
    monkeypatch.setenv("X_NUM", "12x")
    with pytest.raises(ImproperEnv, match="integer"):
        env_int("X_NUM", 1)
    monkeypatch.setenv("X_NUM", "0")
    with pytest.raises(ImproperEnv, match="at least 1"):
        env_int("X_NUM", 1, minimum=1)


def test_base_urls_default_to_the_real_host_and_refuse_paths(monkeypatch):
    monkeypatch.delenv("WIKIPEDIA_BASE_URL", raising=False)
    assert env_base_url("WIKIPEDIA_BASE_URL", "https://wikimedia.org") == "https://wikimedia.org"
    monkeypatch.setenv("WIKIPEDIA_BASE_URL", "http://127.0.0.1:8765/")
    assert env_base_url("WIKIPEDIA_BASE_URL", "https://wikimedia.org") == "http://127.0.0.1:8765"
    for bad in ("wikimedia.org", "ftp://x", "https://wikimedia.org/api/rest_v1", "http://h:port"):
        monkeypatch.setenv("WIKIPEDIA_BASE_URL", bad)
        with pytest.raises(ImproperEnv, match="WIKIPEDIA_BASE_URL"):
            env_base_url("WIKIPEDIA_BASE_URL", "https://wikimedia.org")


def test_redis_urls_become_client_kwargs_and_broker_urls():
    assert redis_parts("redis://:pw@10.0.0.2:6380/4") == {
        "host": "10.0.0.2",
        "port": 6380,
        "db": 4,
        "password": "pw",
    }
    assert redis_parts("unix:///srv/var/redis.sock?db=2") == {
        "unix_socket_path": "/srv/var/redis.sock",
        "db": 2,
    }
    assert celery_broker_url("unix:///srv/var/redis.sock?db=2") == (
        "redis+socket:///srv/var/redis.sock?virtual_host=2"
    )
    with pytest.raises(ImproperEnv, match="REDIS_URL"):
        redis_parts("memcached://x")
