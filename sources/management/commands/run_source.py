from django.core.management.base import BaseCommand, CommandError

from sources import registry
from sources.models import Snapshot, Source
from sources.pipeline import runs as pipeline


class Command(BaseCommand):
    help = "Run one source once in the foreground and print what it stored."

    def add_arguments(self, parser):
        parser.add_argument("key", choices=registry.keys())

    def handle(self, *args, key: str, **options):
        if not Source.objects.filter(key=key).exists():
            raise CommandError("sources are not set up; run: python manage.py setup_sources")
        run = pipeline.run(key)
        source = Source.objects.get(key=key)
        if run is None:
            raise CommandError(f"{key} did not run: {source.health}. {source.last_error}".strip())
        self.stdout.write(
            f"{key}: {run.status} in {run.duration_seconds or 0:.1f}s — {run.requests} requests, "
            f"{run.items} values: {run.created} new, {run.updated} updated, "
            f"{run.unchanged} unchanged"
        )
        if run.error:
            self.stdout.write(f"  errors: {run.error}")
        rows = (
            Snapshot.objects.filter(source=source, fetched_at__gte=run.started_at)
            .select_related("show")
            .order_by("show__title", "metric", "scope", "observed_at")
        )
        for row in rows[:200]:
            self.stdout.write(
                f"  {row.show or '-'} {row.metric} {row.scope} {row.period} "
                f"{row.observed_at:%Y-%m-%d %H:%M} = {row.value:g}"
            )
        if run.status == run.Status.FAILED:
            raise CommandError(run.error)
