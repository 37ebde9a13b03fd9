from django.shortcuts import render

from ..selectors.board import board_sources, flixpatrol_week, open_markets
from .common import readable


@readable
def board(request):
    context = {"sources": board_sources(), "markets": open_markets(), "flixpatrol": flixpatrol_week()}
    return render(request, "dashboard/board.html", context)


@readable
def source_cards(request):
    # The fragment the board re-fetches when an SSE event says a source changed.
    return render(request, "dashboard/board.html#source-cards", {"sources": board_sources()})


@readable
def markets(request):
    return render(request, "dashboard/board.html#markets", {"markets": open_markets()})


@readable
def flixpatrol(request):
    return render(request, "dashboard/board.html#flixpatrol", {"flixpatrol": flixpatrol_week()})
