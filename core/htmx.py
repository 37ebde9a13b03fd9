"""Pages answering htmx with just their partial (django-htmx's `request.htmx`, django-template-partials)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers


def wants_partial(request: HttpRequest) -> bool:
    """An htmx request for a piece of the page; htmx's history restore (back button) wants the whole page."""
    return bool(request.htmx) and not request.htmx.history_restore_request


def page(
    request: HttpRequest, template: str, context: dict, *, partial: str | None, status: int = 200
) -> HttpResponse:
    """One view per page: the whole template, or only its `{% partialdef %}` when htmx asks for it."""
    name = f"{template}#{partial}" if partial and wants_partial(request) else template
    response = render(request, name, context, status=status)
    # The page and its partial share one URL: a cache must not answer one with the other.
    patch_vary_headers(response, ("HX-Request",))
    return response
