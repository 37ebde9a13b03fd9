from sources.base import WatchedShow

from .models import Show


def watched_shows() -> list[WatchedShow]:
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
        for s in Show.objects.filter(on_watchlist=True).order_by("id")
    ]
