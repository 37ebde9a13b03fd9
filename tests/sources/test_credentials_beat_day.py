"""Without their credentials the keyed sources say which variables are missing, and never pile up
failed runs, however often beat calls them."""

from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings

from sources import tasks
from sources.models import FetchRun, Source
from sources.pipeline import quota

KEYED = ("x", "youtube", "tiktok", "reddit")


@pytest.fixture(autouse=True)
def no_credentials(monkeypatch, redis_conn, settings):
    settings.KP_PUBLIC_READ = True  # read the API as the DEBUG default does
    for names in settings.SOURCE_CREDENTIALS.values():
        for name in names:
            monkeypatch.delenv(name, raising=False)
    stale = redis_conn.keys("quota:*")
    if stale:
        redis_conn.delete(*stale)


def by_key(client) -> dict:
    response = client.get("/api/sources")
    assert response.status_code == 200
    return {s["key"]: s for s in response.json()}


def beat_ticks(start: datetime, end: datetime):
    """(key, kwargs) for every time beat would send a keyed source's task between start and end."""
    from django_celery_beat.models import PeriodicTask

    clock = {"now": start}
    schedules = []
    for task in PeriodicTask.objects.filter(source__key__in=KEYED).select_related("source"):
        schedule = task.schedule
        schedule.nowfun = lambda: clock["now"]
        schedules.append((task, schedule, {"last": start}))
    while clock["now"] <= end:
        for task, schedule, last in schedules:
            if schedule.is_due(last["last"]).is_due:
                last["last"] = clock["now"]
                yield task.source.key, task.kwargs
        clock["now"] += timedelta(minutes=1)


def test_the_api_lists_the_four_as_needing_credentials_with_their_names(sources_ready, client):
    sources = by_key(client)
    for key in KEYED:
        assert sources[key]["health"] == "needs_credentials"
        assert sources[key]["missingCredentials"] == settings.SOURCE_CREDENTIALS[key]
    assert sources["reddit"]["missingCredentials"] == [
        "REDDIT_CLIENT_ID",
        "REDDIT_CLIENT_SECRET",
        "REDDIT_USER_AGENT",
    ]
    assert sources["wikipedia"]["missingCredentials"] == []


def test_a_day_of_beat_ticks_leaves_no_runs_and_names_the_variables(sources_ready, client, redis_conn):
    ticks = list(beat_ticks(datetime(2025, 8, 11, tzinfo=UTC), datetime(2025, 8, 12, tzinfo=UTC)))
    assert len([k for k, _ in ticks if k == "x"]) == 24 and ("youtube", "{}") in ticks
    for key, _ in ticks:
        tasks.run_source(key)
    assert not FetchRun.objects.filter(source__key__in=KEYED).exists()
    sources = by_key(client)
    for key in KEYED:
        source = Source.objects.get(key=key)
        assert (source.health, source.consecutive_failures) == ("needs_credentials", 0)
        assert sources[key]["lastError"] == "missing credentials: " + ", ".join(
            settings.SOURCE_CREDENTIALS[key]
        )
    assert quota.status("x", datetime.now(UTC))["used"] == 0  # nothing was spent either


def test_setting_the_variable_lets_the_source_run(sources_ready, run_source, monkeypatch):
    from shows.services import watchlist_add

    watchlist_add(title="Wednesday", search_terms=["Wednesday Addams"])
    assert run_source("x") is None
    monkeypatch.setenv("X_BEARER_TOKEN", "AAAAAAAAAAAAAAAAAAAAAnow-set")
    run = run_source("x", now=datetime(2025, 8, 11, 14, 23, 11, tzinfo=UTC))
    assert run.status == "ok", run.error
    assert Source.objects.get(key="x").health != "needs_credentials"


def test_the_api_shows_quota_left_for_keyed_sources(sources_ready, client):
    now = datetime.now(UTC)
    quota.record("youtube", quota.QuotaUse(spent=250), now)
    sources = by_key(client)
    assert sources["youtube"]["quotaLeft"] == 10_000 - 250
    assert sources["x"]["quotaLeft"] == 300
    assert sources["wikipedia"]["quotaLeft"] is None
