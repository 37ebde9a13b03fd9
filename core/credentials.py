"""Which credentials a source needs and which are missing. Values never leave this module."""

import os

from django.conf import settings


def required(key: str) -> list[str]:
    return list(settings.SOURCE_CREDENTIALS.get(key, []))


def missing(key: str) -> list[str]:
    return [name for name in required(key) if not os.environ.get(name)]


def value(name: str) -> str:
    return os.environ.get(name, "")
