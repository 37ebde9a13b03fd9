"""Keep secrets out of stored raw requests, error texts and logs, in every form they travel in.

Known credential values are masked as they are, URL-encoded, and as the base64 of an `id:secret` pair
(what an HTTP Basic header carries, and what an upstream echoing the request's headers sends back);
unknown tokens are masked by where they sit: an Authorization scheme, a header, a query key, a JSON field.
"""

import base64
import itertools
import logging
import re
from urllib.parse import quote

from django.conf import settings

from core import credentials

_SECRET_NAMES = r"api_?key|apikey|key|access_token|refresh_token|id_token|client_secret|secret|token|password"
# key=..., also percent-encoded inside another URL (key%3D...); not "monkey=" or "token_type=".
_PARAM = re.compile(
    rf"(?i)(?:(?<![A-Za-z0-9_])|(?<=%3F)|(?<=%26))((?:{_SECRET_NAMES})(?:=|%3D))[^&%\s\"'<>]+"
)
# A Bearer token has a digit or punctuation, or is long: "the bearer token (401)" stays readable.
_BEARER = re.compile(r"(?i)(\bbearer\s+)(?=[A-Za-z]*[0-9._~+/=-]|[A-Za-z]{16})[A-Za-z0-9._~+/=-]+")
_BASIC = re.compile(r"(?i)(\bbasic\s+)(?=[A-Za-z]*[0-9+/=]|[A-Za-z]{16})[A-Za-z0-9+/]{6,}={0,2}")
# Header values, as sent or echoed back ("Authorization: xyz", {"X-Api-Key": "xyz"}), unless a scheme
# rule above already masked them.
_HEADER = re.compile(
    r"(?i)((?:proxy-)?authorization|x-api-key|x-goog-api-key|api-key|cookie|set-cookie)"
    r"([\"']?\s*[:=]\s*[\"']?)(?!(?:basic|bearer)\s+\[redacted\])[^\s\"'\r\n,}][^\"'\r\n,}]*"
)
# Tokens handed out in JSON bodies (TikTok's and Reddit's OAuth answers), kept as raw events.
_JSON = re.compile(
    r'(?i)("(?:access_token|refresh_token|id_token|client_secret|api_key|apikey|secret|password)"\s*:\s*")'
    r'[^"]*'
)
MASK = "[redacted]"
MIN_SECRET = 6  # shorter values (e.g. "abc" in a misconfigured test) would mask ordinary words


def _forms(values: list[str]) -> set[str]:
    forms = set()
    for v in values:
        forms |= {v, quote(v, safe=""), quote(v)}
    # HTTP Basic: base64 of "id:secret" for each pair of one source's credentials, in either order.
    for a, b in itertools.permutations(values, 2):
        forms.add(base64.b64encode(f"{a}:{b}".encode()).decode())
    return forms


def _secret_values() -> list[str]:
    found: set[str] = set()
    for names in settings.SOURCE_CREDENTIALS.values():
        values = [v for v in (credentials.value(n) for n in names) if len(v) >= MIN_SECRET]
        found |= _forms(values)
    return sorted((f for f in found if len(f) >= MIN_SECRET), key=len, reverse=True)


def redact(text: str) -> str:
    if not text:
        return text
    for secret in _secret_values():
        text = text.replace(secret, MASK)
    text = _PARAM.sub(rf"\1{MASK}", text)
    text = _JSON.sub(rf"\1{MASK}", text)
    text = _BASIC.sub(rf"\1{MASK}", text)
    text = _BEARER.sub(rf"\1{MASK}", text)
    return _HEADER.sub(rf"\1\2{MASK}", text)


class RedactFilter(logging.Filter):
    """Redacts a log record's message and traceback; declared in settings.LOGGING on every handler.

    Libraries log URLs that carry secrets (google-api-python-client logs each request URL with its
    `key=`). The record itself is rewritten, so handlers that see it after ours (pytest's caplog, a
    Celery worker's own handlers, given this filter by kalshi_predictions/celery.py) get the clean text too.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: leave it for logging's own error report
            return True
        clean = redact(message)
        if clean != message:
            record.msg, record.args = clean, ()
        if record.exc_info and not record.exc_text:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        return True
