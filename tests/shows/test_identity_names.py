"""The naming rules (shows/names.py): pure, no database."""

import pytest

from shows.names import canonical_name, name_key, normalize_title, season_order, split_name


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [
        ("Wednesday", "wednesday"),
        ("  The  Lincoln Lawyer ", "the lincoln lawyer"),
        ("Pokémon Concierge", "pokemon concierge"),
        ("Don’t Come Home", "dont come home"),  # Tudum's curly apostrophe ...
        ("Don't Come Home", "dont come home"),  # ... meets a straight one
        ("BASTARD‼ -Heavy Metal, Dark Fantasy-", "bastard heavy metal dark fantasy"),
        ("오징어 게임", "오징어 게임"),  # no ASCII letters: kept, not reduced to ""
        ("Bebefinn Playtime: 시즌 1", "bebefinn playtime 시즌 1"),
    ],
)
def test_normalize_title_drops_case_accents_and_punctuation_only(raw, normalized):
    assert normalize_title(raw) == normalized


@pytest.mark.parametrize(
    ("name", "parts"),
    [
        ("Wednesday: Season 2", ("Wednesday", "Season 2")),
        ("The Lincoln Lawyer: Season 4", ("The Lincoln Lawyer", "Season 4")),
        ("Avatar: The Last Airbender: Season 2", ("Avatar: The Last Airbender", "Season 2")),
        ("Love Is Blind: Brazil: Season 3", ("Love Is Blind: Brazil", "Season 3")),
        ("Love Is Blind: S7: Washington D.C.", ("Love Is Blind", "S7: Washington D.C.")),
        ("I Will Find You: Limited Series", ("I Will Find You", "Limited Series")),
        ("Money Heist: Part 5", ("Money Heist", "Part 5")),
        ("Mission: Impossible", ("Mission: Impossible", "")),
        ("Pokémon Journeys: The Series", ("Pokémon Journeys: The Series", "")),
        ("How to Get to Heaven from Belfast", ("How to Get to Heaven from Belfast", "")),
        ("Wednesday\u200b: Season 2", ("Wednesday", "Season 2")),  # a zero-width space in the title
    ],
)
def test_split_name_splits_only_a_season_like_label(name, parts):
    assert split_name(name) == parts


def test_every_spelling_of_one_season_has_one_name_key():
    tudum = canonical_name("Wednesday", "Wednesday: Season 2")  # show_title + season_title
    tudum_split = canonical_name("Wednesday", "Season 2")  # as the Tudum runner passes it
    kalshi = canonical_name("Wednesday: Season 2")  # yes_sub_title alone
    typed = canonical_name("wednesday season 2")  # a person typing an alias
    assert tudum.key == tudum_split.key == kalshi.key == typed.key == "wednesday season 2"
    assert (kalshi.title, kalshi.season) == ("Wednesday", "Season 2")


def test_a_season_title_that_is_not_prefixed_keeps_the_whole_label():
    name = canonical_name("Stranger Things", "Stranger Things 4")
    assert (name.season, name.key, name.display) == (
        "Stranger Things 4",
        "stranger things 4",
        "Stranger Things 4",
    )
    assert canonical_name("Stranger Things 4").key == name.key  # as Kalshi would write it


def test_na_is_no_season_and_a_film_keys_on_its_title():
    name = canonical_name("KPop Demon Hunters", "N/A")
    assert (name.season, name.key) == ("", "kpop demon hunters")


def test_display_gives_the_same_name_back():
    for title, season in [
        ("Wednesday", "Season 2"),
        ("DAHMER", "Monster: The Jeffrey Dahmer Story"),
        ("Squid Game", ""),
    ]:
        name = canonical_name(title, season)
        assert canonical_name(name.display).key == name.key


def test_name_key_joins_title_and_season():
    assert name_key("Love Is Blind", "S7: Washington D.C.") == "love is blind s7 washington d c"
    assert name_key("Wednesday", "") == "wednesday"


def test_season_order_compares_by_number_and_puts_unnumbered_first():
    assert season_order("Season 10") > season_order("Season 9") > season_order("Limited Series")
    assert season_order("Stranger Things 4") == 4


def test_a_films_name_is_never_split_into_a_season():
    film = canonical_name("The Christmas Chronicles: Part Two", kind="film")
    assert (film.title, film.season) == ("The Christmas Chronicles: Part Two", "")
    assert film.key == canonical_name("The Christmas Chronicles: Part Two").key
