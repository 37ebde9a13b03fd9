import pytest

from forecasts.history.global_lists import HistoryError, load_history, parse_history
from tests.fakeupstream import fixture_text


def test_sample_parses_into_weekly_lists_oldest_first_ranked_by_views():
    history = parse_history(fixture_text("tudum/all-weeks-global.sample.tsv"))
    assert set(history) == {"TV (English)", "TV (Non-English)", "Films (English)", "Films (Non-English)"}
    weeks = history["TV (English)"]
    assert [w.week.isoformat() for w in weeks][-1] == "2025-08-10"
    assert weeks[0].week < weeks[-1].week
    assert [e.rank for e in weeks[-1].entries] == list(range(1, 11))
    assert all(w.ranked_by_views for w in weeks)


def test_weeks_before_june_2023_are_ranked_by_hours():
    history = parse_history(fixture_text("tudum/all-weeks-global.views-transition.sample.tsv"))
    hours_week, views_week = history["TV (English)"]
    assert not hours_week.ranked_by_views
    assert views_week.ranked_by_views
    top = views_week.entries[0]
    assert views_week.value(top) == top.views
    assert hours_week.value(hours_week.entries[0]) == hours_week.entries[0].hours


def test_seasons_of_one_show_are_separate_titles():
    history = parse_history(fixture_text("tudum/all-weeks-global.views-transition.sample.tsv"))
    keys = [e.key for e in history["TV (English)"][-1].entries if e.title == "Never Have I Ever"]
    assert len(keys) == len(set(keys)) == 3


def test_extra_columns_of_the_2024_schema_are_ignored():
    history = parse_history(fixture_text("tudum/all-weeks-global.schema-2024-11.sample.tsv"))
    assert history["Films (English)"][0].entries[0].title == "Hot Frosty"


def test_a_null_body_is_refused_with_a_reason():
    with pytest.raises(HistoryError, match="missing column"):
        parse_history(fixture_text("tudum/all-weeks-global.null-body.tsv"))


def test_a_non_numeric_value_names_its_line():
    text = fixture_text("tudum/all-weeks-global.sample.tsv").replace("51300000", "lots", 1)
    with pytest.raises(HistoryError, match="line 2: weekly_hours_viewed"):
        parse_history(text)


def test_a_missing_file_is_a_history_error(tmp_path):
    with pytest.raises(HistoryError, match="cannot read"):
        load_history(tmp_path / "absent.tsv")
