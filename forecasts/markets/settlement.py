"""What a Kalshi Netflix market settles on, read from its own rules text and close time. Pure.

The rules name the list, the rank (or the views threshold) and the Monday–Sunday week; Netflix
publishes that week's lists on the Tuesday after it. Anything the rules do not say is left unknown
and the market reported as not parsed, never filled in from the series ticker: a trader reading
"parsed" must be able to trust that the market itself says so.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from core.tz import EASTERN

MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
DAY = rf"{MONTH} \d{{1,2}}, \d{{4}}"
WEEK = re.compile(rf"week of (?P<start>{DAY})\s*(?:-|–|—|to|through)\s*(?P<end>{DAY})", re.I)
PUBLISHED_ON = re.compile(rf"published (?:by Netflix )?on (?P<day>{DAY})", re.I)
# "Netflix's United States Top 10 TV list", "Netflix's Global Top 10 Films (Non-English) list", …
LIST = re.compile(
    r"(?P<scope>United States|U\.S\.|US|Global)\s+Top\s+10\s+"
    r"(?P<kind>TV|Shows?|Series|Films?|Movies?)"
    r"(?:\s*\(?(?P<lang>Non-English|English)\)?)?\s+(?:list|chart)",
    re.I,
)
RANK = re.compile(r"ranked\s+(?:#|No\.\s*|number\s+)(?P<rank>\d{1,2})\b", re.I)
ORDINAL_RANK = re.compile(r"\bthe\s+#(?P<rank>\d{1,2})\s+(?:show|series|film|movie|title)", re.I)
VIEWS = re.compile(r"at least (?P<n>\d+(?:\.\d+)?)\s*(?P<unit>million|M)?\s+views", re.I)


@dataclass(frozen=True)
class SettlesOn:
    list: str | None
    rank: int | None
    views_at_least: float | None  # absolute views, e.g. 25_000_000.0
    week_start: date | None  # Monday
    week_end: date | None  # Sunday
    published_on: date | None  # the Tuesday Netflix publishes the week's lists
    close_time: datetime | None
    parsed: bool
    problem: str = ""  # why not parsed
    caveat: str = ""  # what the rules leave open though they parsed

    def as_api(self) -> dict:
        return {
            "list": self.list,
            "rank": self.rank,
            "viewsAtLeast": self.views_at_least,
            "weekStart": self.week_start,
            "weekEnd": self.week_end,
            "publishedOn": self.published_on,
            "closeTime": self.close_time,
            "parsed": self.parsed,
            "problem": self.problem,
            "caveat": self.caveat,
        }


def _day(text: str) -> date | None:
    text = text.replace(".", "").replace("Sept ", "Sep ")
    for fmt in ("%b %d, %Y", "%B %d, %Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _list_name(match: re.Match) -> tuple[str, str]:
    """Netflix's own list name, and a caveat when the rules leave the language open."""
    films = match["kind"].lower().startswith(("film", "movie"))
    kind = "Films" if films else "TV"
    if match["scope"].lower() != "global":
        return f"US {kind}", ""
    if match["lang"]:
        return f"{kind} ({match['lang'].title().replace('Non-english', 'Non-English')})", ""
    # Netflix has no single global list: an English and a Non-English one. The market prices and
    # the views reference values followed the English list (docs/stack-facts.md), still UNCONFIRMED.
    return f"{kind} (English)", f"the rules say the Global {kind} list without a language: read as English"


def _week(rules: str) -> tuple[date | None, date | None, date | None, str]:
    """(Monday, Sunday, publication Tuesday, problem)."""
    published = None
    if m := PUBLISHED_ON.search(rules):
        published = _day(m["day"])
        if published is None:
            return None, None, None, f"unreadable publication day {m['day']!r}"
    if m := WEEK.search(rules):
        start, end = _day(m["start"]), _day(m["end"])
        if start is None or end is None:
            return None, None, None, f"unreadable week {m.group(0)!r}"
        if start.weekday() != 0 or end - start != timedelta(days=6):
            return None, None, None, f"{m.group(0)!r} is not a Monday–Sunday week"
        if published is not None and published != end + timedelta(days=2):
            return None, None, None, f"published on {published}, not the Tuesday after the week"
        return start, end, end + timedelta(days=2), ""
    if published is not None:
        if published.weekday() != 1:
            return None, None, None, f"publication day {published} is not a Tuesday"
        end = published - timedelta(days=2)
        return end - timedelta(days=6), end, published, ""
    return None, None, None, "the rules name no week"


def _threshold(rules: str) -> tuple[int | None, float | None]:
    if m := VIEWS.search(rules):
        n = float(m["n"]) * (1_000_000 if m["unit"] else 1)
        rank = ORDINAL_RANK.search(rules) or RANK.search(rules)
        return (int(rank["rank"]) if rank else None), n
    m = RANK.search(rules)
    return (int(m["rank"]) if m else None), None


def settles_on(*, rules: str, close_time: datetime | None) -> SettlesOn:
    rules = " ".join((rules or "").split())

    def unparsed(problem: str) -> SettlesOn:
        return SettlesOn(None, None, None, None, None, None, close_time, False, problem)

    if not rules:
        return unparsed("no rules text stored")
    lm = LIST.search(rules)
    if lm is None:
        return unparsed("the rules name no Netflix Top 10 list")
    list_name, caveat = _list_name(lm)
    rank, views = _threshold(rules)
    if rank is None:
        return unparsed("the rules name no rank")
    start, end, published, problem = _week(rules)
    if problem:
        return unparsed(problem)
    if close_time is not None:
        closes = close_time.astimezone(EASTERN).date()
        if not end < closes <= published:
            odd = f"closes {closes}, not between the week and its publication"
            caveat = f"{caveat}; {odd}" if caveat else odd
    return SettlesOn(list_name, rank, views, start, end, published, close_time, True, "", caveat)
