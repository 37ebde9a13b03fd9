"""A body limit per source (core/http_body.py): an answer over it is refused while it is read, the run
fails naming the limit and its setting, and nothing of the answer is stored."""

import gzip
import json

import pytest

from core import http
from sources.base import SourceError
from sources.models import FetchRun, RawEvent, Snapshot
from sources.pipeline import runs as pipeline
from tests.fakeupstream import Reply, fixture_text
from tests.sources.test_validation import KALSHI_NOW, MARKETS

KB = 1024


@pytest.fixture(autouse=True)
def _small_limits(settings):
    settings.HTTP_MAX_BODY_BYTES = 64 * KB
    settings.HTTP_MAX_BODY_BYTES_BY_SOURCE = {**settings.HTTP_MAX_BODY_BYTES_BY_SOURCE, "kalshi": 64 * KB}


def test_an_answer_over_the_limit_by_its_content_length_is_refused_before_it_is_read(fake_upstream):
    fake_upstream.queue("/big", Reply(200, b"x" * (65 * KB)))
    with pytest.raises(SourceError, match=r"/big is 66,560 bytes by its Content-Length, over the limit of "):
        http.get(http.make_session(), fake_upstream.url + "/big")


def test_a_small_gzip_that_inflates_over_the_limit_is_refused_while_it_is_read(fake_upstream):
    inflated = b"0" * (10 * 1024 * KB)  # 10 MB of zeros: a ~10 KB gzip
    fake_upstream.queue("/bomb", Reply(200, gzip.compress(inflated), headers={"Content-Encoding": "gzip"}))
    with pytest.raises(SourceError, match=r"/bomb is over the limit of 0.0625 MB \(KP_HTTP_MAX_BODY_MB\)"):
        http.get(http.make_session(), fake_upstream.url + "/bomb")


def test_an_answer_within_the_limit_is_read_whole(fake_upstream):
    fake_upstream.queue("/fits", Reply(200, b"y" * (64 * KB)))
    assert len(http.get(http.make_session(), fake_upstream.url + "/fits").content) == 64 * KB


def test_inside_a_run_the_limit_of_its_source_applies(fake_upstream, settings):
    settings.HTTP_MAX_BODY_BYTES_BY_SOURCE = {"tudum": 128 * KB}
    fake_upstream.queue("/file", Reply(200, b"z" * (100 * KB)))
    with http.body_limit("tudum"):
        assert len(http.get(http.make_session(), fake_upstream.url + "/file").content) == 100 * KB
    fake_upstream.queue("/file", Reply(200, b"z" * (129 * KB)))
    with http.body_limit("tudum"), pytest.raises(SourceError, match=r"\(TUDUM_MAX_BODY_MB\)"):
        http.get(http.make_session(), fake_upstream.url + "/file")


def test_a_kalshi_answer_over_its_limit_fails_the_run_and_stores_nothing(
    fake_upstream, sources_ready, redis_conn, settings
):
    settings.KALSHI_SERIES = ["KXNETFLIXRANKSHOW"]
    page = json.loads(fixture_text("kalshi/markets_KXNETFLIXRANKSHOW_open.json"))
    page["markets"][0]["rules_primary"] = "x" * (70 * KB)  # a runaway answer: the same page, padded
    fake_upstream.queue(MARKETS, Reply(200, json.dumps(page)))
    run = pipeline.run("kalshi", now=KALSHI_NOW)
    assert run.status == FetchRun.Status.FAILED
    assert "over the limit of 0.0625 MB (KALSHI_MAX_BODY_MB): refused, not stored" in run.error
    # The series answer before it is stored as usual; the refused markets page is not.
    assert RawEvent.objects.filter(run=run).exists()
    assert not RawEvent.objects.filter(run=run, url__contains="/markets").exists()
    assert not Snapshot.objects.exists()


def test_the_default_limits_are_a_few_mb_and_larger_for_tudums_country_file():
    from kalshi_predictions import source_settings  # as read at start-up, before this module's fixture

    assert source_settings.HTTP_MAX_BODY_BYTES == 8 * 1024 * KB
    assert source_settings.HTTP_MAX_BODY_BYTES_BY_SOURCE["kalshi"] == source_settings.HTTP_MAX_BODY_BYTES
    assert source_settings.HTTP_MAX_BODY_BYTES_BY_SOURCE["tudum"] == 200 * 1024 * KB
