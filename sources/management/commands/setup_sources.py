from django.core.management.base import BaseCommand

from sources.services import sources_setup


class Command(BaseCommand):
    help = "Create the registered sources and their default schedules (never overwrites edited schedules)."

    def handle(self, *args, **options):
        report = sources_setup()
        for line in report:
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(f"sources ready ({len(report)} changes)"))
