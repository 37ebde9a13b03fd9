"""`make demo`: bin/demo.py starts the app as `make run` does, its sources reading the recorded samples
from the fake upstream; every page fills with data and says it is demo data; Ctrl-C stops it all."""

import os
import re
import signal
import sys
import time

import httpx
import pytest

from tests.processes import Proc, free_port, wait_for_http

pytestmark = [pytest.mark.processes]
DEMO_LABEL = "Demo data"


def _page(base: str, path: str) -> str:
    response = httpx.get(base + path, timeout=10)
    assert response.status_code == 200, (path, response.status_code)
    return response.text


def _wait_for(base: str, path: str, pattern: str, proc: Proc, timeout: float = 120, times: int = 1) -> str:
    """The page once `pattern` is on it `times` times (the first runs fill pages within seconds of
    start-up, one source after another)."""
    deadline = time.monotonic() + timeout
    html = ""
    while time.monotonic() < deadline:
        html = _page(base, path)
        if len(re.findall(pattern, html)) >= times:
            return html
        assert proc.popen.poll() is None, proc.log()[-3000:]
        time.sleep(1)
    raise AssertionError(f"{path}: {pattern!r} not seen within {timeout}s; page:\n{html[-3000:]}")


def test_demo_fills_every_page_from_the_samples_and_labels_it(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.endswith("_BASE_URL")}
    port = free_port()
    env.update(
        KP_VAR_DIR=str(tmp_path),
        PORT=str(port),
        KP_ADMIN_PASSWORD="demo-test-pass",
        KP_WORKERS="1",
        # The test's own database and Redis must not leak in: the demo brings its own.
        DATABASE_URL="postgres://nobody@127.0.0.1:1/none",
        REDIS_URL="redis://127.0.0.1:1/0",
    )
    base = f"http://127.0.0.1:{port}"
    demo = Proc("demo", [sys.executable, "bin/demo.py"], env)
    try:
        wait_for_http(base + "/", timeout=90, proc=demo)
        assert (tmp_path / "app.sqlite3").exists()  # its own SQLite, not the DATABASE_URL given

        board = _wait_for(base, "/", r'class="market"', demo)
        board = _wait_for(base, "/", r'<td class="leader">1</td>', demo)  # FlixPatrol's week
        board = _wait_for(base, "/", r'class="first-seen"', demo)  # the Tudum weeks' first appearance
        board = _wait_for(base, "/", 'data-health="ok"', demo, times=6)
        assert DEMO_LABEL in board

        watchlist = _wait_for(base, "/watchlist", r"data-value=", demo)
        assert DEMO_LABEL in watchlist
        show_id = re.search(r'href="/shows/(\d+)"', watchlist)[1]
        show = _page(base, f"/shows/{show_id}")
        assert DEMO_LABEL in show and 'class="chart"' in show

        sources = _wait_for(base, "/sources", r'class="run-ok', demo)
        assert DEMO_LABEL in sources

        # demo_seed loads data/tudum's real weeks, which end in 2022: the recorded 2026 market gets no
        # probability of ours (never a number past its data), and its card says why, on /forecasts and
        # on the board, beside the market's bid and ask in percent.
        why = "The newest US TV list we hold is 2022-02-27, 229 weeks before this market&#x27;s week"
        forecasts = _wait_for(base, "/forecasts/", re.escape(why), demo)
        assert DEMO_LABEL in forecasts and '<td class="ours">–</td>' in forecasts
        price = r'<td class="price">\d+(\.\d)?%</td>'
        assert re.search(price + price, forecasts), "no bid and ask in percent"
        board = _wait_for(base, "/", re.escape(why), demo)
        assert '<data class="ours"' not in board

        log = demo.log()
        assert "login admin / demo-test-pass" in log
        # The URL and login come last, after every process said it is up, and stay last: the processes'
        # output goes to var/demo/log/ (make logs), not over them.
        assert log.index("Kalshi-Predictions on http") > log.index("worker is up")
        last = log.rstrip().splitlines()[-2:]
        assert "Kalshi-Predictions on http" in last[0] and "login admin / demo-test-pass" in last[1], log[
            -2000:
        ]
        assert "celery@" in (tmp_path / "log" / "worker.log").read_text()
    finally:
        code = demo.stop(signal.SIGINT, timeout=30)
    assert code == 0, demo.log()[-3000:]
    assert not (tmp_path / "redis.pid").exists()
