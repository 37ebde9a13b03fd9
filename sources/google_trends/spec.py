from datetime import timedelta

from sources.spec import COUNT, BaseUrl, Cadence, Setting, SourceSpec, WatchColumn

SPEC = SourceSpec(
    key="google_trends",
    name="Google Trends",
    runner="sources.google_trends.runner.GoogleTrendsRunner",
    base_urls=(BaseUrl("google_trends", "GOOGLE_TRENDS_BASE_URL", "https://trends.google.com"),),
    cadences=(
        Cadence(
            "google_trends: daily",
            "Daily interest for every watched term; Google throttles more often than this.",
            cron={"minute": "30", "hour": "7", "day_of_week": "*"},
            expires_seconds=60 * 60,
        ),
        Cadence(
            "google_trends: watchlist hourly Fri-Sun",
            "Weekend interest decides the week's ranks; hourly for watched shows only.",
            cron={"minute": "15", "hour": "*", "day_of_week": "5,6,0"},
            expires_seconds=50 * 60,
            kwargs={"watchlist_hourly": True},
        ),
    ),
    # 100 = the anchor term's mean over the window, so a show above the anchor exceeds 100.
    metrics=(("interest", COUNT),),
    settings=(
        # The same term in every batch, so batches (each scaled 0-100 by Google) can be put on one scale.
        Setting("GOOGLE_TRENDS_ANCHOR", "Netflix", parse=lambda v: v.strip() or "Netflix"),
        Setting("GOOGLE_TRENDS_GEO", "US", parse=lambda v: v.strip().upper()),
        Setting("GOOGLE_TRENDS_TIMEFRAME", "today 1-m"),  # daily points
        Setting("GOOGLE_TRENDS_HOURLY_TIMEFRAME", "now 7-d"),  # hourly points
        # Google throttles bursts; a pause between batches costs little on a daily schedule.
        Setting("GOOGLE_TRENDS_PAUSE_SECONDS", 5, minimum=0),
        Setting("GOOGLE_TRENDS_BACKOFF_SECONDS", 10, minimum=0),
        # All 429 back-off of one run together; past it the run fails and the next scheduled one retries,
        # so a throttled Trends never holds the worker away from the other sources for long.
        Setting("GOOGLE_TRENDS_MAX_WAIT_SECONDS", 120, minimum=0),
    ),
    show_fields=("title", "search_terms"),
    watchlist=(WatchColumn("interest", "Google Trends"),),
    nominal_cadence=timedelta(days=1),
)
