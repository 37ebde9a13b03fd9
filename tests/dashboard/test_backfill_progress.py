"""`manage.py backfill` publishes its progress (windows done of total) after each window; /sources shows
it, and a backfill that stopped says why."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from sources.pipeline import backfill_progress
from sources.tudum import fake as tudum
from tests.fakeupstream import Reply, fixture_text


@pytest.fixture
def no_progress(redis_conn):
    keys = redis_conn.keys("source:*:backfill")
    if keys:
        redis_conn.delete(*keys)
    return redis_conn


def backfill_tudum(*extra: str) -> None:
    call_command(
        "backfill", "tudum", "--since", "2025-07-06", "--until", "2025-07-26", "--chunk-days", "7", *extra
    )


def test_a_backfill_publishes_each_window_and_sources_shows_the_count(
    fake_upstream, sources_ready, no_progress, client, settings, django_capture_on_commit_callbacks
):
    settings.KP_PUBLIC_READ = True
    with django_capture_on_commit_callbacks(execute=False) as announced:
        backfill_tudum()
    progress = backfill_progress.progress_many(["tudum"])["tudum"]
    assert (progress["done"], progress["total"], progress["status"]) == (3, 3, "done")
    assert progress["since"] == "2025-07-20"  # the last window's first day
    assert len(announced) >= 3  # one `backfill` event per window, beside the runs' own events

    page = client.get("/sources").content.decode()
    assert "Backfill finished" in page and "3 of 3 windows" in page
    assert '<progress value="3" max="3">' in page


def test_a_backfill_that_stops_keeps_its_count_and_says_why(
    fake_upstream, sources_ready, no_progress, client, settings
):
    settings.KP_PUBLIC_READ = True
    # The first window reads the file as usual; the second finds it gone.
    sample = tudum.tsv_reply(fixture_text("tudum/all-weeks-global.sample.tsv"))
    fake_upstream.queue(tudum.GLOBAL, sample, Reply(404, "not found"))
    with pytest.raises(CommandError):
        backfill_tudum()
    progress = json.loads(no_progress.get("source:tudum:backfill"))
    assert (progress["done"], progress["total"], progress["status"]) == (1, 3, "stopped")
    assert "404" in progress["error"]
    page = client.get("/sources").content.decode()
    assert "Backfill stopped" in page and "1 of 3 windows" in page


def test_sources_shows_no_backfill_line_without_one(sources_ready, no_progress, client, settings):
    settings.KP_PUBLIC_READ = True
    assert "backfill-progress" not in client.get("/sources").content.decode()


def test_a_watched_shows_backfill_publishes_its_progress_too(
    fake_upstream, sources_ready, no_progress, watched, settings
):
    from sources.pipeline.backfill import show_backfill

    settings.GOOGLE_TRENDS_PAUSE_SECONDS = 0
    show_backfill(show_id=watched.id, resume={"wikipedia": "2025-07-01"})
    progress = backfill_progress.progress_many(["wikipedia"])["wikipedia"]
    assert progress["done"] == progress["total"] >= 1 and progress["status"] == "done"
