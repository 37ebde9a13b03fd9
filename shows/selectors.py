from django.db.models import Q, QuerySet

from shows.models import Alias, Show, normalize_title


def show_search(*, query: str = "", watchlist: bool | None = None) -> QuerySet[Show]:
    """Shows whose title, normalized title or alias contains the query; optionally only watched ones."""
    shows = Show.objects.all()
    if watchlist is not None:
        shows = shows.filter(on_watchlist=watchlist)
    query = query.strip()
    if query:
        normalized = normalize_title(query)
        match = Q(title__icontains=query)
        if normalized:
            match |= Q(normalized_title__contains=normalized)
        names = Q(name__icontains=query)
        if normalized:
            names |= Q(normalized__icontains=normalized)
        match |= Q(pk__in=Alias.objects.filter(names).values("show_id"))
        shows = shows.filter(match)
    return shows.order_by("title", "season", "id")


def show_aliases(*, show: Show) -> list[str]:
    return sorted(set(Alias.objects.filter(show=show).values_list("name", flat=True)))
