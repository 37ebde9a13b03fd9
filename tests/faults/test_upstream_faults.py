"""Every runner against every upstream fault class, on real Postgres and Redis through the real
pipeline: the run ends recorded (failed, never `started`, no exception escaping) with a clear error,
the stored rows are exactly those of the clean run before it (none lost, none invented or duplicated),
no success is recorded (held for 401/403; failing once the failures reach FAILING_AFTER), and the
board, /sources and /api/sources still answer without a 500."""

import math

import googleapiclient.http
import prawcore.sessions
import pytest

from kalshi_predictions import source_settings
from shows.models import Show
from sources import registry
from sources.kalshi.models import Market
from sources.models import FetchRun, Snapshot, Source
from sources.pipeline.health import FAILING_AFTER
from tests.fakeupstream import Reply
from tests.faults.conftest import TALLY
from tests.faults.faults import DEADLINE, FAULTS, TIMEOUT, Fault
from tests.faults.sources import CASES, watch_for

pytestmark = pytest.mark.postgres
READS = ["/", "/sources", "/api/sources"]
# Faults a runner does not survive yet, each with why (docs/reliability.md, Open).
KNOWN_GAPS: dict[tuple[str, str], str] = {}


def stored_rows() -> dict[str, list[tuple]]:
    """Every stored value with its identity, so a lost, changed, invented or duplicated row shows."""
    return {
        "snapshots": sorted(
            Snapshot.objects.values_list(
                "source__key", "show_id", "metric", "scope", "period", "observed_at", "value"
            ),
            key=repr,  # show_id may be None
        ),
        "markets": sorted(Market.objects.values_list("ticker", flat=True)),
        "shows": sorted(Show.objects.values_list("title", "season")),
    }


def lost_and_invented(before: dict, after: dict) -> tuple[int, int]:
    lost = invented = 0
    for table, rows in before.items():
        old, new = list(rows), list(after[table])
        for row in old:
            if row in new:
                new.remove(row)
            else:
                lost += 1
        invented += len(new)  # rows the fault added, or second copies of a row
    return lost, invented


@pytest.fixture
def fault_settings(settings, monkeypatch, redis_conn):
    settings.HTTP_TIMEOUT_SECONDS = TIMEOUT
    settings.HTTP_DEADLINE_SECONDS = DEADLINE
    settings.HTTP_RETRIES = 1  # one retry: the backoff path runs, the suite stays quick
    settings.HTTP_MAX_RETRY_AFTER = 1
    settings.WIKIPEDIA_DAYS = 3
    settings.KP_PUBLIC_READ = True
    settings.KALSHI_SERIES = ["KXNETFLIXRANKSHOW"]  # the fake lists markets by path: one series
    settings.KALSHI_MIN_BACKOFF_MS = 100
    from sources.google_trends import client as trends_client

    # The libraries' own backoff between retries (prawcore, googleapiclient) is skipped: the retries
    # still happen, without the seconds of sleep.
    monkeypatch.setattr(trends_client, "_sleep", lambda seconds: None)
    monkeypatch.setattr(prawcore.sessions.FiniteRetryStrategy, "_sleep_seconds", lambda self: None)
    monkeypatch.setattr(googleapiclient.http.random, "random", lambda: 0.0)
    stale = redis_conn.keys("quota:*")
    if stale:
        redis_conn.delete(*stale)
    return settings


def test_every_registered_runner_is_in_the_suite():
    registered = registry.keys()
    assert set(CASES) == set(registered)


@pytest.mark.parametrize("fault", FAULTS, ids=[f.name for f in FAULTS])
@pytest.mark.parametrize("key", list(CASES))
def test_an_upstream_fault_fails_the_run_recorded_and_changes_no_stored_row(
    key, fault: Fault, run_source, fake_upstream, fault_settings, monkeypatch, client
):
    case = CASES[key]
    if (key, fault.name) in KNOWN_GAPS:
        pytest.skip(KNOWN_GAPS[key, fault.name])
    for name, value in case.env.items():
        monkeypatch.setenv(name, value)
    # A source's own settings are read once at start-up: parse the case's values as start-up would.
    declared = source_settings._source_settings()
    for name in case.env.keys() & declared.keys():
        setattr(fault_settings, name, declared[name])
    watch_for(key)
    clean = run_source(key, now=case.now)
    assert clean.status in ("ok", "partial"), clean.error
    before = stored_rows()
    assert before["snapshots"], f"the clean {key} run stored nothing to guard"
    source = Source.objects.get(key=key)
    success_at = source.last_success_at

    TALLY["tried"] += 1
    base_urls = dict(fault_settings.SOURCE_BASE_URLS)
    fault.apply(fake_upstream, case, base_urls)
    fault_settings.SOURCE_BASE_URLS = base_urls
    run = run_source(key, now=case.now)  # an exception escaping fails the test here

    run.refresh_from_db()
    assert run.status == FetchRun.Status.FAILED, f"{run.status}: {run.error}"
    assert run.error.strip(), "a failed run says why"
    assert not FetchRun.objects.filter(status=FetchRun.Status.STARTED).exists()
    after = stored_rows()
    lost, invented = lost_and_invented(before, after)
    TALLY["lost"] += lost
    TALLY["invented"] += invented
    assert (lost, invented) == (0, 0), f"rows lost {lost}, invented {invented}"
    assert all(math.isfinite(v) for *_, v in after["snapshots"])

    source.refresh_from_db()
    assert source.last_success_at == success_at  # no success recorded
    assert source.last_error == run.error
    if fault.permanent and case.refusal_holds:
        assert run.error.startswith("permanent:"), run.error
    if run.error.startswith("permanent:"):
        assert source.health == Source.Health.HELD, run.error
        assert run_source(key, now=case.now) is None  # held: no request until its settings change
    else:  # temporary: the next run tries again; failing once FAILING_AFTER runs failed (test below)
        assert source.consecutive_failures == 1 and source.health != Source.Health.FAILING

    for path in READS:
        answer = client.get(path)
        if answer.status_code >= 500:
            TALLY["500s"] += 1
        assert answer.status_code == 200, (path, answer.status_code)
    api = {s["key"]: s for s in client.get("/api/sources").json()}
    source.refresh_from_db()
    assert api[key]["lastError"] and api[key]["health"] == source.health
    TALLY["survived"] += 1


@pytest.mark.parametrize("key", ["wikipedia", "kalshi"])
def test_a_source_failing_its_last_runs_reads_failing_everywhere(
    key, run_source, fake_upstream, fault_settings, monkeypatch, client
):
    case = CASES[key]
    watch_for(key)
    assert run_source(key, now=case.now).status == FetchRun.Status.OK
    before = stored_rows()
    fake_upstream.route(case.data, Reply(503, '{"error": "injected 503"}'))
    for _ in range(FAILING_AFTER):
        assert run_source(key, now=case.now).status == FetchRun.Status.FAILED
    source = Source.objects.get(key=key)
    assert source.health == Source.Health.FAILING and source.consecutive_failures == FAILING_AFTER
    api = {s["key"]: s for s in client.get("/api/sources").json()}
    assert api[key]["health"] == "failing"
    assert b"failing" in client.get("/sources").content.lower()
    assert stored_rows() == before
