"""`manage.py import_daily_ranks PATH [--country US]`: a daily Top 10 file in The Numbers' format, stored as
FlixPatrol-shaped daily rank snapshots (sources/imports/daily_ranks.py says how the combined list is
split)."""

from dataclasses import replace
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Q

from shows.identity import show_refs_resolve
from shows.models import Show
from shows.names import normalize_title
from sources.imports.daily_ranks import ORIGIN, DailyRanksError, midnight, parse_daily_ranks, snapshots
from sources.models import Snapshot, Source
from sources.pipeline.store import snapshots_upsert

SOURCE_KEY = "flixpatrol"  # the same shape and identity rules as FlixPatrol's country charts
# The list shown on a day is out by mid-morning ET; reads "as of" a time before that do not see it.
AVAILABLE_AFTER = timedelta(hours=12)


def full_titles(cut: set[str]) -> dict[str, str]:
    """Cut titles ("Tiger King: Murder, Mayhem …") -> the one known show title they begin, if unique."""
    out = {}
    for title in cut:
        prefix = normalize_title(title.removesuffix("…"))
        if not prefix:
            continue
        found = set(
            Show.objects.filter(normalized_title__startswith=prefix).values_list("title", flat=True)[:5]
        )
        if len(found) == 1:
            out[title] = found.pop()
    return out


class Command(BaseCommand):
    help = (
        "Load a daily Top 10 CSV in The Numbers' format (data/README.md) as daily rank snapshots, TV "
        "and films as separate lists. Titles go through the shared identity rules; unmatched names go to "
        "the review list. A malformed file is refused whole, naming the line."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--country", default="US", help="ISO code of the file's country (default US)")

    def handle(self, *args, path: str, country: str, **options):
        country = country.strip().upper()
        if len(country) != 2 or not country.isalpha():
            raise CommandError(f"--country {country!r} is not an ISO 3166 code like US")
        try:
            with open(path, encoding="utf-8") as f:
                rows = parse_daily_ranks(f.read())
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror}") from None
        except (DailyRanksError, UnicodeDecodeError) as exc:
            raise CommandError(f"{path}: {exc}; nothing was stored") from None
        if not rows:
            raise CommandError(f"{path}: no rows; nothing was stored")
        source = Source.objects.filter(key=SOURCE_KEY).first()
        if source is None:
            raise CommandError("sources are not set up; run: python manage.py setup_sources")
        with transaction.atomic():
            titles = full_titles({r.title for r in rows if r.truncated})
            items = snapshots(rows, country=country, titles=titles)
            ids = show_refs_resolve(source_key=SOURCE_KEY, refs={i.show_ref for i in items})
            matched = [i for i in items if ids.get(i.show_ref)]
            by_day: dict = {}
            for item in matched:
                item = replace(item, show_id=ids[item.show_ref])
                by_day.setdefault(item.observed_at, []).append(item)
            # A day FlixPatrol's own chart is stored for keeps it: the two lists share one key space
            # (source, scope, day, rank), so storing both would mix two charts into one.
            charted = set(
                Snapshot.objects.filter(source=source, scope=country, period=Snapshot.Period.DAY)
                .filter(metric="rank", observed_at__in=by_day)
                # a row without the key is FlixPatrol's (exclude() alone would drop it: NULL in SQL)
                .filter(Q(attrs__origin__isnull=True) | ~Q(attrs__origin=ORIGIN))
                .values_list("observed_at", flat=True)
            )
            created = updated = unchanged = 0
            for day, day_items in sorted(by_day.items()):
                if day in charted:
                    continue
                shown = midnight(day.date()) + AVAILABLE_AFTER
                counts = snapshots_upsert(source=source, items=day_items, fetched_at=shown)
                created, updated, unchanged = (
                    created + counts.created,
                    updated + counts.updated,
                    unchanged + counts.unchanged,
                )
        unmatched = len(items) - len(matched)
        names = len({i.show_ref.title for i in items if not ids.get(i.show_ref)})
        self.stdout.write(
            f"{len(rows)} rows from {rows[0].shown_on} to {rows[-1].shown_on}: {len(matched)} matched a show "
            f"({len(titles)} cut titles completed), {unmatched} unmatched ({names} names on the review list)"
        )
        if charted:
            skipped = f"{len(charted)} days skipped: FlixPatrol's own {country} chart is stored for them"
            self.stdout.write(skipped)
        self.stdout.write(
            self.style.SUCCESS(f"stored: {created} new, {updated} updated, {unchanged} unchanged")
        )
