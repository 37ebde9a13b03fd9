"""HTTPS, Content-Security-Policy and sign-in lockout settings, read once at start-up (settings.py
imports them all)."""

from csp.constants import NONCE

from kalshi_predictions.env import env_bool, env_float, env_int

# --- security -------------------------------------------------------------------------------
# KP_HTTPS=true when the site is served over TLS: HTTPS only (redirect + HSTS) and cookies that never
# travel in clear. `manage.py check --deploy --fail-level WARNING` then passes (tests/api/test_security.py).
KP_HTTPS = env_bool("KP_HTTPS", False)
SECURE_SSL_REDIRECT = KP_HTTPS
SESSION_COOKIE_SECURE = KP_HTTPS
CSRF_COOKIE_SECURE = KP_HTTPS
SECURE_HSTS_SECONDS = env_int("KP_HSTS_SECONDS", 31_536_000, minimum=0) if KP_HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("KP_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("KP_HSTS_PRELOAD", True)
# Behind a TLS-terminating proxy the app sees plain HTTP; trust the proxy's X-Forwarded-Proto only when
# told, or a client could claim HTTPS (and SSL redirect would loop without it).
KP_BEHIND_PROXY = env_bool("KP_BEHIND_PROXY", False)
if KP_BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy (django-csp): our own scripts and styles only, no inline code. The pages
# need no inline script (htmx attributes, static/js/*), and htmx's injected indicator style is off.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        # A nonce only for the one page that needs inline code: drf-spectacular's Swagger UI
        # (templates/drf_spectacular/swagger_ui.html); our own pages have none.
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'", NONCE],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Failed sign-ins (admin form, the API's Basic auth, the browsable API's form) are counted per user
# name and address: after KP_LOGIN_FAILURE_LIMIT failures that pair is locked out for the cool-off,
# even with the right password. Per pair, so a stranger cannot lock the admin out from elsewhere.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("KP_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_float("KP_LOGIN_COOLOFF_HOURS", 0.25, minimum=0.001, maximum=24 * 365)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The address of a sign-in: the TCP peer, or with KP_BEHIND_PROXY the one the proxy appended to
# X-Forwarded-For, never what the client wrote there (core/client_ip.py). django-ipware, which axes'
# AXES_IPWARE_* settings configure, is not installed, so axes would fall back to REMOTE_ADDR anyway;
# the callable makes the rule ours and the proxy case explicit.
AXES_CLIENT_IP_CALLABLE = "core.client_ip.client_ip"
AXES_VERBOSE = False
