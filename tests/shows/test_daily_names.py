"""Daily-chart names to weekly show titles (shows/daily_names.py), on spellings of the 2021 daily file."""

from shows.daily_names import match_show, review

WEEKLY = [
    "The Circle",
    "Shameless (U.S.)",
    "Bureau of Magical Things",
    "Last Summer",
    "The Twilight Saga: Breaking Dawn: Part 1",
    "The Twilight Saga: Breaking Dawn: Part 2",
    "Elite",
]


def test_a_region_qualifier_on_either_side_is_no_obstacle():
    assert match_show("The Circle US", WEEKLY) == "The Circle"
    assert match_show("Shameless", WEEKLY) == "Shameless (U.S.)"


def test_a_dropped_article_passes_the_fuzzy_threshold_and_accents_are_ignored():
    assert match_show("The Bureau of Magical Things", WEEKLY) == "Bureau of Magical Things"
    assert match_show("Élite", WEEKLY) == "Elite"


def test_a_cut_name_beginning_two_titles_names_neither():
    assert match_show("The Twilight Saga: Breaking…", WEEKLY) is None


def test_a_near_miss_is_not_matched_but_listed_for_review():
    assert match_show("Black Summer", WEEKLY) is None
    assert review(["Black Summer", "The Circle US"], WEEKLY) == [("Black Summer", "Last Summer", 78.3)]
