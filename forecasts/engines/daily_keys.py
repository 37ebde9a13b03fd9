"""Daily-list titles -> the keys of the week's candidates, by name. One function for the backtest (keys
"Title|Season" from the weekly file) and the live nowcast (keys "show:<id>" of stored shows).

A daily list names the show, never its season, so a title is matched against the candidates *of the
week it belongs to* (their newest season among them, see `daily.match_title`). Matching against the
shows stored today instead would file a 2021 list under the season that is newest now (Outer Banks'
fourth, say) and so train the nowcast on a show that was not yet out.
"""

from collections.abc import Callable
from datetime import date

from forecasts.engines import daily_features as daily
from forecasts.engines import nowcast as us_nowcast
from forecasts.engines import rank_logit as us_model
from forecasts.engines.outcomes import NEW
from forecasts.engines.season_identity import Names
from forecasts.history.us_lists import RankWeek
from shows.daily_names import match_show, repaired

DAILY_PREFIX = "daily:"  # a title of the daily lists that is none of the rank model's candidates
NameOf = Callable[[str], tuple[str, str]]  # candidate key -> (show title, season)
AnnouncedFor = Callable[[date, list[RankWeek]], Names]  # week, the weeks before it -> announced seasons


def daily_only_key(title: str) -> str:
    """The key of a daily title that names no candidate: the title as shown, repaired, cut mark kept."""
    return DAILY_PREFIX + repaired(title)


def split_key(key: str) -> tuple[str, str]:
    """The weekly file's keys: "Title|Season"."""
    title, _, season = key.partition("|")
    return title, season


def rekey(
    seen: list[daily.DailyChart],
    candidates: list[str],
    name_of: NameOf = split_key,
    announced: Names | None = None,
):
    """Charts keyed by title -> the keys they name (the newest season of the show among the candidates
    and the announced seasons: forecasts/engines/season_identity.py), else a daily-only key."""
    names = {k: name_of(k) for k in candidates if k != NEW}
    out = []
    for chart in seen:
        ranks: dict[str, int] = {}
        titles: dict[str, str] = {}
        for title, rank in chart.ranks.items():
            key = daily.match_title(title, names, announced) or daily_only_key(title)
            ranks[key] = min(rank, ranks.get(key, rank))
            titles[key] = chart.titles.get(title, title)
        out.append(daily.DailyChart(chart.shown_on, ranks, titles))
    return out


def find_daily(key: str, keys: list[str], name_of: NameOf = split_key) -> str | None:
    """A week's actual title among daily-only candidates: the one whose name means its show title."""
    wanted = name_of(key)[0]
    for k in keys:
        if k.startswith(DAILY_PREFIX) and match_show(k.removeprefix(DAILY_PREFIX), [wanted]):
            return k
    return None


def week_lists(
    history: list[RankWeek],
    global_by_week: dict,
    charts: dict[date, daily.DailyChart],
    name_of: NameOf = split_key,
    *,
    publication_lag: int = 0,
    announced_for: AnnouncedFor | None = None,
) -> us_nowcast.WeekLists:
    """Each week's own lists as readable at its close (Monday 23:59 ET, `publication_lag` days after a
    list is shown), keyed like the candidates of that week and the seasons announced by then."""
    out: us_nowcast.WeekLists = {}
    for i, week in enumerate(history):
        until = daily.readable_until(daily.close_day(week.week), publication_lag)
        seen = daily.charts_seen(charts, week.week, until)
        if i and seen:
            keys, _ = us_model.features(history[:i], global_by_week.get(history[i - 1].week, {}))
            announced = announced_for(week.week, history[:i]) if announced_for else None
            out[week.week] = rekey(seen, keys, name_of, announced)
    return out
