import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kalshi_predictions.settings")

app = Celery("kalshi_predictions")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
