"""A market's price over time beside our probability over time: pure lines and chart on hand-made
rows, then through the real Kalshi pipeline and fixtures (quotes, hourly candles, settlement)."""

import json
from datetime import UTC, datetime, timedelta

import pytest

from forecasts.markets import price_history
from forecasts.markets.comparisons import comparisons_update
from forecasts.markets.price_history import chart_of, market_history, market_lines
from sources.models import Market
from tests.fakeupstream import Reply
from tests.forecasts.test_market_comparison import (  # noqa: F401 - fixtures
    CLOSE,
    LIT,
    NOW,
    _one_series,
    moved_prices,
    run_kalshi,
    settle,
    shows,
    store_predictions,
)

T0 = datetime(2026, 7, 20, 12, tzinfo=UTC)


def test_a_run_with_both_quotes_is_their_mid_else_its_last_trade():
    rows = [
        ("yes_bid", "instant", T0, 0.40),
        ("yes_ask", "instant", T0, 0.44),
        ("last_price", "instant", T0, 0.41),
        ("last_price", "instant", T0 + timedelta(hours=1), 0.47),  # one-sided book: no mid
        ("last_price", "hour", T0 - timedelta(hours=3), 0.30),
        ("volume", "hour", T0 - timedelta(hours=3), 12.0),
    ]
    lines = market_lines(rows, close_time=None)
    assert lines["mid"] == [(T0, pytest.approx(0.42)), (T0 + timedelta(hours=1), 0.47)]
    # A candle is drawn at the end of its hour: its close is the last trade by then.
    assert lines["trade"] == [(T0 - timedelta(hours=2), 0.30)]


def test_nothing_after_the_close_is_drawn():
    rows = [("last_price", "instant", T0, 0.5), ("last_price", "instant", T0 + timedelta(days=1), 1.0)]
    assert market_lines(rows, close_time=T0 + timedelta(hours=1))["mid"] == [(T0, 0.5)]


def test_long_histories_are_thinned_keeping_the_newest(monkeypatch):
    monkeypatch.setattr(price_history, "MAX_POINTS", 10)
    rows = [("last_price", "instant", T0 + timedelta(minutes=i), i / 1000) for i in range(95)]
    mid = market_lines(rows, close_time=None)["mid"]
    assert len(mid) == 10 and mid[-1] == (T0 + timedelta(minutes=94), 0.094) and mid[0][0] == T0


def test_the_chart_aligns_the_lines_on_one_time_axis_with_gaps():
    lines = {
        "mid": [(T0, 0.42), (T0 + timedelta(hours=2), 0.5)],
        "trade": [],
        "ours": [(T0 + timedelta(hours=1), 0.3)],
    }
    chart = chart_of(lines)
    t = int(T0.timestamp())
    assert chart["x"] == [t, t + 3600, t + 7200]
    assert chart["labels"] == ["market: mid of bid and ask", "ours"]  # the empty line is left out
    assert chart["lines"] == [[0.42, None, 0.5], [None, 0.3, None]]
    assert chart["span"] == [t, t + 7200] and chart["points"] == 3


def test_a_lone_point_gets_a_span_around_it():
    t = int(T0.timestamp())
    assert chart_of({"ours": [(T0, 0.3)]})["span"] == [t - 3600, t + 3600]


@pytest.fixture
def traded(run_source, fake_upstream, shows):  # noqa: F811
    """Quotes at NOW (0.71/0.74) and half an hour before the close (0.97/0.99), predictions made an
    hour before NOW (0.5) and at the late quote (0.95), then settlement (candles, 0/1 quotes)."""
    run_kalshi(run_source, NOW)
    store_predictions(shows, made_at=NOW - timedelta(hours=1))
    late = CLOSE - timedelta(minutes=30)
    fake_upstream.queue(r"^/trade-api/v2/markets$", Reply(200, moved_prices("0.9700", "0.9900")))
    run_kalshi(run_source, late)
    store_predictions(shows, made_at=late, ours={"Little House on the Prairie": 0.95})
    settle(run_source, fake_upstream)
    comparisons_update(now=NOW + timedelta(days=2))
    return late


