"""`manage.py setup_forecasts`: an optional beat entry refreshing forecasts every 15 minutes.

Not needed while Kalshi runs: each finished Kalshi, FlixPatrol or Tudum run already queues a refresh
(forecasts/tasks.py). Idempotent; an entry edited in admin is left alone.
"""

from django.core.management.base import BaseCommand

from forecasts.services import forecasts_setup


class Command(BaseCommand):
    help = "Create the 'forecasts: refresh' periodic task (every 15 minutes) if it does not exist."

    def handle(self, *args, **options):
        created = forecasts_setup()
        self.stdout.write("created 'forecasts: refresh'" if created else "'forecasts: refresh' exists")
