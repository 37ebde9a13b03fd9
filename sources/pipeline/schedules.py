"""Default cadences of the sources (each declared in its spec), created once as django-celery-beat
periodic tasks.

After creation the database is the truth: an edit in admin is never overwritten by setup_sources and
beat's DatabaseScheduler picks it up without a restart.
"""

import json
from datetime import timedelta

from django.db import transaction
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

from core.tz import EASTERN
from sources import registry
from sources.spec import Cadence

TASK = "sources.tasks.run_source"


def defaults() -> dict[str, tuple[Cadence, ...]]:
    return {key: spec.cadences for key, spec in registry.specs().items()}


def nominal_cadence(key: str) -> timedelta:
    return registry.spec(key).expected_interval


def _schedule_for(cadence: Cadence) -> dict:
    if cadence.every_minutes:
        interval, _ = IntervalSchedule.objects.get_or_create(
            every=cadence.every_minutes, period=IntervalSchedule.MINUTES
        )
        return {"interval": interval}
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute=cadence.cron["minute"],
        hour=cadence.cron["hour"],
        day_of_week=cadence.cron["day_of_week"],
        day_of_month="*",
        month_of_year="*",
        timezone=EASTERN,
    )
    return {"crontab": crontab}


@transaction.atomic
def ensure_periodic_tasks(key: str) -> tuple[PeriodicTask, list[str]]:
    """Create the source's missing default tasks; returns its primary task and the names created."""
    created: list[str] = []
    primary = None
    for cadence in registry.spec(key).cadences:
        task = PeriodicTask.objects.filter(name=cadence.name).first()
        if task is None:
            task = PeriodicTask.objects.create(
                name=cadence.name,
                task=TASK,
                args=json.dumps([key]),
                kwargs=json.dumps(cadence.kwargs),
                expire_seconds=cadence.expires_seconds or None,
                enabled=cadence.enabled,
                description=cadence.why,
                **_schedule_for(cadence),
            )
            created.append(cadence.name)
        primary = primary or task
    return primary, created


def describe(task: PeriodicTask | None) -> str:
    """A human-readable cadence such as "every 60 minutes" or "At 08:00 AM (America/New_York)"."""
    if task is None:
        return "not scheduled"
    if task.interval_id:
        every, period = task.interval.every, task.interval.period
        unit = period[:-1] if every == 1 else period
        text = f"every {every} {unit}"
    elif task.crontab_id:
        from cron_descriptor import get_description

        c = task.crontab
        expr = f"{c.minute} {c.hour} {c.day_of_month} {c.month_of_year} {c.day_of_week}"
        try:
            text = f"{get_description(expr)} ({c.timezone})"
        except Exception:  # cron_descriptor rejects some valid celery forms; show the raw form
            text = f"{expr} ({c.timezone})"
    else:
        text = "custom schedule"
    return text if task.enabled else f"paused ({text})"
