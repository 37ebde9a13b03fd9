"""Runs with known credentials leave them nowhere: raw events, run errors, logs or the API."""

import base64
import json
import logging
import sys
from datetime import UTC, datetime
from urllib.parse import quote

import pytest

from core.redact import redact
from shows.models import Show
from shows.services import watchlist_add
from sources.models import FetchRun, RawEvent, Source
from tests.fakeupstream import Reply, fixture_text

SECRETS = {
    "X_BEARER_TOKEN": "AAAAAAAAAAAAAAAAAAAAAknownXbearer%2Fsecret",
    "YOUTUBE_API_KEY": "AIzaSyKnownYoutubeKey-0123456789abcd",
    "TIKTOK_CLIENT_KEY": "awknownclientkey77",
    "TIKTOK_CLIENT_SECRET": "knownTikTokSecret0123456789",
    "REDDIT_CLIENT_ID": "knownRedditId42",
    "REDDIT_CLIENT_SECRET": "knownRedditSecret0123456789",
    "REDDIT_USER_AGENT": "server:kp-secret-test:0.1 (by /u/kp)",
}
# Tokens upstream hands out are secrets too.
DERIVED = ["clt.example12345Example12345Example"]
NOW = datetime(2025, 8, 11, 14, 23, 11, tzinfo=UTC)


@pytest.fixture(autouse=True)
def keyed(monkeypatch, redis_conn, settings):
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)
    settings.HTTP_RETRIES = 0
    settings.KP_PUBLIC_READ = True
    stale = redis_conn.keys("quota:*")
    if stale:
        redis_conn.delete(*stale)


@pytest.fixture
def show(db):
    show, _ = watchlist_add(title="Wednesday", search_terms=["Wednesday Addams"])
    Show.objects.filter(pk=show.pk).update(
        youtube_trailer_ids=["EXAMPLEvid01"], hashtags=["wednesday"], subreddits=["wednesday"]
    )
    return show


def leaks(text: str) -> list[str]:
    hidden = [v for k, v in SECRETS.items() if k != "REDDIT_USER_AGENT"] + DERIVED
    return [s for s in hidden if s in text]


def test_known_credentials_appear_in_no_stored_or_logged_text(
    run_source, show, fake_upstream, caplog, client
):
    caplog.set_level(logging.DEBUG)
    for key in ("x", "youtube", "tiktok", "reddit"):
        assert run_source(key, now=NOW).status == "ok"
    # Failures put upstream's answers and the request into error texts.
    fake_upstream.queue(r"^/2/tweets/counts/recent$", Reply(401, '{"title": "Unauthorized"}'))
    fake_upstream.queue(
        r"^/youtube/v3/videos$", Reply(400, '{"error": {"errors": [{"reason": "keyInvalid"}]}}')
    )
    fake_upstream.queue(r"^/v2/oauth/token/$", Reply(401, fixture_text("tiktok/oauth_token_error.json")))
    fake_upstream.queue(r"^/api/v1/access_token$", Reply(401, '{"message": "Unauthorized", "error": 401}'))
    Source.objects.filter(key="tiktok").update(state={})
    for key in ("x", "youtube", "tiktok", "reddit"):
        assert run_source(key, now=NOW).status == "failed"

    stored = [f"{e.url}\n{e.body}" for e in RawEvent.objects.all()]
    stored += [r.error for r in FetchRun.objects.all()] + [s.last_error for s in Source.objects.all()]
    assert RawEvent.objects.count() >= 10
    assert not [t for t in stored if leaks(t)]
    assert not leaks("\n".join(r.getMessage() + (r.exc_text or "") for r in caplog.records))
    # google-api-python-client logs each URL with its key: the record is kept, the key is not.
    assert any(
        "/youtube/v3/videos" in r.getMessage() and "key=[redacted]" in r.getMessage() for r in caplog.records
    )
    api = client.get("/api/sources")
    assert api.status_code == 200 and "YOUTUBE_API_KEY" in api.content.decode()  # names, not values
    assert not leaks(api.content.decode())


def test_redact_masks_query_keys_bearer_headers_and_json_tokens():
    text = (
        "GET /v?key=abc123XYZ&id=1 Authorization: Bearer tok.en-1 "
        '{"access_token": "clt.zzz", "token_type": "Bearer", "refresh_token":"rft.1"}'
    )
    masked = redact(text)
    for secret in ("abc123XYZ", "tok.en-1", "clt.zzz", "rft.1"):
        assert secret not in masked
    assert '"token_type": "Bearer"' in masked and "id=1" in masked


