"""Django signals the pipeline sends, for the layers above sources to follow without being imported.

run_committed: a run's rows (snapshots, extra rows, the run record) are committed; sent once per run
that stored something (ok or partial), never for a skipped or failed run, whether the run came from a
worker, `manage.py run_source` or a backfill window. Arguments: key (the source), run (its FetchRun).
"""

from django.dispatch import Signal

run_committed = Signal()
