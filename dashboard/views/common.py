from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

# Pages follow the API's read policy (sources/access.py), so neither leaks what the other hides.
from sources.access import LOGIN_URL, readable

__all__ = ["page", "readable", "staff_only", "wants_partial"]


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


def staff_only(view: Callable) -> Callable:
    """Writes need a staff user, as in the API; others get a 403 (a sign-in link for a browser)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_staff:
            if not request.user.is_authenticated and not wants_partial(request):
                return redirect_to_login(request.get_full_path(), LOGIN_URL)
            return HttpResponseForbidden("Only staff users may change this.")
        return view(request, *args, **kwargs)

    return wrapper