def test_a_settled_market_has_its_quotes_candles_and_our_batches_until_the_close(traded):
    h = market_history(market=Market.objects.get(ticker=LIT))
    assert h["market"]["mid"] == [(NOW, pytest.approx(0.725)), (traded, pytest.approx(0.98))]
    # The fixture's hourly candles: trades closing 0.68 and 0.73, the empty hour between has none.
    assert [v for _, v in h["market"]["trade"]] == [0.68, 0.73]
    assert all(t <= CLOSE for t, _ in h["market"]["trade"])
    assert h["ours"] == [(NOW - timedelta(hours=1), 0.5), (traded, 0.95)]
    assert h["chart"]["points"] == 6 and len(h["chart"]["labels"]) == 3


def test_an_outcome_we_have_no_candidate_for_gets_its_share_of_a_new_show_over_time(traded):
    h = market_history(market=Market.objects.get(ticker="KXNETFLIXRANKSHOW-26JUL20-THE"))
    # 0.2 for "a show not yet seen" split between the listed outcomes that are none of ours: two in
    # the first batch, three in the late one (it had no candidate for I Will Find You either).
    assert [p for _, p in h["ours"]] == [pytest.approx(0.2 / 2), pytest.approx(0.2 / 3)]


def test_the_api_serves_the_history_and_404s_an_unknown_market(traded, client, settings):
    settings.KP_PUBLIC_READ = True
    data = client.get(f"/api/forecasts/markets/{LIT}/history").json()
    assert data["ticker"] == LIT and data["closeTime"] == "2026-07-21T03:59:00Z"
    assert [p["p"] for p in data["market"]["mid"]] == [pytest.approx(0.725), pytest.approx(0.98)]
    assert [p["p"] for p in data["ours"]] == [0.5, 0.95]
    assert data["ours"][0]["at"] == "2026-07-20T13:30:00Z"
    assert client.get("/api/forecasts/markets/NOPE-1/history").status_code == 404


def test_the_fragment_carries_the_chart_data_for_charts_js(traded, client, settings):
    settings.KP_PUBLIC_READ = True
    html = client.get(f"/forecasts/fragments/history/{LIT}").content.decode()
    assert 'class="chart price-history-chart"' in html and 'data-points="6"' in html
    payload = html.split('<script type="application/json">', 1)[1].split("</script>", 1)[0]
    data = json.loads(payload)
    assert data["labels"][-1] == "ours" and len(data["x"]) == len(data["lines"][0])
    assert client.get("/forecasts/fragments/history/NOPE-1").status_code == 404


def test_each_market_row_and_the_show_page_link_their_price_history(
    run_source,
    shows,  # noqa: F811
    client,
    settings,
):
    settings.KP_PUBLIC_READ = True
    run_kalshi(run_source, NOW)
    store_predictions(shows, made_at=NOW - timedelta(hours=1))
    comparisons_update(now=NOW + timedelta(minutes=1))
    page = client.get("/forecasts/").content.decode()
    assert f'hx-get="/forecasts/fragments/history/{LIT}"' in page and "js/charts.js" in page
    show = Market.objects.get(ticker=LIT).show
    show_page = client.get(f"/shows/{show.pk}").content.decode()
    assert f'hx-get="/forecasts/fragments/history/{LIT}"' in show_page


def test_a_market_with_nothing_stored_says_why(client, settings, db):
    settings.KP_PUBLIC_READ = True
    Market.objects.create(ticker="KXNETFLIXRANKSHOW-26AUG03-NEW", series="KXNETFLIXRANKSHOW")
    html = client.get("/forecasts/fragments/history/KXNETFLIXRANKSHOW-26AUG03-NEW").content.decode()
    assert "No price and no prediction stored" in html
