"""Google Trends settings, read from the environment with the project's strict parsers."""

from dataclasses import dataclass

from kalshi_predictions.env import env_int, env_str

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
        # The same term in every batch, so batches (each scaled 0-100 by Google) can be put on one scale.
        anchor=env_str("GOOGLE_TRENDS_ANCHOR", "Netflix").strip() or "Netflix",
        geo=env_str("GOOGLE_TRENDS_GEO", "US").strip().upper(),
        timeframe=env_str("GOOGLE_TRENDS_TIMEFRAME", "today 1-m"),  # daily points
        hourly_timeframe=env_str("GOOGLE_TRENDS_HOURLY_TIMEFRAME", "now 7-d"),  # hourly points
        # Google throttles bursts; a pause between batches costs little on a daily schedule.
        pause_seconds=env_int("GOOGLE_TRENDS_PAUSE_SECONDS", 5, minimum=0),
        backoff_seconds=env_int("GOOGLE_TRENDS_BACKOFF_SECONDS", 10, minimum=0),
        # All 429 back-off of one run together; past it the run fails and the next scheduled one retries,
        # so a throttled Trends never holds the worker away from the other sources for long.
        max_wait_seconds=env_int("GOOGLE_TRENDS_MAX_WAIT_SECONDS", 120, minimum=0),
    )
