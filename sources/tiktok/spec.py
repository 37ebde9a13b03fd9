from sources.spec import COUNT, BaseUrl, Cadence, QuotaPolicy, Setting, SourceSpec, WatchColumn

SPEC = SourceSpec(
    key="tiktok",
    name="TikTok",
    runner="sources.tiktok.runner.TikTokRunner",
    base_urls=(BaseUrl("tiktok", "TIKTOK_BASE_URL", "https://open.tiktokapis.com"),),
    cadences=(
        Cadence(
            "tiktok: hashtags", "Hourly fits the Research API's daily quota.", 60, expires_seconds=50 * 60
        ),
    ),
    metrics=(("video_count|views|likes|comments|shares", COUNT),),
    credentials=("TIKTOK_CLIENT_KEY", "TIKTOK_CLIENT_SECRET"),
    quota=QuotaPolicy("requests", "utc_day", "TIKTOK_QUOTA_REQUESTS_PER_DAY", 1_000, "Research API"),
    # 100 videos a page; a hashtag past this many pages is counted from its first pages only.
    settings=(Setting("TIKTOK_MAX_PAGES", 10, minimum=1),),
    show_fields=("hashtags",),
    watchlist=(WatchColumn("video_count", "TikTok videos"),),
)
