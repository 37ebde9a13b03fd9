from django.shortcuts import render

from sources.selectors import source_list


def _context() -> dict:
    return {"sources": source_list()}


def board(request):
    return render(request, "dashboard/board.html", _context())


def source_cards(request):
    # The fragment the board re-fetches when an SSE event says a source changed.
    return render(request, "dashboard/board.html#source-cards", _context())
