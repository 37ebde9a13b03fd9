from datetime import datetime, timedelta

from django import template
from django.utils import timezone
from django.utils.timesince import timesince

register = template.Library()


@register.filter
def ago(iso: str | None) -> str:
    """ "3 minutes ago" from an ISO timestamp; "never" for none."""
    if not iso:
        return "never"
    moment = datetime.fromisoformat(iso)
    if timezone.now() - moment < timedelta(minutes=1):
        return "just now"
    return f"{timesince(moment).split(',')[0]} ago"


@register.filter
def words(value: str) -> str:
    return str(value).replace("_", " ")
