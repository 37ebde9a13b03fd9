"""Our probability beside each Kalshi market's, through the real Kalshi pipeline and fixtures."""

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone

from forecasts.markets.comparisons import binary_log_loss, comparisons_update
from forecasts.models import MarketComparison, Prediction
from forecasts.selectors import market_probabilities, track_record
from shows.models import Show
from sources.models import Snapshot
from tests.fakeupstream import Reply, fixture_text

NOW = datetime(2026, 7, 20, 14, 30, tzinfo=UTC)  # Monday: the week is over, the market still open
CLOSE = datetime(2026, 7, 21, 3, 59, tzinfo=UTC)
SETTLED = datetime(2026, 7, 22, 12, 0, tzinfo=UTC)
WEEK = date(2026, 7, 19)
LIT, IWI, THE, AVA = (f"KXNETFLIXRANKSHOW-26JUL20-{s}" for s in ("LIT", "IWI", "THE", "AVA"))
OURS = {"Little House on the Prairie": 0.5, "I Will Find You": 0.3}  # The Hawk, Avatar: not candidates
NEW_SHOW = 0.2


@pytest.fixture(autouse=True)
def _one_series(settings):
    settings.KALSHI_SERIES = ["KXNETFLIXRANKSHOW"]


@pytest.fixture
def shows(db):
    return {
        "Little House on the Prairie": Show.objects.create(
            title="Little House on the Prairie", season="Season 1"
        ),
        "I Will Find You": Show.objects.create(title="I Will Find You", season="Limited Series"),
    }


def store_predictions(shows, *, made_at: datetime, ours=OURS, new=NEW_SHOW) -> None:
    rows = [Prediction(show=shows[title], title=title, p_rank1=p, p_rank2=p) for title, p in ours.items()] + [
        Prediction(title="A show not yet seen", is_new_show=True, p_rank1=new, p_rank2=new)
    ]
    for row in rows:
        row.list_name, row.week, row.mode, row.model_version, row.made_at = (
            "US TV",
            WEEK,
            "nowcast",
            "t",
            made_at,
        )
    Prediction.objects.bulk_create(rows)


def run_kalshi(run_source, now: datetime, *, status: str = "ok") -> None:
    """A run as if made at `now`: the pipeline stamps fetched_at with the real clock, these tests
    live in July 2026, so the rows of this run get `now` as their fetch time."""
    started = timezone.now()
    run = run_source("kalshi", now=now)
    assert run.status == status, run.error
    Snapshot.objects.filter(source__key="kalshi", fetched_at__gte=started).update(fetched_at=now)


def settle(run_source, fake_upstream) -> None:
    fake_upstream.queue(r"^/trade-api/v2/markets$", Reply(200, fixture_text("kalshi/markets_empty.json")))
    # Nothing listed open any more is noted (a partial run); the closed markets still settle.
    run_kalshi(run_source, SETTLED, status="partial")


def test_open_markets_get_our_probability_the_mid_price_and_the_difference(run_source, shows):
    run_kalshi(run_source, NOW)
    store_predictions(shows, made_at=NOW - timedelta(hours=1))
    comparisons_update(now=NOW + timedelta(minutes=1))
    got = market_probabilities([LIT, IWI, THE, AVA])
    assert got[LIT]["ours"] == 0.5 and got[LIT]["market"] == pytest.approx(0.725)  # (0.71 + 0.74) / 2
    assert got[LIT]["diff"] == pytest.approx(0.5 - 0.725)
    assert got[IWI]["ours"] == 0.3
    # Outcomes we have no candidate for share "a show not yet seen" equally.
    assert got[THE]["ours"] == got[AVA]["ours"] == pytest.approx(NEW_SHOW / 2)
    assert MarketComparison.objects.get(market__ticker=THE).ours_from_new_show
    assert MarketComparison.objects.get(market__ticker=LIT).list_name == "US TV"


