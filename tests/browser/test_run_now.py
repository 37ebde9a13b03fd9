"""A staff user's "run now" reaches a real Celery worker, and the page shows the run without a reload."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.processes import process_env, start_web, start_worker, upstream_env

pytestmark = [pytest.mark.browser, pytest.mark.processes]


@pytest.fixture
def web_and_worker(transactional_db, fake_upstream, sources_ready, watched, redis_conn):
    env = process_env(**upstream_env(fake_upstream.url), WIKIPEDIA_DAYS="5")
    web, url = start_web(env)
    worker = start_worker(env)
    yield url
    worker.stop()
    web.stop()


def test_run_now_queues_a_run_that_the_page_then_shows(web_and_worker, page, django_user_model):
    url = web_and_worker
    sign_in(page, url, django_user_model)
    page.goto(url + "/sources")
    details = page.locator("#details-wikipedia")
    expect(details).to_have_attribute("data-health", "never_run")
    expect(page.locator("#live")).to_have_text("live")
    page.evaluate("window.notReloaded = true")

    # "queued" shows until the run's own event re-renders the panel, which can be at once.
    details.get_by_role("button", name="Run now").click()

    expect(details).to_have_attribute("data-health", "ok", timeout=60000)
    expect(details.locator("tr.run-ok")).to_have_count(1)
    expect(details.locator("tr.run-ok")).to_contain_text("5 / 0")
    assert page.evaluate("window.notReloaded") is True
