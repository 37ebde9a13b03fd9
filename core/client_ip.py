"""The client's address for the sign-in lockout (django-axes' AXES_CLIENT_IP_CALLABLE).

Issue 22: 40 wrong passwords with a different X-Forwarded-For each never locked, because the address
was taken from a header the client writes. Here it is the TCP peer (REMOTE_ADDR) unless KP_BEHIND_PROXY
says a proxy is the only way in; then it is the address that proxy appended, the right-most entry of
X-Forwarded-For (anything left of it the client wrote itself). Uvicorn runs with --no-proxy-headers
(Procfile), so REMOTE_ADDR is never rewritten from the header before it gets here.
"""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    remote = request.META.get("REMOTE_ADDR") or None
    if not settings.KP_BEHIND_PROXY:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    return forwarded[-1] if forwarded else remote
