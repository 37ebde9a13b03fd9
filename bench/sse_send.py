"""The worker side of the stream benchmark: `python -m bench.sse_send N INTERVAL` sends N events on the
`sources` channel the way a pipeline run announces one (sources.live.events.announce, after commit)."""

import os
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kalshi_predictions.settings")

import django  # noqa: E402

django.setup()

from sources.live.events import announce  # noqa: E402


def main(n: int, interval: float) -> None:
    for i in range(n):
        announce("bench", "bench", {"n": i, "sent": time.time()})
        time.sleep(interval)


if __name__ == "__main__":
    main(int(sys.argv[1]), float(sys.argv[2]))
