"""The FlixPatrol runner through the real pipeline against the fake upstream."""

import base64
import json
from datetime import UTC, datetime

import pytest

from shows.models import Show
from sources.flixpatrol import fake
from sources.flixpatrol.config import DEFAULT_COUNTRIES, parse_countries
from sources.models import FetchRun, RawEvent, Snapshot, Source
from tests.fakeupstream import Reply

NOW = datetime(2025, 8, 8, 12, tzinfo=UTC)  # yesterday's chart is the fixtures' 2025-08-07
DAY = datetime(2025, 8, 7, tzinfo=UTC)
ANY_PAGE = r"^/top10/netflix/"


@pytest.fixture(autouse=True)
def _one_country_no_pause(settings):
    settings.FLIXPATROL_COUNTRIES = (("US", "united-states"),)
    settings.FLIXPATROL_PAGE_DELAY_SECONDS = 0
    settings.FLIXPATROL_BACKEND = "http"


@pytest.fixture
def run_flixpatrol(run_source):
    return lambda: run_source("flixpatrol", now=NOW)


def rows():
    return sorted(
        Snapshot.objects.values_list("show__title", "metric", "scope", "observed_at", "value"),
        key=lambda r: (r[0], r[1], r[2]),
    )


def value(title, metric, scope):
    return Snapshot.objects.get(show__title=title, metric=metric, scope=scope, period="day").value


def test_a_run_stores_world_ranks_and_points_and_country_ranks_of_yesterday(run_flixpatrol, fake_upstream):
    run = run_flixpatrol()
    assert run.status == FetchRun.Status.OK, run.error
    assert (run.items, run.created) == (16, 16)  # world: 6 ranks + 6 points; US: 4 ranks
    assert [s.path for s in fake_upstream.requests_to(ANY_PAGE)] == [
        "/top10/netflix/world/2025-08-07/",
        "/top10/netflix/united-states/2025-08-07/",
    ]
    assert value("Wednesday", "rank", "world") == 1
    assert value("Wednesday", "points", "world") == 901
    assert value("Untamed", "rank", "US") == 2
    assert not Snapshot.objects.filter(scope="US", metric="points").exists()
    assert set(Snapshot.objects.values_list("observed_at", flat=True)) == {DAY}
    row = Snapshot.objects.get(show__title="Wednesday", metric="rank", scope="world")
    assert row.attrs["title_slug"] == "wednesday-2022" and row.attrs["list"] == "tv"
    # Unseen titles become shows, films as films, and not on the watchlist.
    assert Show.objects.get(title="KPop Demon Hunters").kind == "film"
    assert not Show.objects.filter(on_watchlist=True).exists()
    assert RawEvent.objects.filter(run=run, status=200).count() == 2


def test_rerun_changes_nothing(run_flixpatrol):
    run_flixpatrol()
    before = rows()
    second = run_flixpatrol()
    assert rows() == before
    assert (second.created, second.updated, second.unchanged) == (0, 0, 16)
    assert Show.objects.count() == 6


def test_a_cloudflare_challenge_on_every_page_holds_the_source_naming_the_fix(run_flixpatrol, fake_upstream):
    run_flixpatrol()
    before = rows()
    fake_upstream.route(ANY_PAGE, fake.challenge())
    run = run_flixpatrol()
    assert run.status == FetchRun.Status.FAILED
    assert run.error.startswith("permanent: FlixPatrol refuses non-browser clients: install chromium")
    assert rows() == before
    assert RawEvent.objects.filter(run=run, body__contains="Just a moment").count() == 2
    assert Source.objects.get(key="flixpatrol").health == Source.Health.HELD


def test_an_empty_page_fails_the_run_instead_of_storing_an_empty_chart(run_flixpatrol, fake_upstream):
    fake_upstream.route(ANY_PAGE, Reply(200, "<html><body></body></html>", content_type="text/html"))
    run = run_flixpatrol()
    assert run.status == FetchRun.Status.FAILED
    assert "markup changed or blocked" in run.error and "no chart rows found" in run.error
    assert Snapshot.objects.count() == 0


def test_one_blocked_country_makes_a_partial_run_and_keeps_the_world_chart(run_flixpatrol, fake_upstream):
    fake_upstream.route(r"^/top10/netflix/united-states/", fake.challenge())
    run = run_flixpatrol()
    assert run.status == FetchRun.Status.PARTIAL
    assert run.error.startswith("US: markup changed or blocked")
    assert Snapshot.objects.filter(scope="world").count() == 12
    assert not Snapshot.objects.filter(scope="US").exists()


