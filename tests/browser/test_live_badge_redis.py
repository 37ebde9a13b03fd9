"""In a real browser: the live badge turns grey when no event can arrive (the app's Redis stopped),
and no page trips its Content-Security-Policy."""

import pytest
from playwright.sync_api import expect

from tests.processes import free_port, process_env, start_web
from tests.system.test_redis_outage import start_redis

pytestmark = [pytest.mark.browser, pytest.mark.processes, pytest.mark.postgres]


def test_the_badge_goes_grey_when_redis_stops_and_live_again_when_it_returns(
    transactional_db, sources_ready, page
):
    port = free_port()
    redis_proc = start_redis(port)
    web, url = start_web(process_env(REDIS_URL=f"redis://127.0.0.1:{port}/0", KP_REDIS_RETRY_AFTER="1"))
    try:
        page.goto(url + "/")
        badge = page.locator("#live")
        expect(badge).to_have_text("live")
        redis_proc.stop()
        # The stream's supervisor notices within a probe (5 s) and closes the stream; reconnects get 503.
        expect(badge).to_have_text("offline", timeout=20_000)
        expect(badge).to_have_class("live offline")
        assert page.evaluate("document.body.dataset.stream") == "polling"
        redis_proc = start_redis(port)
        expect(badge).to_have_text("live", timeout=40_000)
    finally:
        web.stop()
        redis_proc.stop()


def test_no_page_breaks_its_content_security_policy(transactional_db, sources_ready, page, watched):
    violations = []
    page.on(
        "console",
        lambda m: "Content Security Policy" in m.text and violations.append((page.url, m.text[:300])),
    )
    web, url = start_web(process_env())
    try:
        for path in ["/", "/sources", "/watchlist", "/forecasts/", f"/shows/{watched.id}", "/api/docs"]:
            page.goto(url + path)
            page.wait_for_load_state("networkidle")
    finally:
        web.stop()
    assert violations == []
