from django.db import transaction
from django.utils import timezone

from shows.identity import show_refs_resolve
from shows.models import SeedRecord, Show, normalize_title
from shows.refs import ShowRef
from shows.starter import STARTER_WATCHLIST

STARTER_SEED = "starter-watchlist-v1"


class ShowNotFound(LookupError):
    pass


def show_find(*, ref: str) -> Show:
    """A show by id or by title (case and punctuation do not matter)."""
    if ref.isdigit():
        show = Show.objects.filter(pk=int(ref)).first()
    else:
        matches = list(Show.objects.filter(normalized_title=normalize_title(ref))[:2])
        if len(matches) > 1:
            raise ShowNotFound(f"{ref!r} names several shows; use the id")
        show = matches[0] if matches else None
    if show is None:
        raise ShowNotFound(f"no show {ref!r}")
    return show


@transaction.atomic
def watchlist_add(
    *,
    title: str,
    season: str = "",
    kind: str = Show.Kind.TV,
    wikipedia: str = "",
    search_terms: list[str] | None = None,
) -> tuple[Show, bool]:
    title = title.strip()
    if not title:
        raise ValueError("a title is required")
    # The same identity rules as every source: "Wednesday" finds the show Tudum knows as its current
    # season, and a typed "wednesday: season 2" finds ("Wednesday", "Season 2").
    started = timezone.now()
    ref = ShowRef(title=title, season=season.strip(), kind=kind, create=True)
    show_id = show_refs_resolve(source_key="watchlist", refs={ref})[ref]
    if show_id is None:
        raise ValueError(f"{title!r} does not name a show")
    show = Show.objects.get(pk=show_id)
    created = show.created_at >= started
    show.on_watchlist = True
    if wikipedia:
        show.wikipedia_article = wikipedia
    for term in search_terms or []:
        if term.strip() and term.strip() not in show.search_terms:
            show.search_terms.append(term.strip())
    show.full_clean(exclude=["normalized_title"], validate_unique=False)
    show.save()
    return show, created


def watchlist_set(*, show: Show, watched: bool) -> Show:
    """Watch or unwatch a show; history stays. save(), not update(): joining the watchlist queues the
    show's backfill (sources/receivers.py)."""
    if show.on_watchlist != watched:
        show.on_watchlist = watched
        show.save(update_fields=["on_watchlist", "updated_at"])
    return show


def watchlist_remove(*, ref: str) -> Show:
    """Unwatch a show by id or title; its stored history stays."""
    return watchlist_set(show=show_find(ref=ref), watched=False)


@transaction.atomic
def starter_watchlist_load() -> int:
    """Load the starter watchlist once; later runs (and removed shows) are left alone."""
    _, first_time = SeedRecord.objects.get_or_create(name=STARTER_SEED)
    if not first_time:
        return 0
    for title, kind, article, terms in STARTER_WATCHLIST:
        watchlist_add(title=title, kind=kind, wikipedia=article, search_terms=terms)
    return len(STARTER_WATCHLIST)
