"""FlixPatrol's Top 10 HTML -> rows. Pure; the selectors follow public scrapers (SOURCES.md §2).

World pages head each list with <h2><span>TOP Movies</span> ...</h2> and carry a points column;
country pages use <h3>TOP 10 Movies</h3> and have no points. Kids lists are left out: a title on both
the TV and the Kids TV list would claim two ranks for one (show, scope, day).
"""

import re
from dataclasses import dataclass

from bs4 import BeautifulSoup

LIST_HEADING = re.compile(r"^top (?:10 )?(movies|tv shows)\b", re.IGNORECASE)
LIST_NAMES = {"movies": "films", "tv shows": "tv"}
RANK_CELL = re.compile(r"^(\d{1,3})\.$")
TITLE_HREF = re.compile(r"^/title/([^/?#]+)/?$")
NUMBER = re.compile(r"^\d[\d,]*$")


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


def looks_like_challenge(html: str) -> bool:
    head = html[:5000].lower()
    return "<title>just a moment" in head or "challenge-running" in head or "cf-chl" in head


def why_no_rows(status: int | None, html: str) -> str:
    if looks_like_challenge(html):
        return f"Cloudflare challenge page, HTTP {status}"
    if status != 200:
        return f"HTTP {status}"
    return "no chart rows found"
