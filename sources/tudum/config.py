"""Tudum settings, read from the environment when a run starts (so a changed variable needs no restart)."""

from kalshi_predictions.env import env_int, env_list


def recent_weeks() -> int:
    """Weeks (newest first) a scheduled run normalizes; the backfill command loads the rest."""
    return env_int("TUDUM_RECENT_WEEKS", 4, minimum=1)


def countries() -> list[str]:
    """ISO codes of the country lists to keep (e.g. "US,GB"); empty keeps every country."""
    return [code.upper() for code in env_list("TUDUM_COUNTRIES", [])]
