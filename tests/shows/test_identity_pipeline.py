"""Title identity through the real pipeline: the watched "Wednesday" (starter watchlist, seasonless,
with its Wikipedia article) carries Tudum's Season 2 ranks, FlixPatrol's daily ranks and its pageviews
on one row."""

from datetime import UTC, datetime

import pytest

from shows.models import Show
from sources.models import FetchRun, Snapshot

TUDUM_WEEK = datetime(2025, 8, 4, tzinfo=UTC)  # the Tudum sample's newest week (ends 2025-08-10)
FLIXPATROL_NOW = datetime(2025, 8, 8, 12, tzinfo=UTC)  # yesterday's chart is the fixtures' 2025-08-07
WIKIPEDIA_NOW = datetime(2025, 8, 11, 12, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _small_runs(settings):
    settings.FLIXPATROL_COUNTRIES = (("US", "united-states"),)
    settings.FLIXPATROL_PAGE_DELAY_SECONDS = 0
    settings.FLIXPATROL_BACKEND = "http"
    settings.WIKIPEDIA_DAYS = 10


def test_tudum_flixpatrol_and_wikipedia_values_of_wednesday_share_the_watched_show(run_source, watched):
    for key, now in (("flixpatrol", FLIXPATROL_NOW), ("tudum", None), ("wikipedia", WIKIPEDIA_NOW)):
        run = run_source(key, now=now) if now else run_source(key)
        assert run.status == FetchRun.Status.OK, (key, run.error)

    watched.refresh_from_db()
    assert (watched.season, watched.on_watchlist) == ("Season 2", True)
    values = Snapshot.objects.filter(show=watched)
    assert (
        values.get(source__key="tudum", metric="rank", scope="tv_english", observed_at=TUDUM_WEEK).value == 1
    )
    assert values.get(source__key="flixpatrol", metric="rank", scope="world").value == 1
    assert values.get(source__key="flixpatrol", metric="rank", scope="US").value == 1
    assert values.filter(source__key="wikipedia", metric="pageviews").count() == 10
    season_1 = Show.objects.get(normalized_name="wednesday season 1")
    assert (
        Snapshot.objects.get(show=season_1, metric="rank", scope="tv_english", observed_at=TUDUM_WEEK).value
        == 2
    )
