"""Keep secrets out of stored raw requests, error texts and logs."""

import re

from django.conf import settings

from . import credentials

# Query parameters and headers that carry secrets in the APIs we call.
_PARAM = re.compile(r"(?i)((?:api_?key|key|access_token|client_secret|token|password)=)[^&\s\"']+")
_BEARER = re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._~+/=-]+")
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
    return _BEARER.sub(rf"\1{MASK}", text)
