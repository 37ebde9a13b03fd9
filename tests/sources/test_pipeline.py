"""The pipeline driven through the real Wikipedia runner and HTTP code against the fake upstream."""

import json
from datetime import UTC, datetime

import pytest

from sources.models import FetchRun, RawEvent, Snapshot, SnapshotRevision, Source
from sources.pipeline import runs as pipeline
from tests.fakeupstream import Reply, fixture_text

NOW = datetime(2025, 8, 11, 12, tzinfo=UTC)  # the fixture's days are 2025-08-01 .. 08-10
WIKI = r"/per-article/en\.wikipedia/all-access/user/"


@pytest.fixture(autouse=True)
def _ten_days(settings):
    settings.WIKIPEDIA_DAYS = 10


@pytest.fixture
def run_wikipedia(fake_upstream, sources_ready, watched, redis_conn, django_capture_on_commit_callbacks):
    def run():
        with django_capture_on_commit_callbacks(execute=True):
            return pipeline.run("wikipedia", now=NOW)

    return run


def values():
    return list(Snapshot.objects.order_by("observed_at").values_list("observed_at", "value"))


def test_a_run_stores_rows_caches_latest_and_records_an_ok_run(run_wikipedia, redis_conn, watched):
    run = run_wikipedia()
    assert run.status == FetchRun.Status.OK, run.error
    rows = Snapshot.objects.filter(show=watched, metric="pageviews", period="day")
    assert rows.count() == 10
    assert rows.get(observed_at=datetime(2025, 8, 7, tzinfo=UTC)).value == 388605
    latest = json.loads(redis_conn.get("source:wikipedia:latest"))
    assert latest["source"] == "wikipedia"
    assert latest["payload"]["latest"][0]["value"] == rows.order_by("-observed_at")[0].value
    assert RawEvent.objects.filter(run=run, status=200, url__contains="per-article").count() == 1
    source = Source.objects.get(key="wikipedia")
    assert source.health == "ok" and source.last_success_at is not None


def test_a_run_announces_the_snapshot_on_the_sources_channel(run_wikipedia):
    from django_eventstream.models import Event

    run_wikipedia()
    event = Event.objects.filter(channel="sources", type="snapshot").latest("eid")
    data = event.data
    while isinstance(data, str):  # the storage keeps the JSON text the stream sends
        data = json.loads(data)
    assert data["source"] == "wikipedia"
    assert data["payload"]["created"] == 10


def test_rerun_updates_rows_instead_of_duplicating(run_wikipedia):
    run_wikipedia()
    before = values()
    second = run_wikipedia()
    assert values() == before
    assert (second.created, second.updated, second.unchanged) == (0, 0, 10)


def test_a_changed_value_updates_the_row_and_keeps_the_old_one_as_a_revision(run_wikipedia, fake_upstream):
    run_wikipedia()
    data = json.loads(fixture_text("wikipedia/per_article_daily.json"))
    data["items"][9]["views"] += 1000  # Wikimedia's late counts
    fake_upstream.queue(WIKI, Reply(200, json.dumps(data)))
    second = run_wikipedia()
    assert (second.created, second.updated) == (0, 1)
    revision = SnapshotRevision.objects.get()
    assert revision.snapshot.value == revision.value + 1000


def test_429_then_200_ends_ok_with_the_rows(run_wikipedia, fake_upstream):
    fake_upstream.queue(WIKI, Reply(429, '{"title": "Too Many Requests"}', {"Retry-After": "1"}))
    run = run_wikipedia()
    assert run.status == "ok"
    assert Snapshot.objects.count() == 10
    assert len(fake_upstream.requests_to(WIKI)) == 2


def test_500_then_200_is_retried_with_backoff(run_wikipedia, fake_upstream):
    fake_upstream.queue(WIKI, Reply(500, "upstream error"), Reply(503, "busy"))
    assert run_wikipedia().status == "ok"


def test_a_malformed_body_fails_the_run_and_leaves_stored_rows_untouched(run_wikipedia, fake_upstream):
    run_wikipedia()
    before = values()
    fake_upstream.queue(WIKI, Reply(200, "<html><body>Wikimedia Error</body></html>"))
    run = run_wikipedia()
    assert run.status == "failed"
    assert "not JSON" in run.error
    assert values() == before
    assert RawEvent.objects.filter(run=run, body__contains="Wikimedia Error").exists()
    assert Source.objects.get(key="wikipedia").consecutive_failures == 1


