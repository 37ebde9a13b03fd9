from sources.spec import COUNT, DOLLARS, BaseUrl, Cadence, Setting, SourceSpec, WatchColumn

# The eight weekly Netflix event families; the slug's suffix changes every week (numeric until mid-2026,
# a timestamp since), so events are told apart by this prefix, never by a guessed full slug
# (/work/shared/VENUES.md A3).
DEFAULT_PREFIXES = [
    f"what-will-be-the-{rank}-{area}-netflix-{kind}-this-week"
    for rank in ("top", "2")
    for area in ("us", "global")
    for kind in ("show", "movie")
]

SPEC = SourceSpec(
    key="polymarket",
    name="Polymarket markets",
    runner="sources.polymarket.runner.PolymarketRunner",
    base_urls=(
        # Gamma: events, markets, rules text, close and resolution. Public, no key.
        BaseUrl("polymarket", "POLYMARKET_BASE_URL", "https://gamma-api.polymarket.com"),
        # CLOB: order books. Public reads, no key.
        BaseUrl("polymarket_clob", "POLYMARKET_CLOB_BASE_URL", "https://clob.polymarket.com"),
    ),
    cadences=(
        Cadence(
            "polymarket: market prices",
            "As Kalshi's: thin weekly markets, 15 minutes tracks their moves within Gamma's limits "
            "(500 /events requests per 10 s).",
            15,
            expires_seconds=12 * 60,
        ),
    ),
    metrics=(("yes_price|yes_bid|yes_ask|last_price", DOLLARS), ("volume|liquidity", COUNT)),
    settings=(
        # Netflix events are tagged top-netflix (and movies); the tag keeps discovery to one listing.
        Setting("POLYMARKET_TAG_SLUG", "top-netflix"),
        Setting("POLYMARKET_EVENT_PREFIXES", DEFAULT_PREFIXES),
        # Events per page of GET /events/keyset (the API allows up to 500).
        Setting("POLYMARKET_PAGE_LIMIT", 100, minimum=1),
        # A cursor loop that never ends (a repeated cursor is also caught) must not hold the worker.
        Setting("POLYMARKET_MAX_PAGES", 10, minimum=1),
        # Books (GET /book, one request per leg) read per run, soonest-closing legs first; 0: none.
        Setting("POLYMARKET_BOOK_MAX", 60, minimum=0),
    ),
    # Every Netflix event is read; the outcome names tie legs to shows.
    show_fields=(),
    watchlist=(WatchColumn("yes_price", "Polymarket price"),),
)
