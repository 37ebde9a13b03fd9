"""The board in a real browser: ten source cards that change without a reload when a run lands."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.processes]


def test_a_run_changes_its_card_without_a_reload(web, page, run_source, watched, settings):
    settings.WIKIPEDIA_DAYS = 3
    page.goto(web + "/")
    expect(page.locator(".card")).to_have_count(10)
    card = page.locator("#source-wikipedia")
    expect(card).to_have_attribute("data-health", "never_run")
    expect(page.locator("#live")).to_have_text("live")
    page.evaluate("window.notReloaded = true")

    assert run_source("wikipedia").status == "ok"

    expect(card).to_have_attribute("data-health", "ok", timeout=15000)
    expect(card.locator(".updated")).to_have_text("just now")
    expect(card.locator(".counts")).to_contain_text("3 values")
    assert page.evaluate("window.notReloaded") is True


def test_the_board_loads_with_stored_markets_and_the_flixpatrol_week(web, page, stored_data):
    page.goto(web + "/")
    market = page.locator("#markets .market").first
    expect(market.locator(".outcomes li")).to_have_count(4)
    expect(market.locator(".outcomes li").first).to_contain_text("Little House on the Prairie")
    # the mid of the fixture's bid 71% / ask 74% (0.725), as /forecasts compares it and in its unit; not
    # the last trade
    price = market.locator(".outcomes li .price").first
    expect(price).to_have_attribute("value", "0.725")
    expect(price).to_have_text("72.5%")
    expect(page.locator("#flixpatrol table.ranks tbody tr").first).to_be_visible()
    expect(page.locator("#source-kalshi")).to_have_attribute("data-health", "ok")
    expect(page.locator("#source-flixpatrol")).to_have_attribute("data-health", "ok")


def test_the_stream_dropping_shows_offline_and_the_board_keeps_polling(web, page):
    page.goto(web + "/")
    expect(page.locator("#live")).to_have_text("live")
    # Cut the page's event stream the way a dropped connection does; htmx-ext-sse reports an error.
    page.route("**/api/stream*", lambda route: route.abort())
    page.evaluate(
        "document.querySelector('main')['htmx-internal-data'].sseEventSource.close();"
        "htmx.trigger(document.body, 'htmx:sseError', {})"
    )
    expect(page.locator("#live")).to_have_text("offline")
    expect(page.locator("body")).to_have_attribute("data-stream", "polling")
