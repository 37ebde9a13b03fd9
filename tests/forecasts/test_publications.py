"""Publication watch: the first appearance of each Tudum week survives re-fetches, a later change flags
the week as corrected, and a new week is announced once (alert + `publication` event)."""

from datetime import UTC, datetime, timedelta

import pytest

from forecasts.models import Alert
from forecasts.watch.alerts import alerts_evaluate
from forecasts.watch.publications import tudum_publications
from sources.base import SnapshotIn
from sources.live import events
from sources.models import Source
from sources.pipeline.store import snapshots_upsert

WEEK = datetime(2026, 7, 13, tzinfo=UTC)  # Monday; the chart of Jul 13–19 is published Tue Jul 21
FIRST = datetime(2026, 7, 21, 19, 2, tzinfo=UTC)


def _store(fetched_at, week=WEEK, views=(9_100_000, 4_300_000)):
    tudum = Source.objects.get(key="tudum")
    # One row per title of the list; the scope stands in for the show here.
    items = [SnapshotIn("weekly_views", "week", week, v, f"tv_english_{n}") for n, v in enumerate(views)]
    return snapshots_upsert(source=tudum, items=items, fetched_at=fetched_at)


@pytest.fixture
def announced(monkeypatch):
    sent = []
    monkeypatch.setattr(events, "announce", lambda key, kind, data, show_ids=(): sent.append((kind, data)))
    return sent


def test_a_week_keeps_the_time_it_first_appeared_when_fetched_again(sources_ready):
    _store(FIRST)
    _store(FIRST + timedelta(hours=5))  # the same values: nothing changes
    _store(FIRST + timedelta(days=1), views=(9_100_000, 4_400_000))  # one value corrected
    [week] = tudum_publications()
    assert week["firstSeen"] == FIRST
    assert str(week["weekEnd"]) == "2026-07-19" and str(week["publishedOn"]) == "2026-07-21"
    assert week["corrected"] is True and week["correctedValues"] == 1
    assert week["lastCorrection"] == FIRST + timedelta(days=1)


def test_a_week_never_changed_is_not_flagged(sources_ready):
    _store(FIRST)
    _store(FIRST + timedelta(days=1))
    [week] = tudum_publications()
    assert week["corrected"] is False and week["correctedValues"] == 0


def test_a_new_week_raises_one_publication_alert_and_event(sources_ready, announced):
    _store(FIRST)
    raised = alerts_evaluate(now=FIRST + timedelta(minutes=1))
    assert [a.kind for a in raised] == [Alert.Kind.PUBLICATION]
    assert "Jul 13–Jul 19, 2026 first appeared Tue 19:02 UTC" in raised[0].message
    kinds = [kind for kind, _ in announced]
    assert kinds == ["alert", "publication"]
    assert announced[1][1]["payload"]["weekEnd"] == "2026-07-19"
    # Later refreshes, on that day or the next, do not announce it again.
    assert alerts_evaluate(now=FIRST + timedelta(hours=2)) == []
    assert alerts_evaluate(now=FIRST + timedelta(days=1)) == []


def test_a_correction_after_publication_raises_a_correction_alert(sources_ready, announced):
    _store(FIRST)
    alerts_evaluate(now=FIRST + timedelta(minutes=1))
    _store(FIRST + timedelta(days=1), views=(9_000_000, 4_300_000))
    [alert] = alerts_evaluate(now=FIRST + timedelta(days=1, minutes=1))
    assert alert.kind == Alert.Kind.CORRECTION
    assert "markets settle on the first version" in alert.message


def test_only_the_newest_week_is_announced_and_old_news_is_not(sources_ready, announced):
    # A history load stores many weeks at once: only the newest one is news.
    for back in range(5):
        _store(FIRST, week=WEEK - timedelta(weeks=back))
    raised = alerts_evaluate(now=FIRST + timedelta(minutes=1))
    assert [a.subject for a in raised] == ["tudum|2026-07-19"]
    # A week first seen days ago is old news, even if never announced.
    Alert.objects.all().delete()
    assert alerts_evaluate(now=FIRST + timedelta(days=3)) == []


def test_a_week_first_loaded_long_after_its_tuesday_is_not_announced(sources_ready, announced):
    # A first install (or a history backfill) on Friday stores the week published on Tuesday: that
    # "first appeared Fri" would be our load, not Netflix's publication.
    friday = FIRST + timedelta(days=3)
    _store(friday)
    assert alerts_evaluate(now=friday + timedelta(minutes=1)) == []
    assert announced == []
