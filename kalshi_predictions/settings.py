"""Settings come from the environment (and a `.env` file when present); see `.env.example`.

With no DATABASE_URL the app runs on a SQLite file under var/ (the embedded default); with no REDIS_URL
it talks to the private Redis that `make run` starts on a socket under var/.
"""

from pathlib import Path

from dotenv import load_dotenv

from kalshi_predictions.env import (
    ImproperEnv,
    celery_broker_url,
    env_bool,
    env_float,
    env_int,
    env_list,
    env_str,
    redis_parts,
)

BASE_DIR = Path(__file__).resolve().parent.parent
load_dotenv(BASE_DIR / ".env", override=False)

# Read after .env is loaded, like everything below.
from kalshi_predictions.forecast_settings import *  # noqa: E402, F403
from kalshi_predictions.process_settings import *  # noqa: E402, F403
from kalshi_predictions.security_settings import *  # noqa: E402, F403

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
    # `manage.py bench` (make bench): the benchmark sits above every app it measures.
    "bench",
    "axes",
]

MIDDLEWARE = [
    # Anonymous and token reads of a chart's points skip the session, CSRF, auth, messages, htmx and
    # axes middleware and take the rest in one thread hop (kalshi_predictions/thin_reads.py).
    "kalshi_predictions.thin_reads.ThinReadMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # 503 instead of 500 while the database cannot be reached (a restart): the caller retries.
    "kalshi_predictions.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into its lockout answer.
    "axes.middleware.AxesMiddleware",
]

# Web processes behind Pushpin (README: Scaling out): with GRIP_URL (Pushpin's publish URL) each stream is
# answered with a GRIP hold and events go to Pushpin, which holds the client connections itself.
GRIP_URL = env_str("GRIP_URL")
if GRIP_URL and not GRIP_URL.startswith(("http://", "https://")):
    raise ImproperEnv(f"GRIP_URL={GRIP_URL!r}: give Pushpin's publish URL, e.g. http://pushpin:5561?key=…")
if GRIP_URL:
    MIDDLEWARE.insert(0, "django_grip.GripMiddleware")

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

# --- database: kalshi_predictions/database_settings.py (SQLite, or Postgres through a bounded pool) ----
from kalshi_predictions.database_settings import DATABASE_URL, databases  # noqa: E402, F401 (bench/db.py reads it)

DATABASES = databases(VAR_DIR)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- redis: broker, latest-value cache, live events ------------------------------------------
REDIS_URL = env_str("REDIS_URL") or f"unix://{VAR_DIR / 'redis.sock'}?db=0"
REDIS = redis_parts(REDIS_URL)
# Redis is a cache: pages and the API answer from Postgres when it is down or hangs, so every client
# gives up quickly (loopback Redis answers in well under a millisecond) and, after a failure, skips
# Redis for REDIS_RETRY_AFTER seconds instead of paying the timeout again (core/cache.py).
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
# Beat saves an entry's last run after every task it sends, not every 3 minutes: a beat killed (or
# reloading the schedule after an edit) in between would send the same tick again
# (tests/faults/test_infra_celery.py). One UPDATE per send, for a few sends an hour.
CELERY_BEAT_SYNC_EVERY = 1
# Crash safety (core/locks.py, sources/tasks.py): a task is acknowledged only once it has run, so a
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
# core.cache's fail-fast client instead (sources/live/events.py).
EVENTSTREAM_REDIS = {
    **REDIS,
    "socket_connect_timeout": REDIS_CONNECT_TIMEOUT,
    "socket_timeout": REDIS_SOCKET_TIMEOUT,
}
EVENTSTREAM_STORAGE_CLASS = "django_eventstream.storage.DjangoModelStorage"

# --- sources: kalshi_predictions/source_settings.py (their base URLs, quotas, credentials' names, HTTP
# limits and each source's own settings, from the specs) ----------------------------------------
from kalshi_predictions import source_settings  # noqa: E402

if _clash := sorted(set(source_settings.own_settings) & set(globals())):
    raise ImproperEnv(f"source settings {', '.join(_clash)} would replace project settings")
from kalshi_predictions.source_settings import *  # noqa: E402, F403

# --- API ------------------------------------------------------------------------------------
KP_PUBLIC_READ = env_bool("KP_PUBLIC_READ", DEBUG)
# `make demo` (bin/demo.py): sources read recorded samples, and every page says it shows demo data.
KP_DEMO = env_bool("KP_DEMO", False)
# REST_FRAMEWORK and SPECTACULAR_SETTINGS: kalshi_predictions/api_settings.py.
from kalshi_predictions.api_settings import *  # noqa: E402, F403

# Forecasts, alerts and the trader's view: kalshi_predictions/forecast_settings.py; HTTPS, CSP and
# sign-in lockout: kalshi_predictions/security_settings.py (both imported after .env is loaded).

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
    # Secrets out of every logged message and traceback (core/redact.py); a Celery worker's own
    # handlers get the same filter (kalshi_predictions/celery.py).
    "filters": {"redact": {"()": "core.redact.RedactFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["redact"]}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
