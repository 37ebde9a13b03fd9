from datetime import timedelta

import pytest

from shows.models import Show
from shows.services import watchlist_add


@pytest.fixture
def queued(monkeypatch):
    calls = []
    monkeypatch.setattr("sources.tasks.backfill_show.delay", lambda show_id: calls.append(show_id))
    return calls


def test_joining_the_watchlist_queues_the_shows_backfill_once(db, queued, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        show, _ = watchlist_add(title="Wednesday", wikipedia="Wednesday_(TV_series)")
    with django_capture_on_commit_callbacks(execute=True):
        watchlist_add(title="Wednesday", search_terms=["Wednesday Netflix"])  # already watched
    assert queued == [show.id]


def test_a_show_watched_from_the_admin_is_backfilled_too(
    admin_client, queued, django_capture_on_commit_callbacks
):
    show = Show.objects.create(title="Squid Game")
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            "/admin/shows/show/", {"action": "watch", "_selected_action": [show.pk]}, follow=True
        )
    assert queued == [show.id]


def test_the_backfill_task_loads_the_shows_wikipedia_history(
    fake_upstream, sources_ready, redis_conn, settings, monkeypatch
):
    from sources.models import Snapshot
    from sources.pipeline import backfill
    from sources.tasks import backfill_show

    show, _ = watchlist_add(title="Wednesday", wikipedia="Wednesday_(TV_series)")
    monkeypatch.setattr("sources.pipeline.backfill.per_show_sources", lambda: ["wikipedia"])
    monkeypatch.setattr(
        "sources.wikipedia.runner.WikipediaRunner.backfill_start",
        # A month back from whatever today is: the window always holds 30 days (the 1st of this
        # month held none on the 1st, and fewer than 10 until the 11th).
        backfill.timezone.now().date() - timedelta(days=30),
    )
    backfill_show(show.id)
    assert Snapshot.objects.filter(show=show, source__key="wikipedia", period="day").count() >= 10