def test_settling_a_fixture_market_records_both_scores(run_source, fake_upstream, shows):
    run_kalshi(run_source, NOW)
    store_predictions(shows, made_at=NOW - timedelta(hours=1))
    comparisons_update(now=NOW + timedelta(minutes=1))
    settle(run_source, fake_upstream)

    comparisons_update(now=SETTLED)

    lit = MarketComparison.objects.get(market__ticker=LIT)
    assert lit.outcome is True and lit.scored_at == SETTLED
    assert lit.ours_brier == pytest.approx((0.5 - 1) ** 2)
    assert lit.market_brier == pytest.approx((0.725 - 1) ** 2)
    assert lit.ours_logloss == pytest.approx(binary_log_loss(0.5, True))
    assert lit.market_logloss == pytest.approx(binary_log_loss(0.725, True))
    iwi = MarketComparison.objects.get(market__ticker=IWI)
    assert iwi.outcome is False and iwi.ours_brier == pytest.approx(0.3**2)
    assert iwi.market_brier == pytest.approx(0.225**2)  # (0.21 + 0.24) / 2
    [record] = track_record()
    assert (record["series"], record["markets"], record["events"]) == ("KXNETFLIXRANKSHOW", 4, 1)
    scored = MarketComparison.objects.all()
    assert record["ours_brier"] == pytest.approx(sum(c.ours_brier for c in scored) / 4)


def test_scores_use_only_what_was_known_an_hour_before_the_close(run_source, fake_upstream, shows):
    run_kalshi(run_source, NOW)
    store_predictions(shows, made_at=NOW - timedelta(hours=1))
    # Made after the close (e.g. when the list was out): never part of the score.
    store_predictions(shows, made_at=CLOSE + timedelta(hours=1), ours={"Little House on the Prairie": 0.99})
    settle(run_source, fake_upstream)  # also stores the hourly candles and the settled 0/1 quotes

    comparisons_update(now=SETTLED)

    lit = MarketComparison.objects.get(market__ticker=LIT)
    assert (lit.ours, lit.prediction_made_at) == (0.5, NOW - timedelta(hours=1))
    assert lit.market_price == pytest.approx(0.725) and lit.price_observed_at <= CLOSE - timedelta(hours=1)
    assert lit.as_of == CLOSE - timedelta(hours=1)


def moved_prices(bid: str, ask: str) -> str:
    """The open-markets fixture with Little House's quote moved, as it might be in the last hour."""
    page = json.loads(fixture_text("kalshi/markets_KXNETFLIXRANKSHOW_open.json"))
    lit = next(m for m in page["markets"] if m["ticker"] == LIT)
    lit |= {"yes_bid_dollars": bid, "yes_ask_dollars": ask, "last_price_dollars": ask}
    return json.dumps(page)


def last_hour(run_source, fake_upstream, shows) -> None:
    """An hour before the close: 0.5 ours, 0.725 the market. In the last half hour both move to
    near certainty, as prices do once the outcome is all but known."""
    run_kalshi(run_source, NOW)
    store_predictions(shows, made_at=NOW - timedelta(hours=1))
    late = CLOSE - timedelta(minutes=30)
    fake_upstream.queue(r"^/trade-api/v2/markets$", Reply(200, moved_prices("0.9700", "0.9900")))
    run_kalshi(run_source, late)
    store_predictions(shows, made_at=late, ours={"Little House on the Prairie": 0.95})
    settle(run_source, fake_upstream)


def test_a_settled_fixture_market_is_scored_an_hour_before_its_close_not_at_it(
    run_source, fake_upstream, shows
):
    last_hour(run_source, fake_upstream, shows)

    comparisons_update(now=SETTLED)

    lit = MarketComparison.objects.get(market__ticker=LIT)
    assert lit.as_of == CLOSE - timedelta(hours=1)
    assert (lit.ours, lit.market_price) == (0.5, pytest.approx(0.725))
    assert lit.ours_brier == pytest.approx(0.25) and lit.market_brier == pytest.approx(0.275**2)


def test_the_scoring_time_before_the_close_is_a_setting(run_source, fake_upstream, shows, settings):
    settings.TRACK_RECORD_MINUTES_BEFORE_CLOSE = 0
    last_hour(run_source, fake_upstream, shows)

    comparisons_update(now=SETTLED)

    lit = MarketComparison.objects.get(market__ticker=LIT)
    assert lit.as_of == CLOSE
    assert (lit.ours, lit.market_price) == (0.95, pytest.approx(0.98))  # (0.97 + 0.99) / 2


