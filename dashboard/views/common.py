from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden

# Pages follow the API's read policy (core/access.py), so neither leaks what the other hides.
from core.access import LOGIN_URL, readable
from core.htmx import page, wants_partial

__all__ = ["page", "readable", "staff_only", "wants_partial"]


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
