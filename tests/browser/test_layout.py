"""Every page at a phone's and a wide laptop's width, in real Chromium: nothing wider than the viewport,
the watchlist's actions in view, and every empty state naming its cause."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.factories import show_with_signals

pytestmark = [pytest.mark.browser, pytest.mark.processes]
WIDTHS = (390, 1400)
PAGES = ("/", "/watchlist", "/sources", "/forecasts/", "/api/", "/no/such/page")


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("width", WIDTHS)
def test_no_page_is_wider_than_the_viewport_for_staff_with_data(
    web, page, stored_data, django_user_model, width
):
    for n in range(6):
        show_with_signals(f"Show number {n} with a long title")
    sign_in(page, web, django_user_model)
    page.set_viewport_size({"width": width, "height": 900})
    for path in (*PAGES, f"/shows/{stored_data.id}"):
        page.goto(web + path)
        assert _fits(page), (path, page.evaluate("document.documentElement.scrollWidth"))
        if path not in ("/no/such/page", "/api/"):  # the API root is DRF's own page
            expect(page.locator('nav[aria-label="Main"] a[aria-current="page"]')).to_have_count(
                0 if path.startswith("/shows/") else 1
            )


def test_the_watchlist_remove_buttons_stay_in_view_at_1400px(web, page, stored_data, django_user_model):
    for n in range(6):
        show_with_signals(f"Show number {n}")
    sign_in(page, web, django_user_model)
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(web + "/watchlist")
    buttons = page.locator("#watchlist-table button", has_text="Remove")
    expect(buttons.first).to_be_visible()
    box = page.locator("#watchlist-table .scroll").bounding_box()
    for n in range(buttons.count()):
        b = buttons.nth(n).bounding_box()
        assert b["x"] >= box["x"] and b["x"] + b["width"] <= box["x"] + box["width"] + 1, n


def test_sources_rows_stay_one_line_on_a_phone(web, page, stored_data):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(web + "/sources")
    heights = page.locator("table.runs tbody tr").evaluate_all("rows => rows.map(r => r.offsetHeight)")
    assert heights and max(heights) < 120, heights


@pytest.mark.parametrize("width", WIDTHS)
def test_every_empty_state_names_its_cause(web, page, watched, width):
    page.set_viewport_size({"width": width, "height": 900})
    for path in ("/", "/sources", f"/shows/{watched.id}", "/forecasts/"):
        page.goto(web + path)
        assert _fits(page), path
        texts = page.locator(".empty").all_inner_texts()
        assert texts, path
        for text in texts:
            # "<what is missing>: <why, and what fills it>" — never a bare "nothing here".
            what, _, why = text.partition(": ")
            assert what and len(why) > 15, (path, text)
