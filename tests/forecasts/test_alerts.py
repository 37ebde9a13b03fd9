"""Each alert fires once per subject and day, live (SSE) and to the optional webhook."""

import json
import threading
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from forecasts.models import Alert, MarketComparison, Prediction
from forecasts.watch.alerts import alerts_evaluate
from sources.live import events
from sources.models import Market, Source

NOW = datetime(2026, 7, 20, 14, 0, tzinfo=UTC)
WEEK = date(2026, 7, 19)


class Webhook:
    """A local HTTP server on 127.0.0.1 that records the JSON bodies POSTed to it."""

    def __init__(self):
        received = self.received = []

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def webhook(settings):
    hook = Webhook()
    settings.ALERT_WEBHOOK_URL = hook.url
    yield hook
    hook.server.shutdown()


@pytest.fixture
def sent(monkeypatch):
    out = []
    monkeypatch.setattr(events, "send_event", lambda channel, kind, data: out.append((channel, kind, data)))
    return out


@pytest.fixture
def every_condition(sources_ready):
    """A 30-point divergence, a changed nowcast leader and a stale FlixPatrol before a close."""
    market = Market.objects.create(
        ticker="KXNETFLIXRANKSHOW-26JUL20-LIT",
        series="KXNETFLIXRANKSHOW",
        event_ticker="KXNETFLIXRANKSHOW-26JUL20",
        outcome="Little House on the Prairie: Season 1",
        status="active",
        close_time=NOW + timedelta(hours=14),
    )
    MarketComparison.objects.create(
        market=market, series=market.series, list_name="US TV", rank=1, week=WEEK, ours=0.5,
        market_price=0.2, as_of=NOW,
    )  # fmt: skip
    for made_at, leader in (
        (NOW - timedelta(hours=6), "Old favourite"),
        (NOW - timedelta(hours=1), "Newcomer"),
    ):
        for title, p in ((leader, 0.6), ("Third", 0.3), ("A show not yet seen", 0.1)):
            Prediction.objects.create(
                list_name="US TV", week=WEEK, mode="nowcast", title=title, p_rank1=p, p_rank2=p,
                model_version="t", made_at=made_at,
            )  # fmt: skip
    Source.objects.filter(key="flixpatrol").update(last_success_at=NOW - timedelta(days=3))
    return market


def evaluate(capture, now=NOW):
    with capture(execute=True):
        return alerts_evaluate(now=now)


def test_each_alert_fires_once_not_twice(every_condition, webhook, sent, django_capture_on_commit_callbacks):
    first = evaluate(django_capture_on_commit_callbacks)
    second = evaluate(django_capture_on_commit_callbacks, NOW + timedelta(minutes=15))

    assert sorted(a.kind for a in first) == ["divergence", "leader_change", "stale_source"]
    assert second == []
    assert Alert.objects.count() == 3
    assert sorted(body["payload"]["kind"] for body in webhook.received) == [
        "divergence",
        "leader_change",
        "stale_source",
    ]
    assert sorted(kind for _, kind, _ in sent) == ["alert"] * 3
    assert {channel for channel, _, _ in sent} == {"sources"}
    assert set(Alert.objects.values_list("webhook_status", flat=True)) == {"HTTP 204"}
    subjects = dict(Alert.objects.values_list("kind", "subject"))
    assert subjects == {
        "divergence": "KXNETFLIXRANKSHOW-26JUL20-LIT",
        "leader_change": "US TV|2026-07-19",
        "stale_source": "KXNETFLIXRANKSHOW-26JUL20|flixpatrol",
    }
    leader = Alert.objects.get(kind="leader_change")
    assert (leader.data["from"], leader.data["to"]) == ("Old favourite", "Newcomer")


def test_a_condition_still_holding_the_next_day_fires_again(
    every_condition, sent, django_capture_on_commit_callbacks
):
    evaluate(django_capture_on_commit_callbacks)
    every_condition.close_time = NOW + timedelta(days=1, hours=2)
    every_condition.save()
    again = evaluate(django_capture_on_commit_callbacks, NOW + timedelta(days=1))
    assert sorted(a.kind for a in again) == ["divergence", "leader_change", "stale_source"]


def test_no_alert_below_the_threshold_or_without_a_close_soon(
    every_condition, sent, django_capture_on_commit_callbacks
):
    MarketComparison.objects.update(market_price=0.45)
    every_condition.close_time = NOW + timedelta(days=3)
    every_condition.save()
    Prediction.objects.filter(title="Old favourite").update(title="Newcomer")
    assert evaluate(django_capture_on_commit_callbacks) == []


def test_a_failing_webhook_is_logged_and_never_raises(
    every_condition, sent, settings, django_capture_on_commit_callbacks
):
    settings.ALERT_WEBHOOK_URL = "http://127.0.0.1:9/closed"
    settings.ALERT_WEBHOOK_TIMEOUT_SECONDS = 1
    assert len(evaluate(django_capture_on_commit_callbacks)) == 3
    assert {s.split(":")[0] for s in Alert.objects.values_list("webhook_status", flat=True)} == {"failed"}
