"""Forecast settings, read once from the environment with the project's strict readers."""

from kalshi_predictions.env import env_int, env_str

# Alert when |ours - market| reaches this many percentage points.
ALERT_DIVERGENCE_POINTS: int = env_int("ALERT_DIVERGENCE_POINTS", 15, minimum=1)

# Optional: every new alert is POSTed here as JSON (failures are logged, never raised).
ALERT_WEBHOOK_URL: str = env_str("ALERT_WEBHOOK_URL", "")
ALERT_WEBHOOK_TIMEOUT_SECONDS: int = env_int("ALERT_WEBHOOK_TIMEOUT", 5, minimum=1)

# How long before a market's close a stale source is worth an alert.
STALE_ALERT_HOURS: int = env_int("ALERT_STALE_HOURS", 24, minimum=1)

# Live weeks (with stored signal features and a published Tudum list) needed before the signal
# adjustment's weights are fit; until then they are 0 and predictions are the history model's.
SIGNAL_MIN_WEEKS: int = env_int("FORECAST_SIGNAL_MIN_WEEKS", 8, minimum=1)
# Past weeks of a global list replayed on stored (backfilled) signals to fit the weights; a year is enough
# to learn three weights and keeps a refresh's reads bounded.
SIGNAL_HISTORY_WEEKS: int = env_int("FORECAST_SIGNAL_HISTORY_WEEKS", 52, minimum=0)
