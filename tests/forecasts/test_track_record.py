"""The honest track record: per series and overall, and the reliability of both sides (predicted vs
observed frequency), as pure bins, in the API and on the forecasts page."""

import pytest

from forecasts.backtests.reliability import reliability_bins, reliability_chart
from forecasts.selectors import track_record_overall, track_record_reliability
from tests.forecasts.test_market_comparison import (  # noqa: F401 - fixtures
    NOW,
    SETTLED,
    _one_series,
    run_kalshi,
    settle,
    shows,
    store_predictions,
)


def test_bins_hold_the_mean_said_and_the_share_that_happened():
    pairs = [(0.05, False), (0.15, False), (0.12, True), (0.95, True), (1.0, True), (0.55, False)]
    bins = reliability_bins(pairs, bins=10)
    assert len(bins) == 10 and (bins[0]["low"], bins[0]["high"]) == (0.0, 0.1)
    assert bins[1] == {
        "low": 0.1,
        "high": 0.2,
        "markets": 2,
        "predicted": pytest.approx(0.135),
        "observed": 0.5,
    }
    assert bins[9]["markets"] == 2 and bins[9]["observed"] == 1.0  # 1.0 itself is in the top bin
    assert bins[3] == {"low": 0.3, "high": 0.4, "markets": 0, "predicted": None, "observed": None}
    assert sum(b["markets"] for b in bins) == len(pairs)


def test_a_probability_outside_zero_one_is_refused():
    with pytest.raises(ValueError, match="outside"):
        reliability_bins([(1.2, True)])
    with pytest.raises(ValueError, match="bins"):
        reliability_bins([], bins=0)


def test_the_chart_has_a_point_per_bin_with_markets():
    ours = reliability_bins([(0.15, True), (0.85, True)], bins=5)
    market = reliability_bins([(0.5, True), (0.5, False)], bins=5)
    chart = reliability_chart(ours, market)
    assert chart == {"ours": [[0.15, 1.0, 1], [0.85, 1.0, 1]], "market": [[0.5, 0.5, 2]]}


@pytest.fixture
def scored(run_source, fake_upstream, shows, settings):  # noqa: F811
    """The fixture event settled: Little House (ours 0.5, market 0.725) won; I Will Find You (0.3,
    0.225) and the two outcomes that are none of ours (0.1 each) lost."""
    from datetime import timedelta

    from forecasts.markets.comparisons import comparisons_update

    settings.KP_PUBLIC_READ = True
    run_kalshi(run_source, NOW)
    store_predictions(shows, made_at=NOW - timedelta(hours=1))
    settle(run_source, fake_upstream)
    comparisons_update(now=SETTLED)


def test_overall_pools_every_series_with_the_same_scores(scored):
    overall = track_record_overall()
    assert (overall["markets"], overall["events"]) == (4, 1)
    ours = [(0.5 - 1) ** 2, 0.3**2, 0.1**2, 0.1**2]
    assert overall["ours_brier"] == pytest.approx(sum(ours) / 4)


def test_reliability_bins_both_sides_on_the_same_markets(scored):
    rel = track_record_reliability()
    assert sum(b["markets"] for b in rel["ours"]) == sum(b["markets"] for b in rel["market"]) == 4
    by_low = {b["low"]: b for b in rel["ours"] if b["markets"]}
    assert by_low[0.1]["markets"] == 2 and by_low[0.1]["observed"] == 0.0  # the two 0.1s lost
    assert by_low[0.5]["observed"] == 1.0  # 0.5 won
    market = {b["low"]: b for b in rel["market"] if b["markets"]}
    assert market[0.7]["predicted"] == pytest.approx(0.725) and market[0.7]["observed"] == 1.0


def test_the_api_gives_series_overall_and_reliability(scored, client):
    data = client.get("/api/forecasts/track-record").json()
    assert set(data) == {"series", "overall", "reliability", "minutesBeforeClose"}
    [series] = data["series"]
    assert set(series) == {"series", "list", "rank", "markets", "events", "ours", "market"}
    assert data["overall"]["markets"] == 4 and set(data["overall"]["ours"]) == {"brier", "logloss"}
    assert data["overall"]["ours"]["brier"] == pytest.approx(series["ours"]["brier"])
    assert data["reliability"]["bins"] == 10 and len(data["reliability"]["market"]) == 10
    assert data["minutesBeforeClose"] == 60


def test_an_empty_track_record_still_answers_every_key(client, settings, db):
    settings.KP_PUBLIC_READ = True
    data = client.get("/api/forecasts/track-record").json()
    assert data["series"] == [] and data["overall"]["markets"] == 0
    assert data["overall"]["ours"] == {"brier": None, "logloss": None}
    assert all(b["markets"] == 0 for b in data["reliability"]["ours"])


def test_the_page_shows_the_overall_row_and_the_reliability_chart(scored, client):
    page = client.get("/forecasts/").content.decode()
    assert 'class="track-record-overall"' in page and "All series" in page
    assert 'id="reliability-data"' in page and "js/reliability.js" in page
    assert 'class="reliability-bins"' in page
