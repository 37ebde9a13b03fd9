"""Settings come from the environment (and a `.env` file when present); see `.env.example`.

With no DATABASE_URL the app runs on a SQLite file under var/ (the embedded default); with no REDIS_URL
it talks to the private Redis that `make run` starts on a socket under var/.
"""

from pathlib import Path

import dj_database_url
from csp.constants import NONCE
from dotenv import load_dotenv

from sources.registry import specs as source_specs
from sources.spec import BaseUrl

from .env import (
    ImproperEnv,
    celery_broker_url,
    env_base_url,
    env_bool,
    env_float,
    env_int,
    env_list,
    env_setting,
    env_str,
    redis_parts,
)

BASE_DIR = Path(__file__).resolve().parent.parent
load_dotenv(BASE_DIR / ".env", override=False)

VAR_DIR = Path(env_str("KP_VAR_DIR", str(BASE_DIR / "var"))).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        # A laptop run needs no configuration, so make a key once and keep it under var/.
        key_file = VAR_DIR / "secret_key"
        if not key_file.exists():
            import secrets

            key_file.write_text(secrets.token_urlsafe(50))
        SECRET_KEY = key_file.read_text().strip()
    else:
        SECRET_KEY = "dev-insecure-key-that-is-long-enough-for-pyjwt-0123456789"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    # Swagger UI and Redoc served from our static files: the docs page works offline.
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "django_eventstream",
    "template_partials",
    "sources",
    "shows",
    "dashboard",
    "forecasts",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into its lockout answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kalshi_predictions.urls"
ASGI_APPLICATION = "kalshi_predictions.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "dashboard.context_processors.page",
            ],
        },
    },
]

