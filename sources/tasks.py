from celery import shared_task

from . import pipeline


@shared_task(name="sources.tasks.run_source", ignore_result=True)
def run_source(key: str, **options) -> None:
    # Thin on purpose: retries and error records belong to the pipeline, not to Celery.
    pipeline.run(key, **options)


@shared_task(name="sources.tasks.backfill_show", ignore_result=True)
def backfill_show(show_id: int) -> None:
    """A show just joined the watchlist: load its history from every per-show source."""
    from .backfill import show_backfill

    show_backfill(show_id=show_id)
