"""Kalshi settings, read once from the environment with the project's strict readers."""

from kalshi_predictions.env import env_int, env_list

# The Netflix series (SOURCES.md §9). A series Kalshi retires just lists no markets.
DEFAULT_SERIES = [
    "KXNETFLIXRANKSHOW",
    "KXNETFLIXRANKSHOWGLOBAL",
    "KXNETFLIXRANKMOVIE",
    "KXNETFLIXRANKMOVIEGLOBAL",
    "KXNETFLIXRANKSHOWRUNNERUP",
    "KXNETFLIXRANKMOVIERUNNERUP",
    "KXNETFLIXRANKSHOWGLOBAL2",
    "KXNETFLIXTOPVIEWSTV",
    "KXNETFLIXTOPVIEWSMOVIE",
]

SERIES: list[str] = env_list("KALSHI_SERIES", DEFAULT_SERIES)

# Markets per page of GET /markets (the API allows up to 1000).
PAGE_LIMIT: int = env_int("KALSHI_PAGE_LIMIT", 200, minimum=1)

# A cursor loop that never ends (a repeated cursor is also caught) must not hold the worker.
MAX_PAGES: int = env_int("KALSHI_MAX_PAGES", 20, minimum=1)

# Settlement sources of a series hardly ever change: re-read GET /series/{ticker} once a day.
SERIES_REFRESH_DAYS: int = env_int("KALSHI_SERIES_REFRESH_DAYS", 1, minimum=0)

# Kalshi answers 429 without Retry-After; the first retry waits this long instead of none.
MIN_BACKOFF_SECONDS: float = env_int("KALSHI_MIN_BACKOFF_MS", 1000, minimum=0) / 1000

# Candle width for the history of settled markets, in minutes (Kalshi allows 1, 60, 1440).
CANDLE_INTERVAL = 60
