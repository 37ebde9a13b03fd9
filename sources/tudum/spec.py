from datetime import timedelta

from sources.spec import COUNT, TOP10_RANK, BaseUrl, Cadence, Setting, SourceSpec, WatchColumn

SPEC = SourceSpec(
    key="tudum",
    name="Netflix Tudum Top 10",
    runner="sources.tudum.runner.TudumRunner",
    base_urls=(BaseUrl("tudum", "TUDUM_BASE_URL", "https://www.netflix.com"),),
    cadences=(
        Cadence(
            "tudum: Tuesday release watch",
            "Netflix publishes the week between 10:00 and 15:00 ET on Tuesdays; a conditional GET "
            "makes polling an unchanged file cheap.",
            cron={"minute": "*/15", "hour": "10-15", "day_of_week": "2"},
            expires_seconds=14 * 60,
        ),
        Cadence(
            "tudum: daily corrections",
            "Netflix sometimes corrects a published week; once a day is enough to catch it.",
            cron={"minute": "0", "hour": "18", "day_of_week": "*"},
            expires_seconds=60 * 60,
        ),
    ),
    metrics=(
        ("rank", TOP10_RANK),
        ("weekly_hours_viewed|weekly_views|runtime|cumulative_weeks_in_top_10", COUNT),
        (r"(hours_viewed|views)_first_\d+_days", COUNT),
    ),
    settings=(
        # Weeks (newest first) a scheduled run normalizes; the backfill command loads the rest.
        Setting("TUDUM_RECENT_WEEKS", 4, minimum=1),
        # ISO codes of the country lists to keep (e.g. "US,GB"); empty keeps every country.
        Setting("TUDUM_COUNTRIES", [], parse=lambda codes: [code.upper() for code in codes]),
    ),
    watchlist=(WatchColumn("rank", "Tudum rank", lower_is_better=True),),
    nominal_cadence=timedelta(days=7),
    # all-weeks-countries.tsv lists every week since 2021 of every country (about 20 rows each of ~90
    # countries a week): tens of MB, growing every week, over the general 8 MB.
    max_body_mb=200,
)
