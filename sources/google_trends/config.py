"""Google Trends' settings: declared in its spec, read once by settings, gathered here for the runner."""

from dataclasses import dataclass

from django.conf import settings

# Google compares at most five terms per request; one slot always holds the anchor.
TERMS_PER_REQUEST = 5


@dataclass(frozen=True)
class Config:
    anchor: str
    geo: str
    timeframe: str
    hourly_timeframe: str
    pause_seconds: int
    backoff_seconds: int
    max_wait_seconds: int


def load() -> Config:
    return Config(
        anchor=settings.GOOGLE_TRENDS_ANCHOR,
        geo=settings.GOOGLE_TRENDS_GEO,
        timeframe=settings.GOOGLE_TRENDS_TIMEFRAME,
        hourly_timeframe=settings.GOOGLE_TRENDS_HOURLY_TIMEFRAME,
        pause_seconds=settings.GOOGLE_TRENDS_PAUSE_SECONDS,
        backoff_seconds=settings.GOOGLE_TRENDS_BACKOFF_SECONDS,
        max_wait_seconds=settings.GOOGLE_TRENDS_MAX_WAIT_SECONDS,
    )