def test_a_scored_comparison_never_changes_again(run_source, fake_upstream, shows):
    run_kalshi(run_source, NOW)
    store_predictions(shows, made_at=NOW - timedelta(hours=1))
    settle(run_source, fake_upstream)
    comparisons_update(now=SETTLED)
    before = list(MarketComparison.objects.order_by("pk").values())
    Prediction.objects.update(p_rank1=0.01)
    comparisons_update(now=SETTLED + timedelta(days=1))
    assert list(MarketComparison.objects.order_by("pk").values()) == before


def test_api_and_page_show_the_comparison_and_track_record(
    run_source, fake_upstream, shows, client, settings
):
    settings.KP_PUBLIC_READ = True
    run_kalshi(run_source, NOW)
    store_predictions(shows, made_at=NOW - timedelta(hours=1))
    comparisons_update(now=NOW + timedelta(minutes=1))
    rows = client.get("/api/forecasts/markets").json()
    lit = next(r for r in rows if r["ticker"] == LIT)
    assert (lit["ours"], lit["list"], lit["rank"], lit["week"]) == (0.5, "US TV", 1, "2026-07-19")
    assert lit["market"] == pytest.approx(0.725) and lit["diff"] == pytest.approx(-0.225)
    assert client.get("/api/forecasts/track-record").json()["series"] == []
    page = client.get("/forecasts/").content.decode()
    assert "Little House on the Prairie: Season 1" in page and "No settled market" in page

    settle(run_source, fake_upstream)
    comparisons_update(now=SETTLED)
    [record] = client.get("/api/forecasts/track-record").json()["series"]
    assert record["markets"] == 4 and set(record["ours"]) == {"brier", "logloss"}
    assert "KXNETFLIXRANKSHOW" in client.get("/forecasts/").content.decode()


def test_reads_follow_the_project_permission(client, settings, db):
    settings.KP_PUBLIC_READ = False
    assert client.get("/api/forecasts/markets").status_code == 401
    assert client.get("/forecasts/").status_code == 302


def test_the_forecasts_page_answers_htmx_with_its_live_part(client, settings, db):
    settings.KP_PUBLIC_READ = True
    page = client.get("/forecasts/").content.decode()
    assert 'hx-get="/forecasts/"' in page and "<html" in page
    live = client.get("/forecasts/", headers={"HX-Request": "true"})
    assert "Track record" in live.content.decode() and "<html" not in live.content.decode()
    assert "HX-Request" in live["Vary"]


def test_a_one_sided_book_has_no_mid_and_the_last_trade_is_the_market_price(run_source, fake_upstream, shows):
    # Nobody bids (Kalshi says 0): the mid would be 0.37, a price nobody offered; the last trade is 0.74.
    fake_upstream.queue(r"^/trade-api/v2/markets$", Reply(200, moved_prices("0.0000", "0.7400")))
    run_kalshi(run_source, NOW)
    store_predictions(shows, made_at=NOW - timedelta(hours=1))
    comparisons_update(now=NOW + timedelta(minutes=1))
    assert market_probabilities([LIT])[LIT]["market"] == pytest.approx(0.74)


def test_a_settled_market_without_a_close_time_is_never_scored_on_what_came_after(
    run_source, fake_upstream, shows
):
    from sources.models import Market

    run_kalshi(run_source, NOW)
    store_predictions(shows, made_at=NOW - timedelta(hours=1))
    settle(run_source, fake_upstream)
    Market.objects.filter(ticker=LIT).update(close_time=None)
    # made after the settlement: scoring "now" would read it
    store_predictions(shows, made_at=SETTLED, ours={"Little House on the Prairie": 0.99})

    comparisons_update(now=SETTLED + timedelta(minutes=1))

    lit = MarketComparison.objects.get(market__ticker=LIT)
    assert lit.outcome is True and lit.ours_brier is None and lit.market_brier is None
    assert lit.ours is None and lit.market_price is None
    [record] = track_record()
    assert record["markets"] == 3  # the other three of the event, scored an hour before their close
