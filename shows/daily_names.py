"""Which show title a daily chart's name means, however the chart wrote it. Pure.

Daily charts (Netflix's app, FlixPatrol, The Numbers' file) write a show's bare title, and often not as
Netflix's weekly lists do: mis-encoded ("Tyler Perryâs"), cut with "…" ("A Madea Homeco…"), with a
creator's possessive the weekly list drops or keeps ("Tyler Perry's A Madea Homecoming" / "A Madea
Homecoming"), a "Presents" prefix, or a region or year qualifier ("The Circle US" / "The Circle",
"Shameless" / "Shameless (U.S.)"). `match_show` tries, in order: the same key, the same key once such
prefixes and qualifiers are dropped from either side, a unique title that a cut name begins, and last a
scored fuzzy match (rapidfuzz) above MATCH_SCORE. Anything less is no match: the caller keeps the name as
a title of its own and `review` lists the near misses for a person to look at.
"""

import re
from functools import lru_cache

import ftfy
from rapidfuzz import fuzz, process

from shows.names import normalize_title

CUT_MARKS = ("…", "...")
# "Tyler Perry's X", "Guillermo del Toro's X", "Roald Dahl's X": up to four words ending in 's. Tried only
# as a variant (never instead of the title), since "Grey's Anatomy" and "Schitt's Creek" keep theirs.
POSSESSIVE = re.compile(r"^(?:\w+ ){0,3}\w+['’]s (?=\w)", re.IGNORECASE)
PRESENTS = re.compile(r"^(?:\w+ ){0,3}presents:? ", re.IGNORECASE)
QUALIFIER = re.compile(r"\s*(?:\((?:u\.?s\.?|u\.?k\.?|\d{4})\)|\b(?:us|u\.s\.|uk))$", re.IGNORECASE)
# rapidfuzz's plain ratio (edit distance) on the normalized keys: a typo or a dropped word passes, a short
# title inside a long one does not (WRatio's partial match would give "You" to "Young Royals").
MATCH_SCORE = 90.0
REVIEW_SCORE = 75.0  # below MATCH_SCORE and at least this: a near miss worth a person's look
MIN_CUT_CHARS = 4  # a cut name shorter than this names nothing reliably
# What is left of "’" when a copy lost the two bytes after "â" ("Perryâs"): ftfy cannot see it any more.
STRAY_APOSTROPHE = re.compile(r"(?<=\w)â(?=(?:s|t|ll|re|ve|d|m)\b)")


def repaired(title: str) -> str:
    """Mojibake repaired, whitespace collapsed; the cut mark stays (see `is_cut`)."""
    return " ".join(STRAY_APOSTROPHE.sub("'", ftfy.fix_text(title)).split())


def is_cut(title: str) -> bool:
    return repaired(title).endswith(CUT_MARKS)


def _uncut(title: str) -> str:
    text = repaired(title)
    for mark in CUT_MARKS:
        text = text.removesuffix(mark)
    return text.strip()


@lru_cache(maxsize=4096)
def variants(title: str) -> frozenset[str]:
    """Normalized keys a title may meet another source's spelling on: as written, and without a
    possessive or "Presents" prefix or a region/year qualifier."""
    text = _uncut(title)
    forms = {text}
    for pattern in (POSSESSIVE, PRESENTS):
        forms |= {pattern.sub("", f, count=1) for f in list(forms)}
    forms |= {QUALIFIER.sub("", f) for f in list(forms)}
    return frozenset(k for k in map(normalize_title, forms) if k)


def match_show(name: str, titles: list[str]) -> str | None:
    """The one of `titles` (show titles as the weekly lists write them) that the daily `name` means."""
    found, score = best_match(name, titles)
    return found if score >= MATCH_SCORE else None


def best_match(name: str, titles: list[str]) -> tuple[str | None, float]:
    """The best title for `name` and its score (100 for an exact or prefix match, else rapidfuzz's)."""
    if not titles:
        return None, 0.0
    keys = {t: variants(t) for t in titles}
    wanted = variants(name)
    same = [t for t, ks in keys.items() if ks & wanted]
    if len(same) == 1 or (same and len({normalize_title(t) for t in same}) == 1):
        return same[0], 100.0
    if same:  # two titles meet only on a stripped variant: the unstripped one wins, else none
        exact = [t for t in same if normalize_title(t) == normalize_title(_uncut(name))]
        return (exact[0], 100.0) if len(exact) == 1 else (None, 0.0)
    if is_cut(name):
        heads = {w for w in wanted if len(w) >= MIN_CUT_CHARS}
        begun = {t for t, ks in keys.items() if any(k.startswith(h) for k in ks for h in heads)}
        if len(begun) == 1:
            return begun.pop(), 100.0
        if begun:
            return None, 0.0  # "The Twilight Saga: Breaking…" begins two films: no guess
    choices = {f"{t}\x00{k}": k for t, ks in keys.items() for k in ks}
    best = process.extractOne(normalize_title(_uncut(name)), choices, scorer=fuzz.ratio)
    if best is None:
        return None, 0.0
    return best[2].split("\x00", 1)[0], float(best[1])


def review(names: list[str], titles: list[str]) -> list[tuple[str, str, float]]:
    """Daily names that matched no title but came close: (name, best title, score), for a person."""
    out = []
    for name in names:
        found, score = best_match(name, titles)
        if found and REVIEW_SCORE <= score < MATCH_SCORE:
            out.append((name, found, round(score, 1)))
    return out
