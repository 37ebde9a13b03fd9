"""TikTok settings, read from the environment when a run starts."""

from kalshi_predictions.env import env_int


def max_pages() -> int:
    # 100 videos a page; a hashtag past this many pages is counted from its first pages only.
    return env_int("TIKTOK_MAX_PAGES", 10, minimum=1)
