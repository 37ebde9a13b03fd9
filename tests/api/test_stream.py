"""The stream's channels and the pipeline's announcements to them (the live path: test_stream_replay)."""

import json

import pytest
from django_eventstream.models import Event

from sources.live import events

pytestmark = pytest.mark.postgres


def stored(channel):
    out = []
    # eid 0 is the placeholder row the storage writes first on every channel
    for event in Event.objects.filter(channel=channel, eid__gt=0).order_by("eid"):
        data = event.data
        while isinstance(data, str):  # the storage keeps the JSON text the stream sends
            data = json.loads(data)
        out.append((event.type, data))
    return out


@pytest.mark.parametrize("query", ["channel=admin", "channel=show-abc", "channel=show-0", "channel=events"])
def test_an_unknown_channel_is_a_400_naming_the_accepted_ones(client, db, query):
    response = client.get(f"/api/stream?{query}")
    assert response.status_code == 400
    assert "channel=sources or channel=show-<id>" in response.json()["channel"][0]


def test_too_many_channels_is_a_400(client, show):
    query = "&".join(f"channel=show-{n}" for n in range(1, 12))
    assert client.get(f"/api/stream?{query}").status_code == 400


def test_a_channel_of_an_unknown_show_is_a_404(client, db):
    assert client.get("/api/stream?channel=show-424242").status_code == 404


def test_anonymous_may_not_listen_when_public_read_is_off(client, db, settings):
    settings.KP_PUBLIC_READ = False
    assert client.get("/api/stream").status_code == 401


def test_announce_sends_to_sources_and_to_each_show_with_its_own_values(
    db, django_capture_on_commit_callbacks
):
    data = {
        "source": "kalshi",
        "ts": "2025-08-11T12:00:00+00:00",
        "payload": {"items": 2, "latest": [{"show": 7, "value": 0.4}, {"show": 9, "value": 0.2}]},
    }
    with django_capture_on_commit_callbacks(execute=True):
        events.announce("kalshi", "snapshot", data, show_ids={7, 9, None})
    assert stored("sources") == [("snapshot", data)]
    [(kind, for_seven)] = stored("show-7")
    assert kind == "snapshot" and for_seven["payload"]["latest"] == [{"show": 7, "value": 0.4}]
    assert stored("show-9")[0][1]["payload"]["latest"] == [{"show": 9, "value": 0.2}]


def test_nothing_is_announced_if_the_transaction_rolls_back(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        events.announce("kalshi", "snapshot", {"source": "kalshi"}, show_ids={3})
    assert len(callbacks) == 1 and not Event.objects.filter(eid__gt=0).exists()


def test_a_pipeline_run_announces_on_the_channel_of_the_show_it_touched(run_source, watched, settings):
    settings.WIKIPEDIA_DAYS = 10
    run = run_source("wikipedia")
    assert run.status in ("ok", "partial"), run.error
    [(kind, data)] = stored(f"show-{watched.id}")
    assert kind == "snapshot" and data["source"] == "wikipedia"
    assert {item["show"] for item in data["payload"]["latest"]} == {watched.id}


def test_behind_pushpin_a_stream_is_handed_to_pushpin_with_a_grip_hold(client, db, settings):
    """GRIP_URL (several web processes behind Pushpin): a request Pushpin signed gets a Grip-Hold answer at
    once, so the web process keeps no connection, thread or database session per listener."""
    import time

    import jwt

    settings.GRIP_URL = "http://127.0.0.1:5561?iss=pushpin&key=test-grip-key"
    settings.MIDDLEWARE = ["django_grip.GripMiddleware", *settings.MIDDLEWARE]
    claims = {"iss": "pushpin", "exp": int(time.time()) + 3600}
    signed = jwt.encode(claims, "test-grip-key", algorithm="HS256")
    response = client.get("/api/stream?channel=sources", HTTP_GRIP_SIG=signed)
    assert response.status_code == 200
    assert response["Grip-Hold"] == "stream"
    assert "sources" in response["Grip-Channel"]


def test_grip_url_in_the_environment_puts_the_grip_middleware_first():
    import os
    import subprocess
    import sys

    env = {**os.environ, "GRIP_URL": "http://pushpin:5561"}
    env["DJANGO_SETTINGS_MODULE"] = "kalshi_predictions.settings"
    code = "from django.conf import settings; print(settings.MIDDLEWARE[0])"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "django_grip.GripMiddleware"


def test_a_malformed_grip_url_stops_start_up_naming_it():
    import os
    import subprocess
    import sys

    env = {**os.environ, "GRIP_URL": "pushpin:5561"}
    env["DJANGO_SETTINGS_MODULE"] = "kalshi_predictions.settings"
    code = "from django.conf import settings; settings.MIDDLEWARE"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.returncode != 0 and "GRIP_URL='pushpin:5561'" in out.stderr
