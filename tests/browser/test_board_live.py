"""The board in a real browser: nine source cards that change without a reload when a run lands."""

import pytest
from playwright.sync_api import expect

from tests.processes import process_env, start_web

pytestmark = [pytest.mark.browser, pytest.mark.processes]


@pytest.fixture
def web(transactional_db, sources_ready):
    proc, url = start_web(process_env())
    yield url
    proc.stop()


def test_a_run_changes_its_card_without_a_reload(web, page, run_source, watched, settings):
    settings.WIKIPEDIA_DAYS = 3
    page.goto(web + "/")
    expect(page.locator(".card")).to_have_count(9)
    card = page.locator("#source-wikipedia")
    expect(card).to_have_attribute("data-health", "never_run")
    expect(page.locator("#live")).to_have_text("live")
    page.evaluate("window.notReloaded = true")

    assert run_source("wikipedia").status == "ok"

    expect(card).to_have_attribute("data-health", "ok", timeout=15000)
    expect(card.locator(".updated")).to_have_text("just now")
    expect(card.locator(".counts")).to_contain_text("3 values")
    assert page.evaluate("window.notReloaded") is True
