"""The periodic refresh: predictions for the weeks markets ask about, comparisons, alerts."""

from datetime import UTC, datetime, timedelta

from forecasts import tasks
from forecasts.models import MarketComparison, Prediction
from forecasts.refresh import forecasts_refresh, running_week
from forecasts.services import forecasts_setup
from sources.models import Market

NOW = datetime(2026, 7, 20, 14, 0, tzinfo=UTC)


def test_running_week_ends_on_the_coming_sunday_eastern():
    assert (
        running_week(datetime(2026, 7, 20, 3, 0, tzinfo=UTC)).isoformat() == "2026-07-19"
    )  # Sunday 23:00 ET
    assert running_week(NOW).isoformat() == "2026-07-26"


def test_refresh_without_history_skips_predictions_but_compares_markets(sources_ready):
    Market.objects.create(
        ticker="KXNETFLIXRANKSHOW-26JUL20-LIT",
        series="KXNETFLIXRANKSHOW",
        event_ticker="KXNETFLIXRANKSHOW-26JUL20",
        status="active",
        close_time=NOW + timedelta(hours=14),
    )
    report = forecasts_refresh(now=NOW)
    assert report["predictions"] == 0 and any("US TV" in s for s in report["skipped"])
    comparison = MarketComparison.objects.get()
    assert (comparison.list_name, comparison.week.isoformat(), comparison.ours) == (
        "US TV",
        "2026-07-19",
        None,
    )
    assert not Prediction.objects.exists()


def test_setup_creates_the_refresh_task_once(db):
    assert forecasts_setup() is True
    assert forecasts_setup() is False


def test_a_committed_kalshi_run_queues_a_refresh_and_other_sources_do_not(monkeypatch):
    from sources.dispatch import run_committed
    from sources.models import Source

    queued = []
    monkeypatch.setattr(tasks.refresh_forecasts, "delay", lambda: queued.append(1))
    run_committed.send(sender=Source, key="kalshi", run=None)
    run_committed.send(sender=Source, key="wikipedia", run=None)
    assert queued == [1]
