""" "Run now" with the task broker unreachable says so (503 "queue unavailable"), never a 500."""

import pytest
from kombu import Connection

from core import cache
from sources.tasks import run_source

pytestmark = pytest.mark.postgres


@pytest.fixture
def broker_down(settings, monkeypatch):
    # A real publish to a port nothing listens on, with the app's transport options: kombu's own error.
    def delay(key):
        with Connection(
            "redis://127.0.0.1:1/0", transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS
        ) as dead:
            return run_source.apply_async(args=[key], connection=dead)

    monkeypatch.setattr("dashboard.views.sources.run_source.delay", delay)


def test_run_now_says_queue_unavailable_when_the_broker_is_down(staff_client, sources_ready, broker_down):
    response = staff_client.post("/sources/wikipedia/run", headers={"HX-Request": "true"})
    assert response.status_code == 503
    assert "queue unavailable" in response.content.decode()


def test_run_now_without_htmx_shows_the_sources_page_with_the_message(
    staff_client, sources_ready, broker_down
):
    response = staff_client.post("/sources/wikipedia/run")
    assert response.status_code == 503
    html = response.content.decode()
    assert "queue unavailable" in html and 'id="details-wikipedia"' in html


def test_run_now_answers_at_once_while_redis_is_known_down(staff_client, sources_ready, monkeypatch):
    cache.breaker().trip(ConnectionError("refused"))
    monkeypatch.setattr("dashboard.views.sources.run_source.delay", lambda key: 1 / 0)  # never reached
    try:
        response = staff_client.post("/sources/wikipedia/run", headers={"HX-Request": "true"})
    finally:
        cache.breaker().reset()
    assert response.status_code == 503 and "queue unavailable" in response.content.decode()
