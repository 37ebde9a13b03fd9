"""A market's price history opens on its row of /forecasts and on the show page, and uPlot draws the
stored points (market mid and our probability) within the viewport, in a real browser."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from forecasts.markets.comparisons import comparisons_update
from sources.models import Market
from tests.forecasts.test_market_comparison import (  # noqa: F401 - fixtures
    LIT,
    NOW,
    SETTLED,
    run_kalshi,
    settle,
    shows,
    store_predictions,
)

pytestmark = [pytest.mark.browser, pytest.mark.processes]


@pytest.fixture
def compared(shows, run_source, settings):  # noqa: F811 - shows first, so the markets link to them
    """The fixture's open markets quoted on the Monday before their close, two prediction batches."""
    settings.KALSHI_SERIES = ["KXNETFLIXRANKSHOW"]
    run_kalshi(run_source, NOW)
    store_predictions(shows, made_at=NOW - timedelta(hours=1))
    store_predictions(shows, made_at=NOW + timedelta(hours=1), ours={"Little House on the Prairie": 0.6})
    comparisons_update(now=NOW + timedelta(hours=2))
    return Market.objects.get(ticker=LIT)


def open_chart(page, scope):
    details = scope.locator(f"#history-{LIT.lower()}")
    details.locator("summary").click()
    figure = details.locator("figure.price-history-chart")
    expect(figure).to_have_attribute("data-drawn", "3")  # one quote, two prediction batches
    expect(figure.locator("canvas")).to_be_visible()
    return figure


@pytest.mark.parametrize("width", [390, 1400])
def test_the_price_chart_draws_on_the_market_row(web, page, compared, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(web + "/forecasts/")
    row = page.locator(f'tr[data-ticker="{LIT}"] + tr.history-row')
    figure = open_chart(page, row)
    expect(figure.locator(".u-legend")).to_contain_text("ours")
    # Ticks in percent, the page's one unit (the axis is drawn on a canvas: its formatter is asked).
    ticks = figure.evaluate("f => f._plot.axes[1].values(f._plot, [0.25, 0.5, 0.725])")
    assert ticks == ["25%", "50%", "72.5%"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_the_price_chart_draws_on_the_show_page(web, page, compared):
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(f"{web}/shows/{compared.show_id}")
    open_chart(page, page.locator("section[aria-labelledby=kalshi-title]"))


def test_the_reliability_chart_draws_once_markets_are_scored(web, page, compared, run_source, fake_upstream):
    settle(run_source, fake_upstream)
    comparisons_update(now=SETTLED)
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto(web + "/forecasts/")
    figure = page.locator("figure.reliability")
    expect(figure).to_have_attribute("data-drawn", re.compile(r"^[1-9]\d*$"))
    expect(figure.locator("canvas")).to_be_visible()
    assert figure.evaluate("f => f._plot.axes[0].values(f._plot, [0, 0.5, 1])") == ["0%", "50%", "100%"]
    expect(page.locator("tr.track-record-overall")).to_contain_text("All series")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
