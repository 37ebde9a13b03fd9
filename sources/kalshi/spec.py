from sources.spec import CONTRACTS, DOLLARS, BaseUrl, Cadence, Setting, SourceSpec, WatchColumn

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


def _depth(value: int) -> int:
    if value > 100:
        raise ValueError("at most 100 (the API's limit)")
    return value


SPEC = SourceSpec(
    key="kalshi",
    name="Kalshi markets",
    runner="sources.kalshi.runner.KalshiRunner",
    base_urls=(BaseUrl("kalshi", "KALSHI_BASE_URL", "https://api.elections.kalshi.com"),),
    cadences=(
        Cadence(
            "kalshi: market prices",
            "Thin markets; 15 minutes tracks their moves.",
            15,
            expires_seconds=12 * 60,
        ),
    ),
    metrics=(("yes_bid|yes_ask|last_price", DOLLARS), ("volume|open_interest", CONTRACTS)),
    settings=(
        # The Netflix series (docs/stack-facts.md, Kalshi). A series Kalshi retires just lists no markets.
        Setting("KALSHI_SERIES", DEFAULT_SERIES),
        # Markets per page of GET /markets (the API allows up to 1000).
        Setting("KALSHI_PAGE_LIMIT", 200, minimum=1),
        # A cursor loop that never ends (a repeated cursor is also caught) must not hold the worker.
        Setting("KALSHI_MAX_PAGES", 20, minimum=1),
        # Settlement sources of a series hardly ever change: re-read GET /series/{ticker} once a day.
        Setting("KALSHI_SERIES_REFRESH_DAYS", 1, minimum=0),
        # Kalshi answers 429 without Retry-After; the first retry waits this long instead of none.
        Setting("KALSHI_MIN_BACKOFF_MS", 1000, minimum=0),
        # Order books (GET /markets/{ticker}/orderbook) read per run, soonest-closing markets first:
        # one request per market, so this bounds a run's requests against Kalshi's ~20 reads/s; 0: none.
        Setting("KALSHI_ORDERBOOK_MAX", 100, minimum=0),
        # Price levels per side of a book (the API allows up to 100): enough for KALSHI_ORDER_CONTRACTS.
        Setting("KALSHI_ORDERBOOK_DEPTH", 100, minimum=1, parse=_depth),
    ),
    # Every Netflix market is read; a show's tickers only tie markets to it.
    show_fields=("kalshi_tickers",),
    watchlist=(WatchColumn("last_price", "Kalshi price"),),
)
