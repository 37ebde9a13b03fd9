from django.core.management.base import BaseCommand, CommandError

from shows.models import Show
from shows.services import ShowNotFound, starter_watchlist_load, watchlist_add, watchlist_remove


class Command(BaseCommand):
    help = "Manage the watchlist: add, list, remove, starter."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="watch a show (created if new)")
        add.add_argument("title")
        add.add_argument("--season", default="")
        add.add_argument("--kind", choices=[k.value for k in Show.Kind], default=Show.Kind.TV)
        add.add_argument("--wikipedia", default="", help='article, e.g. "Wednesday_(TV_series)"')
        add.add_argument("--search-term", action="append", default=[], dest="search_terms")
        sub.add_parser("list", help="list watched shows")
        remove = sub.add_parser("remove", help="stop watching a show (its history stays)")
        remove.add_argument("show", help="id or title")
        sub.add_parser("starter", help="load the starter watchlist (only the first time)")

    def handle(self, *args, action: str, **options):
        if action == "add":
            try:
                show, created = watchlist_add(
                    title=options["title"],
                    season=options["season"],
                    kind=options["kind"],
                    wikipedia=options["wikipedia"],
                    search_terms=options["search_terms"],
                )
            except ValueError as exc:
                raise CommandError(str(exc)) from None
            self.stdout.write(f"{'added' if created else 'watching'} #{show.id} {show}")
        elif action == "list":
            shows = Show.objects.filter(on_watchlist=True)
            for show in shows:
                self.stdout.write(
                    f"#{show.id:<5} {str(show):40} wikipedia={show.wikipedia_article or '-'} "
                    f"terms={', '.join(show.search_terms) or '-'}"
                )
            self.stdout.write(f"{len(shows)} shows on the watchlist")
        elif action == "remove":
            try:
                show = watchlist_remove(ref=options["show"])
            except ShowNotFound as exc:
                raise CommandError(str(exc)) from None
            self.stdout.write(f"removed #{show.id} {show} from the watchlist (history kept)")
        elif action == "starter":
            loaded = starter_watchlist_load()
            self.stdout.write(
                f"loaded {loaded} starter shows" if loaded else "starter watchlist already loaded"
            )
