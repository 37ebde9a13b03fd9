"""A database that cannot be reached (restarting, failed over, out of connections) is a temporary outage:
every page and API call answers 503 with Retry-After, saying so, instead of a 500 that reads as a bug.
The browser or client tries again; nothing here can be read from anywhere else (Redis holds no page)."""

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse

log = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 5
MESSAGE = "the database is unavailable for a moment; try again in a few seconds"
PAGE = (
    "<!doctype html><html lang=en><head><meta charset=utf-8><title>Database unavailable</title></head>"
    f"<body><h1>Database unavailable</h1><p>{MESSAGE.capitalize()}.</p></body></html>"
)


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        # OperationalError: refused or lost connections, an admin shutdown; InterfaceError: a connection
        # already closed under us. Both pass once the server is back; anything else stays a 500.
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        log.warning("%s %s: database unavailable: %s", request.method, request.path, exception)
        if request.path.startswith("/api/"):
            response = JsonResponse({"detail": MESSAGE}, status=503)  # the cause goes to the log only
        else:
            response = HttpResponse(PAGE, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
