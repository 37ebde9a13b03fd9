"""Server time and SQL query count of the board, the watchlist and a show page, with 200 watched shows
(and again with 20, to show whether the query count follows the number of shows)."""

import statistics
import time

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from shows.models import Show

REPEAT = 3


def _measure(client: Client, url: str) -> dict:
    client.get(url)  # warm-up: templates compiled, caches filled as on a running server
    times, queries = [], 0
    for _ in range(REPEAT):
        with CaptureQueriesContext(connection) as captured:
            t0 = time.perf_counter()
            response = client.get(url)
            if hasattr(response, "streaming_content"):
                b"".join(response.streaming_content)
            times.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(captured)
    return {"ms": round(statistics.median(times), 1), "queries": queries}


def run(watched: list[int], show: int, *, log=print) -> dict:
    urls = {"board": "/", "watchlist": "/watchlist", "show": f"/shows/{show}"}
    with override_settings(KP_PUBLIC_READ=True, DEBUG=False):
        client = Client()
        out = {name: _measure(client, url) for name, url in urls.items()}
        few = watched[20:]
        Show.objects.filter(id__in=few).update(on_watchlist=False)
        try:
            small = {name: _measure(client, url) for name, url in urls.items()}
        finally:
            Show.objects.filter(id__in=few).update(on_watchlist=True)
    for name in urls:
        out[name]["watched"] = len(watched)
        out[name]["queries_with_20_watched"] = small[name]["queries"]
        out[name]["ms_with_20_watched"] = small[name]["ms"]
        log(f"  page {name:>9}: {out[name]['ms']} ms, {out[name]['queries']} queries "
            f"(20 watched: {small[name]['ms']} ms, {small[name]['queries']} queries)")  # fmt: skip
    return out
