"""The watchlist table: per watched show, the newest value of each headline signal, its change against
the period before, and seven days of points for a sparkline. Three queries for any number of shows;
on Postgres the two snapshot reads skip through the index (watchlist_pg) instead of ranking history."""

from collections import defaultdict
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import connection
from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from dashboard.selectors import watchlist_pg
from shows.models import Show
from sources import registry
from sources.models import Snapshot, SnapshotRollup
from sources.series.rollups import bucket_of


@dataclass(frozen=True)
class Signal:
    source: str
    metric: str
    label: str
    lower_is_better: bool = False

    @property
    def key(self) -> str:
        return f"{self.source}.{self.metric}"


# The columns each source's spec offers (the metric a trader reads first), in registry order.
SIGNALS = tuple(
    Signal(key, column.metric, column.label, column.lower_is_better)
    for key, spec in registry.specs().items()
    for column in spec.watchlist
)
SIGNAL_KEYS = {s.key: s for s in SIGNALS}
# Where a show has several series of one metric, the broadest scope speaks for it.
PREFERRED_SCOPES = ("global", "world", "tv_english", "film_english", "tv_non_english", "film_non_english")
SPARK_DAYS = 7


@dataclass
class Cell:
    value: float
    observed_at: datetime
    scope: str
    period: str
    previous: float | None = None
    spark: list[float] = field(default_factory=list)

    @property
    def change(self) -> float | None:
        return None if self.previous is None else self.value - self.previous


def _signal_filter():
    from django.db.models import Q

    q = Q()
    for s in SIGNALS:
        q |= Q(source__key=s.source, metric=s.metric)
    return q


def _scope_order(scope: str) -> int:
    return PREFERRED_SCOPES.index(scope) if scope in PREFERRED_SCOPES else len(PREFERRED_SCOPES)


def _newest_two(show_ids: list[int]) -> list[tuple]:
    if connection.vendor == "postgresql":
        return watchlist_pg.newest_two(show_ids, [(s.source, s.metric) for s in SIGNALS])
    series = [F("show_id"), F("source_id"), F("metric"), F("scope"), F("period")]
    return list(
        Snapshot.objects.filter(_signal_filter(), show_id__in=show_ids)
        .annotate(
            newest_first=Window(
                RowNumber(), partition_by=series, order_by=[F("observed_at").desc(), F("id").desc()]
            )
        )
        .filter(newest_first__lte=2)
        .order_by("show_id", "source__key", "metric", "scope", "period", "newest_first")
        .values_list(
            "show_id", "source__key", "metric", "scope", "period", "observed_at", "value", "newest_first"
        )
    )


def _cells(show_ids: list[int]) -> dict[int, dict[str, Cell]]:
    """Per show and signal, the series with the newest value (ties: the broadest scope)."""
    candidates: dict[tuple, Cell] = {}
    for show_id, src, metric, scope, period, observed_at, value, n in _newest_two(show_ids):
        key = (show_id, f"{src}.{metric}", scope, period)
        if n == 1:
            candidates[key] = Cell(value=value, observed_at=observed_at, scope=scope, period=period)
        elif key in candidates:
            candidates[key].previous = value
    cells: dict[int, dict[str, Cell]] = defaultdict(dict)
    for (show_id, signal, scope, _), cell in candidates.items():
        best = cells[show_id].get(signal)
        if best is None or (-cell.observed_at.timestamp(), _scope_order(scope)) < (
            -best.observed_at.timestamp(),
            _scope_order(best.scope),
        ):
            cells[show_id][signal] = cell
    return cells


def _add_sparks(cells: dict[int, dict[str, Cell]], show_ids: list[int], now: datetime) -> None:
    """Daily means of the last SPARK_DAYS UTC days (today's so far included) of the very series each
    cell shows, from the day rollups: a few rows per series instead of every hour of a week."""
    since = bucket_of(now, "day") - timedelta(days=SPARK_DAYS - 1)
    if connection.vendor == "postgresql":
        shown = [(show_id, key, cell) for show_id, row in cells.items() for key, cell in row.items()]
        series = [(i, *k.split("."), c.scope, c.period) for i, k, c in shown]
        for n, mean in watchlist_pg.daily_means(series, since):
            shown[n][2].spark.append(mean)
        return
    rows = (
        SnapshotRollup.objects.filter(
            _signal_filter(), show_id__in=show_ids, resolution="day", bucket__gte=since
        )
        .values_list("show_id", "source__key", "metric", "scope", "period", "value_sum", "value_count")
        .order_by("show_id", "source__key", "metric", "scope", "period", "bucket")
    )
    for show_id, source, metric, scope, period, total, count in rows:
        cell = cells.get(show_id, {}).get(f"{source}.{metric}")
        if cell is not None and (cell.scope, cell.period) == (scope, period):
            cell.spark.append(total / count)


def _sort_key(row: dict, sort: str):
    field_name = sort.lstrip("-")
    if field_name == "title":
        return (0, row["show"].title.casefold(), row["show"].season)
    cell = row["cells"].get(field_name)
    # Shows without the signal go last whichever way the column is sorted.
    return (1, 0) if cell is None else (0, cell.value)


SORTS = ("title", *SIGNAL_KEYS)


def watchlist_rows(*, sort: str = "title", now: datetime | None = None) -> list[dict]:
    now = now or timezone.now()
    if sort.lstrip("-") not in SORTS:
        sort = "title"
    shows = list(Show.objects.filter(on_watchlist=True).order_by("title", "season", "id"))
    ids = [s.id for s in shows]
    cells: dict[int, dict[str, Cell]] = {}
    if ids:
        with watchlist_pg.without_jit() if connection.vendor == "postgresql" else nullcontext():
            cells = _cells(ids)
            _add_sparks(cells, ids, now)
    rows = [{"show": s, "cells": cells.get(s.id, {})} for s in shows]
    present = [r for r in rows if _sort_key(r, sort)[0] == 0]
    absent = [r for r in rows if _sort_key(r, sort)[0] == 1]
    present.sort(key=lambda r: _sort_key(r, sort)[1:], reverse=sort.startswith("-"))
    return present + absent
