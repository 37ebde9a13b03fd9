import logging

import redis
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from kombu.exceptions import OperationalError

from core import cache
from dashboard.selectors.sources import sources_page
from dashboard.views.common import page, readable, staff_only, wants_partial
from sources import registry
from sources.tasks import run_source

log = logging.getLogger(__name__)
QUEUE_UNAVAILABLE = "queue unavailable: the task broker (Redis) cannot be reached; try again shortly"


@readable
def sources(request):
    return page(request, "dashboard/sources.html", {"sources": sources_page()}, partial="source-details")


@require_POST
@staff_only
def run_now(request, key: str):
    if key not in registry.specs():
        raise Http404(f"no source {key!r}")
    # Queued like a scheduled run, so the worker's lock and the pipeline's records apply as usual.
    try:
        if not cache.available():  # Redis failed a moment ago: the broker (same server) is down too
            raise redis.ConnectionError(cache.breaker().reason)
        run_source.delay(key)
    except (OperationalError, redis.RedisError, OSError) as exc:
        log.warning("run now of %s not queued: %s", key, exc)
        if wants_partial(request):
            context = {"key": key, "error": QUEUE_UNAVAILABLE}
            return render(request, "dashboard/sources.html#queued", context, status=503)
        context = {"sources": sources_page(), "queue_error": QUEUE_UNAVAILABLE}
        return render(request, "dashboard/sources.html", context, status=503)
    if wants_partial(request):
        return render(request, "dashboard/sources.html#queued", {"key": key})
    return redirect("dashboard:sources")
