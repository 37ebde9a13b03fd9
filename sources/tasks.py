from celery import shared_task

from . import pipeline


@shared_task(name="sources.tasks.run_source", ignore_result=True)
def run_source(key: str, **options) -> None:
    # Thin on purpose: retries and error records belong to the pipeline, not to Celery.
    pipeline.run(key, **options)
