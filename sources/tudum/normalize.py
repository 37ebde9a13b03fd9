"""Netflix Top 10 TSVs -> snapshots. Pure: tested on fixtures.

Every file must hold all its lists, complete (lists.py), or nothing of it is stored.
Each response's meta says which file it is ("global", "countries", "most_popular") and which weeks
to keep: `recent_weeks` (the newest N weeks of the file, for scheduled runs) or the backfill window
`since` / `until` on the week's end date, optionally one `show` ({"title", "season"}).
"""

import functools
import math
import re
from datetime import UTC, date, datetime, timedelta

from shows.models import normalize_title
from shows.refs import ShowRef
from sources.base import RawResponse, SnapshotIn
from sources.tudum import tsv
from sources.tudum.lists import check_lists, kept_rows
from sources.tudum.tsv import MalformedFile

# File column -> metric. Read only when the header has the column; empty cells are not stored.
WEEKLY_METRICS = {
    "weekly_rank": "rank",
    "weekly_hours_viewed": "weekly_hours_viewed",
    "weekly_views": "weekly_views",
    "runtime": "runtime",
    "cumulative_weeks_in_top_10": "cumulative_weeks_in_top_10",
}
FIRST_DAYS = re.compile(r"^(hours_viewed|views)_first_\d+_days$")  # 28 days until mid-2023, then 91
ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))


@functools.cache  # a handful of categories, looked up for every row
def scope_of_category(category: str) -> str:
    """ "TV (Non-English)" -> "tv_non_english"."""
    return re.sub(r"[^a-z0-9]+", "_", category.lower()).strip("_")


def show_ref(show_title: str, season_title: str, category: str) -> ShowRef:
    """ "Wednesday" + "Wednesday: Season 2" -> Wednesday / Season 2; films have season_title "N/A"."""
    title = show_title.translate(ZERO_WIDTH).strip()
    season_title = season_title.translate(ZERO_WIDTH).strip()
    if season_title in ("", "N/A"):
        season = ""
    elif season_title.startswith(title + ":"):
        season = season_title[len(title) + 1 :].strip()
    else:  # "Stranger Things 2", "Royal Rumble 2025": the label is the whole season title
        season = season_title
    kind = "film" if category.lower().startswith("film") else "tv"
    # exact: Tudum always says the season, so a seasonless row is that show, not its newest season.
    return ShowRef(title=title, season=season, kind=kind, create=True, exact=True)


def _number(row: dict[str, str], column: str, label: str, line: int) -> float | None:
    cell = row.get(column, "")
    if cell == "":
        return None
    try:
        value = float(cell)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value < 0:
        raise MalformedFile(f"{label} line {line}: {column}={cell!r} is not a number")
    # runtime 0 marks staggered launches and live titles (docs/stack-facts.md): no runtime, not a zero one.
    if column == "runtime" and value == 0:
        return None
    return value


def _week_end(row: dict[str, str], label: str, line: int) -> date:
    try:
        week = date.fromisoformat(row["week"])
    except ValueError:
        raise MalformedFile(f"{label} line {line}: week={row['week']!r} is not a date") from None
    if week.weekday() != 6:
        raise MalformedFile(f"{label} line {line}: week {week} is not a Sunday (a week's end)")
    return week


def _kept_weeks(weeks: set[date], meta: dict) -> set[date]:
    if meta.get("recent_weeks"):
        weeks = set(sorted(weeks)[-int(meta["recent_weeks"]) :])
    if meta.get("since"):
        weeks = {w for w in weeks if w >= date.fromisoformat(meta["since"])}
    if meta.get("until"):
        weeks = {w for w in weeks if w < date.fromisoformat(meta["until"])}
    return weeks


def _wanted_show(meta: dict):
    show = meta.get("show")
    if not show:
        return None
    return normalize_title(show["title"]), (show.get("season") or "").strip()


def _weekly(r: RawResponse) -> list[SnapshotIn]:
    name = r.meta["file"]
    label = tsv.FILE_NAMES[name]
    parsed = [(line, row, _week_end(row, label, line)) for line, row in tsv.rows(name, r.body)]
    weeks = _kept_weeks({week for _, _, week in parsed}, r.meta)
    countries = set(r.meta.get("countries") or ())
    # Only the editions stored are checked (kept weeks of kept countries): one broken old week of
    # another country must not refuse the lists that are stored.
    kept = list(kept_rows(name, ((line, row) for line, row, week in parsed if week in weeks), countries))
    check_lists(name, kept if kept else ((line, row) for line, row, _ in parsed))
    wanted = _wanted_show(r.meta)
    out: list[SnapshotIn] = []
    for line, row, week in parsed:
        if week not in weeks:
            continue
        if name == "countries":
            scope = row["country_iso2"].upper()
            if countries and scope not in countries:
                continue
        else:
            scope = scope_of_category(row["category"])
        ref = show_ref(row["show_title"], row["season_title"], row["category"])
        if wanted and (normalize_title(ref.title), ref.season) != wanted:
            continue
        # observed_at is the Monday that starts the viewing week; the file names the Sunday ending it.
        start = datetime(week.year, week.month, week.day, tzinfo=UTC) - timedelta(days=6)
        attrs = {"season_title": row["season_title"], "category": row["category"], "week": row["week"]}
        for column, metric in WEEKLY_METRICS.items():
            value = _number(row, column, label, line)
            if value is not None:
                out.append(SnapshotIn(metric, "week", start, value, scope, show_ref=ref, attrs=attrs))
    return out


def _most_popular(r: RawResponse) -> list[SnapshotIn]:
    """All-time lists, as known on the day of the fetch (period "day"): a re-fetch the same day
    changes nothing, a later day that moved a title shows the move."""
    label = tsv.FILE_NAMES["most_popular"]
    day = r.fetched_at.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    out: list[SnapshotIn] = []
    parsed = list(tsv.rows("most_popular", r.body))
    check_lists("most_popular", parsed)
    for line, row in parsed:
        ref = show_ref(row["show_title"], row["season_title"], row["category"])
        scope = "most_popular_" + scope_of_category(row["category"])
        attrs = {"season_title": row["season_title"], "category": row["category"]}
        columns = ["rank", "runtime", *(c for c in row if FIRST_DAYS.match(c))]
        for column in columns:
            value = _number(row, column, label, line)
            if value is not None:
                out.append(SnapshotIn(column, "day", day, value, scope, show_ref=ref, attrs=attrs))
    return out


def normalize(responses: list[RawResponse]) -> list[SnapshotIn]:
    out: list[SnapshotIn] = []
    for r in responses:
        out.extend(_most_popular(r) if r.meta["file"] == "most_popular" else _weekly(r))
    return out
