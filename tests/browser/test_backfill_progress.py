"""A running backfill shows its progress (windows done of total) on /sources as it goes, through the
`backfill` event, without a reload."""

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from sources.pipeline import backfill_progress
from sources.pipeline.backfill import source_backfill

pytestmark = [pytest.mark.browser, pytest.mark.processes]


def test_each_window_of_a_backfill_updates_sources_without_a_reload(web, page, fake_upstream):
    page.goto(web + "/sources")
    expect(page.locator("#live")).to_have_text("live")
    expect(page.locator("#details-tudum .backfill-progress")).to_have_count(0)
    page.evaluate("window.notReloaded = true")
    publish = backfill_progress.reporter("tudum")  # what `manage.py backfill` passes as on_window
    count = page.locator("#details-tudum .backfill-count")
    seen = []

    def on_window(n, total, window_since, until, run):
        publish(n, total, window_since, until, run)
        # The backfill waits here until the page shows this window: each step is seen live.
        expect(count).to_have_text(f"{n} of {total} windows")
        seen.append(n)

    source_backfill(
        "tudum", since=date(2025, 7, 6), until=date(2025, 7, 26), chunk=timedelta(days=7), on_window=on_window
    )

    assert seen == [1, 2, 3]
    progress = page.locator("#details-tudum .backfill-progress")
    expect(progress).to_contain_text("Backfill finished")
    expect(progress.locator("progress")).to_have_attribute("value", "3")
    assert page.evaluate("window.notReloaded") is True
