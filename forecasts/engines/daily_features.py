"""Features of a week's daily Top 10 lists, per candidate. Pure: the backtest and the live nowcast both call
`daily_features`, on charts read from the file or from stored snapshots as of the prediction time.

A list shown on day D reflects the viewing of D − 1 (checked on the 18 weeks where the daily file and the
weekly US lists overlap: see `lag_check` and the README), so the Monday–Sunday week ending on Sunday S is
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

from shows.names import normalize_title, season_order

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


def match_title(title: str, candidates: dict[str, tuple[str, str]]) -> str | None:
    """The candidate key (key -> (show title, season)) a daily title names: the same show title, its newest
    season when several are candidates (a daily list names the show, and viewing goes to the new season);
    a title cut with "…" matches a unique show title it begins."""
    wanted, cut = title_key(title), title.endswith("…")
    by_title: dict[str, list[tuple[str, str]]] = {}
    for key, (show_title, season) in candidates.items():
        by_title.setdefault(normalize_title(show_title), []).append((key, season))
    found = by_title.get(wanted)
    if found is None and cut and wanted:
        starts = [t for t in by_title if t.startswith(wanted)]
        found = by_title[starts[0]] if len(starts) == 1 else None
    if not found:
        return None
    return max(found, key=lambda ks: (season_order(ks[1]), ks[0]))[0]


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