def test_a_timeout_fails_the_run_with_a_clear_error(run_wikipedia, fake_upstream, settings):
    settings.HTTP_RETRIES = 0
    settings.HTTP_TIMEOUT_SECONDS = 1
    fake_upstream.queue(WIKI, Reply(200, "{}", delay=2))
    run = run_wikipedia()
    assert run.status == "failed"
    assert "timed out" in run.error


def test_an_article_without_data_makes_a_partial_run_and_keeps_the_others(run_wikipedia, fake_upstream):
    from shows.services import watchlist_add

    watchlist_add(title="Misspelt", wikipedia="Wednesday_(TV_seriez)")
    fake_upstream.route(
        r"Wednesday_%28TV_seriez%29", Reply(404, fixture_text("wikipedia/error_404_no_data.json"))
    )
    run = run_wikipedia()
    assert run.status == "partial"
    assert "Wednesday_(TV_seriez): no pageview data (404)" in run.error
    assert Snapshot.objects.count() == 10


def test_three_failed_runs_make_the_source_failing(run_wikipedia, fake_upstream, settings):
    settings.HTTP_RETRIES = 0
    for _ in range(3):
        fake_upstream.queue(WIKI, Reply(500, "down"))
        assert run_wikipedia().status == "failed"
    assert Source.objects.get(key="wikipedia").health == "failing"


def test_requests_carry_a_descriptive_user_agent(run_wikipedia, fake_upstream):
    run_wikipedia()
    agent = fake_upstream.requests_to(WIKI)[0].headers["User-Agent"]
    assert agent.startswith("KalshiPredictions/") and "(" in agent and "python-requests/" in agent


def test_a_second_run_while_one_holds_the_lock_is_skipped(run_wikipedia, redis_conn):
    lock = redis_conn.lock("lock:source:wikipedia", timeout=30)
    assert lock.acquire(blocking=False)
    try:
        run = run_wikipedia()
    finally:
        lock.release()
    assert run.status == "skipped"
    assert Snapshot.objects.count() == 0


def test_a_source_missing_credentials_needs_credentials_and_does_not_run(sources_ready, monkeypatch):
    monkeypatch.delenv("X_BEARER_TOKEN", raising=False)
    assert pipeline.run("x") is None
    source = Source.objects.get(key="x")
    assert source.health == "needs_credentials"
    assert "X_BEARER_TOKEN" in source.last_error
    assert FetchRun.objects.count() == 0


def test_a_failure_while_storing_is_a_failed_run_and_stores_nothing(run_wikipedia, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("sources.pipeline.runs.snapshots_upsert", broken)
    run = run_wikipedia()
    assert run.status == "failed" and "storing failed: RuntimeError: disk full" in run.error
    assert Snapshot.objects.count() == 0


@pytest.fixture
def committed_runs():
    from sources.dispatch import run_committed

    seen = []

    def listener(sender, key, run, **kwargs):
        seen.append((key, run.status))

    run_committed.connect(listener)
    yield seen
    run_committed.disconnect(listener)


def test_a_stored_run_announces_its_committed_rows_once(run_wikipedia, committed_runs):
    run = run_wikipedia()
    assert committed_runs == [("wikipedia", run.status)] and run.status == "ok"


def test_skipped_and_failed_runs_announce_no_committed_rows(
    run_wikipedia, redis_conn, fake_upstream, committed_runs
):
    lock = redis_conn.lock("lock:source:wikipedia", timeout=30)
    assert lock.acquire(blocking=False)
    try:
        assert run_wikipedia().status == "skipped"
    finally:
        lock.release()
    fake_upstream.route(WIKI, Reply(500, "down"))
    assert run_wikipedia().status == "failed"
    assert committed_runs == []


def test_run_source_command_announces_committed_rows_too(
    fake_upstream, sources_ready, watched, redis_conn, committed_runs, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    with django_capture_on_commit_callbacks(execute=True):
        call_command("run_source", "wikipedia")
    assert [key for key, _ in committed_runs] == ["wikipedia"]
