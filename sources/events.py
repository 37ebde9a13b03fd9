"""Announce to live pages, only once the rows an event speaks of are committed."""

import logging

from django.db import transaction
from django_eventstream import send_event

log = logging.getLogger(__name__)
CHANNEL = "sources"


def announce(source_key: str, event_type: str, data: dict) -> None:
    def send() -> None:
        try:
            send_event(CHANNEL, event_type, data)
        except Exception as exc:  # Redis down: the data is stored; pages catch up on reconnect
            log.warning("could not announce %s %s: %s", source_key, event_type, exc)

    transaction.on_commit(send)
