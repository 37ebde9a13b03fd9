"""The embedded default: with no DATABASE_URL and no REDIS_URL, `make run`'s launcher brings up web,
worker and beat on SQLite with a private Redis, and a scheduled run's event reaches a stream client."""

import json
import os
import signal
import subprocess
import sys

import pytest
from django.conf import settings

from tests.fakeupstream import FakeUpstream
from tests.processes import ROOT, Proc, free_port, wait_for_http
from tests.sse import SSEClient

pytestmark = [pytest.mark.processes]

EVERY_3S = (
    "from django_celery_beat.models import IntervalSchedule, PeriodicTask;"
    "i,_=IntervalSchedule.objects.get_or_create(every=3, period='seconds');"
    "PeriodicTask.objects.exclude(name='wikipedia: pageviews').update(enabled=False);"
    "t=PeriodicTask.objects.get(name='wikipedia: pageviews');t.interval=i;t.save()"
)


@pytest.fixture
def fake():
    upstream = FakeUpstream().start()
    yield upstream
    upstream.stop()


def test_run_starts_everything_on_sqlite_and_a_private_redis(tmp_path, fake):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    port = free_port()
    env.update(
        KP_VAR_DIR=str(tmp_path),
        PORT=str(port),
        KP_ADMIN_PASSWORD="embedded-test-pass",
        **{f"{key.upper()}_BASE_URL": fake.url for key in settings.SOURCE_BASE_URLS},
        WIKIPEDIA_DAYS="3",
        KP_WORKERS="1",
    )

    def manage(*args):
        subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True
        )

    # A schedule edited before start-up must survive the launcher's setup_sources.
    manage("migrate", "-v", "0")
    manage("setup_sources")
    manage("shell", "-c", EVERY_3S)

    launcher = Proc("run", [sys.executable, "bin/run.py"], env)
    try:
        wait_for_http(f"http://127.0.0.1:{port}/", timeout=90, proc=launcher)
        assert (tmp_path / "redis.sock").exists()
        assert (tmp_path / "app.sqlite3").exists()
        board = __import__("httpx").get(f"http://127.0.0.1:{port}/").text
        assert board.count('class="card ') == 10
        stream = SSEClient(f"http://127.0.0.1:{port}/api/stream")
        try:
            event = stream.next(
                "snapshot", timeout=60, where=lambda e: json.loads(e.data)["source"] == "wikipedia"
            )
        finally:
            stream.close()
        assert json.loads(event.data)["payload"]["items"] > 0
        # After the first runs' logs the URL and login are still the last lines; the logs are in var/log/.
        last = launcher.log().rstrip().splitlines()[-2:]
        assert "Kalshi-Predictions on http" in last[0] and "login admin / embedded-test-pass" in last[1]
        assert "sources.tasks.run_source" in (tmp_path / "log" / "worker.log").read_text()
    finally:
        code = launcher.stop(signal.SIGINT, timeout=30)
    assert code == 0, launcher.log()[-3000:]
    assert not (tmp_path / "redis.pid").exists()
