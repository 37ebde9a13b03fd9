"""FlixPatrol's Top 10 HTML -> rows. Pure; the selectors follow public scrapers (docs/stack-facts.md).

World pages head each list with <h2><span>TOP Movies</span> ...</h2> and carry a points column;
country pages use <h3>TOP 10 Movies</h3> and have no points. Kids lists are left out: a title on both
the TV and the Kids TV list would claim two ranks for one (show, scope, day).
"""

import re
from dataclasses import dataclass
from datetime import date, datetime

from bs4 import BeautifulSoup

LIST_HEADING = re.compile(r"^top (?:10 )?(movies|tv shows)\b", re.IGNORECASE)
LIST_NAMES = {"movies": "films", "tv shows": "tv"}
RANK_CELL = re.compile(r"^(\d{1,3})\.$")
TITLE_HREF = re.compile(r"^/title/([^/?#]+)/?$")
NUMBER = re.compile(r"^\d[\d,]*$")
TABLE_OPEN, TABLE_CLOSE = re.compile(r"<table\b", re.I), re.compile(r"</table\s*>", re.I)
HTML_OPEN, HTML_CLOSE = re.compile(r"<html\b", re.I), re.compile(r"</html\s*>", re.I)
# World list headings end "… on Netflix on August 7, 2025"; the day the page says it charts.
SHOWN_DAY = re.compile(
    r"\bon ((?:January|February|March|April|May|June|July|August|September|October|November|December)"
    r" \d{1,2}, \d{4})\b"
)


@dataclass(frozen=True)
class ChartRow:
    list_name: str  # "tv" or "films"
    rank: int
    title: str
    slug: str  # FlixPatrol's /title/<slug>/, e.g. "wednesday-2022"
    points: int | None  # world pages only


def _list_name(heading) -> str | None:
    span = heading.find("span")
    text = " ".join((span or heading).get_text(" ", strip=True).split())
    match = LIST_HEADING.match(text)
    return LIST_NAMES[match[1].lower()] if match else None


def _row(tr, list_name: str) -> ChartRow | None:
    cells = tr.find_all("td")
    ranks = [RANK_CELL.match(td.get_text(strip=True)) for td in cells]
    rank = next((m for m in ranks if m), None)
    link = tr.find("a", href=TITLE_HREF)
    if rank is None or link is None or not link.get_text(strip=True):
        return None  # an ad or spacer row
    title_cell = link.find_parent("td")
    after = cells[cells.index(title_cell) + 1 :] if title_cell in cells else []
    numbers = [td.get_text(strip=True) for td in after if NUMBER.match(td.get_text(strip=True))]
    return ChartRow(
        list_name=list_name,
        rank=int(rank[1]),
        title=" ".join(link.get_text(" ", strip=True).split()),
        slug=TITLE_HREF.match(link["href"])[1],
        points=int(numbers[-1].replace(",", "")) if numbers else None,
    )


def parse_chart(html: str) -> list[ChartRow]:
    """Every TV and film row, in page order; [] when the page has none (blocked or markup changed)."""
    soup = BeautifulSoup(html, "html.parser")
    rows: list[ChartRow] = []
    current: str | None = None
    # find_all walks the document in order, so each table is read under the heading before it.
    for element in soup.find_all(["h2", "h3", "table"]):
        if element.name in ("h2", "h3"):
            current = _list_name(element)
        elif current:
            rows.extend(r for tr in element.find_all("tr") if (r := _row(tr, current)))
            current = None
    return rows


def cut_short(html: str, rows: list[ChartRow]) -> str:
    """Why this page is not whole, or "" when it is.

    A body cut mid-document still parses (html.parser closes whatever is open), and the part that
    arrived may hold a list's first rows: stored, they would be a shorter chart. Every Netflix Top 10
    page holds a film and a TV list, each in a table it closes; a served page (and FlareSolverr's
    serialization of one) ends with </html>. The excerpts in tests/fixtures are fragments without it.
    """
    found = {r.list_name for r in rows}
    missing = [label for name, label in (("films", "film"), ("tv", "TV")) if name not in found]
    if missing:
        return f"no {' or '.join(missing)} list"
    if len(TABLE_CLOSE.findall(html)) < len(TABLE_OPEN.findall(html)):
        return "a chart table is not closed"
    if HTML_OPEN.search(html) and not HTML_CLOSE.search(html):
        return "the document does not end with </html>"
    return ""


def shown_days(html: str) -> set[date]:
    """The days the page's headings name; empty when it names none (the country excerpts do not).

    FlixPatrol answers a day whose chart is not out yet with another day's chart, so a page that
    says its day is checked against the one asked for.
    """
    soup = BeautifulSoup(html, "html.parser")
    days = set()
    for heading in soup.find_all(["title", "h1", "h2", "h3"]):
        text = " ".join(heading.get_text(" ", strip=True).split())
        days.update(datetime.strptime(m, "%B %d, %Y").date() for m in SHOWN_DAY.findall(text))
    return days


def wrong_day(html: str, wanted: date, *, day_out: bool = True) -> str:
    """Why this page is not the chart of `wanted`, or "" when it is.

    A page that names no day (a country page) is taken for `wanted` only if `day_out`: the runner
    passes whether the world page of the same run named `wanted`. Until a day is out FlixPatrol
    answers with an earlier day's list, which an undated page cannot show: stored under `wanted`, a
    Sunday list read on Monday would count twice in the week's nowcast.
    """
    days = shown_days(html)
    if not days:
        if day_out:
            return ""
        return (
            f"the page names no day and this run's world page does not show the chart of"
            f" {wanted.isoformat()}: it may be an earlier day's list (not out yet?)"
        )
    if days == {wanted}:
        return ""
    shown = ", ".join(sorted(d.isoformat() for d in days))
    hint = " (not out yet?)" if max(days) < wanted else ""
    return f"the page shows the chart of {shown}, not {wanted.isoformat()}{hint}"


def looks_like_challenge(html: str) -> bool:
    head = html[:5000].lower()
    return "<title>just a moment" in head or "challenge-running" in head or "cf-chl" in head


def why_no_rows(status: int | None, html: str) -> str:
    if looks_like_challenge(html):
        return f"Cloudflare challenge page, HTTP {status}"
    if status != 200:
        return f"HTTP {status}"
    return "no chart rows found"
