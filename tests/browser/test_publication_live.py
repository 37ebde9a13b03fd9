"""A new Netflix Top 10 week shows on the open board the moment it lands, through the `publication` event."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from forecasts.watch.alerts import alerts_evaluate
from sources.base import SnapshotIn
from sources.models import Source
from sources.pipeline.store import snapshots_upsert

pytestmark = [pytest.mark.browser, pytest.mark.processes]


def test_a_new_week_appears_on_the_board_without_a_reload(web, page, django_capture_on_commit_callbacks):
    page.goto(web + "/")
    expect(page.locator("#live")).to_have_text("live")
    expect(page.locator("#publications [data-why=tudum]")).to_contain_text("No Tudum history yet")
    page.evaluate("window.notReloaded = true")

    now = timezone.now()
    monday = (now - timedelta(days=now.weekday() + 7)).replace(hour=0, minute=0, second=0, microsecond=0)
    tudum = Source.objects.get(key="tudum")
    items = [SnapshotIn("weekly_views", "week", monday, 9e6 - n, f"tv_english_{n}") for n in range(3)]
    # Stored without the pipeline's `snapshot` event: only the publication alert announces it.
    snapshots_upsert(source=tudum, items=items, fetched_at=now)
    with django_capture_on_commit_callbacks(execute=True):
        assert [a.kind for a in alerts_evaluate(now=now + timedelta(seconds=1))] == ["publication"]

    row = page.locator(f"#publications #week-{(monday + timedelta(days=6)):%Y-%m-%d}")
    expect(row).to_be_visible()
    expect(row.locator(".first-seen")).to_contain_text(f"{now:%H:%M} UTC")
    assert page.evaluate("window.notReloaded") is True
