"""`manage.py demo_seed` (make demo only, KP_DEMO=true): the Tudum history the forecasts need, then a
prediction of every week a stored Kalshi market settles on, compared with its recorded price.

The demo's fake upstream serves the real Netflix files of data/tudum (the samples in tests/fixtures are
slices of them), so `backfill tudum` loads their weeks through the ordinary pipeline: those the US file
has (2021-07-04 … 2022-02-27, its weekly US lists and the global lists beside them, what the US model
fits on); the demo's scheduled Tudum run adds the newest global weeks (to 2025-08-10). The recorded
markets ask about 2026, years after the newest list: no prediction is made for them (forecasts/
freshness.py) and their cards say why. Nothing is invented: each value shown comes from a real file or
a recorded response.
"""

import time
from datetime import date, timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import OperationalError
from django.utils import timezone

from forecasts.markets.comparisons import comparisons_update, target_of
from forecasts.markets.targets import SERIES
from forecasts.services import NotEnoughHistory, predictions_store
from sources.models import Market
from sources.pipeline import backfill_progress
from sources.pipeline import runs as pipeline
from sources.pipeline.backfill import SourceBusy, source_backfill

# The demo's first scheduled Tudum run may hold the source's lock for a few seconds at start-up.
BUSY_RETRIES = 30
BUSY_PAUSE_SECONDS = 2
# The last week of data/tudum/all-weeks-countries.US.until-2022-02-27.tsv. Loading the global weeks
# after it too (to 2025) would hold SQLite's one write lock for half a minute and give the US model
# nothing: it reads the global list of the US weeks it fits on, and the newest one.
HISTORY_UNTIL = date(2022, 2, 27)
# One window: each Tudum run queues a forecasts refresh, and one is enough.
ONE_WINDOW = timedelta(weeks=52)


class Command(BaseCommand):
    help = "make demo only: load the Tudum history and predict the weeks of the stored Kalshi markets."

    def handle(self, *args, **options):
        if not settings.KP_DEMO:
            raise CommandError("demo_seed runs only in make demo (KP_DEMO=true): it loads sample history")
        self._backfill_tudum()
        self._wait_for_markets()
        now = timezone.now()
        for list_name, week in sorted(self._market_weeks()):
            try:
                rows = _when_unlocked(predictions_store, list_name=list_name, week=week, as_of=now)
            except NotEnoughHistory as exc:
                self.stdout.write(f"not predicted: {exc}")
                continue
            self.stdout.write(f"predicted {list_name}, week ending {week}: {len(rows)} outcomes")
        compared = _when_unlocked(comparisons_update, now=now)
        priced = sum(c.ours is not None for c in compared)
        self.stdout.write(f"compared {len(compared)} markets, {priced} with our probability")

    def _backfill_tudum(self) -> None:
        since = None
        for _ in range(BUSY_RETRIES):
            try:
                totals = source_backfill(
                    "tudum",
                    since=since,
                    until=HISTORY_UNTIL,
                    chunk=ONE_WINDOW,
                    on_window=backfill_progress.reporter("tudum"),  # shown on /sources
                )
            except SourceBusy as exc:
                since = exc.since
                time.sleep(BUSY_PAUSE_SECONDS)
                continue
            self.stdout.write(f"tudum: backfilled {totals.items} values in {totals.windows} windows")
            return
        raise CommandError(f"tudum stayed busy for {BUSY_RETRIES * BUSY_PAUSE_SECONDS}s; run demo_seed again")

    def _wait_for_markets(self) -> None:
        """The Kalshi run queued at start-up waits behind the starter shows' backfills in the worker;
        running it here (the same pipeline) shows the markets a minute sooner."""
        if not Market.objects.filter(series__in=SERIES).exists():
            pipeline.run("kalshi")  # skipped, harmlessly, if the worker's run holds the lock
        for _ in range(BUSY_RETRIES):
            if Market.objects.filter(series__in=SERIES).exists():
                return
            time.sleep(BUSY_PAUSE_SECONDS)
        self.stdout.write("no Kalshi market stored yet: the refresh compares them once the Kalshi run has")

    def _market_weeks(self) -> set[tuple[str, object]]:
        weeks = set()
        for market in Market.objects.filter(series__in=SERIES, settled_at__isnull=True):
            target = target_of(market)
            if target is not None:
                weeks.add((target.list_name, target.week))
        return weeks


def _when_unlocked(write, **kwargs):
    """SQLite has one write lock; the worker's refresh, queued by the backfill's run, may hold it for
    longer than the busy timeout while it predicts the running week."""
    for _ in range(BUSY_RETRIES):
        try:
            return write(**kwargs)
        except OperationalError as exc:
            if "locked" not in str(exc):
                raise
            time.sleep(BUSY_PAUSE_SECONDS)
    return write(**kwargs)
