"""The short way through Django for anonymous and token reads of GET /api/shows/<id>/metrics.

Why (docs/performance.md, "The metrics path"): a chart's request spent ~20 ms outside its SQL. Under
ASGI every middleware written as a `MiddlewareMixin` runs its request and response halves through
`sync_to_async`, each a hop to the request's thread and back, and the sync-only
`DatabaseUnavailableMiddleware` adds two more; sessions, CSRF, auth, messages, htmx and axes have
nothing to do for a read with no session cookie and no Basic credentials. Such a request goes here
through the rest of MIDDLEWARE in one hop, synchronously, in the order settings give; everything else
(a signed-in browser, Basic auth, which django-axes watches, writes) takes the full chain.

The answer is the same as the full chain's: the same view with its DRF authentication and permission
(token, or the read policy for anonymous readers), the security, common, clickjacking and CSP headers,
the 503 of a database that cannot be reached, and the `Vary: Cookie` that the session's lookup adds
whenever the full chain would have looked (tests/api/test_thin_reads.py compares both ways).
"""

import re

from asgiref.sync import iscoroutinefunction, markcoroutinefunction, sync_to_async
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.handlers.base import BaseHandler
from django.core.handlers.exception import convert_exception_to_response
from django.utils.cache import patch_vary_headers
from django.utils.functional import SimpleLazyObject
from django.utils.module_loading import import_string

PATHS = re.compile(r"^/api/shows/[0-9]+/metrics$")
# Middleware with nothing to do for a read that carries no session cookie and no Basic credentials.
SKIPPED = frozenset(
    {
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "django.contrib.messages.middleware.MessageMiddleware",
        "django_htmx.middleware.HtmxMiddleware",
        "axes.middleware.AxesMiddleware",
        "kalshi_predictions.thin_reads.ThinReadMiddleware",
    }
)


def is_thin(request) -> bool:
    if request.method not in ("GET", "HEAD") or not PATHS.match(request.path_info):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False
    auth = request.META.get("HTTP_AUTHORIZATION", "")
    return not auth or auth[:6].lower() == "token "


class _Chain(BaseHandler):
    """MIDDLEWARE without SKIPPED, built as Django's own handler builds a sync chain."""

    def __init__(self):
        super().__init__()
        self._view_middleware, self._template_response_middleware, self._exception_middleware = [], [], []
        handler = convert_exception_to_response(self._get_response)
        for path in reversed([m for m in settings.MIDDLEWARE if m not in SKIPPED]):
            middleware = import_string(path)(handler)
            if hasattr(middleware, "process_view"):
                self._view_middleware.insert(0, middleware.process_view)
            if hasattr(middleware, "process_template_response"):
                self._template_response_middleware.append(middleware.process_template_response)
            if hasattr(middleware, "process_exception"):
                self._exception_middleware.append(middleware.process_exception)
            handler = convert_exception_to_response(middleware)
        self._middleware_chain = handler

    def __call__(self, request):
        # As AuthenticationMiddleware does, a lazy user; the full chain's would look the session up when
        # read (DRF's SessionAuthentication reads it once no token authenticated), and the session
        # middleware then marks the answer as varying by cookie: so does this one, in the same cases.
        looked_up = []
        request.user = SimpleLazyObject(lambda: looked_up.append(True) or AnonymousUser())
        response = self._middleware_chain(request)
        if looked_up:
            patch_vary_headers(response, ("Cookie",))
        return response


class ThinReadMiddleware:
    """First in MIDDLEWARE: sends a thin read through `_Chain`, everything else on down the full chain."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response):
        self.get_response = get_response
        self.chain = _Chain()
        self.is_async = iscoroutinefunction(get_response)
        if self.is_async:
            markcoroutinefunction(self)
        self.chain_async = sync_to_async(self.chain, thread_sensitive=True)

    def __call__(self, request):
        if self.is_async:
            return self.__acall__(request)
        return self.chain(request) if is_thin(request) else self.get_response(request)

    async def __acall__(self, request):
        if is_thin(request):
            return await self.chain_async(request)
        return await self.get_response(request)
