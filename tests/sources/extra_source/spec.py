"""A source that exists only in tests: it proves a new package plus one registry line is all it takes."""

from sources.spec import COUNT, BaseUrl, Cadence, SourceSpec, WatchColumn

SPEC = SourceSpec(
    key="extra",
    name="Extra test source",
    runner="tests.sources.extra_source.runner.ExtraRunner",
    base_urls=(BaseUrl("extra", "EXTRA_BASE_URL", "https://extra.invalid"),),
    cadences=(Cadence("extra: hourly count", "A test cadence.", 60, expires_seconds=50 * 60),),
    metrics=(("count", COUNT),),
    watchlist=(WatchColumn("count", "Extra count"),),
)
