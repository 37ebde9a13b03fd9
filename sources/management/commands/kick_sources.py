from django.core.management.base import BaseCommand

from sources.models import Source
from sources.pipeline import health
from sources.tasks import run_source


class Command(BaseCommand):
    help = "Queue one run now for every enabled source that has never succeeded or has gone stale."

    def handle(self, *args, **options):
        from django.utils import timezone

        now = timezone.now()
        # Beat's first tick of an interval schedule comes a whole interval after start-up; a newcomer
        # should see signals arrive in seconds, not in an hour.
        queued = []
        for source in Source.objects.filter(enabled=True).select_related("periodic_task__interval"):
            if health.compute(source, now) in (Source.Health.NEVER_RUN, Source.Health.STALE):
                run_source.delay(source.key)
                queued.append(source.key)
        self.stdout.write(f"queued: {', '.join(queued) or 'nothing'}")
