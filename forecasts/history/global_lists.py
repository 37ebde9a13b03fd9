"""Netflix's global Top 10 history (`all-weeks-global.tsv`) as plain weekly lists. Pure; no database.

Columns are found by header name: Netflix has added and renamed columns over time, and the ranking
measure changed from hours viewed to views with the week ending 2023-06-18 (earlier rows have no views).
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

REQUIRED_COLUMNS = (
    "week",
    "category",
    "weekly_rank",
    "show_title",
    "season_title",
    "weekly_hours_viewed",
    "cumulative_weeks_in_top_10",
)
GLOBAL_LISTS = ("TV (English)", "TV (Non-English)", "Films (English)", "Films (Non-English)")


class HistoryError(ValueError):
    """The file is not a Top 10 history we can read; the message says why."""


@dataclass(frozen=True)
class Entry:
    key: str  # one title: show and season, since each season charts on its own
    title: str
    season: str
    rank: int
    hours: float
    views: float | None
    weeks_in_top10: int
    show_id: int | None = None  # set when read from stored snapshots


@dataclass
class Week:
    week: date  # the Sunday that ends the Monday–Sunday week
    entries: list[Entry] = field(default_factory=list)  # by rank

    @property
    def ranked_by_views(self) -> bool:
        return bool(self.entries) and all(e.views is not None for e in self.entries)

    def value(self, entry: Entry) -> float:
        """The measure this week was ranked by."""
        return entry.views if self.ranked_by_views and entry.views is not None else entry.hours

    def by_key(self) -> dict[str, Entry]:
        return {e.key: e for e in self.entries}


def comparable_values(a: Entry, b: Entry) -> tuple[float, float]:
    """The same measure for two weeks of a title: views when both have them, else hours."""
    if a.views and b.views:
        return a.views, b.views
    return a.hours, b.hours


def _number(raw: str, column: str, line: int) -> float | None:
    raw = raw.strip()
    if raw in ("", "N/A"):
        return None
    try:
        return float(raw)
    except ValueError:
        raise HistoryError(f"line {line}: {column}={raw!r} is not a number") from None


def parse_history(text: str) -> dict[str, list[Week]]:
    """Category -> its weeks, oldest first."""
    reader = csv.DictReader(io.StringIO(text), delimiter="\t")
    missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise HistoryError(f"not a Top 10 history: missing column(s) {', '.join(missing)}")
    weeks: dict[tuple[str, date], Week] = {}
    for line, row in enumerate(reader, start=2):
        try:
            week = date.fromisoformat(row["week"].strip())
            rank = int(row["weekly_rank"])
        except (TypeError, ValueError):
            raise HistoryError(
                f"line {line}: bad week or rank ({row.get('week')!r}, {row.get('weekly_rank')!r})"
            ) from None
        hours = _number(row["weekly_hours_viewed"], "weekly_hours_viewed", line)
        if hours is None or hours <= 0:
            raise HistoryError(f"line {line}: weekly_hours_viewed must be positive")
        views = _number(row.get("weekly_views") or "", "weekly_views", line)
        title, season = row["show_title"].strip(), row["season_title"].strip()
        entry = Entry(
            key=f"{title}|{season}",
            title=title,
            season=season,
            rank=rank,
            hours=hours,
            views=views if views and views > 0 else None,
            weeks_in_top10=int(_number(row["cumulative_weeks_in_top_10"], "cumulative_weeks", line) or 1),
        )
        weeks.setdefault((row["category"].strip(), week), Week(week)).entries.append(entry)
    out: dict[str, list[Week]] = {}
    for (category, _), wk in sorted(weeks.items(), key=lambda kv: kv[0][1]):
        wk.entries.sort(key=lambda e: e.rank)
        out.setdefault(category, []).append(wk)
    if not out:
        raise HistoryError("the file has a header but no rows")
    return out


def load_history(path: str | Path) -> dict[str, list[Week]]:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise HistoryError(f"cannot read {path}: {exc.strerror}") from None
    return parse_history(text)
