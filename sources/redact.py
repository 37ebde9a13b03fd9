"""Keep secrets out of stored raw requests, error texts and logs."""

import logging
import re

from django.conf import settings

from . import credentials

# Query parameters and headers that carry secrets in the APIs we call.
_PARAM = re.compile(r"(?i)((?:api_?key|key|access_token|client_secret|token|password)=)[^&\s\"']+")
_BEARER = re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._~+/=-]+")
# Tokens handed out in JSON bodies (TikTok's and Reddit's OAuth answers), kept as raw events.
_JSON = re.compile(r'(?i)("(?:access_token|refresh_token|client_secret|api_key|password)"\s*:\s*")[^"]*')
MASK = "[redacted]"


def _secret_values() -> list[str]:
    names = {n for names in settings.SOURCE_CREDENTIALS.values() for n in names}
    # Short values (e.g. "abc" in a misconfigured test) would mask ordinary words; real keys are long.
    return sorted((v for v in (credentials.value(n) for n in names) if len(v) >= 6), key=len, reverse=True)


def redact(text: str) -> str:
    if not text:
        return text
    for secret in _secret_values():
        text = text.replace(secret, MASK)
    text = _PARAM.sub(rf"\1{MASK}", text)
    text = _JSON.sub(rf"\1{MASK}", text)
    return _BEARER.sub(rf"\1{MASK}", text)


def install_log_redaction() -> None:
    """Redact every log record of the process as it is made, whichever library logs it.

    Libraries log URLs that carry secrets (google-api-python-client logs each request URL with its
    `key=` at DEBUG), and handler-level filters would miss records of handlers added later (pytest's
    caplog, a worker's). A record factory sees every record before any handler.
    """
    previous = logging.getLogRecordFactory()
    if getattr(previous, "redacts", False):
        return

    def factory(*args, **kwargs) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: leave it for logging's own error report
            return record
        clean = redact(message)
        if clean != message:
            record.msg, record.args = clean, ()
        if record.exc_info and not record.exc_text:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        return record

    factory.redacts = True
    logging.setLogRecordFactory(factory)
