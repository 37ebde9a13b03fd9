"""Each pytest-xdist worker its own Redis database, chosen before Django reads its settings.

pytest-django gives each worker its own test database (test_<name>_gw<N>); Redis has no such thing, so
worker N uses the database N below REDIS_URL's (15, 14, ... with `make test`'s db 15), and no worker
flushes or counts keys another worker writes. (Not a server per worker: the reaper distrusts a Redis up
for less than a lock TTL, core/locks.py, so fresh servers made the first minute of every worker differ.)
Pub/sub channels span every database of a server: a test reading live events filters them to its own.
Loaded with `-p tests.workers` (pyproject's addopts), which runs before pytest-django imports the settings.
"""

import os
import re

_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if _worker.startswith("gw") and os.environ.get("REDIS_URL"):
    _n = int(_worker[2:])
    _url = os.environ["REDIS_URL"]
    _match = re.search(r"/(\d+)$", _url) or re.search(r"[?&]db=(\d+)", _url)
    _db = int(_match.group(1)) if _match else 0
    _new = (_db - _n) % 16
    if _match:
        start, end = _match.span(1)
        os.environ["REDIS_URL"] = _url[:start] + str(_new) + _url[end:]
    else:
        os.environ["REDIS_URL"] = _url.rstrip("/") + f"/{_new}"
