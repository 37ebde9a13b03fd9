"""Health, last_success_at and the cards come from runs that really asked the upstream."""

from datetime import UTC, date, datetime

import pytest
from django.utils import timezone

from shows.models import Show
from sources.models import FetchRun, Source
from sources.pipeline import runs as pipeline
from sources.pipeline.backfill import source_backfill
from sources.pipeline.health import compute
from tests.fakeupstream import Reply

NOW = datetime(2025, 8, 11, 12, tzinfo=UTC)
WIKI = r"/per-article/en\.wikipedia/all-access/user/"


@pytest.fixture(autouse=True)
def _short(settings):
    settings.WIKIPEDIA_DAYS = 3


def wikipedia() -> Source:
    return Source.objects.get(key="wikipedia")


def test_a_run_with_no_show_to_ask_for_is_skipped_and_is_no_success(run_source, fake_upstream):
    Show.objects.create(title="No Article", on_watchlist=True)
    run = run_source("wikipedia", now=NOW)
    assert run.status == FetchRun.Status.SKIPPED and run.requests == 0 and "nothing to fetch" in run.error
    source = wikipedia()
    assert source.last_success_at is None and source.health == Source.Health.NEVER_RUN
    assert not fake_upstream.seen


def test_backfill_windows_of_a_show_without_an_article_do_not_turn_a_failing_source_green(
    run_source, fake_upstream, watched, settings
):
    settings.HTTP_RETRIES = 0
    for _ in range(3):
        fake_upstream.queue(WIKI, Reply(503, "down"))
        assert run_source("wikipedia", now=NOW).status == FetchRun.Status.FAILED
    assert wikipedia().health == Source.Health.FAILING
    bare = Show.objects.create(title="No Article", on_watchlist=True)
    totals = source_backfill("wikipedia", show={"id": bare.id}, since=date(2024, 1, 1))
    assert totals.windows >= 1 and all(r.requests == 0 for r in totals.runs)
    source = wikipedia()
    assert source.last_success_at is None and source.consecutive_failures == 3
    assert source.health == Source.Health.FAILING


def test_a_run_that_asked_and_stored_is_the_success_health_reads(run_source, watched):
    run = run_source("wikipedia", now=NOW)
    assert run.status == FetchRun.Status.OK and run.requests >= 1
    source = wikipedia()
    assert source.last_success_at == run.finished_at and source.health == Source.Health.OK


def test_the_board_the_sources_page_and_the_api_read_one_health(run_source, watched, admin_client, settings):
    settings.HTTP_RETRIES = 0
    run_source("wikipedia", now=NOW)
    # Stale by the clock although the stored column still says ok: every reader must say stale.
    Source.objects.filter(key="wikipedia").update(last_success_at=datetime(2020, 1, 1, tzinfo=UTC))
    expected = compute(wikipedia(), timezone.now())
    assert expected == Source.Health.STALE
    api = {s["key"]: s["health"] for s in admin_client.get("/api/sources").json()}
    assert api["wikipedia"] == expected
    for page in ("/", "/sources"):
        html = admin_client.get(page).content.decode()
        assert f'id="{"source" if page == "/" else "details"}-wikipedia" data-health="{expected}"' in html


def test_pipeline_run_returns_none_and_records_nothing_for_a_disabled_source(sources_ready):
    Source.objects.filter(key="wikipedia").update(enabled=False)
    assert pipeline.run("wikipedia", now=NOW) is None
    assert not FetchRun.objects.exists()
