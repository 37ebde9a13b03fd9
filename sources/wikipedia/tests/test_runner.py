"""Wikipedia beyond the daily basics: redirects resolved once, and the hourly mode from dump files."""

from datetime import UTC, datetime

import pytest

from shows.services import watchlist_add
from sources.base import RawResponse
from sources.models import Snapshot, Source
from sources.wikipedia.normalize import MalformedResponse, canonical_titles, hourly
from tests.fakeupstream import Reply, fixture_text

NOW = datetime(2025, 8, 11, 12, 20, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _short(settings):
    settings.WIKIPEDIA_DAYS = 3


def test_canonical_titles_follow_normalization_and_redirects():
    asked = ["Squid_Game_(TV_series)", "Wednesday_(TV_series)", "No_such_show_(TV_series)"]
    assert canonical_titles(fixture_text("wikipedia/query_redirects.json"), asked) == {
        "Squid_Game_(TV_series)": "Squid_Game",
        "Wednesday_(TV_series)": "Wednesday_(TV_series)",
        "No_such_show_(TV_series)": None,
    }


def test_a_redirected_article_is_counted_under_its_canonical_title_and_resolved_once(
    run_source, fake_upstream
):
    show, _ = watchlist_add(title="Squid Game", wikipedia="Squid_Game_(TV_series)")
    run_source("wikipedia", now=NOW)
    assert fake_upstream.requests_to(r"/per-article/.*/Squid_Game/daily/")
    assert Snapshot.objects.filter(show=show).first().attrs["article"] == "Squid_Game"
    run_source("wikipedia", now=NOW)
    assert len(fake_upstream.requests_to(r"^/w/api\.php")) == 1
    assert Source.objects.get(key="wikipedia").state["canonical"]["en.wikipedia"] == {
        "Squid_Game_(TV_series)": "Squid_Game"
    }


def test_an_article_the_wiki_does_not_have_is_named_and_not_fetched(run_source, fake_upstream):
    watchlist_add(title="Wednesday", wikipedia="Wednesday_(TV_series)")
    watchlist_add(title="Nothing", wikipedia="No_such_show_(TV_series)")
    run = run_source("wikipedia", now=NOW)
    assert run.status == "partial"
    assert "No_such_show_(TV_series): no such article on en.wikipedia" in run.error
    assert not fake_upstream.requests_to(r"No_such_show")


def test_a_failed_redirect_lookup_falls_back_to_the_given_title(run_source, fake_upstream, settings):
    settings.HTTP_RETRIES = 0
    show, _ = watchlist_add(title="Wednesday", wikipedia="Wednesday_(TV_series)")
    fake_upstream.queue(r"^/w/api\.php", Reply(500, "oops"))
    run = run_source("wikipedia", now=NOW)
    assert run.status == "partial" and "redirect lookup: HTTP 500" in run.error
    assert Snapshot.objects.filter(show=show).count() == 3


def test_a_quiet_article_answered_from_the_window_start_stores_its_last_days_as_zero_and_runs_ok(
    run_source, fake_upstream, settings
):
    settings.WIKIPEDIA_DAYS = 10  # 2025-08-01..10; loaded through 08-09, two days before NOW
    show, _ = watchlist_add(title="Wednesday", wikipedia="Wednesday_(TV_series)")
    # Views on 08-01, 02, 05, 06, 07: the API omits the days without any.
    fake_upstream.queue(r"/per-article/", Reply(200, fixture_text("wikipedia/per_article_daily_gaps.json")))
    run = run_source("wikipedia", now=NOW)
    assert run.status == "ok", run.error
    stored = dict(Snapshot.objects.filter(show=show, period="day").values_list("observed_at__day", "value"))
    assert stored == {1: 3, 2: 1, 3: 0, 4: 0, 5: 2, 6: 14, 7: 41, 8: 0, 9: 0}  # 08-10 not surely loaded


def test_hourly_lines_sum_desktop_and_mobile_and_zero_absent_articles():
    raw = RawResponse(
        "GET", "https://dumps.wikimedia.org/…", 200,
        fixture_text("wikipedia/pageviews-hourly.sample.txt"), NOW,
        {"kind": "hourly", "hour": "2025-08-11T10:00:00+00:00", "project": "en.wikipedia",
         "articles": {"Wednesday_(TV_series)": [1], "Squid_Game": [2], "Ginny_&_Georgia": [3]}},
    )  # fmt: skip
    values = {i.show_id: i.value for i in hourly(raw)}
    assert values == {1: 2211 + 5320, 2: 3456 + 8700, 3: 0}


def test_a_malformed_hourly_line_is_a_clear_error():
    raw = RawResponse(
        "GET", "u", 200, "en Wednesday_(TV_series) many 0", NOW,
        {"kind": "hourly", "hour": "2025-08-11T10:00:00+00:00", "project": "en.wikipedia",
         "articles": {"Wednesday_(TV_series)": [1]}},
    )  # fmt: skip
    with pytest.raises(MalformedResponse, match="line 1"):
        hourly(raw)


def test_hourly_mode_streams_the_dumps_since_the_last_hour_it_stored(run_source, fake_upstream):
    show, _ = watchlist_add(title="Wednesday", wikipedia="Wednesday_(TV_series)")
    run = run_source("wikipedia", now=NOW, hourly=True)
    assert run.status == "ok", run.error
    rows = Snapshot.objects.filter(show=show, period="hour").order_by("observed_at")
    assert [r.observed_at.hour for r in rows] == [8, 9, 10]  # 3 files, up to the last complete hour
    assert {r.value for r in rows} == {7531.0}
    stored = fake_upstream.requests_to(r"pageviews-20250811-")
    assert len(stored) == 3
    # Only the lines of watched articles are kept as the raw body, not the 50 MB file.
    raw_bodies = [e.body for e in run.raw_events.filter(url__contains="pageviews-")]
    assert all(b.count("\n") <= 1 for b in raw_bodies)
    later = run_source("wikipedia", now=NOW.replace(hour=14), hourly=True)
    assert later.created == 3  # hours 11, 12, 13: continues where it stopped


def test_an_unpublished_dump_ends_the_hourly_run_quietly(run_source, fake_upstream):
    watchlist_add(title="Wednesday", wikipedia="Wednesday_(TV_series)")
    fake_upstream.queue(r"pageviews-20250811-08", Reply(404, "Not Found", content_type="text/html"))
    run = run_source("wikipedia", now=NOW, hourly=True)
    assert run.status == "ok" and run.items == 0


def test_backfill_loads_an_articles_history_by_year_and_a_second_run_adds_nothing(
    fake_upstream, sources_ready, redis_conn
):
    from sources.pipeline.backfill import source_backfill

    show, _ = watchlist_add(title="Wednesday", wikipedia="Wednesday_(TV_series)")
    first = source_backfill("wikipedia", show={"id": show.id}, since=datetime(2025, 1, 1).date())
    daily = Snapshot.objects.filter(show=show, period="day")
    # The fake answers each window with the fixture's ten days moved to the window's end; days before
    # them in the window are true zeros (the API omits zero days).
    assert first.windows == 2 and first.created == daily.count() > 10
    assert daily.filter(value__gt=0).count() == 20
    again = source_backfill("wikipedia", show={"id": show.id}, since=datetime(2025, 1, 1).date())
    assert again.created == again.updated == 0


def test_backfill_windows_before_an_article_existed_are_not_errors(fake_upstream, sources_ready, redis_conn):
    from sources.pipeline.backfill import source_backfill

    show, _ = watchlist_add(title="Wednesday", wikipedia="Wednesday_(TV_series)")
    fake_upstream.queue(r"/per-article/", Reply(404, fixture_text("wikipedia/error_404_no_data.json")))
    totals = source_backfill("wikipedia", show={"id": show.id}, since=datetime(2024, 1, 1).date())
    assert [r.status for r in totals.runs] == ["ok", "ok", "ok"]
