from datetime import timedelta

from sources.spec import COUNT, BaseUrl, Cadence, SourceSpec, WatchColumn

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
    show_fields=("title", "search_terms"),
    watchlist=(WatchColumn("interest", "Google Trends"),),
    nominal_cadence=timedelta(days=1),
)
