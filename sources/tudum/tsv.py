"""Reading Netflix's Top 10 TSVs by header, refusing bodies that are not one.

The files changed shape several times (7, 11, 12 and 9 columns; docs/stack-facts.md), so columns are found
by name; a header without the columns a file cannot do without is an error, extra columns are ignored.
"""

import csv
import io
from collections.abc import Iterator

# Columns each file must have. runtime / weekly_views arrived in 2023 and are read when present.
REQUIRED = {
    "global": (
        "week",
        "category",
        "weekly_rank",
        "show_title",
        "season_title",
        "cumulative_weeks_in_top_10",
    ),
    "countries": (
        "country_iso2",
        "week",
        "category",
        "weekly_rank",
        "show_title",
        "season_title",
        "cumulative_weeks_in_top_10",
    ),
    "most_popular": ("category", "rank", "show_title", "season_title"),
}
FILE_NAMES = {
    "global": "all-weeks-global.tsv",
    "countries": "all-weeks-countries.tsv",
    "most_popular": "most-popular.tsv",
}
SHOWN_CHARS = 60


class MalformedFile(ValueError):
    pass


def _reader(body: str) -> "csv._reader":
    # The 2024-11 variant carries a CSV-style quoted JSON cell ("[{""episodesLaunched"":4,...}]"),
    # which csv's default quoting reads as one cell.
    return csv.reader(io.StringIO(body), delimiter="\t")


def check(name: str, body: str) -> list[str]:
    """The header of a file that looks like the TSV; otherwise MalformedFile saying what came instead."""
    label = FILE_NAMES[name]
    text = body.strip()
    if text in ("", "null"):
        raise MalformedFile(f"{label}: body is {text or 'empty'!r}, not a TSV")
    if text.startswith("<"):
        raise MalformedFile(f"{label}: an HTML page instead of a TSV: {text[:SHOWN_CHARS]!r}")
    header = [column.strip() for column in next(_reader(body.lstrip()))]
    missing = [column for column in REQUIRED[name] if column not in header]
    if missing:
        raise MalformedFile(f"{label}: header lacks {', '.join(missing)}; it starts {text[:SHOWN_CHARS]!r}")
    return header


def rows(name: str, body: str) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, {column: cell}) for every data row; a row of the wrong width is an error."""
    header = check(name, body)
    # Only leading space goes: a last row may end in empty cells, i.e. in tabs.
    reader = _reader(body.lstrip())
    next(reader)
    for cells in reader:
        if not cells:
            continue
        if len(cells) != len(header):
            raise MalformedFile(
                f"{FILE_NAMES[name]} line {reader.line_num}: {len(cells)} cells, the header has {len(header)}"
            )
        yield reader.line_num, dict(zip(header, (c.strip() for c in cells), strict=True))
