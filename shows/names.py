"""How a show's name is written by each source, reduced to keys on which they meet.

Netflix names a season as "<show title>: <label>" ("Wednesday: Season 2", "Love Is Blind: S7: Washington
D.C."), or sometimes as a whole ("Stranger Things 4"). Tudum gives the show title and that season title
apart; Kalshi gives only the season title (`yes_sub_title`); FlixPatrol and search terms give the bare
show title. The *name key* is the normalized full season title, so every spelling of one season meets
on it whichever way a source split it; the *title key* groups the seasons of one show.
"""

import re
import unicodedata
from dataclasses import dataclass

APOSTROPHES = re.compile(r"['\u2018\u2019\u02bc`]")  # "Don’t" and "Don't" must meet
NOT_WORD = re.compile(r"[\W_]+")  # Unicode-aware: Hangul or Arabic letters are kept, not dropped
# A label after "<title>: " that names a season (a number follows) rather than continuing the title, so
# "Mission: Impossible" keeps its colon while "Avatar: The Last Airbender: Season 2" splits.
SEASON_LABEL = re.compile(
    r"^(?P<title>.+?):\s+(?P<season>"
    r"(?:Season|Part|Volume|Vol\.|Chapter|Class|Collection|Book|Series|시즌)\s*"
    r"(?:\d+|[IVX]+|One|Two|Three|Four|Five|Six|Seven|Eight|Nine|Ten)\b.*"
    r"|S\d+\b.*|Limited Series.*)$",
    re.IGNORECASE,
)
FIRST_NUMBER = re.compile(r"\d+")
NOT_APPLICABLE = {"n/a", "na", "-"}  # Tudum's season_title for films


def normalize_title(title: str) -> str:
    """The key by which every source's spelling of a title meets: case, accents and punctuation go."""
    text = unicodedata.normalize("NFKD", title)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = unicodedata.normalize("NFKC", APOSTROPHES.sub("", text)).casefold()
    return " ".join(NOT_WORD.sub(" ", text).split())


def clean(text: str) -> str:
    """Whitespace collapsed; zero-width and other invisible format characters removed."""
    text = "".join(c for c in text if unicodedata.category(c) != "Cf")
    return " ".join(text.split())


def split_name(name: str) -> tuple[str, str]:
    """A full season title -> (show title, season label): "Wednesday: Season 2" -> Wednesday / Season 2.
    A name without a season-like label is a title alone."""
    name = clean(name)
    match = SEASON_LABEL.match(name)
    return (match["title"], match["season"]) if match else (name, "")


def name_key(title: str, season: str) -> str:
    """The normalized full season title: ("Wednesday", "Season 2") and ("Wednesday: Season 2", "")
    both give "wednesday season 2"; ("Stranger Things", "Stranger Things 4") gives "stranger things 4"."""
    title_key, season_key = normalize_title(title), normalize_title(season)
    if not season_key:
        return title_key
    if season_key == title_key or season_key.startswith(title_key + " "):
        return season_key
    return f"{title_key} {season_key}".strip()


def season_order(season: str) -> int:
    """Which of two seasons of a title is the newer: by their first number ("Season 10" > "Season 9");
    a label without a number ("Limited Series") comes first."""
    match = FIRST_NUMBER.search(season)
    return int(match[0]) if match else -1


@dataclass(frozen=True)
class Name:
    """A source's name for a show in canonical form."""

    title: str
    season: str
    title_key: str
    key: str

    @property
    def display(self) -> str:
        """The full season title as Netflix writes it; canonical_name(display) gives this name back."""
        if not self.season:
            return self.title
        season_key = normalize_title(self.season)
        if season_key == self.title_key or season_key.startswith(self.title_key + " "):
            return self.season  # "Stranger Things 4"
        return f"{self.title}: {self.season}"


def canonical_name(title: str, season: str = "", *, kind: str = "tv") -> Name:
    """Title and season as a source gave them -> one canonical form. A season that repeats the title
    ("Wednesday: Season 2" from Tudum's season_title) loses the repeat; a series' title with the season
    in it and no season ("Wednesday: Season 2" from Kalshi) is split, a film's is not ("The Christmas
    Chronicles: Part Two" is a film of its own); "N/A" is no season."""
    title, season = clean(title), clean(season)
    if season.casefold() in NOT_APPLICABLE:
        season = ""
    if not season and kind == "film":
        pass
    elif not season:
        title, season = split_name(title)
    elif season.casefold().startswith(title.casefold() + ":"):
        season = season[len(title) + 1 :].strip()
    return Name(title=title, season=season, title_key=normalize_title(title), key=name_key(title, season))