# --- database -------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    try:
        DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    except Exception as exc:  # dj-database-url raises several types for a bad URL
        raise ImproperEnv(f"DATABASE_URL: {exc}") from None
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "app.sqlite3",
            # WAL + IMMEDIATE + a busy timeout let web, worker and beat share one file (STACK.md §4).
            "OPTIONS": {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;",
            },
            # A file, not :memory:, so worker and server processes started by tests see the test data.
            "TEST": {"NAME": str(VAR_DIR / "test.sqlite3")},
        }
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("TEST", {})["NAME"] = env_str(
        "KP_TEST_DATABASE_NAME", "test_kalshi_predictions"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- redis: broker, latest-value cache, live events ------------------------------------------
REDIS_URL = env_str("REDIS_URL") or f"unix://{VAR_DIR / 'redis.sock'}?db=0"
REDIS = redis_parts(REDIS_URL)
# Redis is a cache: pages and the API answer from Postgres when it is down or hangs, so every client
# gives up quickly (loopback Redis answers in well under a millisecond) and, after a failure, skips
# Redis for REDIS_RETRY_AFTER seconds instead of paying the timeout again (sources/cache.py).
REDIS_CONNECT_TIMEOUT = env_float("KP_REDIS_CONNECT_TIMEOUT", 0.5, minimum=0.01, maximum=30)
REDIS_SOCKET_TIMEOUT = env_float("KP_REDIS_SOCKET_TIMEOUT", 0.5, minimum=0.01, maximum=30)
REDIS_RETRY_AFTER = env_float("KP_REDIS_RETRY_AFTER", 10, minimum=0, maximum=3600)

CELERY_BROKER_URL = celery_broker_url(REDIS_URL)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Publishing ("Run now", backfills) must fail in about a second with the broker down, not hang the
# request: a short connect and socket timeout and one quick retry. The worker's blocking pop waits
# 1 s per poll, so its socket timeout stays above that.
CELERY_BROKER_CONNECTION_TIMEOUT = REDIS_CONNECT_TIMEOUT
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": REDIS_CONNECT_TIMEOUT,
    "socket_timeout": max(REDIS_SOCKET_TIMEOUT, 2.0),
    "retry_on_timeout": False,
}
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_TIMEZONE = "UTC"
CELERY_ENABLE_UTC = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_TASK_DEFAULT_QUEUE = env_str("KP_CELERY_QUEUE", "kalshi_predictions")
CELERY_TASK_TIME_LIMIT = env_int("KP_TASK_TIME_LIMIT", 15 * 60, minimum=10)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - 5
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Crash safety (sources/lock.py, sources/tasks.py): a task is acknowledged only once it has run, so a
# worker killed mid-task has it delivered again; idempotent tasks make a second delivery harmless.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# Redis redelivers a task unacknowledged this long, even one still running: keep it above the task
# time limit (and any retry countdown), or long runs would be run twice.
CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] = env_int(
    "KP_CELERY_VISIBILITY_TIMEOUT", max(3600, 2 * CELERY_TASK_TIME_LIMIT), minimum=1
)
# A source's run lock lives this long unless its run's heartbeat renews it (every third of it), so a
# killed worker's lock frees within seconds; the reaper closes that run as failed.
SOURCE_LOCK_TTL_SECONDS = env_int("KP_SOURCE_LOCK_TTL", 30, minimum=2)
# All the requests of one run end by this deadline, so a run ends recorded before Celery kills it.
RUN_DEADLINE_SECONDS = env_int("KP_RUN_DEADLINE", CELERY_TASK_TIME_LIMIT * 4 // 5, minimum=1)
# A backfill that meets its source's lock held tries again this much later, this many times.
BACKFILL_BUSY_RETRY_SECONDS = env_int("KP_BACKFILL_BUSY_RETRY", 30, minimum=1)
BACKFILL_BUSY_MAX_RETRIES = env_int("KP_BACKFILL_BUSY_MAX_RETRIES", 240, minimum=0)

# The web process's subscriber (redis.asyncio) takes these kwargs; publishing goes through
# sources.cache's fail-fast client instead (sources/events.py).
EVENTSTREAM_REDIS = {
    **REDIS,
    "socket_connect_timeout": REDIS_CONNECT_TIMEOUT,
    "socket_timeout": REDIS_SOCKET_TIMEOUT,
}
EVENTSTREAM_STORAGE_CLASS = "django_eventstream.storage.DjangoModelStorage"

# --- sources --------------------------------------------------------------------------------
# KP_OFFLINE (set by `make test`) sends every upstream that is not pointed anywhere to a closed local
# port, so no test can reach a real host by accident.
_OFFLINE = env_bool("KP_OFFLINE", False)
_SOURCE_SPECS = list(source_specs().values())


def _upstream(base: BaseUrl) -> str:
    if base.optional and not (env_str(base.env) or _OFFLINE):
        return ""
    return env_base_url(base.env, "http://127.0.0.1:9" if _OFFLINE else base.default)


# Everything a source needs from settings is declared in its spec (sources/<key>/spec.py) and read here,
# once, so a malformed value stops start-up.
SOURCE_BASE_URLS = {base.setting: _upstream(base) for spec in _SOURCE_SPECS for base in spec.base_urls}
SOURCE_QUOTA_LIMITS = {
    spec.key: env_int(spec.quota.limit_env, spec.quota.default_limit, minimum=1)
    for spec in _SOURCE_SPECS
    if spec.quota
}
# Only the names: credential values are read where they are used (sources/credentials.py), so that admin
# and the API can say which are missing without ever holding the values in settings dumps.
SOURCE_CREDENTIALS = {spec.key: list(spec.credentials) for spec in _SOURCE_SPECS if spec.credentials}


def _source_settings() -> dict[str, object]:
    found: dict[str, object] = {}
    for spec in _SOURCE_SPECS:
        for item in spec.settings:
            if item.name in found:
                raise ImproperEnv(f"source {spec.key!r}: setting {item.name} is declared twice")
            found[item.name] = env_setting(
                item.name,
                item.default,
                minimum=item.minimum,
                choices=item.choices,
                base_url=item.base_url,
                parse=item.parse,
            )
    return found


# Each source's own settings (the `settings` of its spec), e.g. KALSHI_SERIES, as settings.<NAME>.
_OWN_SETTINGS = _source_settings()
if _clash := sorted(set(_OWN_SETTINGS) & set(globals())):
    raise ImproperEnv(f"source settings {', '.join(_clash)} would replace project settings")
globals().update(_OWN_SETTINGS)
KP_CONTACT = env_str("KP_CONTACT", "https://github.com/kalshi-predictions/kalshi-predictions")
HTTP_TIMEOUT_SECONDS = env_int("KP_HTTP_TIMEOUT", 20, minimum=1)
HTTP_RETRIES = env_int("KP_HTTP_RETRIES", 3, minimum=0)
# KP_HTTP_TIMEOUT is per socket read; this bounds a whole request (a body trickling in included).
HTTP_DEADLINE_SECONDS = env_int("KP_HTTP_DEADLINE", 120, minimum=1)
# Never sleep longer than this on a Retry-After inside one run; the next scheduled run tries again.
HTTP_MAX_RETRY_AFTER = env_int("KP_HTTP_MAX_RETRY_AFTER", 60, minimum=0)
RAW_EVENT_RETENTION_DAYS = env_int("KP_RAW_RETENTION_DAYS", 14, minimum=1)
WIKIPEDIA_DAYS = env_int("WIKIPEDIA_DAYS", 30, minimum=1)

# --- API ------------------------------------------------------------------------------------
KP_PUBLIC_READ = env_bool("KP_PUBLIC_READ", DEBUG)
# `make demo` (bin/demo.py): sources read recorded samples, and every page says it shows demo data.
KP_DEMO = env_bool("KP_DEMO", False)
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: an anonymous request is then answered 401 with a WWW-Authenticate header.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.BasicAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["sources.access.ReadPublicWriteStaff"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Kalshi-Predictions API",
    "DESCRIPTION": "Leading signals for the weekly Netflix Top 10, per source and per show.",
    "VERSION": "0.1.0",
    # The schema and its docs page follow the API's read policy, like every other read.
    "SERVE_PERMISSIONS": ["sources.access.ReadPublicWriteStaff"],
    # Swagger UI from our own static files (drf-spectacular-sidecar): the docs work with no network.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        # The SSE stream is a plain Django view; its entry is added to the schema here.
        "sources.stream_schema.add_stream_path",
        # 401/403 on every operation, 404 where an id or a page is asked for (DRF's {"detail"} body).
        "sources.schema_errors.add_error_responses",
    ],
}

