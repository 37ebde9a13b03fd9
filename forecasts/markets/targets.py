"""Which Netflix list and rank (or #1 views threshold) a Kalshi market settles on, and which week
(docs/stack-facts.md, Kalshi). Pure."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from core.tz import EASTERN
from forecasts.markets.settlement import settles_on
from forecasts.markets.strikes import VIEWS_SERIES, strike_from_ticker

# Series -> (list, rank). "Global" most likely means the English list (UNCONFIRMED; docs/stack-facts.md):
# a market whose rules name the non-English list is moved to it by `market_target`.
SERIES = {
    "KXNETFLIXRANKSHOW": ("US TV", 1),
    "KXNETFLIXRANKSHOWRUNNERUP": ("US TV", 2),
    "KXNETFLIXRANKMOVIE": ("US Films", 1),
    "KXNETFLIXRANKMOVIERUNNERUP": ("US Films", 2),
    "KXNETFLIXRANKSHOWGLOBAL": ("TV (English)", 1),
    "KXNETFLIXRANKSHOWGLOBAL2": ("TV (English)", 2),
    "KXNETFLIXRANKMOVIEGLOBAL": ("Films (English)", 1),
    # "Will the #1 have at least N views?": rank 1 of the list, and a threshold (Target.views_at_least).
    **{series: (list_name, 1) for series, list_name in VIEWS_SERIES.items()},
}
MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]


@dataclass(frozen=True)
class Target:
    list_name: str
    rank: int
    week: date  # the Sunday ending the week the market asks about
    views_at_least: float | None = None  # a views market's strike, in views; None for rank markets


def event_monday(event_ticker: str) -> date | None:
    """KXNETFLIXRANKSHOW-26JUL20 -> 2026-07-20 (the Monday after the week)."""
    code = event_ticker.rsplit("-", 1)[-1]
    if len(code) != 7 or code[2:5] not in MONTHS:
        return None
    try:
        return date(2000 + int(code[:2]), MONTHS.index(code[2:5]) + 1, int(code[5:]))
    except ValueError:
        return None


def market_target(
    *, series: str, event_ticker: str, rules: str, close_time: datetime | None, ticker: str = ""
) -> Target | None:
    """None for markets of other series, views markets without a strike, and markets whose week
    cannot be read.

    The market's own rules decide when they can be read (forecasts/markets/settlement.py); the series and
    (event) ticker only stand in for rules that cannot be, as before the rules were parsed."""
    if series not in SERIES:
        return None
    views_market = series in VIEWS_SERIES
    terms = settles_on(rules=rules, close_time=close_time)
    if terms.parsed and (terms.views_at_least is not None) == views_market:
        return Target(terms.list, terms.rank, terms.week_end, terms.views_at_least)
    strike = strike_from_ticker(ticker) if views_market else None
    if views_market and strike is None:
        return None
    list_name, rank = SERIES[series]
    if "Non-English" in rules and list_name in ("TV (English)", "Films (English)"):
        list_name = list_name.replace("English", "Non-English")
    monday = event_monday(event_ticker)
    if monday is None and close_time is not None:
        monday = close_time.astimezone(EASTERN).date()  # closes Monday 23:59 ET
    if monday is None:
        return None
    return Target(list_name, rank, monday - timedelta(days=1), strike)
