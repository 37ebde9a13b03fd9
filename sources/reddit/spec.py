from sources.spec import ANY, COUNT, BaseUrl, Cadence, QuotaPolicy, Setting, SourceSpec, WatchColumn

SPEC = SourceSpec(
    key="reddit",
    name="Reddit",
    runner="sources.reddit.runner.RedditRunner",
    base_urls=(
        BaseUrl("reddit", "REDDIT_BASE_URL", "https://www.reddit.com"),
        # Token requests go to www.reddit.com, API reads to oauth.reddit.com.
        BaseUrl("reddit_oauth", "REDDIT_OAUTH_BASE_URL", "https://oauth.reddit.com"),
    ),
    cadences=(Cadence("reddit: mentions", "Mentions are counted per hour.", 60, expires_seconds=50 * 60),),
    metrics=(("subscribers|active_users|mentions|comments", COUNT), ("score", ANY)),
    credentials=("REDDIT_CLIENT_ID", "REDDIT_CLIENT_SECRET", "REDDIT_USER_AGENT"),
    quota=QuotaPolicy("requests", "minute", "REDDIT_QUOTA_REQUESTS_PER_MINUTE", 100, "free Data API tier"),
    # One page of the newest matches; more posts than this in an hour is reported as a cap.
    settings=(Setting("REDDIT_SEARCH_LIMIT", 100, minimum=1),),
    show_fields=("title", "search_terms", "subreddits"),
    watchlist=(WatchColumn("mentions", "Reddit mentions"),),
)
