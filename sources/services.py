"""Writes about sources that are not part of a run."""

from .models import Source
from .registry import SOURCES
from .schedules import ensure_periodic_tasks


def sources_setup() -> list[str]:
    """Create the nine sources and their default periodic tasks; idempotent, never overwrites."""
    report = []
    for key, (name, _) in SOURCES.items():
        source, created = Source.objects.get_or_create(key=key, defaults={"name": name})
        primary, tasks_created = ensure_periodic_tasks(key)
        if source.periodic_task_id is None:
            source.periodic_task = primary
            source.save(update_fields=["periodic_task"])
        if created:
            report.append(f"created source {key}")
        report.extend(f"created schedule {name!r}" for name in tasks_created)
    return report
