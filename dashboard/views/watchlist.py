from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from dashboard.selectors.watchlist import SIGNALS, SORTS, watchlist_rows
from dashboard.views.common import page, readable, staff_only, wants_partial
from shows.models import Show
from shows.services import watchlist_add, watchlist_set


def _context(request, **extra) -> dict:
    sort = request.GET.get("sort", "title")
    if sort.lstrip("-") not in SORTS:
        sort = "title"
    return {
        "rows": watchlist_rows(sort=sort),
        "signals": SIGNALS,
        "sort": sort,
        "kinds": Show.Kind.choices,
        **extra,
    }


@readable
def watchlist(request):
    return page(request, "dashboard/watchlist.html", _context(request), partial="watchlist-table")


def _answer(request, **extra):
    if wants_partial(request):
        return render(request, "dashboard/watchlist.html#watchlist-table", _context(request, **extra))
    return redirect("dashboard:watchlist")


@require_POST
@staff_only
def watchlist_add_view(request):
    try:
        show, created = watchlist_add(
            title=request.POST.get("title", ""),
            season=request.POST.get("season", ""),
            kind=request.POST.get("kind") or Show.Kind.TV,
            wikipedia=request.POST.get("wikipedia", "").strip(),
        )
    except (ValueError, ValidationError) as exc:
        message = "; ".join(getattr(exc, "messages", None) or [str(exc)])
        return _answer(request, error=message)
    return _answer(request, notice=f"{show} {'added' if created else 'is on the watchlist'}.")


@require_POST
@staff_only
def watchlist_remove_view(request, pk: int):
    show = watchlist_set(show=get_object_or_404(Show, pk=pk), watched=False)
    return _answer(request, notice=f"{show} removed from the watchlist; its history stays.")
