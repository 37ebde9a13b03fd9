"""Netflix's country Top 10 history (`all-weeks-countries.tsv`) as plain weekly rank lists. Pure.

The country file has ranks only (no hours or views), one TV and one Films list per country and week.
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from forecasts.history.global_lists import HistoryError, Week

REQUIRED_COLUMNS = ("country_iso2", "week", "category", "weekly_rank", "show_title", "season_title")
# Our list name -> the country file's category and the global lists of the same kind.
US_LISTS = {
    "US TV": ("TV", ("TV (English)", "TV (Non-English)")),
    "US Films": ("Films", ("Films (English)", "Films (Non-English)")),
}


@dataclass
class RankWeek:
    week: date  # the Sunday that ends the Monday–Sunday week
    ranks: dict[str, int] = field(default_factory=dict)  # title key -> rank 1..10
    titles: dict[str, str] = field(default_factory=dict)  # title key -> display title
    show_ids: dict[str, int] = field(default_factory=dict)  # set when read from stored snapshots

    def leader(self, rank: int = 1) -> str | None:
        return next((k for k, r in self.ranks.items() if r == rank), None)


def parse_country_history(text: str, country: str = "US") -> dict[str, list[RankWeek]]:
    """Our list name ("US TV", "US Films") -> its weeks, oldest first, for one country."""
    reader = csv.DictReader(io.StringIO(text), delimiter="\t")
    missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise HistoryError(f"not a country Top 10 history: missing column(s) {', '.join(missing)}")
    list_of = {category: name for name, (category, _) in US_LISTS.items()}
    weeks: dict[tuple[str, date], RankWeek] = {}
    for line, row in enumerate(reader, start=2):
        if row["country_iso2"].strip().upper() != country or row["category"].strip() not in list_of:
            continue
        try:
            week, rank = date.fromisoformat(row["week"].strip()), int(row["weekly_rank"])
        except (TypeError, ValueError):
            raise HistoryError(f"line {line}: bad week or rank") from None
        title, season = row["show_title"].strip(), row["season_title"].strip()
        key = f"{title}|{season}"
        wk = weeks.setdefault((list_of[row["category"].strip()], week), RankWeek(week))
        wk.ranks[key], wk.titles[key] = rank, title
    out: dict[str, list[RankWeek]] = {}
    for (name, _), wk in sorted(weeks.items(), key=lambda kv: kv[0][1]):
        out.setdefault(name, []).append(wk)
    return out


def load_country_history(path: str | Path, country: str = "US") -> dict[str, list[RankWeek]]:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise HistoryError(f"cannot read {path}: {exc.strerror}") from None
    return parse_country_history(text, country)


def global_ranks(lists: list[list[Week]]) -> dict[date, dict[str, int]]:
    """Week -> title key -> its best rank over the given global lists (a title is in one of them)."""
    out: dict[date, dict[str, int]] = {}
    for weeks in lists:
        for wk in weeks:
            ranks = out.setdefault(wk.week, {})
            for e in wk.entries:
                ranks[e.key] = min(e.rank, ranks.get(e.key, 99))
    return out
