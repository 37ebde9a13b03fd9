"""X settings, read from the environment when a run starts (so a changed .env needs no code change)."""

from kalshi_predictions.env import ImproperEnv, env_int, env_str

GRANULARITIES = ("hour", "day")


def lookback_hours() -> int:
    # Each run re-reads this many hours, so late-counted posts still reach the stored buckets.
    return env_int("X_LOOKBACK_HOURS", 24, minimum=1)


def granularity() -> str:
    value = env_str("X_GRANULARITY", "hour")
    if value not in GRANULARITIES:
        raise ImproperEnv(f"X_GRANULARITY={value!r}: expected one of {', '.join(GRANULARITIES)}")
    return value
