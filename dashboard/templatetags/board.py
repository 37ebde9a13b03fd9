from datetime import datetime, timedelta

from django import template
from django.utils import timezone
from django.utils.timesince import timesince, timeuntil

from core.text import clip as _clip
from dashboard.sparkline import sparkline_svg

register = template.Library()


def _moment(value) -> datetime | None:
    if not value:
        return None
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


@register.filter
def ago(value) -> str:
    """ "3 minutes ago" from a datetime or an ISO timestamp; "never" for none."""
    moment = _moment(value)
    if moment is None:
        return "never"
    if timezone.now() - moment < timedelta(minutes=1):
        return "just now"
    return f"{timesince(moment).split(',')[0]} ago"


@register.filter
def countdown(value) -> str:
    """ "in 2 days, 4 hours" until a time; "3 hours ago" once it has passed."""
    moment = _moment(value)
    if moment is None:
        return "unknown"
    if moment <= timezone.now():
        return ago(moment)
    return "in " + ", ".join(timeuntil(moment).split(", ")[:2])


@register.filter
def cents(value) -> str:
    """A Kalshi price in dollars as cents: 0.73 -> "73¢"."""
    if value is None or value == "":  # "" is what a template gives for a missing key
        return "–"
    return f"{round(float(value) * 100)}¢"


@register.filter
def compact(value) -> str:
    """1234567 -> "1.2M"; small values as they are."""
    if value is None or value == "":  # "" is what a template gives for a missing key
        return "–"
    v = float(value)
    for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(v) >= size:
            return f"{v / size:.1f}{suffix}"
    return f"{v:.2f}".rstrip("0").rstrip(".") if v != int(v) else str(int(v))


@register.filter
def words(value: str) -> str:
    return str(value).replace("_", " ")


@register.simple_tag
def sparkline(values, label="", invert=False):
    return sparkline_svg(values or [], label=label, invert=invert)


@register.simple_tag
def trend(cell, lower_is_better=False) -> str:
    """ "up", "down" or "flat" as the trader reads it: a rank going 5 -> 2 is up."""
    change = getattr(cell, "change", None)
    if not change:
        return "flat"
    better = change < 0 if lower_is_better else change > 0
    return "up" if better else "down"


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def clip(value, limit=160) -> str:
    """At most `limit` characters, cut at a word boundary (never mid-word) with an ellipsis."""
    return _clip(str(value or ""), int(limit))
