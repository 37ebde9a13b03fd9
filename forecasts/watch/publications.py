"""Publication watch: when each Netflix Top 10 week first appeared to us, and whether it was corrected.

Kalshi's weekly markets settle on the chart as first published, so the first fetch of a week's rows is
the moment that matters. It survives re-fetches: a re-fetch that changes a value moves the row's
`fetched_at` but keeps the old one on its SnapshotRevision, so the first appearance is the earliest
`fetched_at` over a week's rows and their revisions. A week with revisions was corrected after it first
appeared (a value differs from the first version the markets settle on).
"""

from datetime import datetime, timedelta

from django.db.models import Count, Max, Min

from sources.models import Snapshot, SnapshotRevision

# Netflix publishes the Monday–Sunday week on the Tuesday after it ends.
PUBLISHED_AFTER_START = timedelta(days=8)


def tudum_publications(*, limit: int = 6, weeks: list[datetime] | None = None) -> list[dict]:
    """Newest weeks first: {week, weekEnd, publishedOn, firstSeen, values, corrected, correctedValues,
    lastCorrection}. `weeks` (Monday starts) restricts it to those weeks. Two queries."""
    rows = Snapshot.objects.filter(source__key="tudum", period="week")
    if weeks is not None:
        rows = rows.filter(observed_at__in=weeks)
    found = list(
        rows.values("observed_at")
        .annotate(first=Min("fetched_at"), values=Count("id"))
        .order_by("-observed_at")[: (len(weeks) if weeks is not None else limit)]
    )
    if not found:
        return []
    revised = {
        r["snapshot__observed_at"]: r
        for r in SnapshotRevision.objects.filter(
            snapshot__source__key="tudum",
            snapshot__period="week",
            snapshot__observed_at__in=[w["observed_at"] for w in found],
        )
        .values("snapshot__observed_at")
        .annotate(
            first=Min("fetched_at"), changed=Count("snapshot", distinct=True), last=Max("superseded_at")
        )
    }
    out = []
    for w in found:
        start, rev = w["observed_at"], revised.get(w["observed_at"])
        first_seen = min(w["first"], rev["first"]) if rev else w["first"]
        out.append(
            {
                "week": start,
                "weekEnd": (start + timedelta(days=6)).date(),
                "publishedOn": (start + PUBLISHED_AFTER_START).date(),
                "firstSeen": first_seen,
                "values": w["values"],
                "corrected": bool(rev),
                "correctedValues": rev["changed"] if rev else 0,
                "lastCorrection": rev["last"] if rev else None,
            }
        )
    return out


def newest_publication() -> dict | None:
    found = tudum_publications(limit=1)
    return found[0] if found else None
