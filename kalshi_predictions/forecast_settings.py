"""Forecast, alert and trader's-view settings, read once at start-up (settings.py imports them all)."""

from kalshi_predictions.env import env_float, env_int, env_str

# --- forecasts and alerts (forecasts/watch/alerts.py, forecasts/engines/adjustment/live.py) ----------
# Alert when |ours - market| reaches this many percentage points.
ALERT_DIVERGENCE_POINTS = env_int("ALERT_DIVERGENCE_POINTS", 15, minimum=1)
# Optional: every new alert is POSTed here as JSON (failures are logged, never raised).
ALERT_WEBHOOK_URL = env_str("ALERT_WEBHOOK_URL", "")
ALERT_WEBHOOK_TIMEOUT_SECONDS = env_int("ALERT_WEBHOOK_TIMEOUT", 5, minimum=1)
# How long before a market's close a stale source is worth an alert.
ALERT_STALE_HOURS = env_int("ALERT_STALE_HOURS", 24, minimum=1)
# A week (or a correction) first seen longer ago than this is old news, not an alert.
ALERT_PUBLICATION_HOURS = env_int("ALERT_PUBLICATION_HOURS", 48, minimum=1)
# Live weeks (with stored signal features and a published Tudum list) needed before the signal
# adjustment's weights are fit; until then they are 0 and predictions are the history model's.
FORECAST_SIGNAL_MIN_WEEKS = env_int("FORECAST_SIGNAL_MIN_WEEKS", 8, minimum=1)
# Past weeks of a global list replayed on stored (backfilled) signals to fit the weights; a year is
# enough to learn three weights and keeps a refresh's reads bounded.
FORECAST_SIGNAL_HISTORY_WEEKS = env_int("FORECAST_SIGNAL_HISTORY_WEEKS", 52, minimum=0)
# FLIXPATROL_PUBLICATION_LAG_DAYS (a source setting, sources/flixpatrol/spec.py): the US nowcast reads a
# daily list only that many days after it is shown; the backtest's --daily-lag-days defaults to it.


# --- trader's view (forecasts/markets/costs.py, trader.py): informational, nothing places orders -----
# Kalshi's taker fee per order: round up(rate x contracts x P x (1 - P)) to the cent (fee schedule).
KALSHI_FEE_RATE = env_float("KALSHI_FEE_RATE", 0.07, minimum=0, maximum=1)
# Order size the fee, EV per contract and the order-book average price are computed for.
KALSHI_ORDER_CONTRACTS = env_int("KALSHI_ORDER_CONTRACTS", 100, minimum=1)
KELLY_FRACTION = env_float("KELLY_FRACTION", 0.25, minimum=0, maximum=1)
# An event whose listed outcomes' asks sum below this leaves a large part of the field unlisted.
FIELD_ASK_SUM_FLOOR = env_float("FIELD_ASK_SUM_FLOOR", 0.9, minimum=0, maximum=2)
# Settled markets are scored on the probability and price known this long before the close, when
# the price has not yet collapsed to 0 or 1.
TRACK_RECORD_MINUTES_BEFORE_CLOSE = env_int("TRACK_RECORD_MINUTES_BEFORE_CLOSE", 60, minimum=0)
