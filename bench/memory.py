"""The worker's peak RSS during a full Tudum backfill (the real data/tudum files) and a one-year Wikipedia
backfill of the watchlist, both served by the local fake upstream (tests/fakeupstream.py).

Each backfill runs `manage.py backfill`, the same source_backfill() the backfill_show task runs in a
Celery worker, in a process of its own; its peak RSS is the kernel's (wait4's ru_maxrss)."""

import json
import os
import re
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import unquote

from bench.procs import ROOT
from sources.tudum.fake import COUNTRIES, GLOBAL, tsv_reply
from sources.wikipedia.fake import PER_ARTICLE, _day
from tests.fakeupstream import FakeUpstream, Reply, fixture_text

DATA = Path(ROOT) / "data" / "tudum"
UPSTREAMS = ["TUDUM", "FLIXPATROL", "X", "TIKTOK", "REDDIT", "REDDIT_OAUTH", "GOOGLE_TRENDS", "YOUTUBE",
             "WIKIPEDIA", "WIKIPEDIA_DUMPS", "WIKIPEDIA_SITE", "KALSHI"]  # fmt: skip


def _year_of_days(match: re.Match) -> Reply:
    """Every asked day, in the real fixture's item shape (the stock fake serves its ten days only)."""
    template = json.loads(fixture_text("wikipedia/per_article_daily.json"))["items"][0]
    start, end = _day(match["start"]), _day(match["end"])
    items = [
        {**template, "article": unquote(match["article"]), "timestamp": f"{start + timedelta(d):%Y%m%d}00",
         "views": 1000 + d}
        for d in range((end - start).days + 1)
    ]  # fmt: skip
    return Reply(200, json.dumps({"items": items}))


def _backfill(env: dict, *args: str) -> dict:
    t0 = time.monotonic()
    proc = subprocess.Popen([sys.executable, "manage.py", "backfill", *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)  # fmt: skip
    output = proc.stdout.read().decode(errors="replace")
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    last = output.strip().splitlines()[-1] if output.strip() else ""
    if proc.returncode != 0:
        raise RuntimeError(f"backfill {' '.join(args)} failed: {output[-2000:]}")
    return {"peak_rss_mb": round(usage.ru_maxrss / 1024, 1), "seconds": round(time.monotonic() - t0, 1),
            "summary": last}  # fmt: skip


def _soft(fn, *args) -> dict:
    try:
        return fn(*args)
    except Exception as exc:  # the other backfill is still measured
        return {"error": str(exc)[-500:], "peak_rss_mb": None, "seconds": None, "summary": ""}


def run(env: dict, *, log=print) -> dict:
    fake = FakeUpstream()
    fake.route(GLOBAL, tsv_reply((DATA / "all-weeks-global.until-2025-08-10.tsv").read_text()))
    fake.route(COUNTRIES, tsv_reply((DATA / "all-weeks-countries.US.until-2022-02-27.tsv").read_text()))
    # Checked before the stock routes, as FakeUpstream.route() does for fixed replies.
    fake._routes.insert(0, (re.compile(PER_ARTICLE), _year_of_days))
    fake.start()
    try:
        env = {**env, "KP_OFFLINE": "true", **{f"{u}_BASE_URL": fake.url for u in UPSTREAMS}}
        tudum = _soft(_backfill, env, "tudum")
        log(f"  tudum backfill: peak RSS {tudum['peak_rss_mb']} MB, {tudum['seconds']}s: {tudum['summary']}")
        since = (date.today() - timedelta(days=365)).isoformat()
        wiki = _soft(_backfill, env, "wikipedia", "--since", since)
        log(f"  wikipedia backfill: peak RSS {wiki['peak_rss_mb']} MB, {wiki['seconds']}s: {wiki['summary']}")
    finally:
        fake.stop()
    return {"tudum": tudum, "wikipedia": wiki}
