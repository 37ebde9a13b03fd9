"""Daily-list titles -> the keys of the week's candidates, by name. One function for the backtest (keys
"Title|Season" from the weekly file) and the live nowcast (keys "show:<id>" of stored shows).

A daily list names the show, never its season, so a title is matched against the candidates *of the
week it belongs to* (their newest season among them, see `daily.match_title`). Matching against the
shows stored today instead would file a 2021 list under the season that is newest now (Outer Banks'
fourth, say) and so train the nowcast on a show that was not yet out.
"""

from collections.abc import Callable
from datetime import date, timedelta

from forecasts.engines import daily_features as daily
from forecasts.engines import nowcast as us_nowcast
from forecasts.engines import rank_logit as us_model
from forecasts.engines.outcomes import NEW
from forecasts.history.us_lists import RankWeek
from shows.names import normalize_title

DAILY_PREFIX = "daily:"  # a title of the daily lists that is none of the rank model's candidates
NameOf = Callable[[str], tuple[str, str]]  # candidate key -> (show title, season)


def split_key(key: str) -> tuple[str, str]:
    """The weekly file's keys: "Title|Season"."""
    title, _, season = key.partition("|")
    return title, season


def rekey(seen: list[daily.DailyChart], candidates: list[str], name_of: NameOf = split_key):
    """Charts keyed by title -> the candidate keys they name (by name, newest season first), else daily:."""
    names = {k: name_of(k) for k in candidates if k != NEW}
    out = []
    for chart in seen:
        ranks: dict[str, int] = {}
        titles: dict[str, str] = {}
        for title, rank in chart.ranks.items():
            key = daily.match_title(title, names) or DAILY_PREFIX + daily.title_key(title)
            ranks[key] = min(rank, ranks.get(key, rank))
            titles[key] = chart.titles.get(title, title)
        out.append(daily.DailyChart(chart.shown_on, ranks, titles))
    return out


def find_daily(key: str, keys: list[str], name_of: NameOf = split_key) -> str | None:
    """A week's actual title among daily-only candidates: same show title, or a cut one."""
    wanted = normalize_title(name_of(key)[0])
    for k in keys:
        if k.startswith(DAILY_PREFIX):
            name = k.removeprefix(DAILY_PREFIX)
            if name == wanted or (name and wanted.startswith(name + " ")):
                return k
    return None


def week_lists(
    history: list[RankWeek],
    global_by_week: dict,
    charts: dict[date, daily.DailyChart],
    name_of: NameOf = split_key,
) -> us_nowcast.WeekLists:
    """Each week's own lists, shown up to its Monday, keyed like the candidates of that week."""
    out: us_nowcast.WeekLists = {}
    for i, week in enumerate(history):
        seen = daily.charts_seen(charts, week.week, week.week + timedelta(days=1))
        if i and seen:
            keys, _ = us_model.features(history[:i], global_by_week.get(history[i - 1].week, {}))
            out[week.week] = rekey(seen, keys, name_of)
    return out
