from sources.spec import COUNT, BaseUrl, Cadence, QuotaPolicy, Setting, SourceSpec, WatchColumn

SPEC = SourceSpec(
    key="x",
    name="X (Twitter)",
    runner="sources.x.runner.XRunner",
    base_urls=(BaseUrl("x", "X_BASE_URL", "https://api.x.com"),),
    cadences=(Cadence("x: post counts", "Recent counts move hourly.", 60, expires_seconds=50 * 60),),
    metrics=(("post_count", COUNT),),
    credentials=("X_BEARER_TOKEN",),
    quota=QuotaPolicy("requests", "15min", "X_QUOTA_REQUESTS_PER_15MIN", 300, "GET /2/tweets/counts/recent"),
    settings=(
        # Each run re-reads this many hours, so late-counted posts still reach the stored buckets.
        Setting("X_LOOKBACK_HOURS", 24, minimum=1),
        Setting("X_GRANULARITY", "hour", choices=("hour", "day")),
    ),
    show_fields=("title", "search_terms"),
    watchlist=(WatchColumn("post_count", "X posts"),),
)
