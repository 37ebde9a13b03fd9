from sources.spec import COUNT, DOLLARS, BaseUrl, Cadence, SourceSpec, WatchColumn

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
    metrics=(("yes_bid|yes_ask|last_price", DOLLARS), ("volume|open_interest", COUNT)),
    # Every Netflix market is read; a show's tickers only tie markets to it.
    show_fields=("kalshi_tickers",),
    watchlist=(WatchColumn("last_price", "Kalshi price"),),
)
