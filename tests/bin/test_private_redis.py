"""`make run`'s private Redis (bin/private_redis.py) keeps what it holds across a crash: it is the broker,
and a queued task must not vanish with a restart (issue 22)."""

import os
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path

import pytest
import redis

from tests.processes import ROOT

sys.path.insert(0, str(ROOT / "bin"))
import private_redis  # noqa: E402


@pytest.fixture
def var():
    path = Path(tempfile.mkdtemp(prefix="kp-aof-"))  # short: a unix socket path has ~100 characters
    yield path
    private_redis.stop(path)
    shutil.rmtree(path, ignore_errors=True)


def test_a_task_queued_in_the_private_redis_survives_a_crash_and_restart(var):
    private_redis.start(var)
    client = redis.Redis.from_url(private_redis.url(var))
    client.lpush("kalshi_predictions", '{"task": "sources.tasks.run_source"}')
    time.sleep(1.5)  # appendfsync everysec: written to disk within a second
    os.kill(int((var / "redis.pid").read_text()), signal.SIGKILL)  # a crash: no shutdown save
    deadline = time.monotonic() + 5
    while private_redis.answers(var / "redis.sock") and time.monotonic() < deadline:
        time.sleep(0.05)
    (var / "redis.pid").unlink(missing_ok=True)
    private_redis.start(var)
    client = redis.Redis.from_url(private_redis.url(var))
    assert client.lrange("kalshi_predictions", 0, -1) == [b'{"task": "sources.tasks.run_source"}']
