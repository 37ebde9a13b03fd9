"""Which weekly title (a show's season, or a film) a daily list's name means, as of a time. Pure.

A daily list names a show ("Manifest"); Netflix's weekly lists and Kalshi's outcomes name a season
("Manifest: Season 3"). The name means the *newest season known at the prediction time* of the show it
names (matched however the list spelled it: shows/daily_names.py), among

- the week's candidates: the titles of the weekly lists known then, and
- seasons *announced* by then: a season no weekly list has named yet, which becomes a candidate of its
  own when a daily list names its show. Live, an open market's outcomes announce it; in the backtest,
  `announced_in_files` stands in for the market.

So in the release week of Manifest's third season (the week ending 2021-08-29) the daily points go to
Season 3, which the market lists, and not to Season 2, the newest one the weekly lists had shown.
"""

import re
from datetime import date

from shows.daily_names import match_show
from shows.names import normalize_title

Names = dict[str, tuple[str, str]]  # candidate key -> (show title, season); a film's season is "" or N/A
NUMBER = re.compile(r"\d+")
NO_SEASON = {"", "n/a"}


def season_rank(season: str) -> tuple[int, ...]:
    """Newer seasons rank higher: by their numbers in order ("Season 4 Part 2" > "Season 4 Part 1" >
    "Season 3"); a label without a number ("Limited Series") or none ranks first."""
    return tuple(int(n) for n in NUMBER.findall(season)) or (-1,)


def season_meant(title: str, candidates: Names, announced: Names | None = None) -> str | None:
    """The key the daily `title` means: the newest season of its show among the candidates and the
    announced seasons (a candidate wins a tie), or None when it names no known show."""
    shows: dict[str, list[str]] = {}
    display: dict[str, str] = {}
    for key, (show, _) in {**(announced or {}), **candidates}.items():
        norm = normalize_title(show)
        shows.setdefault(norm, []).append(key)
        display.setdefault(norm, show)
    found = match_show(title, list(display.values()))
    if found is None:
        return None
    keys = shows[normalize_title(found)]
    names = {**(announced or {}), **candidates}
    return max(keys, key=lambda k: (season_rank(names[k][1]), k in candidates, k))


def announced_in_files(
    week: date, us_before: list, global_by_week: dict[date, dict[str, int]], split
) -> Names:
    """The seasons a market for the week ending `week` could name, from the files, for the backtest.

    Point in time: every season named by a US weekly list *before* `week`, and by the global lists
    (both languages of the kind) up to *and including* `week`. The global list of `week` is published
    the Tuesday after the Monday close, so it is not itself known at the close; it is used only as the
    record of which seasons were out by Sunday — what Netflix's release calendar and the market's own
    outcome list ("Manifest: Season 3") say before the close. Only the season's *name* is used, never its
    rank or views, and a name becomes a candidate only when a daily list readable at the close names its
    show (`season_meant`). What this still borrows from the future: a season released that week that
    made no global list is missed (it would be mapped to an older season, as before), and one that did
    is known to have charted somewhere; the US list of `week` itself, the predicted outcome, is never
    read. Films are not announced: a daily film title with no weekly title is a candidate of its own.
    """
    keys = {k for wk in us_before for k in wk.ranks}
    keys |= {k for wk, ranks in global_by_week.items() if wk <= week for k in ranks}
    names = {k: split(k) for k in keys}
    return {k: v for k, v in names.items() if v[1].strip().casefold() not in NO_SEASON}
