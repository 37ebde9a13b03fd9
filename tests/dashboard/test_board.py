from shows.models import Show
from sources.models import Market, Source
from tests.dashboard.queries import queries_for
from tests.factories import HOSTILE, flixpatrol_ranks, open_market, show_with_signals, watched_show


def test_the_board_lists_the_ten_sources_with_health_and_schedule(client, sources_ready, settings):
    settings.KP_PUBLIC_READ = True
    html = client.get("/").content.decode()
    assert html.count('class="card ') == 10
    assert "Wikipedia pageviews" in html and "every 60 minutes" in html
    assert 'sse-connect="/api/stream"' in html


def _panel(client, name: str):
    """What htmx gets when a live panel of the board (the element of that id) re-fetches the board."""
    return client.get("/", headers={"HX-Request": "true", "HX-Target": name})


def test_the_cards_fragment_is_what_the_board_refetches(client, sources_ready, settings):
    settings.KP_PUBLIC_READ = True
    response = _panel(client, "source-cards")
    html = response.content.decode()
    assert html.count('class="card ') == 10 and "<html" not in html
    assert "HX-Request" in response["Vary"]


def test_each_live_panel_refetches_only_its_partial_of_the_board(client, sources_ready, public):
    html = client.get("/").content.decode()
    assert html.count('hx-get="/"') == 4
    assert "<html" not in _panel(client, "markets").content.decode()
    assert "No Tudum history" in _panel(client, "publications").content.decode()


def test_htmx_history_restore_and_unknown_targets_get_the_whole_board(client, sources_ready, public):
    restore = {"HX-Request": "true", "HX-History-Restore-Request": "true", "HX-Target": "markets"}
    assert "<html" in client.get("/", headers=restore).content.decode()
    assert "<html" in _panel(client, "nothing-of-ours").content.decode()


