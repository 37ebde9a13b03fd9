"""A market card says what the market settles on, parsed from the fixture's rules, in a real browser
at phone and laptop widths."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.processes]


@pytest.mark.parametrize("width", [390, 1400])
def test_a_market_card_shows_its_list_week_publication_day_and_close(web, page, stored_data, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(web + "/")
    card = page.locator("#event-kxnetflixrankshow-26jul20")
    terms = card.locator(".settles-on")
    expect(terms).to_have_attribute("data-parsed", "true")
    expect(terms.locator(".settles-list")).to_have_text("US TV")
    expect(terms.locator(".settles-rank")).to_have_text("#1")
    expect(terms.locator(".settles-week")).to_have_text("Mon Jul 13 – Sun Jul 19, 2026")
    expect(terms.locator(".settles-published")).to_have_text("Tuesday Jul 21")
    expect(card.locator("time").first).to_have_attribute("datetime", "2026-07-21T03:59:00+00:00")
    # The rules text is one click away.
    rules = terms.locator("details.rules p")
    expect(rules).to_be_hidden()
    terms.locator("details.rules summary").click()
    expect(rules).to_contain_text("United States Top 10 TV list for the week of Jul 13, 2026 - Jul 19, 2026")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
