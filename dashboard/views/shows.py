from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from dashboard.selectors.show import DEFAULT_WINDOW, WINDOWS, show_charts, show_page
from dashboard.views.common import page, readable, staff_only, wants_partial
from shows.models import Show
from shows.serializers import IdentifiersSerializer
from sources.live.events import show_channel

LIST_FIELDS = ("youtubeTrailerIds", "subreddits", "hashtags", "searchTerms", "kalshiTickers")


def _window(request) -> str:
    window = request.GET.get("window", DEFAULT_WINDOW)
    return window if window in WINDOWS else DEFAULT_WINDOW


@readable
def show_detail(request, pk: int):
    show = get_object_or_404(Show, pk=pk)
    window = _window(request)
    if wants_partial(request):  # the charts, re-fetched on a snapshot or a change of window
        context = {"show": show, "charts": show_charts(show=show, window=window), "windows": WINDOWS}
    else:
        context = {**show_page(show=show, window=window), "channel": show_channel(show.id)}
    return page(request, "dashboard/show.html", context, partial="charts")


def _identifiers_input(post) -> dict:
    """The form's fields in the API's shape: list fields are written comma-separated."""
    data = {}
    for name in IdentifiersSerializer.Meta.fields:
        if name not in post:
            continue
        raw = post.get(name, "")
        data[name] = (
            [part.strip() for part in raw.split(",") if part.strip()] if name in LIST_FIELDS else raw.strip()
        )
    return data


@require_POST
@staff_only
def show_identifiers(request, pk: int):
    show = get_object_or_404(Show, pk=pk)
    # The API's own serializer validates, so the page and PATCH /api/shows/<id> accept the same values.
    form = IdentifiersSerializer(show, data=_identifiers_input(request.POST), partial=True)
    saved = form.is_valid()
    if saved:
        form.save()
    if not wants_partial(request):
        return redirect("dashboard:show", pk=show.pk)
    context = {"show": show, "errors": form.errors if not saved else {}, "saved": saved}
    return render(request, "dashboard/show.html#identifiers", context)