def test_the_board_follows_the_public_read_setting(client, admin_client, sources_ready, settings):
    settings.KP_PUBLIC_READ = False
    response = client.get("/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert admin_client.get("/").status_code == 200


def test_hostile_upstream_text_renders_as_text(client, sources_ready, settings):
    settings.KP_PUBLIC_READ = True
    Source.objects.filter(key="wikipedia").update(
        last_error='<script>alert(1)</script>"><img src=x onerror=alert(2)>'
    )
    html = client.get("/").content.decode()
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def _stored_board(n_shows: int) -> None:
    for n in range(n_shows):
        show = show_with_signals(f"Show {n}")
        open_market(show, f"KXNETFLIXRANKSHOW-26X-S{n}", f"Show {n}: Season 1", 0.01 * (n + 1))
        flixpatrol_ranks(show, [n + 1, n + 1])


def test_the_board_shows_open_markets_with_leaders_by_price_and_close_countdown(
    client, sources_ready, public
):
    a, b = watched_show("Wednesday"), watched_show("Squid Game")
    open_market(a, "KXNETFLIXRANKSHOW-26X-WED", "Wednesday: Season 2", 0.61)
    open_market(b, "KXNETFLIXRANKSHOW-26X-SQU", "Squid Game: Season 3", 0.27)
    html = client.get("/").content.decode()
    assert html.index("Wednesday: Season 2") < html.index("Squid Game: Season 3")
    assert "61%" in html and "27%" in html  # one unit with /forecasts
    assert "Close time: <time" in html and "in 1\xa0day" in html


def test_the_board_shows_the_flixpatrol_week_of_the_leaders(client, sources_ready, public):
    flixpatrol_ranks(watched_show("Wednesday"), [3, 1])
    html = _panel(client, "flixpatrol").content.decode()
    assert "TV: daily rank" in html and "Wednesday" in html
    assert '<td class="leader">1</td>' in html


def test_the_board_says_so_when_nothing_is_stored(client, sources_ready, public):
    html = client.get("/").content.decode()
    # Never run: each empty panel names what is missing and what fills it.
    assert "No open Netflix market is stored yet: the first Kalshi run stores them." in html
    assert "No FlixPatrol chart of the last two weeks is stored yet" in html
    assert "No Tudum history yet: the first run loads it." in html


def test_cards_show_the_next_run_and_missing_credential_names(client, sources_ready, public, monkeypatch):
    monkeypatch.delenv("X_BEARER_TOKEN", raising=False)
    html = _panel(client, "source-cards").content.decode()
    assert 'class="next"><time' in html and "once credentials are set" in html
    assert "Set X_BEARER_TOKEN" in html


def test_the_board_query_count_does_not_grow_with_watched_shows(
    client, sources_ready, public, django_assert_num_queries
):
    _stored_board(2)
    with_two = queries_for(client, "/")
    Show.objects.all().delete()
    Market.objects.all().delete()
    _stored_board(20)
    with django_assert_num_queries(with_two):
        html = client.get("/").content.decode()
    assert "Show 19" in html


def test_hostile_titles_render_as_text_on_the_board(client, sources_ready, public):
    show = watched_show(HOSTILE)
    open_market(show, "KXNETFLIXRANKSHOW-26X-HOS", HOSTILE, 0.5)
    flixpatrol_ranks(show, [1])
    html = client.get("/").content.decode()
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert (
        html.count("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(2)&gt;") == 2
    )


def test_every_page_follows_the_public_read_setting(client, sources_ready, settings):
    settings.KP_PUBLIC_READ = False
    show = watched_show("Wednesday")
    for path in (
        "/watchlist",
        f"/shows/{show.id}",
        "/sources",
        "/",
        "/forecasts/",
    ):
        # A page and the partial htmx re-fetches from its URL alike.
        for headers in ({}, {"HX-Request": "true", "HX-Target": "markets"}):
            response = client.get(path, headers=headers)
            assert response.status_code == 302 and "/admin/login/" in response["Location"], (path, headers)


def test_a_show_page_shows_its_forecast_with_the_views_interval(client, sources_ready, settings):
    from datetime import date

    from django.utils import timezone

    from forecasts.models import Prediction
    from shows.models import Show

    settings.KP_PUBLIC_READ = True
    show = Show.objects.create(title="Wednesday", season="Season 2", on_watchlist=True)
    Prediction.objects.create(
        list_name="TV (English)", week=date(2025, 8, 10), mode="nowcast", show=show,
        title="Wednesday: Season 2", p_rank1=0.62, p_rank2=0.2, predicted_views=12_300_000,
        views_low=9_000_000, views_high=15_000_000, model_version="test-1", made_at=timezone.now(),
    )  # fmt: skip
    html = client.get(f"/shows/{show.id}").content.decode()
    assert "Forecast" in html and "0.62" in html and "TV (English)" in html
    assert "12.3M" in html and "9.0M" in html and "15.0M" in html


def test_the_board_puts_our_probability_beside_the_market_price(client, sources_ready, settings):
    from datetime import date, timedelta

    from django.utils import timezone

    from forecasts.models import MarketComparison
    from sources.models import Market

    settings.KP_PUBLIC_READ = True
    market = Market.objects.create(
        ticker="KXNETFLIXRANKSHOW-26DEC07-WED", series="KXNETFLIXRANKSHOW",
        event_ticker="KXNETFLIXRANKSHOW-26DEC07", title="Top US Netflix Show on Dec 7, 2026?",
        outcome="Wednesday: Season 3", status="active", close_time=timezone.now() + timedelta(days=2),
    )  # fmt: skip
    MarketComparison.objects.create(
        market=market, series=market.series, list_name="US TV", rank=1, week=date(2026, 12, 6),
        ours=0.41, market_price=0.3, as_of=timezone.now(),
    )  # fmt: skip
    html = client.get("/").content.decode()
    assert "Wednesday: Season 3" in html and "ours 41%" in html


def test_the_board_prices_an_outcome_as_the_comparisons_do():
    import pytest

    from dashboard.selectors.board import _yes_price

    # a two-sided quote: its middle, even when an older trade exists
    assert _yes_price({"yes_bid": 0.71, "yes_ask": 0.74, "last_price": 0.5}) == pytest.approx(0.725)
    # nobody bids (Kalshi says 0): the last trade, not ask / 2
    assert _yes_price({"yes_bid": 0.0, "yes_ask": 0.74, "last_price": 0.74}) == 0.74
    assert _yes_price({"yes_bid": 0.0, "yes_ask": 1.0}) is None
