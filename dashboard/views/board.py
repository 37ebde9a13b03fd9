"""Pages and the fragments they re-fetch. Thin: data comes from dashboard.selectors, writes from the
shows and sources services; a fragment is a `{% partialdef %}` of its page's template."""

from django.shortcuts import render

from forecasts.publications import tudum_publications

from ..selectors.board import board_sources, flixpatrol_week, open_markets
from ..selectors.reasons import empty_reason
from .common import readable

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


@readable
def board(request):
    cards = board_sources()
    context = {"sources": cards, **_markets(cards), **_flixpatrol(cards), **_publications(cards)}
    return render(request, "dashboard/board.html", context)


@readable
def source_cards(request):
    # The fragment the board re-fetches when an SSE event says a source changed.
    return render(request, "dashboard/board.html#source-cards", {"sources": board_sources()})


@readable
def markets(request):
    return render(request, "dashboard/board.html#markets", _markets())


@readable
def flixpatrol(request):
    return render(request, "dashboard/board.html#flixpatrol", _flixpatrol())


@readable
def publications(request):
    return render(request, "dashboard/board.html#publications", _publications())
