"""Signals in the nowcast and forecast: FlixPatrol's daily charts, Google Trends interest and
Wikipedia pageviews of the predicted week (the days seen so far), each relative to the show's
previous week, shift the history model's simulated log views by a log-linear adjustment.

The weights are fit on live weeks (stored features paired with the Tudum list once published) and on
past weeks replayed from stored, backfilled signals (a FlixPatrol, Wikipedia or Google Trends
backfill); until FORECAST_SIGNAL_MIN_WEEKS weeks with any signal exist the weights are 0 and the
predictions are
the history model's. See forecasts/README.md.
"""

VERSION = "signals-1"
