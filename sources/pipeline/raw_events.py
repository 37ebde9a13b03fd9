"""The raw answers of a run, stored before they are normalized (secrets redacted), and their retention."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from core.redact import redact
from sources.base import RawResponse
from sources.models import FetchRun, RawEvent, Source


def raw_events_store(source: Source, fetch_run: FetchRun, responses: list[RawResponse]) -> None:
    RawEvent.objects.bulk_create(
        RawEvent(
            source=source,
            run=fetch_run,
            method=r.method,
            url=redact(r.url),
            status=r.status,
            body=redact(r.body),
            fetched_at=r.fetched_at,
        )
        for r in responses
    )
    cutoff = timezone.now() - timedelta(days=settings.RAW_EVENT_RETENTION_DAYS)
    RawEvent.objects.filter(source=source, fetched_at__lt=cutoff).delete()
