from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render

from sources.selectors import source_list


def _context() -> dict:
    return {"sources": source_list()}


def _may_read(request) -> bool:
    # Pages follow the API's read policy (KP_PUBLIC_READ), so neither leaks what the other hides.
    return settings.KP_PUBLIC_READ or request.user.is_authenticated


def board(request):
    if not _may_read(request):
        return redirect_to_login(request.get_full_path(), "/admin/login/")
    return render(request, "dashboard/board.html", _context())


def source_cards(request):
    # The fragment the board re-fetches when an SSE event says a source changed.
    if not _may_read(request):
        return redirect_to_login(request.get_full_path(), "/admin/login/")
    return render(request, "dashboard/board.html#source-cards", _context())
