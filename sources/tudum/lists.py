"""Whether a Top 10 file holds every list it must: a file cut short is refused, not half stored.

Netflix publishes each week complete: the global file has four lists (TV and films, English and
non-English), the country file two per country (TV, films), the all-time file four; each list has
the ranks 1 to 10 once. A body with only its header, a list missing from a week or a list with
fewer (or repeated) ranks is a truncated or broken file: storing it would leave a silent gap, so
the run fails (the country file: the run is partial and keeps the global lists) and no stored value
changes.
"""

from collections import defaultdict
from collections.abc import Iterable

from sources.tudum.tsv import FILE_NAMES, MalformedFile

LISTS = {
    "global": {"Films (English)", "Films (Non-English)", "TV (English)", "TV (Non-English)"},
    "countries": {"Films", "TV"},
    "most_popular": {"Films (English)", "Films (Non-English)", "TV (English)", "TV (Non-English)"},
}
RANKS = {str(rank) for rank in range(1, 11)}
RANK_COLUMN = {"global": "weekly_rank", "countries": "weekly_rank", "most_popular": "rank"}


def _edition(name: str, row: dict[str, str]) -> str:
    """What one set of lists belongs to: a week, a country's week, or the single all-time edition."""
    if name == "global":
        return f"week {row['week']}"
    if name == "countries":
        return f"week {row['week']} of {row['country_iso2']}"
    return "the all-time lists"


def kept_rows(name: str, rows: Iterable[tuple[int, dict[str, str]]], countries=()):
    """The rows of the countries file's kept countries (all of them when none is configured)."""
    wanted = {c.upper() for c in countries or ()}
    for line, row in rows:
        if name != "countries" or not wanted or row["country_iso2"].upper() in wanted:
            yield line, row


def check_lists(name: str, rows: Iterable[tuple[int, dict[str, str]]]) -> None:
    """MalformedFile naming the first list that is missing or not ranks 1-10 once each."""
    label = FILE_NAMES[name]
    ranks: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for _, row in rows:
        ranks[_edition(name, row)][row["category"]].append(row[RANK_COLUMN[name]])
    if not ranks:
        raise MalformedFile(f"{label}: no rows after the header (a file cut short?)")
    for edition, lists in sorted(ranks.items(), reverse=True):
        missing = sorted(LISTS[name] - set(lists))
        if missing:
            raise MalformedFile(f"{label}: {edition} lacks the list(s) {', '.join(missing)}")
        for category, found in sorted(lists.items()):  # a list Netflix adds must be whole too
            if len(found) != len(RANKS) or set(found) != RANKS:
                shown = ", ".join(sorted(found, key=lambda r: (len(r), r)))
                raise MalformedFile(
                    f"{label}: {edition}, {category} has the ranks [{shown}], not 1 to 10 once each"
                )
