"""Features of a week's daily Top 10 lists, per candidate. Pure: the backtest and the live nowcast both call
`daily_features`, on charts read from the file or from stored snapshots as of the prediction time.

A list shown on day D reflects the viewing of D − 1 (checked on the 18 weeks where the daily file and the
weekly US lists overlap: `lag_check`, docs/forecasts.md), so the Monday–Sunday week ending on Sunday S is
covered by the lists shown from Tuesday S − 5 to Monday S + 1. The Monday list is out before Kalshi's
markets close that night, so a nowcast at the close can have all seven. A running week uses the lists
shown so far.

Ranks are within the kind (TV or films), as on FlixPatrol's charts and the weekly lists: the daily file's
combined list is re-ranked by kind when read (sources/imports/daily_ranks.py), so a feature means the same
on both.
"""

import math
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

from forecasts.engines.season_identity import season_meant
from shows.names import normalize_title

FEATURES = (
    "daily_points",  # mean over the lists seen of (11 − rank) / 10, 0 when absent: a viewing share proxy
    "daily_days",  # share of the lists seen that it was in
    "daily_best",  # (11 − best rank) / 10
    "daily_trend",  # mean points of the last two lists seen minus the mean of the earlier ones
    # mean of 1 / rank, 0 when absent: a title's views fall off roughly as a power of its rank, so three
    # days at #1 outweigh seven at #3, which plain points (11 − rank) get the wrong way round
    "daily_share",
)
DAYS_PER_WEEK = 7
LAG_DAYS = 1  # a list shown on D reflects the viewing of D − LAG_DAYS


@dataclass
class DailyChart:
    shown_on: date
    ranks: dict[str, int] = field(default_factory=dict)  # title or candidate key -> rank within the kind
    titles: dict[str, str] = field(default_factory=dict)  # key -> the title as the list showed it


def week_list_days(week_end: date, lag: int = LAG_DAYS) -> list[date]:
    """The days whose shown list covers the Monday–Sunday week ending on `week_end`."""
    monday = week_end - timedelta(days=6)
    return [monday + timedelta(days=lag + i) for i in range(DAYS_PER_WEEK)]


def charts_seen(charts: dict[date, DailyChart], week_end: date, seen_until: date, lag: int = LAG_DAYS):
    """The week's lists shown on or before `seen_until` (point in time: later lists are not read)."""
    return [charts[d] for d in week_list_days(week_end, lag) if d <= seen_until and d in charts]


def close_day(week_end: date) -> date:
    """The day Kalshi's markets on the week ending `week_end` close (Monday, 23:59 ET)."""
    return week_end + timedelta(days=1)


def readable_until(day: date, publication_lag: int) -> date:
    """The newest list (by the day it was shown) that can be read on `day` (Eastern) when a source
    publishes a day's list `publication_lag` days after it was shown: FlixPatrol, since 2025-05, shows
    a day's chart from the next day (FLIXPATROL_PUBLICATION_LAG_DAYS = 1), so at the Monday close the
    lists shown Tuesday–Sunday are readable and Monday's is not."""
    return day - timedelta(days=publication_lag)


def lists_caption(seen: int, publication_lag: int) -> str:
    """What a card says about the daily lists a prediction read."""
    text = f"{seen} of {DAYS_PER_WEEK} daily lists"
    if publication_lag > 0 and seen < DAYS_PER_WEEK:
        text += " (Monday's is published after the close)"
    return text


def _points(rank: int | None) -> float:
    return (11 - rank) / 10 if rank else 0.0


def daily_features(seen: list[DailyChart], keys: list[str]) -> np.ndarray:
    """One row of FEATURES per key (zeros when no list was seen or the key was in none)."""
    out = np.zeros((len(keys), len(FEATURES)))
    if not seen:
        return out
    for i, key in enumerate(keys):
        points = [_points(c.ranks.get(key)) for c in seen]
        ranks = [c.ranks[key] for c in seen if key in c.ranks]
        last, before = points[-2:], points[:-2]
        trend = float(np.mean(last) - np.mean(before)) if before else 0.0
        share = float(np.mean([1 / c.ranks[key] if key in c.ranks else 0.0 for c in seen]))
        best = _points(min(ranks, default=None))
        out[i] = (float(np.mean(points)), len(ranks) / len(seen), best, trend, share)
    return out


def leader_by_points(seen: list[DailyChart]) -> str | None:
    """The title with the most points over the lists seen: the plain rule a trader reading the app uses."""
    totals: dict[str, float] = {}
    for c in seen:
        for key, rank in c.ranks.items():
            totals[key] = totals.get(key, 0.0) + _points(rank)
    return max(totals, key=totals.get, default=None)


# Matching the file's titles to candidates by name (the backtest has no database; live rows carry show ids).


def title_key(title: str) -> str:
    return normalize_title(title.removesuffix("…").strip())


def match_title(title: str, candidates: dict[str, tuple[str, str]], announced=None) -> str | None:
    """The candidate key (key -> (show title, season)) a daily title names (engines/season_identity.py)."""
    return season_meant(title, candidates, announced)


def lag_check(charts: dict[date, DailyChart], leaders: dict[date, str], lags=(0, 1, 2)) -> dict[int, float]:
    """Share of weeks whose weekly #1 (title key) is the points leader of the daily lists, per lag."""
    out = {}
    for lag in lags:
        hits = [
            leader_by_points(charts_seen(charts, week, week + timedelta(days=7), lag)) == leader
            for week, leader in leaders.items()
        ]
        out[lag] = round(sum(hits) / len(hits), 4) if hits else math.nan
    return out
