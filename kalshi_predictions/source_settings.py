"""What the sources read from settings, read once at start-up (settings.py imports it all).

Everything a source needs is declared in its spec (sources/<key>/spec.py); nothing here names a source.
"""

from kalshi_predictions.env import ImproperEnv, env_base_url, env_bool, env_int, env_setting, env_str
from sources.registry import specs as source_specs
from sources.spec import BaseUrl

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
# Only the names: credential values are read where they are used (core/credentials.py), so that admin
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
own_settings = _source_settings()  # lower case: not itself a setting
globals().update(own_settings)
KP_CONTACT = env_str("KP_CONTACT", "https://github.com/kalshi-predictions/kalshi-predictions")
HTTP_TIMEOUT_SECONDS = env_int("KP_HTTP_TIMEOUT", 20, minimum=1)
HTTP_RETRIES = env_int("KP_HTTP_RETRIES", 3, minimum=0)
# KP_HTTP_TIMEOUT is per socket read; this bounds a whole request (a body trickling in included).
HTTP_DEADLINE_SECONDS = env_int("KP_HTTP_DEADLINE", 120, minimum=1)
# Never sleep longer than this on a Retry-After inside one run; the next scheduled run tries again.
HTTP_MAX_RETRY_AFTER = env_int("KP_HTTP_MAX_RETRY_AFTER", 60, minimum=0)
# The largest answer a run reads (core/http_body.py): over it the answer is refused and not stored, so a
# runaway upstream cannot fill a worker's memory or the raw events. KP_HTTP_MAX_BODY_MB for every
# source; a source whose real answers are larger says so in its spec (`max_body_mb`), and
# <KEY>_MAX_BODY_MB overrides one source.
_MB = 1024 * 1024
HTTP_MAX_BODY_BYTES = env_int("KP_HTTP_MAX_BODY_MB", 8, minimum=1) * _MB
HTTP_MAX_BODY_BYTES_BY_SOURCE = {
    spec.key: env_int(
        f"{spec.key.upper()}_MAX_BODY_MB", spec.max_body_mb or HTTP_MAX_BODY_BYTES // _MB, minimum=1
    )
    * _MB
    for spec in _SOURCE_SPECS
}
RAW_EVENT_RETENTION_DAYS = env_int("KP_RAW_RETENTION_DAYS", 14, minimum=1)
WIKIPEDIA_DAYS = env_int("WIKIPEDIA_DAYS", 30, minimum=1)
