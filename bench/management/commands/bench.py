"""`make bench` / `make bench-quick`: the benchmark suite (bench/), on a throwaway Postgres
database (bench_kalshi_predictions on DATABASE_URL's server), created and dropped here. Prints a table
and writes bench/results/<date>-<scale>.json; asserts nothing."""

from django.core.management.base import BaseCommand

from bench import run as bench_run


class Command(BaseCommand):
    help = "Benchmark metrics reads, ingest, export, stream, pages and backfill memory at real scale."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=list(bench_run.SCALES), default="full")
        parser.add_argument("--only", nargs="*", choices=bench_run.PARTS, help="run only these parts")
        parser.add_argument("--shows", type=int, help="override the scale's number of shows (trial runs)")
        parser.add_argument("--no-save", action="store_true", help="print only; write no result file")

    def handle(self, *args, scale: str, only, shows, no_save: bool, **options):
        def log(line: str) -> None:
            self.stdout.write(line)
            self.stdout.flush()

        result = bench_run.run(scale, parts=tuple(only or bench_run.PARTS), log=log, shows=shows)
        self.stdout.write("\n" + bench_run.table(result))
        if not no_save:
            self.stdout.write(f"\nwrote {bench_run.save(result)}")
