from sources.spec import COUNT, BaseUrl, Cadence, SourceSpec, WatchColumn

SPEC = SourceSpec(
    key="wikipedia",
    name="Wikipedia pageviews",
    runner="sources.wikipedia.runner.WikipediaRunner",
    base_urls=(
        BaseUrl("wikipedia", "WIKIPEDIA_BASE_URL", "https://wikimedia.org"),
        # Hourly pageview dump files.
        BaseUrl("wikipedia_dumps", "WIKIPEDIA_DUMPS_BASE_URL", "https://dumps.wikimedia.org"),
        # The wiki's own API (redirects); unset = https://<project>.org of each article.
        BaseUrl("wikipedia_site", "WIKIPEDIA_SITE_BASE_URL", "", optional=True),
    ),
    cadences=(
        Cadence(
            "wikipedia: pageviews",
            "Daily counts arrive with a lag of about a day at an unannounced hour; hourly catches "
            "them soon after.",
            60,
            expires_seconds=50 * 60,
        ),
        Cadence(
            "wikipedia: hourly dumps (watchlist)",
            "Hourly pageviews exist only in Wikimedia's dump files (~50 MB each, streamed); off until "
            "enabled in admin. A file is published about an hour after the hour it counts.",
            cron={"minute": "25", "hour": "*", "day_of_week": "*"},
            expires_seconds=50 * 60,
            kwargs={"hourly": True},
            enabled=False,
        ),
    ),
    metrics=(("pageviews", COUNT),),
    show_fields=("wikipedia_article", "wikipedia_project"),
    watchlist=(WatchColumn("pageviews", "Wikipedia views"),),
)
