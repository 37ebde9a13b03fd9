from django.db.models import F, Q, QuerySet, Window
from django.db.models.functions import RowNumber

from sources.base import WatchedShow
from sources.models import Snapshot

from .models import Alias, Show, normalize_title


def watched_shows(*, show_id: int | None = None) -> list[WatchedShow]:
    """The watchlist as runners see it; with show_id, that one show whether watched or not (backfill)."""
    shows = Show.objects.filter(pk=show_id) if show_id else Show.objects.filter(on_watchlist=True)
    return [
        WatchedShow(
            id=s.id,
            title=s.title,
            season=s.season,
            wikipedia_article=s.wikipedia_article,
            wikipedia_project=s.wikipedia_project,
            youtube_trailer_ids=tuple(s.youtube_trailer_ids),
            subreddits=tuple(s.subreddits),
            hashtags=tuple(s.hashtags),
            search_terms=tuple(s.search_terms),
            flixpatrol_slug=s.flixpatrol_slug,
            kalshi_tickers=tuple(s.kalshi_tickers),
        )
        for s in shows.order_by("id")
    ]


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


def show_latest_values(*, show_id: int) -> list[dict]:
    """The newest value of each (source, metric, scope, period) series of a show, in one query."""
    series = [F("source_id"), F("metric"), F("scope"), F("period")]
    rows = (
        Snapshot.objects.filter(show_id=show_id)
        .annotate(
            newest_first=Window(
                RowNumber(), partition_by=series, order_by=[F("observed_at").desc(), F("id").desc()]
            )
        )
        .filter(newest_first=1)
        .order_by("source__key", "metric", "scope", "period")
        .values("source__key", "metric", "scope", "period", "observed_at", "value", "fetched_at")
    )
    return [
        {
            "source": r["source__key"],
            "metric": r["metric"],
            "scope": r["scope"],
            "period": r["period"],
            "observedAt": r["observed_at"],
            "value": r["value"],
            "fetchedAt": r["fetched_at"],
        }
        for r in rows
    ]
