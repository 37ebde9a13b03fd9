"""The merged time series of one show (DESIGN.md: GET /api/shows/<id>/metrics)."""

import re
from datetime import datetime, timedelta
from itertools import groupby

from sources.models import Snapshot

WINDOW_FORMS = "24h, 7d, 30d, 90d, 1y, or Nd / Nh up to 365 days"
_WINDOW = re.compile(r"^(?P<n>[1-9][0-9]{0,4})(?P<unit>[hd])$")
MAX_WINDOW = timedelta(days=365)


class BadParameter(ValueError):
    pass


def parse_window(raw: str) -> timedelta:
    if raw == "1y":
        return MAX_WINDOW
    match = _WINDOW.match(raw or "")
    if not match:
        raise BadParameter(f"window={raw!r} is not accepted; use {WINDOW_FORMS}")
    n = int(match["n"])
    window = timedelta(hours=n) if match["unit"] == "h" else timedelta(days=n)
    if window > MAX_WINDOW:
        raise BadParameter(f"window={raw!r} is longer than 365 days; use {WINDOW_FORMS}")
    return window


def show_series(
    *, show_id: int, start: datetime, end: datetime, source: str = "", metric: str = ""
) -> list[dict]:
    rows = Snapshot.objects.filter(show_id=show_id, observed_at__gte=start, observed_at__lte=end)
    if source:
        rows = rows.filter(source__key=source)
    if metric:
        rows = rows.filter(metric=metric)
    rows = rows.order_by("source__key", "metric", "scope", "period", "observed_at").values_list(
        "source__key", "metric", "scope", "period", "observed_at", "value"
    )
    series = []
    for (src, met, scope, period), points in groupby(rows.iterator(), key=lambda r: r[:4]):
        series.append(
            {
                "source": src,
                "metric": met,
                "scope": scope,
                "period": period,
                "points": [[p[4].isoformat(), p[5]] for p in points],
            }
        )
    return series