def test_a_token_endpoint_echoing_the_basic_header_leaves_no_secret_in_raw_events(
    run_source, show, fake_upstream
):
    pair = f"{SECRETS['REDDIT_CLIENT_ID']}:{SECRETS['REDDIT_CLIENT_SECRET']}"
    basic = "Basic " + base64.b64encode(pair.encode()).decode()
    answer = json.loads(fixture_text("reddit/oauth_access_token.json"))
    # Some proxies and debugging endpoints send the request's headers back in the body.
    answer["echo"] = {"headers": {"Authorization": basic}, "raw": f"authorization: {basic.lower()[:5]}"}
    answer["echo"]["raw"] += basic[5:]
    fake_upstream.queue(r"^/api/v1/access_token$", Reply(200, json.dumps(answer)))
    assert run_source("reddit", now=NOW).status == "ok"
    sent = fake_upstream.requests_to(r"^/api/v1/access_token")[0].headers["Authorization"]
    assert sent == basic  # the echo carries exactly what the client sent
    token = RawEvent.objects.get(source__key="reddit", url__contains="access_token")
    assert basic[6:] not in token.body and "Basic [redacted]" in token.body
    assert "authorization: basic [redacted]" in token.body


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("Authorization: Basic a25vd25SZWRkaXRJZDQyOnNlY3JldA==", "a25vd25SZWRkaXRJZDQyOnNlY3JldA=="),
        ('{"headers": {"Authorization": "Bearer AAAAknown"}}', "AAAAknown"),
        ('{"X-Api-Key": "plainkeyvalue"}', "plainkeyvalue"),
        ("authorization=rawtoken123", "rawtoken123"),
        ("next=%2Fv%3Fapi_key%3Dsecret99%26x%3D1", "secret99"),
        ("GET /x?access_token=tok123&client_secret=cs456", "cs456"),
        ("redirect to https://h/?token=tok123", "tok123"),
    ],
)
def test_secrets_are_masked_in_every_form_they_travel_in(text, secret):
    assert secret not in redact(text) and "[redacted]" in redact(text)


def test_known_credentials_are_masked_url_encoded_and_as_a_basic_pair():
    secret = SECRETS["X_BEARER_TOKEN"]
    assert secret not in redact(f"q={quote(secret, safe='')}&x=1".replace("q=", "echo "))
    pair = base64.b64encode(
        f"{SECRETS['TIKTOK_CLIENT_KEY']}:{SECRETS['TIKTOK_CLIENT_SECRET']}".encode()
    ).decode()
    assert pair not in redact(f"echoed {pair} back")


def test_prose_about_credentials_stays_readable():
    text = "X rejected the bearer token (401); HTTP Basic authentication failed; check the authorization"
    assert redact(text) == text


def test_the_configured_log_handler_redacts_messages_and_tracebacks(monkeypatch):
    from core.redact import RedactFilter

    monkeypatch.setenv("YOUTUBE_API_KEY", SECRETS["YOUTUBE_API_KEY"])
    handlers = logging.getLogger().handlers
    (console,) = [h for h in handlers if any(isinstance(f, RedactFilter) for f in h.filters)]
    key = SECRETS["YOUTUBE_API_KEY"]
    try:
        raise RuntimeError(f"GET /youtube/v3/videos?key={key} failed")
    except RuntimeError:
        record = logging.getLogger("googleapiclient").makeRecord(
            "googleapiclient", logging.ERROR, __file__, 1, "asked %s", (f"?key={key}",), sys.exc_info()
        )
    console.filter(record)
    written = console.format(record)
    assert key not in written and "key=[redacted]" in written and "RuntimeError" in written


def test_a_celery_workers_own_log_handlers_get_the_redaction_filter():
    from core.redact import RedactFilter
    from kalshi_predictions.celery import redact_celery_logs

    worker_logger = logging.getLogger("test.celery.worker")
    handler = logging.StreamHandler()
    worker_logger.addHandler(handler)
    try:
        redact_celery_logs(logger=worker_logger)
        redact_celery_logs(logger=worker_logger)  # Celery sends the signal again for the task logger
        assert [type(f) for f in handler.filters] == [RedactFilter]
    finally:
        worker_logger.removeHandler(handler)
