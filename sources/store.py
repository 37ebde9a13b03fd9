"""Idempotent upsert of normalized snapshots, keeping superseded values as revisions."""

import math
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Q

from .base import SnapshotIn
from .models import Snapshot, SnapshotRevision, Source


@dataclass
class UpsertCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def _key(show_id, metric, scope, period, observed_at) -> tuple:
    return (show_id, metric, scope, period, observed_at)


def snapshots_upsert(*, source: Source, items: list[SnapshotIn], fetched_at: datetime) -> UpsertCounts:
    counts = UpsertCounts()
    if not items:
        return counts
    # The pipeline drops out-of-range values first (sources/validation.py); this is the last line, so a
    # NaN can never reach a row that the API would then emit as invalid JSON.
    if any(not math.isfinite(i.value) for i in items):
        raise ValueError("refusing to store a value that is not finite")
    # The same key twice in one batch: the later value wins, as a later fetch would.
    wanted = {_key(i.show_id, i.metric, i.scope, i.period, i.observed_at): i for i in items}
    observed = [i.observed_at for i in wanted.values()]
    # Only the batch's shows: a one-show backfill window must not read every show's year (the benchmark
    # measured 5.9 GB for a watchlist's Wikipedia backfill before this).
    shows = {i.show_id for i in wanted.values()}
    of_shows = Q(show_id__in=shows - {None})
    if None in shows:
        of_shows |= Q(show_id__isnull=True)
    with transaction.atomic():
        existing = {
            _key(s.show_id, s.metric, s.scope, s.period, s.observed_at): s
            for s in Snapshot.objects.filter(
                of_shows,
                source=source,
                metric__in={i.metric for i in wanted.values()},
                observed_at__gte=min(observed),
                observed_at__lte=max(observed),
            )
        }
        new, changed, revisions = [], [], []
        for key, item in wanted.items():
            row = existing.get(key)
            if row is None:
                new.append(
                    Snapshot(
                        source=source,
                        show_id=item.show_id,
                        metric=item.metric,
                        scope=item.scope,
                        period=item.period,
                        observed_at=item.observed_at,
                        value=item.value,
                        fetched_at=fetched_at,
                        attrs=item.attrs,
                    )
                )
            elif row.value != item.value:
                revisions.append(
                    SnapshotRevision(
                        snapshot=row,
                        value=row.value,
                        fetched_at=row.fetched_at,
                        superseded_at=fetched_at,
                    )
                )
                row.value, row.fetched_at, row.attrs = item.value, fetched_at, item.attrs
                changed.append(row)
            else:
                counts.unchanged += 1
        Snapshot.objects.bulk_create(new, batch_size=1000)
        Snapshot.objects.bulk_update(changed, ["value", "fetched_at", "attrs"], batch_size=1000)
        SnapshotRevision.objects.bulk_create(revisions, batch_size=1000)
    counts.created, counts.updated = len(new), len(changed)
    return counts
