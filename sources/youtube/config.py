"""YouTube settings, read from the environment when a run starts."""

from kalshi_predictions.env import env_int


def trailers_per_show() -> int:
    # search.list costs 100 units; the top results of one search are the trailers worth polling.
    return env_int("YOUTUBE_TRAILERS_PER_SHOW", 2, minimum=1)
