"""Reddit settings, read from the environment when a run starts."""

from kalshi_predictions.env import env_int


def search_limit() -> int:
    # One page of the newest matches; more posts than this in an hour is reported as a cap.
    return env_int("REDDIT_SEARCH_LIMIT", 100, minimum=1)
