from datetime import timedelta

from sources.spec import COUNT, BaseUrl, Cadence, QuotaPolicy, Setting, SourceSpec, WatchColumn

SPEC = SourceSpec(
    key="youtube",
    name="YouTube trailers",
    runner="sources.youtube.runner.YouTubeRunner",
    base_urls=(BaseUrl("youtube", "YOUTUBE_BASE_URL", "https://www.googleapis.com"),),
    cadences=(
        Cadence(
            "youtube: trailer stats",
            "Daily keeps videos.list far inside the 10,000-unit quota.",
            cron={"minute": "0", "hour": "6", "day_of_week": "*"},
            expires_seconds=60 * 60,
        ),
    ),
    metrics=(("views|likes|comments", COUNT),),
    credentials=("YOUTUBE_API_KEY",),
    quota=QuotaPolicy(
        "units", "pacific_day", "YOUTUBE_QUOTA_UNITS_PER_DAY", 10_000, "YouTube Data API, per project"
    ),
    # search.list costs 100 units; the top results of one search are the trailers worth polling.
    settings=(Setting("YOUTUBE_TRAILERS_PER_SHOW", 2, minimum=1),),
    show_fields=("title", "season", "youtube_trailer_ids"),
    watchlist=(WatchColumn("views", "YouTube views"),),
    nominal_cadence=timedelta(days=1),
)
