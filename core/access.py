"""The read policy, one module for pages, the API and the stream: reads are public when KP_PUBLIC_READ
is on (else signed-in users only); writes need a staff user."""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from rest_framework.permissions import SAFE_METHODS, BasePermission

LOGIN_URL = "/admin/login/"


def may_read(user) -> bool:
    return settings.KP_PUBLIC_READ or bool(user and user.is_authenticated)


def may_write(user) -> bool:
    return bool(user and user.is_staff)


class ReadPublicWriteStaff(BasePermission):
    """The API's permission (REST_FRAMEWORK's default and the schema's)."""

    def has_permission(self, request, view) -> bool:
        return may_read(request.user) if request.method in SAFE_METHODS else may_write(request.user)


def readable(view: Callable) -> Callable:
    """A page readers may see; others are sent to sign in."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not may_read(request.user):
            return redirect_to_login(request.get_full_path(), LOGIN_URL)
        return view(request, *args, **kwargs)

    return wrapper
