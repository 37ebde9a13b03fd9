"""Beat (the Procfile's scheduler, kalshi_predictions/beat.py) across a Postgres outage that covers its
full schedule re-read: it stays alive, logs each failed try, keeps its schedule and reads it again once
the database is back. Before issue 22, OperationalError out of that re-read ended beat.

The cluster is the test's own (tests/private_services.py); the re-read comes every 3 s here
(KP_BEAT_RESYNC_SECONDS) instead of every 5 minutes, so an 8 s outage covers several.
"""

import time

import pytest

from tests.faults.conftest import TALLY
from tests.private_services import PrivatePostgres
from tests.processes import process_env, start_beat

pytestmark = [pytest.mark.postgres, pytest.mark.processes]
READ = r"DatabaseScheduler: Fetching database schedule"
FAILED = r"beat: reading the schedule failed \((?:OperationalError|InterfaceError)"
BACK = r"beat: the schedule was read again after \d+ failed tries"
OUTAGE_SECONDS = 8


@pytest.fixture
def cluster():
    pg = PrivatePostgres(prefix="kp-faults-beat-")
    pg.start()
    pg.migrate(process_env())
    yield pg
    pg.remove()


def test_beat_outlives_a_postgres_outage_covering_its_schedule_resync(cluster):
    TALLY["tried"] += 1
    beat = start_beat(process_env(DATABASE_URL=cluster.url, KP_BEAT_RESYNC_SECONDS="3"))
    try:
        beat.wait_for_log(READ, count=2, timeout=30)  # a periodic re-read went through while it was up
        cluster.stop()
        time.sleep(OUTAGE_SECONDS)
        assert beat.popen.poll() is None, beat.log()[-4000:]
        failures = beat.wait_for_log(FAILED, timeout=10)
        cluster.start()
        beat.wait_for_log(BACK, timeout=60)
        assert beat.popen.poll() is None, beat.log()[-4000:]
        reads_after = len(beat.wait_for_log(READ, timeout=5))
        beat.wait_for_log(READ, count=reads_after + 1, timeout=30)  # back to its regular re-reads
    finally:
        beat.stop()
    assert failures
    TALLY["survived"] += 1
