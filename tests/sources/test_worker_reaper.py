"""Each worker sweeps for lost runs on its own timer (kalshi_predictions/celery.py), so a run left
`started` is closed even while beat is down."""

import threading

from kalshi_predictions import celery as celery_app


def test_the_worker_sweeps_for_lost_runs_on_a_timer_without_beat(monkeypatch, settings):
    settings.REAP_EVERY_SECONDS = 0.05
    sweeps = threading.Semaphore(0)
    monkeypatch.setattr("sources.services.runs_reap", lambda: sweeps.release())
    monkeypatch.setattr("django.db.close_old_connections", lambda: None)
    stop = celery_app.reap_at_start()
    try:
        for _ in range(4):  # the one at start, then three on the timer
            assert sweeps.acquire(timeout=5)
    finally:
        stop.set()


def test_a_failed_sweep_is_logged_and_the_timer_goes_on(monkeypatch, settings, caplog):
    settings.REAP_EVERY_SECONDS = 0.05
    calls = threading.Semaphore(0)

    def down():
        calls.release()
        raise RuntimeError("the database is down")

    monkeypatch.setattr("sources.services.runs_reap", down)
    monkeypatch.setattr("django.db.close_old_connections", lambda: None)
    stop = celery_app.reap_at_start()
    try:
        for _ in range(3):
            assert calls.acquire(timeout=5)
    finally:
        stop.set()
    assert "reaping lost runs failed" in caplog.text


def test_the_sweeper_is_a_daemon_thread(monkeypatch, settings):
    settings.REAP_EVERY_SECONDS = 3600
    monkeypatch.setattr("sources.services.runs_reap", lambda: None)
    monkeypatch.setattr("django.db.close_old_connections", lambda: None)
    stop = celery_app.reap_at_start()
    try:
        thread = next(t for t in threading.enumerate() if t.name == "reaper" and t.is_alive())
        assert thread.daemon  # never keeps a stopping worker alive
    finally:
        stop.set()
