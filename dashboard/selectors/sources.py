"""The sources page: the board's cards plus schedules, recent runs and credentials."""

from collections import defaultdict

from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django_celery_beat.models import PeriodicTask

from core import credentials
from dashboard.selectors.board import board_sources
from dashboard.selectors.reasons import empty_reason
from sources.models import FetchRun
from sources.pipeline import backfill_progress
from sources.pipeline.schedules import TASK, describe

RECENT_RUNS = 5


def recent_runs(*, per_source: int = RECENT_RUNS) -> dict[str, list[FetchRun]]:
    runs = (
        FetchRun.objects.select_related("source")
        .annotate(
            newest_first=Window(RowNumber(), partition_by=[F("source_id")], order_by=[F("started_at").desc()])
        )
        .filter(newest_first__lte=per_source)
        .order_by("source__key", "-started_at")
    )
    grouped: dict[str, list[FetchRun]] = defaultdict(list)
    for run in runs:
        grouped[run.source.key].append(run)
    return grouped


def _schedules() -> dict[str, list[dict]]:
    import json

    found: dict[str, list[dict]] = defaultdict(list)
    for task in PeriodicTask.objects.filter(task=TASK).select_related("interval", "crontab").order_by("name"):
        try:
            key = json.loads(task.args or "[]")[0]
        except (ValueError, IndexError, TypeError):
            continue
        found[key].append(
            {"id": task.id, "name": task.name, "cadence": describe(task), "why": task.description}
        )
    return found


def sources_page() -> list[dict]:
    runs = recent_runs()
    schedules = _schedules()
    cards = board_sources()
    backfills = backfill_progress.progress_many([card["key"] for card in cards])
    return [
        {
            **card,
            "runs": runs.get(card["key"], []),
            "why_no_run": ""
            if runs.get(card["key"])
            else empty_reason(
                card,
                what="No run",
                first_run="`make run` queues one at start-up, then its schedule (above) runs it",
            ),
            "schedules": schedules.get(card["key"], []),
            "backfill": backfills.get(card["key"]),
            "credentials": [
                {"name": name, "present": name not in card["missingCredentials"]}
                for name in credentials.required(card["key"])
            ],
        }
        for card in cards
    ]
