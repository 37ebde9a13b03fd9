"""Pages and the fragments they re-fetch. Thin: data comes from dashboard.selectors, writes from the
shows and sources services; a fragment is a `{% partialdef %}` of its page's template."""

from dashboard.selectors.board import board_sources, flixpatrol_week, open_markets
from dashboard.selectors.reasons import empty_reason
from dashboard.views.common import page, readable, wants_partial
from forecasts.watch.publications import tudum_publications

PUBLICATION_WEEKS = 4
# Panel -> (its source, what is missing, what the first run does): the sentence an empty panel shows.
EMPTY = {
    "markets": ("kalshi", "No open Netflix market is stored", "the first Kalshi run stores them"),
    "flixpatrol": (
        "flixpatrol",
        "No FlixPatrol chart of the last two weeks is stored",
        "the first FlixPatrol run stores the daily ranks",
    ),
    "publications": ("tudum", "No Tudum history", "the first run loads it"),
}


def _why(panel: str, cards: list[dict] | None = None) -> str:
    key, what, first_run = EMPTY[panel]
    cards = cards if cards is not None else board_sources()
    return empty_reason(next((c for c in cards if c["key"] == key), None), what=what, first_run=first_run)


def _markets(cards=None) -> dict:
    markets = open_markets()
    return {"markets": markets, "markets_why": "" if markets else _why("markets", cards)}


def _flixpatrol(cards=None) -> dict:
    week = flixpatrol_week()
    return {"flixpatrol": week, "flixpatrol_why": "" if week["lists"] else _why("flixpatrol", cards)}


def _publications(cards=None) -> dict:
    weeks = tudum_publications(limit=PUBLICATION_WEEKS)
    return {"publications": weeks, "publications_why": "" if weeks else _why("publications", cards)}


def _source_cards(cards=None) -> dict:
    return {"sources": cards if cards is not None else board_sources()}


# Partial of board.html -> its context. htmx names the panel it refreshes by the element's id (HX-Target),
# which is also the partial's name, so one URL serves the page and each of its live panels.
PANELS = {
    "markets": _markets,
    "flixpatrol": _flixpatrol,
    "publications": _publications,
    "source-cards": _source_cards,
}


@readable
def board(request):
    panel = request.htmx.target if wants_partial(request) else None
    if panel in PANELS:
        return page(request, "dashboard/board.html", PANELS[panel](), partial=panel)
    cards = board_sources()
    context = {"sources": cards, **_markets(cards), **_flixpatrol(cards), **_publications(cards)}
    return page(request, "dashboard/board.html", context, partial=None)
