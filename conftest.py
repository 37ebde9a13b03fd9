import os
from pathlib import Path

import pytest
from django.conf import settings

from tests.fakeupstream import FakeUpstream


def pytest_report_header(config):
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    return f"kalshi-predictions: database {engine}, redis {settings.REDIS_URL}"


BROWSER_TESTS = Path(__file__).resolve().parent / "tests" / "browser"


def pytest_collection_modifyitems(config, items):
    # Playwright's sync API leaves its event loop marked as running in the test thread, so after a browser
    # test every database call in that thread would be refused as "called from an async context" unless
    # Django's async-safety check were switched off for the whole process, hiding real async bugs in the
    # streaming code. So the browser tests run in a pytest process of their own (bin/test.py).
    browser = [item for item in items if BROWSER_TESTS in Path(str(item.path)).parents]
    if browser and len(browser) < len(items):
        raise pytest.UsageError(
            "tests/browser runs in a pytest process of its own: use bin/test.py (make test), "
            "or pass tests/browser apart from the other tests"
        )
    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        return
    reason = "needs PostgreSQL: " + os.environ.get(
        "KP_POSTGRES_SKIP_REASON", "DATABASE_URL is not a Postgres URL"
    )
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture
def fake_upstream(settings):
    """The local fake of every upstream API; in-process runners are pointed at it."""
    fake = FakeUpstream().start()
    settings.SOURCE_BASE_URLS = {key: fake.url for key in settings.SOURCE_BASE_URLS}
    yield fake
    fake.stop()


@pytest.fixture(autouse=True)
def _fast_http(settings):
    # Backoff stays real (urllib3 Retry) but short, so tests of 429/5xx take a second, not minutes.
    settings.HTTP_MAX_RETRY_AFTER = 1
    settings.HTTP_TIMEOUT_SECONDS = 3


@pytest.fixture(autouse=True)
def _source_claims_freed(request, django_db_blocker):
    """A test that takes a source lock and never releases it (a lock whose holder "died") would leave
    its Postgres claim (core/locks.py) on the test session for every later test, and a worker process of
    a later test would find the source claimed. Freed after each test, as a dead worker's session is."""
    yield
    from django.db import connection

    if connection.vendor == "postgresql" and connection.connection is not None:
        with django_db_blocker.unblock():
            try:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock_all()")
            except Exception:  # a broken or closed connection holds no claim
                pass


@pytest.fixture
def redis_conn():
    from core.cache import redis_client

    client = redis_client()
    keys = client.keys("source:*:latest") + client.keys("lock:source:*")
    if keys:
        client.delete(*keys)
    return client


@pytest.fixture
def sources_ready(db):
    from sources.services import sources_setup

    sources_setup()


@pytest.fixture
def watched(db):
    from shows.services import watchlist_add

    show, _ = watchlist_add(title="Wednesday", wikipedia="Wednesday_(TV_series)")
    return show


@pytest.fixture
def run_source(fake_upstream, sources_ready, redis_conn, django_capture_on_commit_callbacks):
    """Run a source once through the real pipeline against the fake upstream, events included."""
    from sources.pipeline import runs as pipeline

    def run(key: str, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return pipeline.run(key, **kwargs)

    return run
