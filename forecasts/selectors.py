"""Reads for forecasts: the Tudum history exactly as it was known at a point in time."""

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta

from sources.models import Snapshot, SnapshotRevision
from sources.tudum.normalize import scope_of_category

from .history import Entry, Week

METRICS = ("rank", "weekly_hours_viewed", "weekly_views", "cumulative_weeks_in_top_10")


def week_start(week_end: date) -> datetime:
    """Tudum snapshots are observed at the Monday 00:00 UTC that starts the week ending on `week_end`."""
    return datetime.combine(week_end - timedelta(days=6), time(), tzinfo=UTC)


def tudum_history_as_of(*, list_name: str, as_of: datetime, before: date) -> list[Week]:
    """Weeks ending before `before`, built only from values fetched at or before `as_of`: a value
    changed later is read from its revision, and rows first fetched later are not read at all."""
    rows = Snapshot.objects.filter(
        source__key="tudum",
        scope=scope_of_category(list_name),
        period=Snapshot.Period.WEEK,
        metric__in=METRICS,
        observed_at__lt=week_start(before),
        show__isnull=False,
    )
    known = {s.id: s for s in rows.filter(fetched_at__lte=as_of).select_related("show")}
    superseded = SnapshotRevision.objects.filter(
        snapshot__in=rows.filter(fetched_at__gt=as_of), fetched_at__lte=as_of, superseded_at__gt=as_of
    ).select_related("snapshot__show")
    for revision in superseded:
        snapshot = revision.snapshot
        snapshot.value = revision.value
        known[snapshot.id] = snapshot
    cells: dict[tuple[date, int], dict] = defaultdict(dict)
    shows = {}
    for s in known.values():
        cells[(s.observed_at.date() + timedelta(days=6), s.show_id)][s.metric] = s.value
        shows[s.show_id] = (s.show, s.attrs.get("season_title", ""))
    weeks: dict[date, Week] = {}
    for (week, show_id), values in cells.items():
        if "rank" not in values or "weekly_hours_viewed" not in values:
            continue  # a row only partly known at as_of is not a list entry yet
        show, season_title = shows[show_id]
        entry = Entry(
            key=f"show:{show_id}",
            title=show.title,
            season=season_title or show.season,
            rank=int(values["rank"]),
            hours=values["weekly_hours_viewed"],
            views=values.get("weekly_views"),
            weeks_in_top10=int(values.get("cumulative_weeks_in_top_10", 1)),
            show_id=show_id,
        )
        weeks.setdefault(week, Week(week)).entries.append(entry)
    for w in weeks.values():
        w.entries.sort(key=lambda e: e.rank)
    return [weeks[w] for w in sorted(weeks)]
