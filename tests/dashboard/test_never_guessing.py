"""Pages never leave a user guessing: empty panels name their cause, errors lead with the root cause and
are not cut mid-word, runs say what kind they are, and the frame (nav, favicon, 404, /api/, demo) is whole."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import requests
from django.utils import timezone

from core import http
from dashboard.templatetags.board import clip
from sources.base import SourceError
from sources.models import FetchRun, Source


def test_an_empty_panel_names_a_failing_source_since_when_and_its_root_cause(client, sources_ready, public):
    kalshi = Source.objects.get(key="kalshi")
    error = (
        "temporary: DNS lookup of api.elections.kalshi.com failed (no network, or a wrong host): https://x"
    )
    first = FetchRun.objects.create(source=kalshi, status=FetchRun.Status.FAILED, error=error)
    FetchRun.objects.filter(pk=first.pk).update(started_at=timezone.now() - timedelta(hours=2))
    FetchRun.objects.create(source=kalshi, status=FetchRun.Status.FAILED, error=error)
    Source.objects.filter(key="kalshi").update(
        consecutive_failures=3, last_error=error, last_run_at=timezone.now()
    )
    html = client.get("/").content.decode()
    since = timezone.localtime(timezone.now() - timedelta(hours=2))
    assert (
        f"No open Netflix market is stored: Kalshi markets has failed since {since:%H:%M} UTC: "
        "DNS lookup of api.elections.kalshi.com failed"
    ) in html


def test_an_empty_panel_names_missing_credentials(client, sources_ready, public, monkeypatch):
    monkeypatch.delenv("YOUTUBE_API_KEY", raising=False)
    html = client.get("/sources").content.decode()
    assert "No run: YouTube trailers needs YOUTUBE_API_KEY; set them and restart." in html


def test_connection_errors_lead_with_the_root_cause_before_the_url(settings):
    session = http.make_session(retries=0)
    with pytest.raises(SourceError) as refused:
        http.get(session, "http://127.0.0.1:9/trade-api/v2/markets")
    assert str(refused.value).startswith("connection refused by 127.0.0.1:9")
    assert str(refused.value).endswith(": http://127.0.0.1:9/trade-api/v2/markets")


def test_a_failed_name_lookup_is_named_as_such(monkeypatch):
    from urllib3.exceptions import MaxRetryError, NameResolutionError

    reason = NameResolutionError("api.elections.kalshi.com", None, OSError("Name or service not known"))
    exc = requests.ConnectionError(MaxRetryError(None, "/", reason))
    cause = http.connection_cause(exc, "https://api.elections.kalshi.com/trade-api/v2/markets")
    assert cause.startswith("DNS lookup of api.elections.kalshi.com failed")


def test_long_errors_are_cut_at_a_word_boundary():
    text = "connection refused by 127.0.0.1:9 (nothing listens there): " + "word " * 60
    cut = clip(text, 80)
    assert len(cut) <= 80 and cut.endswith("…")
    assert cut[:-1].rstrip().endswith(("word", "there):"))


def test_sources_tells_backfill_and_skipped_runs_apart_from_errors(client, sources_ready, public):
    tudum = Source.objects.get(key="tudum")
    FetchRun.objects.create(source=tudum, status=FetchRun.Status.OK, backfill=True)
    FetchRun.objects.create(
        source=tudum, status=FetchRun.Status.SKIPPED, error="another run of this source is still in progress"
    )
    html = client.get("/sources").content.decode()
    assert 'class="run-ok run-backfill"' in html and '<span class="tag">backfill</span>' in html
    assert 'class="muted note"' in html and "skipped: another run" in html
    assert 'class="error note"' not in html


def test_the_board_and_sources_colour_health_alike(client, sources_ready, public):
    Source.objects.filter(key="kalshi").update(consecutive_failures=3, last_error="x")
    board = client.get("/").content.decode()
    sources = client.get("/sources").content.decode()
    assert 'class="card health-failing tone-bad" id="source-kalshi"' in board
    assert 'class="source health-failing tone-bad" id="details-kalshi"' in sources


def test_pages_mark_the_current_nav_item_and_carry_a_favicon(client, sources_ready, public):
    for path, label in (("/", "Board"), ("/watchlist", "Watchlist"), ("/sources", "Sources")):
        html = client.get(path).content.decode()
        assert f'aria-current="page">{label}</a>' in html, path
        assert html.count('aria-current="page">') == 1
        assert 'rel="icon"' in html


def test_an_unknown_page_is_a_styled_404_with_the_nav(client, sources_ready, public):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html and "/no/such/page" in html and 'aria-label="Main"' in html
    assert "Resolver404" not in html


def test_the_api_root_lists_the_collections(client, sources_ready, public):
    data = client.get("/api/", HTTP_ACCEPT="application/json").json()
    assert data["sources"]["url"].endswith("/api/sources")
    assert {"shows", "watchlist", "snapshots", "forecastMarkets", "stream", "docs"} <= set(data)
    assert "Api Root" in client.get("/api/", HTTP_ACCEPT="text/html").content.decode()


def test_the_demo_labels_every_page(client, sources_ready, public, settings):
    settings.KP_DEMO = True
    for path in ("/", "/watchlist", "/sources", "/forecasts/", "/no/such/page"):
        assert "Demo data" in client.get(path).content.decode(), path
    settings.KP_DEMO = False
    assert "Demo data" not in client.get("/").content.decode()


def test_the_board_and_sources_say_the_same_next_run(client, sources_ready, public, monkeypatch):
    monkeypatch.delenv("X_BEARER_TOKEN", raising=False)
    board = client.get("/").content.decode()
    sources = client.get("/sources").content.decode()
    for html in (board, sources):
        assert re.search(r'id="(source|details)-x".*?class="next">once credentials are set', html, re.S)
    wiki = re.compile(r'id="(?:source|details)-wikipedia".*?class="next"><time datetime="([^"]+)"', re.S)
    assert wiki.search(board)[1][:16] == wiki.search(sources)[1][:16]


def test_the_show_page_says_when_each_week_first_appeared_and_flags_a_correction(
    client, sources_ready, public
):
    from sources.models import SnapshotRevision
    from tests.factories import snapshot, watched_show

    show = watched_show("Wednesday")
    monday = datetime(2025, 8, 4, tzinfo=UTC)
    row = snapshot(show, "tudum", "rank", 2, monday, scope="tv_english", period="week")
    first = datetime(2025, 8, 12, 19, 2, tzinfo=UTC)
    SnapshotRevision.objects.create(
        snapshot=row, value=1, fetched_at=first, superseded_at=first + timedelta(days=1)
    )
    html = client.get(f"/shows/{show.id}").content.decode()
    assert '<tr class="corrected">' in html
    assert f'<time datetime="{first.isoformat()}">Aug 12 19:02</time>' in html
    assert "corrected later" in html
