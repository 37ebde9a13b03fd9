"""`make demo`: the app exactly as `make run` starts it, but every source reads the recorded sample
responses (tests/fixtures, served by the project's fake upstream) instead of the real hosts.

No network and no credentials are needed: the fake upstream answers on 127.0.0.1, the credential
variables get placeholder values it accepts, and every page carries a "demo data" banner (KP_DEMO).
The demo keeps its own database, Redis and admin password under var/demo/, so it never mixes sample
data into what `make run` stored. Ctrl-C stops everything.
"""

import os
import secrets
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # tests.fakeupstream lives beside the apps
sys.path.insert(0, str(ROOT / "bin"))

# Placeholders for the sources that need credentials: the fake upstream does not check them, and a
# real host would refuse them, so they can never reach a real account by accident.
DEMO_CREDENTIALS = (
    "X_BEARER_TOKEN",
    "TIKTOK_CLIENT_KEY",
    "TIKTOK_CLIENT_SECRET",
    "REDDIT_CLIENT_ID",
    "REDDIT_CLIENT_SECRET",
    "YOUTUBE_API_KEY",
)
# The `<KEY>_BASE_URL` variables known when this was written; base_url_vars() adds any newer source's.
BASE_URL_VARS = (
    "TUDUM_BASE_URL",
    "FLIXPATROL_BASE_URL",
    "FLIXPATROL_API_BASE_URL",
    "X_BASE_URL",
    "TIKTOK_BASE_URL",
    "REDDIT_BASE_URL",
    "REDDIT_OAUTH_BASE_URL",
    "GOOGLE_TRENDS_BASE_URL",
    "YOUTUBE_BASE_URL",
    "WIKIPEDIA_BASE_URL",
    "WIKIPEDIA_DUMPS_BASE_URL",
    "WIKIPEDIA_SITE_BASE_URL",
    "KALSHI_BASE_URL",
)


# The real Netflix files shipped in data/: the fake serves them at Tudum's paths instead of the short
# samples in tests/fixtures (slices of the same files), so the forecasts have the history they need.
REAL_TUDUM_FILES = {
    "GLOBAL": "tudum/all-weeks-global.until-2025-08-10.tsv",
    "COUNTRIES": "tudum/all-weeks-countries.US.until-2022-02-27.tsv",
}
# The Kalshi fake answers its one recorded open event (a KXNETFLIXRANKSHOW one) whatever series is
# asked for; asking for that series only keeps the stored markets under their own series.
DEMO_KALSHI_SERIES = "KXNETFLIXRANKSHOW"
SEED_WAIT_SECONDS = 90


def base_url_vars() -> set[str]:
    """Every upstream's variable, as the tests derive them: from settings.SOURCE_BASE_URLS."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kalshi_predictions.settings")
    from django.conf import settings

    return set(BASE_URL_VARS) | {f"{key.upper()}_BASE_URL" for key in settings.SOURCE_BASE_URLS}


def demo_env(upstream_url: str, environ: dict[str, str]) -> dict[str, str]:
    """The environment `bin/run.py` gets: the caller's, with every upstream pointed at the fake."""
    env = dict(environ)
    env.setdefault("KP_VAR_DIR", str(ROOT / "var" / "demo"))
    # The demo's sources are the fake's, always: a DATABASE_URL or REDIS_URL of the real deployment
    # would mix sample rows into real ones, so the demo uses its embedded SQLite and private Redis.
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    env.update({name: upstream_url for name in base_url_vars()})
    for name in DEMO_CREDENTIALS:
        env[name] = "demo-" + secrets.token_hex(4)
    env["REDDIT_USER_AGENT"] = "kalshi-predictions-demo/0.1"
    env["KP_DEMO"] = "true"
    # The pauses between requests are politeness to the real hosts; the local fake needs none, and
    # with them the starter shows' history backfills would hold the worker for minutes.
    for name in (
        "GOOGLE_TRENDS_PAUSE_SECONDS",
        "GOOGLE_TRENDS_BACKOFF_SECONDS",
        "FLIXPATROL_PAGE_DELAY_SECONDS",
    ):
        env[name] = "0"
    env.setdefault("WIKIPEDIA_DAYS", "14")
    env["KALSHI_SERIES"] = DEMO_KALSHI_SERIES
    env.setdefault("PYTHONUNBUFFERED", "1")
    return env


def serve_real_tudum_files(upstream) -> None:
    from sources.tudum import fake as tudum

    for name, path in REAL_TUDUM_FILES.items():
        upstream.route(getattr(tudum, name), tudum.tsv_reply((ROOT / "data" / path).read_text()))


def seed_when_up(env: dict[str, str], running: list[subprocess.Popen]) -> None:
    """Once the web answers (run.py has migrated and started everything), `manage.py demo_seed` loads
    the Tudum history and predicts the recorded markets' weeks, beside the processes run.py started."""
    import private_redis

    seed_env = dict(env)
    seed_env.setdefault("REDIS_URL", private_redis.url(private_redis.var_dir(env["KP_VAR_DIR"])))
    url = f"http://{env.get('HOST', '127.0.0.1')}:{env.get('PORT', '8000')}/"

    # Said now, and its output to a log: printed once the web answers it could follow the banner, whose
    # URL and login must stay the terminal's last lines.
    log = Path(env["KP_VAR_DIR"]) / "log" / "demo_seed.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    print(f"  demo: once the web answers, demo_seed loads data/tudum's history (log: {log})", flush=True)

    def seed() -> None:
        deadline = time.monotonic() + SEED_WAIT_SECONDS
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(url, timeout=2).close()
                break
            except urllib.error.HTTPError:  # answering, if not with 200: up
                break
            except OSError:
                time.sleep(1)
        else:
            print(f"  demo: {url} did not answer; forecasts not seeded", flush=True)
            return
        with log.open("a") as out:
            seed = [sys.executable, "manage.py", "demo_seed"]
            running.append(
                subprocess.Popen(seed, cwd=ROOT, env=seed_env, stdout=out, stderr=subprocess.STDOUT)
            )

    threading.Thread(target=seed, name="demo-seed", daemon=True).start()


def main() -> int:
    from tests.fakeupstream import FakeUpstream

    # Before settings are read (base_url_vars): the demo's own var/ and none of the real stores.
    os.environ.setdefault("KP_VAR_DIR", str(ROOT / "var" / "demo"))
    for name in ("DATABASE_URL", "REDIS_URL"):
        os.environ.pop(name, None)
    port = int(os.environ.get("KP_DEMO_UPSTREAM_PORT", "0"))
    upstream = FakeUpstream(port=port).start()
    serve_real_tudum_files(upstream)
    print(f"  demo: sources read the recorded samples served on {upstream.url}", flush=True)
    # run.main() reads os.environ and passes it on to every process it starts.
    env = demo_env(upstream.url, dict(os.environ))
    os.environ.clear()
    os.environ.update(env)
    import run

    seeding: list[subprocess.Popen] = []
    seed_when_up(env, seeding)
    try:
        return run.main()
    finally:
        for proc in seeding:  # Ctrl-C reaches it too; a SIGTERM to the demo alone does not
            if proc.poll() is None:
                proc.terminate()
            proc.wait()
        upstream.stop()


if __name__ == "__main__":
    sys.exit(main())
