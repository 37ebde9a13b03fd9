"""The one time zone the product reasons in besides UTC.

Kalshi's weeks and market closes, Netflix's Monday–Sunday weeks and FlixPatrol's days are all Eastern.
"""

from zoneinfo import ZoneInfo

EASTERN = ZoneInfo("America/New_York")
