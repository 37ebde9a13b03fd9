"""Watchlist, show page and sources page in a real browser against a live ASGI server."""

from datetime import timedelta

import httpx
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.factories import HOSTILE, show_with_signals, snapshot, watched_show

pytestmark = [pytest.mark.browser, pytest.mark.processes]


def _titles(page) -> list[str]:
    return page.locator("#watchlist-table tbody a.title").all_inner_texts()


def test_the_watchlist_sorts_by_a_column_without_a_reload(web, page):
    show_with_signals("Alpha", pageviews=(1, 10))
    show_with_signals("Beta", pageviews=(1, 30))
    show_with_signals("Gamma", pageviews=(1, 20))
    page.goto(web + "/watchlist")
    assert _titles(page) == ["Alpha", "Beta", "Gamma"]
    page.evaluate("window.notReloaded = true")

    page.get_by_role("link", name="Wikipedia views").click()
    expect(page.locator("#watchlist-table a.sorted")).to_have_text("Wikipedia views ▲")
    assert _titles(page) == ["Alpha", "Gamma", "Beta"]
    page.get_by_role("link", name="Wikipedia views ▲").click()
    expect(page.locator("#watchlist-table a.sorted")).to_have_text("Wikipedia views ▼")
    assert _titles(page) == ["Beta", "Gamma", "Alpha"]
    assert page.url.endswith("?sort=-wikipedia.pageviews")
    assert page.evaluate("window.notReloaded") is True


def test_the_details_panel_draws_the_stored_points_for_each_window(web, page):
    show = watched_show("Wednesday")
    now = timezone.now()
    for days in (0.1, 3, 20, 60, 200):
        snapshot(show, "wikipedia", "pageviews", 100 + days, now - timedelta(days=days), scope="en.wikipedia")
    page.goto(f"{web}/shows/{show.id}")
    for window in ("24h", "7d", "30d", "90d", "1y"):
        page.locator("nav.windows").get_by_role("link", name=window, exact=True).click()
        expect(page.locator("#charts-title")).to_have_text(f"Signals over {window}")
        figure = page.locator('figure.chart[data-metric="pageviews"]')
        expect(figure.locator("canvas")).to_have_count(1)
        api = httpx.get(f"{web}/api/shows/{show.id}/metrics?window={window}&source=wikipedia").json()
        stored = sum(len(s["points"]) for s in api["series"])
        assert stored > 0
        expect(figure).to_have_attribute("data-drawn", str(stored))


def test_a_staff_user_adds_a_show_and_it_appears(web, page, django_user_model):
    sign_in(page, web, django_user_model)
    page.goto(web + "/watchlist")
    page.evaluate("window.notReloaded = true")
    page.fill("input[name=title]", "Squid Game")
    page.fill("input[name=season]", "Season 3")
    # The notice is read from the swap's own response: a live refresh (an event from any run) may
    # re-render the table a moment later without it.
    with page.expect_response(lambda r: r.request.method == "POST" and "/watchlist" in r.url) as added:
        page.get_by_role("button", name="Add").click()
    assert "added" in added.value.text()
    expect(page.locator("#watchlist-table a.title")).to_have_text(["Squid Game"])
    assert page.evaluate("window.notReloaded") is True

    page.get_by_role("button", name="Stop watching Squid Game: Season 3").click()
    expect(page.locator("#watchlist-table a.title")).to_have_count(0)


def test_an_anonymous_user_sees_no_edit_controls(web, page):
    show = show_with_signals("Wednesday")
    for path in ("/", "/watchlist", f"/shows/{show.id}", "/sources"):
        page.goto(web + path)
        expect(page.locator("main form")).to_have_count(0)
        expect(page.locator("main button")).to_have_count(0)


def test_hostile_titles_stay_text_in_the_browser(web, page):
    show = show_with_signals(HOSTILE)
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    for path in ("/watchlist", f"/shows/{show.id}"):
        page.goto(web + path)
        expect(page.locator("h1, a.title").filter(has_text="<script>alert(1)</script>").first).to_be_visible()
        expect(page.locator("main img")).to_have_count(0)
    assert dialogs == []
