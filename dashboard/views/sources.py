from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from sources.registry import SOURCES
from sources.tasks import run_source

from ..selectors.sources import sources_page
from .common import is_htmx, readable, staff_only


@readable
def sources(request):
    return render(request, "dashboard/sources.html", {"sources": sources_page()})


@readable
def sources_fragment(request):
    return render(request, "dashboard/sources.html#source-details", {"sources": sources_page()})


@require_POST
@staff_only
def run_now(request, key: str):
    if key not in SOURCES:
        raise Http404(f"no source {key!r}")
    # Queued like a scheduled run, so the worker's lock and the pipeline's records apply as usual.
    run_source.delay(key)
    if is_htmx(request):
        return render(request, "dashboard/sources.html#queued", {"key": key})
    return redirect("dashboard:sources")
