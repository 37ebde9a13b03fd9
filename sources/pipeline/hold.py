"""Holding a source after a permanent error (healthchecks' model: a permanent error is not retried).

Refused credentials (401/403) or a bad configuration will fail every run the same way until someone
changes something, and each such run spends quota and fills the run list with the same error. So a
permanent error holds the source: the pipeline does not run it until its settings change or an admin
releases it. "Its settings" are the ones its spec declares (X_GRANULARITY, KALSHI_SERIES, ...), its
credentials and its base URLs; only a SHA-256 of them is stored, never a value.
"""

import hashlib

from django.conf import settings
from django.utils import timezone

from core import credentials
from sources import registry
from sources.models import Source
from sources.pipeline import health

# Settings every source's requests depend on: the User-Agent's contact (Wikimedia refuses without it).
SHARED_SETTINGS = ("KP_CONTACT",)


def settings_fingerprint(key: str) -> str:
    digest = hashlib.sha256()
    # Credentials are read where they are used (core/credentials.py), so a new key needs no restart.
    for name in sorted(credentials.required(key)):
        digest.update(f"{name}={credentials.value(name)}\0".encode())
    spec = registry.specs().get(key)
    names = [item.name for item in spec.settings] if spec else []
    names += SHARED_SETTINGS
    for name in sorted(names):
        digest.update(f"{name}={getattr(settings, name, '')!r}\0".encode())
    # Base URLs come from settings (tests and .env both end there); reddit_oauth, wikipedia_dumps, ...
    for name, url in sorted(settings.SOURCE_BASE_URLS.items()):
        if name == key or name.startswith(key + "_"):
            digest.update(f"{name}={url}\0".encode())
    return digest.hexdigest()


def source_hold(*, source: Source, reason: str) -> None:
    """Mark the source held (the caller saves it, with the run that caused the hold)."""
    source.held_at = timezone.now()
    source.held_reason = reason
    source.held_fingerprint = settings_fingerprint(source.key)


def source_release(*, source: Source) -> bool:
    """Lift the hold (an admin's action, or settings that changed); True when it was held."""
    if source.held_at is None:
        return False
    source.held_at, source.held_reason, source.held_fingerprint = None, "", ""
    # Runs failed only because of the held cause; counting them on would keep it "failing".
    source.consecutive_failures = 0
    source.health = health.compute(source, timezone.now())
    source.save(
        update_fields=["held_at", "held_reason", "held_fingerprint", "consecutive_failures", "health"]
    )
    return True


def still_held(source: Source) -> bool:
    """Whether the source stays held; releases it (and says False) when its settings changed."""
    if source.held_at is None:
        return False
    if settings_fingerprint(source.key) == source.held_fingerprint:
        return True
    source_release(source=source)
    return False
