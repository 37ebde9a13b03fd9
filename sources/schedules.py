"""Default cadences of the nine sources, created once as django-celery-beat periodic tasks.

After creation the database is the truth: an edit in admin is never overwritten by setup_sources and
beat's DatabaseScheduler picks it up without a restart.
"""

import json
from dataclasses import dataclass, field
from datetime import timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

TASK = "sources.tasks.run_source"
EASTERN = ZoneInfo("America/New_York")


@dataclass(frozen=True)
class Cadence:
    name: str
    why: str
    every_minutes: int | None = None  # an interval ...
    cron: dict = field(default_factory=dict)  # ... or a crontab in America/New_York
    expires_seconds: int = 0
    kwargs: dict = field(default_factory=dict)
    enabled: bool = True


DEFAULTS: dict[str, list[Cadence]] = {
    "tudum": [
        Cadence(
            "tudum: Tuesday release watch",
            "Netflix publishes the week between 10:00 and 15:00 ET on Tuesdays; a conditional GET "
            "makes polling an unchanged file cheap.",
            cron={"minute": "*/15", "hour": "10-15", "day_of_week": "2"},
            expires_seconds=14 * 60,
        ),
        Cadence(
            "tudum: daily corrections",
            "Netflix sometimes corrects a published week; once a day is enough to catch it.",
            cron={"minute": "0", "hour": "18", "day_of_week": "*"},
            expires_seconds=60 * 60,
        ),
    ],
    "flixpatrol": [
        Cadence(
            "flixpatrol: daily chart",
            "FlixPatrol publishes yesterday's chart in the morning ET; this read stores it complete, "
            "over any partial read of it as today's chart.",
            cron={"minute": "0", "hour": "8", "day_of_week": "*"},
            expires_seconds=60 * 60,
        ),
        Cadence(
            "flixpatrol: today Monday until the close",
            "Kalshi's Netflix markets close Monday 23:59 ET and the Monday list is the week's last; "
            "re-read today's chart every 30 minutes from 12:15 to 23:45 so the nowcast at the close has it "
            "(each read updates the day's values in place).",
            cron={"minute": "15,45", "hour": "12-23", "day_of_week": "1"},
            expires_seconds=25 * 60,
            kwargs={"today": True},
        ),
        Cadence(
            "flixpatrol: today evening",
            "The other days' lists feed the running week's nowcast the same evening instead of the "
            "next morning (Monday is read by the task above).",
            cron={"minute": "0", "hour": "20", "day_of_week": "0,2-6"},
            expires_seconds=60 * 60,
            kwargs={"today": True},
        ),
    ],
    "x": [Cadence("x: post counts", "Recent counts move hourly.", 60, expires_seconds=50 * 60)],
    "tiktok": [
        Cadence(
            "tiktok: hashtags",
            "Hourly fits the Research API's daily quota.",
            60,
            expires_seconds=50 * 60,
        )
    ],
    "reddit": [Cadence("reddit: mentions", "Mentions are counted per hour.", 60, expires_seconds=50 * 60)],
    "google_trends": [
        Cadence(
            "google_trends: daily",
            "Daily interest for every watched term; Google throttles more often than this.",
            cron={"minute": "30", "hour": "7", "day_of_week": "*"},
            expires_seconds=60 * 60,
        ),
        Cadence(
            "google_trends: watchlist hourly Fri-Sun",
            "Weekend interest decides the week's ranks; hourly for watched shows only.",
            cron={"minute": "15", "hour": "*", "day_of_week": "5,6,0"},
            expires_seconds=50 * 60,
            kwargs={"watchlist_hourly": True},
        ),
    ],
    "youtube": [
        Cadence(
            "youtube: trailer stats",
            "Daily keeps videos.list far inside the 10,000-unit quota.",
            cron={"minute": "0", "hour": "6", "day_of_week": "*"},
            expires_seconds=60 * 60,
        )
    ],
    "wikipedia": [
        Cadence(
            "wikipedia: pageviews",
            "Daily counts arrive with a lag of about a day at an unannounced hour; hourly catches "
            "them soon after.",
            60,
            expires_seconds=50 * 60,
        ),
        Cadence(
            "wikipedia: hourly dumps (watchlist)",
            "Hourly pageviews exist only in Wikimedia's dump files (~50 MB each, streamed); off until "
            "enabled in admin. A file is published about an hour after the hour it counts.",
            cron={"minute": "25", "hour": "*", "day_of_week": "*"},
            expires_seconds=50 * 60,
            kwargs={"hourly": True},
            enabled=False,
        ),
    ],
    "kalshi": [
        Cadence(
            "kalshi: market prices",
            "Thin markets; 15 minutes tracks their moves.",
            15,
            expires_seconds=12 * 60,
        )
    ],
}

NOMINAL = {
    "tudum": timedelta(days=7),
    "flixpatrol": timedelta(days=1),
    "google_trends": timedelta(days=1),
    "youtube": timedelta(days=1),
}


def nominal_cadence(key: str) -> timedelta:
    if key in NOMINAL:
        return NOMINAL[key]
    first = DEFAULTS[key][0]
    return timedelta(minutes=first.every_minutes or 60 * 24)


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
    for cadence in DEFAULTS[key]:
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
