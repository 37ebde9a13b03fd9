"""Source key -> runner class, imported lazily so a broken source cannot break the others."""

from importlib import import_module

from .base import Runner

SOURCES: dict[str, tuple[str, str]] = {
    # key: (display name, dotted path of the runner class; "" until the source is built)
    "tudum": ("Netflix Tudum Top 10", "sources.tudum.runner.TudumRunner"),
    "flixpatrol": ("FlixPatrol", "sources.flixpatrol.runner.FlixPatrolRunner"),
    "x": ("X (Twitter)", "sources.x.runner.XRunner"),
    "tiktok": ("TikTok", "sources.tiktok.runner.TikTokRunner"),
    "reddit": ("Reddit", "sources.reddit.runner.RedditRunner"),
    "google_trends": ("Google Trends", "sources.google_trends.runner.GoogleTrendsRunner"),
    "youtube": ("YouTube trailers", "sources.youtube.runner.YouTubeRunner"),
    "wikipedia": ("Wikipedia pageviews", "sources.wikipedia.runner.WikipediaRunner"),
    "kalshi": ("Kalshi markets", "sources.kalshi.runner.KalshiRunner"),
}


class UnknownSource(KeyError):
    pass


class NotBuilt(LookupError):
    pass


def get_runner(key: str) -> Runner:
    if key not in SOURCES:
        raise UnknownSource(f"unknown source {key!r}; known: {', '.join(SOURCES)}")
    dotted = SOURCES[key][1]
    if not dotted:
        raise NotBuilt(f"source {key!r} has no runner yet")
    module_name, class_name = dotted.rsplit(".", 1)
    return getattr(import_module(module_name), class_name)()
