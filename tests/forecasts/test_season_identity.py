"""Which weekly title a daily list's name means: the newest season known then, however the name is
written, and a season a market names before any weekly list does."""

from datetime import date, datetime, timedelta

from core.tz import EASTERN
from forecasts.engines import daily_features as daily
from forecasts.engines import nowcast as us_nowcast
from forecasts.engines import rank_logit as us_model
from forecasts.engines.daily_keys import rekey
from forecasts.engines.season_identity import announced_in_files, season_meant
from forecasts.history.us_lists import RankWeek

MANIFEST = {
    "Manifest|Manifest: Season 1": ("Manifest", "Manifest: Season 1"),
    "Manifest|Manifest: Season 2": ("Manifest", "Manifest: Season 2"),
    "Clickbait|Clickbait: Limited Series": ("Clickbait", "Clickbait: Limited Series"),
}


def _split(key):
    title, _, season = key.partition("|")
    return title, season


def test_a_new_season_out_mid_week_takes_the_daily_name_from_the_older_one():
    """Week ending 2021-08-29: Manifest's third season came out on the Thursday; the weekly lists so far
    named seasons 1 and 2, the global list of that week (standing in for the market) names season 3."""
    week = date(2021, 8, 29)
    before = [RankWeek(date(2021, 8, 22), {"Manifest|Manifest: Season 2": 4})]
    glob = {week: {"Manifest|Manifest: Season 3": 3}, week + timedelta(days=7): {"Later|Later: Season 9": 1}}
    announced = announced_in_files(week, before, glob, _split)
    assert "Later|Later: Season 9" not in announced  # a week after the predicted one is never read
    assert season_meant("Manifest", MANIFEST) == "Manifest|Manifest: Season 2"
    assert season_meant("Manifest", MANIFEST, announced) == "Manifest|Manifest: Season 3"


def test_a_creator_prefix_a_cut_and_mojibake_together_still_find_the_title():
    films = {
        "Tyler Perry's A Madea Homecoming|N/A": ("Tyler Perry's A Madea Homecoming", "N/A"),
        "A Madea Family Funeral|N/A": ("A Madea Family Funeral", "N/A"),
    }
    assert season_meant("Tyler PerryÃ¢Â€Â™s A Madea Homeco…", films) == "Tyler Perry's A Madea Homecoming|N/A"
    assert season_meant("Tyler Perryâs A Madea Homeco…", films) == "Tyler Perry's A Madea Homecoming|N/A"
    guillermo = {"Pinocchio|N/A": ("Guillermo del Toro's Pinocchio", "N/A")}
    assert season_meant("Pinocchio", guillermo) == "Pinocchio|N/A"


def test_a_possessive_that_belongs_to_the_title_is_not_stripped_into_another_show():
    names = {"Anatomy|N/A": ("Anatomy", ""), "Grey's Anatomy|Season 17": ("Grey's Anatomy", "Season 17")}
    assert season_meant("Greyâs Anatomy", names) == "Grey's Anatomy|Season 17"


def test_a_short_title_inside_a_longer_one_is_no_match():
    assert season_meant("You", {"Young Royals|Season 1": ("Young Royals", "Season 1")}) is None


def test_a_season_a_market_names_before_any_list_becomes_a_candidate():
    """Live, an open market's outcome ("Lucifer: Season 6") announces a season no weekly list has named:
    the daily lists' Lucifer is that season, a candidate of its own with no rank history."""
    history = [
        RankWeek(date(2021, 9, 5) + timedelta(days=7 * i), {"Lucifer|Lucifer: Season 5": 3}) for i in range(2)
    ]
    candidates, _ = us_model.features(history, {})
    chart = daily.DailyChart(date(2021, 9, 14), {"Lucifer": 1, "Clickbait": 2})
    announced = {"Lucifer|Lucifer: Season 6": ("Lucifer", "Lucifer: Season 6")}
    (seen,) = rekey([chart], candidates, announced=announced)
    assert seen.ranks["Lucifer|Lucifer: Season 6"] == 1 and "Lucifer|Lucifer: Season 5" not in seen.ranks
    keys, x = us_nowcast.features(history, {}, [seen])
    new = keys.index("Lucifer|Lucifer: Season 6")
    assert x[new, us_nowcast.FEATURES.index("in_us_list_last_week")] == 0
    assert x[new, us_nowcast.FEATURES.index("daily_points")] == 1.0


def test_a_list_shown_monday_is_not_read_by_the_monday_close_at_lag_one():
    week = date(2021, 10, 10)
    charts = {d: daily.DailyChart(d, {"Squid Game": 1}) for d in daily.week_list_days(week)}
    close = datetime(2021, 10, 11, 23, 59, tzinfo=EASTERN)
    assert daily.close_day(week) == close.date()
    at_lag_1 = daily.charts_seen(charts, week, daily.readable_until(close.date(), 1))
    at_lag_0 = daily.charts_seen(charts, week, daily.readable_until(close.date(), 0))
    assert close.date() not in [c.shown_on for c in at_lag_1] and len(at_lag_1) == 6
    assert len(at_lag_0) == 7
    assert daily.lists_caption(6, 1) == "6 of 7 daily lists (Monday's is published after the close)"
