"""`make bench` (part): wall time of the US backtests over every week with daily lists. Prints only."""

import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from forecasts.backtests.us_lists import file_charts, run_us_backtest
from forecasts.history.global_lists import load_history
from forecasts.history.us_lists import US_LISTS, global_ranks, load_country_history
from sources.imports.daily_ranks import parse_daily_ranks

DATA = Path(settings.BASE_DIR) / "data"
GLOBAL = DATA / "tudum" / "all-weeks-global.until-2025-08-10.tsv"
COUNTRY = DATA / "tudum" / "all-weeks-countries.US.until-2022-02-27.tsv"
DAILY = DATA / "daily" / "us-daily-top10.until-2021-11-01.csv"
KIND = {"US TV": "tv", "US Films": "films"}


class Command(BaseCommand):
    help = "Time the US TV and US Films walk-forward backtests with the daily lists (all weeks)."

    def handle(self, *args, **options):
        began = time.monotonic()
        history, us = load_history(GLOBAL), load_country_history(COUNTRY)
        rows = parse_daily_ranks(DAILY.read_text(encoding="utf-8"))
        loaded = time.monotonic() - began
        self.stdout.write(f"US backtest with daily lists (files read in {loaded:.2f}s):")
        total = loaded
        for name, (_, lists) in US_LISTS.items():
            t = time.monotonic()
            result = run_us_backtest(
                us[name], global_ranks([history[n] for n in lists]), charts=file_charts(rows, KIND[name])
            )
            took = time.monotonic() - t
            total += took
            self.stdout.write(
                f"  {name}: {result['weeks']} weeks ({result['weeks_with_daily_lists']} with daily lists) "
                f"in {took:.2f}s"
            )
        self.stdout.write(f"  both lists, files included: {total:.2f}s wall")
