"""Every metric's range is finite (sources/spec.py): an upstream answering 1e300 is refused like NaN,
naming the field, and nothing of it is stored."""

import json
import math

import pytest

from sources import registry
from sources.kalshi.normalize import normalize as kalshi_normalize
from sources.models import FetchRun, Snapshot
from sources.pipeline.validation import snapshots_checked
from tests.fakeupstream import Reply, fixture_text
from tests.sources.test_validation import LIT, MARKETS, kalshi_markets, kalshi_page, run_kalshi  # noqa: F401


@pytest.mark.parametrize("field", ["volume", "open_interest"])
def test_a_kalshi_count_of_1e300_is_refused_like_nan_naming_the_field(field):
    items = kalshi_normalize([kalshi_page(kalshi_markets(**{f"{field}_fp": "1e300"}))])
    valid, errors = snapshots_checked(source_key="kalshi", items=items)
    assert len(valid) == len(items) - 1
    assert not any(i.scope == LIT and i.metric == field for i in valid)
    assert f"{field} of {LIT}" in errors[0] and "1e+300 is outside [0, 1e+10]" in errors[0]


def test_every_metric_range_of_every_source_is_finite():
    ranges = [(key, pattern, rng) for key, spec in registry.specs().items() for pattern, rng in spec.metrics]
    assert ranges
    assert [(key, pattern) for key, pattern, rng in ranges if not math.isfinite(rng.high)] == []
    assert [(key, pattern) for key, pattern, rng in ranges if not math.isfinite(rng.low)] == []


@pytest.mark.parametrize(
    ("source", "metric"),
    [("wikipedia", "pageviews"), ("youtube", "views"), ("tudum", "weekly_hours_viewed"), ("reddit", "score")],
)
def test_1e300_is_refused_for_any_count(source, metric):
    from tests.sources.test_validation import item

    valid, errors = snapshots_checked(source_key=source, items=[item(metric, 1e300)])
    assert valid == [] and f"{metric} of T" in errors[0] and "1e+300 is outside" in errors[0]


def test_a_kalshi_run_answering_1e300_everywhere_stores_no_count(run_kalshi, fake_upstream):  # noqa: F811
    page = json.loads(fixture_text("kalshi/markets_KXNETFLIXRANKSHOW_open.json"))
    for market in page["markets"]:
        market["volume_fp"] = market["open_interest_fp"] = "1e300"
    fake_upstream.queue(MARKETS, Reply(200, json.dumps(page)))
    run = run_kalshi()
    assert run.status == FetchRun.Status.PARTIAL  # the prices are fine and stored
    assert "8 value(s) refused" in run.error and "1e+300 is outside [0, 1e+10]" in run.error
    assert not Snapshot.objects.filter(metric__in=["volume", "open_interest"]).exists()
    assert Snapshot.objects.filter(metric="last_price").count() == 4
