"""A show that joins the watchlist gets its history loaded, whichever way it joined (command, API,
admin, dashboard)."""

from django.db import transaction
from django.db.models.signals import post_init, post_save
from django.dispatch import receiver

from shows.models import Show


def _watched(instance: Show) -> bool | None:
    # Read from __dict__: a show loaded with .only() must not cost a query per instance here.
    return instance.__dict__.get("on_watchlist")


@receiver(post_init, sender=Show)
def _remember_watch_state(sender, instance: Show, **kwargs) -> None:
    instance._was_watched = bool(_watched(instance)) if instance.pk else False


@receiver(post_save, sender=Show)
def _queue_backfill_when_watched(sender, instance: Show, created: bool, **kwargs) -> None:
    watched = _watched(instance)
    if watched and not instance._was_watched:
        from sources.tasks import backfill_show  # tasks import the pipeline: loaded on first use

        show_id = instance.pk
        transaction.on_commit(lambda: backfill_show.delay(show_id))
    if watched is not None:
        instance._was_watched = watched
