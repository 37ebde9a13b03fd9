"""Netflix's daily Top 10 in The Numbers' CSV format -> daily charts shaped like FlixPatrol's. Pure.

The file (data/README.md) is one *combined* list a day: TV shows and films share ten places.
FlixPatrol's country charts are ten places per kind. So each day's combined list is split by `Type` and
re-ranked within its kind (the combined ranks 2, 5, 6 of films become films ranks 1, 2, 3): "rank 1 of
the TV list" then means the same on both, and is what the weekly lists the markets settle on rank. The
combined rank is kept in the row. Stand-up specials and concerts go to the TV list: Netflix's weekly
lists rank them as TV ("Dave Chappelle: The Closer" is #5 of the US TV list of the week ending 2021-10-10).

Five days of the file hold one kind only (3/28 and 9/30/2021: ten films; 10/13-10/15/2021: ten TV
titles), probably the app's Movies or TV list taken for the combined one: a kind with no row on a day is
that kind's list *not seen* that day, never a list it was absent from.

`As of` is the day the list was shown; it reflects the viewing of the day before, so the Monday-Sunday
week W is covered by the lists shown from its Tuesday to the Monday after it
(forecasts/engines/daily_features.py).
"""

import csv
import io
from dataclasses import dataclass
from datetime import UTC, date, datetime

import ftfy

from shows.refs import ShowRef
from sources.base import SnapshotIn

ORIGIN = "the-numbers"
REQUIRED_COLUMNS = ("As of", "Rank", "Title", "Type")
KIND_OF_TYPE = {"TV Show": "tv", "Movie": "films", "Stand-Up Comedy": "tv", "Concert/Perf…": "tv"}
FILM_TYPES = ("movie", "film")  # a Type not listed above is a film when it says so, else TV (specials)
REF_KIND = {"tv": "tv", "films": "film"}  # shows.Show.kind spells films as "film"
ELLIPSIS = "…"


class DailyRanksError(ValueError):
    pass


@dataclass(frozen=True)
class DailyRow:
    shown_on: date  # the day Netflix's app showed the list
    kind: str  # "tv" or "films"
    rank: int  # within the kind, 1..
    combined_rank: int  # in the day's combined list, 1..10
    title: str  # mis-encoding repaired; may still end in "…" when the file cut it
    type: str
    line: int

    @property
    def truncated(self) -> bool:
        return self.title.endswith(ELLIPSIS)

    @property
    def prefix(self) -> str:
        """The part of a cut title that is really there ("Tiger King: Murder, Mayhem …" -> "Tiger King:
        Murder, Mayhem")."""
        return self.title.removesuffix(ELLIPSIS).strip()


def kind_of(kind_type: str) -> str:
    """Netflix's weekly lists have two kinds: a Type the file's README does not list is a film only when
    it says so ("Movie (Animated)"); any other special is ranked with TV, like stand-up."""
    if kind_type in KIND_OF_TYPE:
        return KIND_OF_TYPE[kind_type]
    return "films" if kind_type.casefold().startswith(FILM_TYPES) else "tv"


def _day(text: str, line: int) -> date:
    try:
        if "-" in text:  # an ISO date, as a re-saved copy of the file may have it
            return date.fromisoformat(text.strip())
        month, day, year = (int(p) for p in text.strip().split("/"))
        return date(year, month, day)
    except ValueError:
        raise DailyRanksError(f"line {line}: 'As of' {text!r} is not a date like 4/1/2020") from None


def parse_daily_ranks(text: str) -> list[DailyRow]:
    """Every row, re-ranked within its kind; raises DailyRanksError naming the first bad line."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise DailyRanksError(f"line 1: not a daily Top 10 file: missing column(s) {', '.join(missing)}")
    combined: dict[date, list[tuple[int, str, str, int]]] = {}
    for line, row in enumerate(reader, start=2):
        shown_on = _day(row["As of"] or "", line)
        try:
            rank = int(row["Rank"])
        except (TypeError, ValueError):
            raise DailyRanksError(f"line {line}: Rank {row['Rank']!r} is not a number") from None
        kind_type = (row["Type"] or "").strip()
        title = ftfy.fix_text((row["Title"] or "").strip())
        if not 1 <= rank <= 10:
            raise DailyRanksError(f"line {line}: Rank {rank} is not 1..10")
        if not kind_type:
            raise DailyRanksError(f"line {line}: empty Type")
        if not title:
            raise DailyRanksError(f"line {line}: empty Title")
        day = combined.setdefault(shown_on, [])
        if any(r == rank for r, *_ in day):
            raise DailyRanksError(f"line {line}: rank {rank} twice on {shown_on}")
        day.append((rank, title, kind_type, line))
    out = []
    for shown_on in sorted(combined):
        within: dict[str, int] = {}
        for rank, title, kind_type, line in sorted(combined[shown_on]):
            kind = kind_of(kind_type)
            within[kind] = within.get(kind, 0) + 1
            out.append(DailyRow(shown_on, kind, within[kind], rank, title, kind_type, line))
    return out


def midnight(day: date) -> datetime:
    """FlixPatrol's chart of a day is observed at that day's 00:00 UTC; so are these."""
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def snapshots(
    rows: list[DailyRow], *, country: str, titles: dict[str, str] | None = None
) -> list[SnapshotIn]:
    """The rows as FlixPatrol-shaped rank snapshots, marked with their origin. `titles` maps a cut title to
    the full title it was matched to (its show then resolves like any other name)."""
    titles = titles or {}
    out = []
    for r in rows:
        title = titles.get(r.title, r.title)
        out.append(
            SnapshotIn(
                metric="rank",
                period="day",
                observed_at=midnight(r.shown_on),
                value=float(r.rank),
                scope=country,
                show_ref=ShowRef(title=title, season="", kind=REF_KIND[r.kind], create=False),
                attrs={
                    "list": r.kind,
                    "origin": ORIGIN,
                    "combined_rank": r.combined_rank,
                    "type": r.type,
                    "file_title": r.title,
                },
            )
        )
    return out
