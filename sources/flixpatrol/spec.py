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
            "flixpatrol: newest day's chart",
            "FlixPatrol shows a day's chart only from the next day (FLIXPATROL_PUBLICATION_LAG_DAYS), at "
            "an hour it does not publish: poll (FLIXPATROL_POLL, by default every 15 minutes from 00:05 to "
            "11:50 ET) until the newest readable day is stored; the runs after that ask nothing. So "
            "Sunday's list is in by Monday morning, long before Kalshi's close at 23:59 ET, when Monday's "
            "own list is not readable yet.",
            cron=config.poll_cron(),
            expires_seconds=14 * 60,
            kwargs={"poll": True},
        ),
    ),
    metrics=(("rank", RANK), ("points", COUNT)),
    settings=(
        Setting("FLIXPATROL_BACKEND", "auto", choices=config.BACKENDS, parse=config.parse_backend),
        # A day's chart is shown from this many days after it (New York days); 0 reads today's.
        Setting("FLIXPATROL_PUBLICATION_LAG_DAYS", 1, minimum=0),
        # The poll's window and cadence (the schedule setup_sources creates; admin edits it after).
        Setting("FLIXPATROL_POLL", config.POLL_DEFAULT, parse=config.parse_poll),
        # The browser backend's Chromium, found on PATH at start-up when not given (so installing one
        # and restarting changes the settings, which releases a hold naming it as the fix).
        Setting("FLIXPATROL_CHROMIUM", "", parse=config.parse_chromium),
        # How long the browser waits for Cloudflare's challenge to clear on one page.
        Setting("FLIXPATROL_BROWSER_TIMEOUT_SECONDS", 30, minimum=1),
        Setting("FLIXPATROL_COUNTRIES", config.DEFAULT_COUNTRIES, parse=config.parse_countries),
        # FlixPatrol asks scrapers to be gentle; a second between pages is what others use.
        Setting("FLIXPATROL_PAGE_DELAY_SECONDS", 1, minimum=0),
        # "" = no relay (docker-compose.yml runs one and sets it).
        Setting("FLARESOLVERR_URL", "", parse=config.parse_optional_url),
        Setting("FLARESOLVERR_TIMEOUT_MS", 60000, minimum=1000),
        Setting("FLIXPATROL_API_BASE_URL", "https://api.flixpatrol.com", base_url=True),
        Setting("FLIXPATROL_API_COUNTRY_IDS", [], parse=config.parse_api_country_ids),
    ),
    # The whole chart is read; a watched show's slug only helps match its titles.
    show_fields=("flixpatrol_slug",),
    watchlist=(WatchColumn("rank", "FlixPatrol rank", lower_is_better=True),),
    nominal_cadence=timedelta(days=1),
)
