import os
import shutil
from contextlib import contextmanager

import pytest
from playwright.sync_api import expect

# A loaded 2-core CI machine answers HTMX swaps slower than the default 5 s allows.
expect.set_options(timeout=15_000)

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


# Playwright's sync API runs its asyncio loop in the test's own thread, so Django takes every ORM call
# these tests make (storing fixtures, reading results) for one made from async code and refuses it.
# The bypass is limited to these tests' setup, call and teardown, in a pytest process that runs only
# them (bin/test.py; tests/conftest.py refuses a mixed run): the app they drive runs in its own uvicorn
# process without it, and the rest of the suite (the stream's tests included) runs without it.
@contextmanager
def _orm_beside_playwright():
    before = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        yield
    finally:
        if before is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = before


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item):
    with _orm_beside_playwright():
        return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    with _orm_beside_playwright():
        return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    with _orm_beside_playwright():
        return (yield)


@pytest.fixture(autouse=True)
def _empty_test_redis():
    """Each browser test starts from an empty test Redis database, whatever ran before it: a source lock
    left by a worker still stopping, quota counters, holds or heartbeats would make its runs skip."""
    import redis
    from django.conf import settings

    redis.Redis.from_url(settings.REDIS_URL).flushdb()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Debian's Chromium; the flags keep it from reaching for Google's hosts on a closed network.
    # Without Debian's Chromium, Playwright's own browser (bin/test.py installs it) is used.
    return {
        **browser_type_launch_args,
        **({"executable_path": CHROMIUM} if CHROMIUM else {}),
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture
def web(transactional_db, sources_ready):
    """A real uvicorn process on the test database (SSE needs ASGI; pytest-django's live_server is WSGI)."""
    from tests.processes import process_env, start_web

    proc, url = start_web(process_env())
    yield url
    proc.stop()


@pytest.fixture
def stored_data(run_source, watched, settings):
    """Kalshi markets, a FlixPatrol chart and Wikipedia pageviews, stored by the real pipeline from the
    fake upstream's fixtures, plus a week of pageviews for the watched show."""
    settings.KALSHI_SERIES = ["KXNETFLIXRANKSHOW"]
    settings.FLIXPATROL_COUNTRIES = (("US", "united-states"),)
    settings.FLIXPATROL_PAGE_DELAY_SECONDS = 0
    settings.FLIXPATROL_BACKEND = "http"
    settings.WIKIPEDIA_DAYS = 7
    for key in ("kalshi", "flixpatrol", "wikipedia"):
        run = run_source(key)
        assert run.status in ("ok", "partial"), (key, run.status, run.error)
    return watched


def sign_in(page, base_url: str, django_user_model, *, staff: bool = True) -> None:
    django_user_model.objects.create_user("editor", password="pw-for-tests", is_staff=staff)
    page.goto(base_url + "/admin/login/?next=/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "pw-for-tests")
    page.click("input[type=submit]")
    page.wait_for_url(base_url + "/")
