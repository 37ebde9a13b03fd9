"""Beat's scheduler and the workers' own sweep for lost runs, read once at start-up (settings.py imports
them all)."""

from kalshi_predictions.env import env_int

# django-celery-beat's DatabaseScheduler, made to live through a database outage (kalshi_predictions/beat.py).
CELERY_BEAT_SCHEDULER = "kalshi_predictions.beat:ResilientDatabaseScheduler"
# Its full re-read of the schedule: django-celery-beat's every 5 minutes; shorter only for the fault test
# that puts a database outage over one.
BEAT_RESYNC_SECONDS = env_int("KP_BEAT_RESYNC_SECONDS", 300, minimum=1)
# Each worker also sweeps for lost runs this often (kalshi_predictions/celery.py), beside beat's sweep.
REAP_EVERY_SECONDS = env_int("KP_REAP_EVERY", 60, minimum=1)
