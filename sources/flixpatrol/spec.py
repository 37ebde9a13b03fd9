from datetime import timedelta

from sources.flixpatrol import config
from sources.spec import COUNT, RANK, BaseUrl, Cadence, Setting, SourceSpec, WatchColumn

SPEC = SourceSpec(
    key="flixpatrol",
    name="FlixPatrol",
    runner="sources.flixpatrol.runner.FlixPatrolRunner",
    base_urls=(BaseUrl("flixpatrol", "FLIXPATROL_BASE_URL", "https://flixpatrol.com"),),
    cadences=(
        Cadence(
            "flixpatrol: daily chart",
            "FlixPatrol publishes yesterday's chart in the morning ET; this read stores it complete, "
            "over any partial read of it as today's chart.",
            cron={"minute": "0", "hour": "8", "day_of_week": "*"},
            expires_seconds=60 * 60,
        ),
        Cadence(
            "flixpatrol: today Monday until the close",
            "Kalshi's Netflix markets close Monday 23:59 ET and the Monday list is the week's last; "
            "re-read today's chart every 30 minutes from 12:15 to 23:45 so the nowcast at the close has it "
            "(each read updates the day's values in place).",
            cron={"minute": "15,45", "hour": "12-23", "day_of_week": "1"},
            expires_seconds=25 * 60,
            kwargs={"today": True},
        ),
        Cadence(
            "flixpatrol: today evening",
            "The other days' lists feed the running week's nowcast the same evening instead of the "
            "next morning (Monday is read by the task above).",
            cron={"minute": "0", "hour": "20", "day_of_week": "0,2-6"},
            expires_seconds=60 * 60,
            kwargs={"today": True},
        ),
    ),
    metrics=(("rank", RANK), ("points", COUNT)),
    settings=(
        Setting("FLIXPATROL_BACKEND", "http", choices=config.BACKENDS, parse=config.parse_backend),
        Setting("FLIXPATROL_COUNTRIES", config.DEFAULT_COUNTRIES, parse=config.parse_countries),
        # FlixPatrol asks scrapers to be gentle; a second between pages is what others use.
        Setting("FLIXPATROL_PAGE_DELAY_SECONDS", 1, minimum=0),
        Setting("FLARESOLVERR_URL", "http://localhost:8191", base_url=True),
        Setting("FLARESOLVERR_TIMEOUT_MS", 60000, minimum=1000),
        Setting("FLIXPATROL_API_BASE_URL", "https://api.flixpatrol.com", base_url=True),
        Setting("FLIXPATROL_API_COUNTRY_IDS", [], parse=config.parse_api_country_ids),
    ),
    # The whole chart is read; a watched show's slug only helps match its titles.
    show_fields=("flixpatrol_slug",),
    watchlist=(WatchColumn("rank", "FlixPatrol rank", lower_is_better=True),),
    nominal_cadence=timedelta(days=1),
)