# --- trader's view (forecasts/costs.py, forecasts/trader.py): informational, nothing places orders --
# Kalshi's taker fee per order: round up(rate x contracts x P x (1 - P)) to the cent (fee schedule).
# --- forecasts and alerts (forecasts/alerts.py, forecasts/signals/live.py) ---------------------
# Alert when |ours - market| reaches this many percentage points.
ALERT_DIVERGENCE_POINTS = env_int("ALERT_DIVERGENCE_POINTS", 15, minimum=1)
# Optional: every new alert is POSTed here as JSON (failures are logged, never raised).
ALERT_WEBHOOK_URL = env_str("ALERT_WEBHOOK_URL", "")
ALERT_WEBHOOK_TIMEOUT_SECONDS = env_int("ALERT_WEBHOOK_TIMEOUT", 5, minimum=1)
# How long before a market's close a stale source is worth an alert.
ALERT_STALE_HOURS = env_int("ALERT_STALE_HOURS", 24, minimum=1)
# A week (or a correction) first seen longer ago than this is old news, not an alert.
ALERT_PUBLICATION_HOURS = env_int("ALERT_PUBLICATION_HOURS", 48, minimum=1)
# Live weeks (with stored signal features and a published Tudum list) needed before the signal
# adjustment's weights are fit; until then they are 0 and predictions are the history model's.
FORECAST_SIGNAL_MIN_WEEKS = env_int("FORECAST_SIGNAL_MIN_WEEKS", 8, minimum=1)
# Past weeks of a global list replayed on stored (backfilled) signals to fit the weights; a year is
# enough to learn three weights and keeps a refresh's reads bounded.
FORECAST_SIGNAL_HISTORY_WEEKS = env_int("FORECAST_SIGNAL_HISTORY_WEEKS", 52, minimum=0)

KALSHI_FEE_RATE = env_float("KALSHI_FEE_RATE", 0.07, minimum=0, maximum=1)
# Order size the fee, EV per contract and the order-book average price are computed for.
KALSHI_ORDER_CONTRACTS = env_int("KALSHI_ORDER_CONTRACTS", 100, minimum=1)
KELLY_FRACTION = env_float("KELLY_FRACTION", 0.25, minimum=0, maximum=1)
# An event whose listed outcomes' asks sum below this leaves a large part of the field unlisted.
FIELD_ASK_SUM_FLOOR = env_float("FIELD_ASK_SUM_FLOOR", 0.9, minimum=0, maximum=2)
# Settled markets are scored on the probability and price known this long before the close, when
# the price has not yet collapsed to 0 or 1.
TRACK_RECORD_MINUTES_BEFORE_CLOSE = env_int("TRACK_RECORD_MINUTES_BEFORE_CLOSE", 60, minimum=0)

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
if env_bool("KP_BEHIND_PROXY", False):
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
AXES_VERBOSE = False

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    # Secrets out of every logged message and traceback (sources/redact.py); a Celery worker's own
    # handlers get the same filter (kalshi_predictions/celery.py).
    "filters": {"redact": {"()": "sources.redact.RedactFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["redact"]}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