def test_flaresolverr_backend_asks_the_relay_for_each_page(run_flixpatrol, fake_upstream, settings):
    settings.FLIXPATROL_BACKEND = "flaresolverr"
    settings.FLARESOLVERR_URL = fake_upstream.url
    fake_upstream.queue(
        fake.FLARESOLVERR,
        fake.flaresolverr_solution(fake.page("top10-netflix-world.excerpt.html").body),
        fake.flaresolverr_solution(fake.page("top10-netflix-united-states.excerpt.html").body),
    )
    run = run_flixpatrol()
    assert run.status == FetchRun.Status.OK, run.error
    asked = [json.loads(s.body) for s in fake_upstream.requests_to(fake.FLARESOLVERR)]
    assert [a["cmd"] for a in asked] == ["request.get", "request.get"]
    assert asked[0]["url"] == f"{fake_upstream.url}/top10/netflix/world/2025-08-07/"
    assert asked[0]["maxTimeout"] == 60000
    assert not fake_upstream.requests_to(ANY_PAGE)  # pages only through the relay
    assert value("Wednesday", "points", "world") == 901
    # The relay's clearance cookies are not kept with the raw page.
    assert not RawEvent.objects.filter(run=run, body__contains="cf_clearance").exists()


def test_flaresolverr_failing_to_solve_fails_the_run_with_its_message(
    run_flixpatrol, fake_upstream, settings
):
    settings.FLIXPATROL_BACKEND = "flaresolverr"
    settings.FLARESOLVERR_URL = fake_upstream.url
    fake_upstream.route(
        fake.FLARESOLVERR, fake.flaresolverr_error("Error solving the challenge. Timeout after 60.0 seconds.")
    )
    run = run_flixpatrol()
    assert run.status == FetchRun.Status.FAILED
    assert "FlareSolverr: Error solving the challenge" in run.error
    assert len(fake_upstream.requests_to(fake.FLARESOLVERR)) == 2  # one per page, no retries


@pytest.fixture
def api_backend(fake_upstream, monkeypatch, settings):
    settings.FLIXPATROL_BACKEND = "api"
    settings.FLIXPATROL_API_BASE_URL = fake_upstream.url
    monkeypatch.setenv("FLIXPATROL_API_KEY", "k3y")  # a credential: read where it is used


def test_api_backend_reads_top10s_with_the_key_as_basic_auth_user(run_flixpatrol, fake_upstream, api_backend):
    run = run_flixpatrol()
    assert run.status == FetchRun.Status.OK, run.error
    (seen,) = fake_upstream.requests_to(r"^/v2/top10s\?")
    assert seen.headers["Authorization"] == "Basic " + base64.b64encode(b"k3y:").decode()
    assert "country%5Beq%5D=cnt_iMUHNbZvnNHK5YdhgwtOoP4u" in seen.path
    assert "date%5Bfrom%5D%5Bgte%5D=2025-08-07" in seen.path
    assert value("Wednesday", "rank", "US") == 1
    assert not RawEvent.objects.filter(body__contains="k3y").exists()


def test_api_backend_refused_key_fails_permanently(run_flixpatrol, fake_upstream, api_backend):
    fake_upstream.route(fake.API_TOP10S, Reply(401, '{"error": "Unauthorized"}'))
    run = run_flixpatrol()
    assert run.status == FetchRun.Status.FAILED
    assert run.error.startswith("permanent: FlixPatrol API refused the key (HTTP 401)")


def test_api_backend_without_a_key_fails_permanently_and_asks_for_it(run_flixpatrol, monkeypatch, settings):
    settings.FLIXPATROL_BACKEND = "api"
    monkeypatch.delenv("FLIXPATROL_API_KEY", raising=False)
    run = run_flixpatrol()
    assert run.status == FetchRun.Status.FAILED
    assert "needs FLIXPATROL_API_KEY" in run.error


def test_a_country_given_with_its_slug_is_fetched(run_flixpatrol, fake_upstream, settings):
    settings.FLIXPATROL_COUNTRIES = (("PT", "portugal"),)
    assert run_flixpatrol().status == FetchRun.Status.OK
    assert fake_upstream.requests_to(r"^/top10/netflix/portugal/2025-08-07/$")
    assert Snapshot.objects.filter(scope="PT").count() == 4


def test_default_countries_cover_the_nine_markets(run_flixpatrol, fake_upstream, settings):
    settings.FLIXPATROL_COUNTRIES = parse_countries(DEFAULT_COUNTRIES)
    assert run_flixpatrol().status == FetchRun.Status.OK
    assert len(fake_upstream.requests_to(ANY_PAGE)) == 10
    assert set(Snapshot.objects.values_list("scope", flat=True)) == {
        "world", "US", "GB", "DE", "FR", "BR", "MX", "KR", "JP", "IN",
    }  # fmt: skip


def test_a_backfill_date_fetches_that_days_charts(run_source, fake_upstream):
    run = run_source("flixpatrol", now=NOW, date="2025-08-01")
    assert run.status == FetchRun.Status.OK, run.error
    assert fake_upstream.requests_to(r"^/top10/netflix/world/2025-08-01/$")
    assert set(Snapshot.objects.values_list("observed_at", flat=True)) == {datetime(2025, 8, 1, tzinfo=UTC)}
