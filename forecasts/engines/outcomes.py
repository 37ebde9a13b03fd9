"""What a weekly forecast is about: the candidate titles for #1 plus "a show not yet seen"."""

from dataclasses import dataclass, field

import numpy as np

from forecasts.history.global_lists import Entry, Week

NEW = "__new__"  # the outcome "a title not among the candidates", mostly new releases
LOOKBACK_WEEKS = 4  # a title seen in the list within this many weeks is a candidate


@dataclass(frozen=True)
class Candidate:
    last: Entry  # its most recent row
    gap: int  # weeks since that row; 1 = last week

    @property
    def key(self) -> str:
        return self.last.key


def candidates(history: list[Week], lookback: int = LOOKBACK_WEEKS) -> list[Candidate]:
    """Titles seen in the last `lookback` weeks, most recent appearance first, then by rank."""
    seen: dict[str, Candidate] = {}
    for gap, week in enumerate(reversed(history[-lookback:]), start=1):
        for entry in week.entries:
            seen.setdefault(entry.key, Candidate(entry, gap))
    return list(seen.values())


@dataclass
class RawForecast:
    """One method's uncalibrated view of a week: a signal per outcome, turned into P(#1) by calibration."""

    keys: list[str]  # candidate keys, then NEW last
    signal: np.ndarray
    # Point scores ordering the outcomes for Spearman; titles not among the candidates get scores[-1].
    scores: np.ndarray
    extras: dict = field(default_factory=dict)

    @property
    def is_new(self) -> np.ndarray:
        mask = np.zeros(len(self.keys), dtype=bool)
        mask[-1] = True
        return mask

    def for_rank(self, rank: int) -> "RawForecast":
        """The signal to calibrate P(#rank) on: the model simulates its own #2 signal (extras
        "signal2"); a baseline's order stands for both ranks."""
        if rank == 1 or "signal2" not in self.extras:
            return self
        return RawForecast(self.keys, self.extras["signal2"], self.scores, self.extras)

    def index_of(self, key: str) -> int:
        try:
            return self.keys.index(key)
        except ValueError:
            return len(self.keys) - 1


def measure_is_views(history: list[Week], lookback: int = LOOKBACK_WEEKS) -> bool:
    """Compare candidates in views only when every week they come from was ranked by views."""
    return all(w.ranked_by_views for w in history[-lookback:])


def measure(entry: Entry, views: bool) -> float:
    return entry.views if views and entry.views else entry.hours
