"""The CSV export of one show's year (GET /api/snapshots?format=csv&show=<id>) through uvicorn, beside
`COPY (SELECT …) TO STDOUT` of the same rows and columns; the web process's memory while it streams."""

import time

import httpx
import psycopg

from bench.procs import PeakRSS

COPY_SQL = """
COPY (
  SELECT src.key, s.show_id, sh.title, sh.season, s.metric, s.scope, s.period, s.observed_at, s.value,
         s.fetched_at
  FROM source_snapshots s JOIN sources_source src ON src.id = s.source_id
  LEFT JOIN shows_show sh ON sh.id = s.show_id
  WHERE s.show_id = {show}
  ORDER BY s.observed_at, s.id
) TO STDOUT (FORMAT csv, HEADER)
"""


def run(base_url: str, web_pid: int, dsn: str, show: int, *, log=print) -> dict:
    with httpx.Client(base_url=base_url, timeout=600) as client:
        client.get("/api/snapshots", params={"format": "csv", "show": show, "to": "2000-01-01T00:00:00Z"})
        with PeakRSS(web_pid) as rss:
            t0 = time.perf_counter()
            lines = size = 0
            with client.stream("GET", "/api/snapshots", params={"format": "csv", "show": show}) as response:
                response.raise_for_status()
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    lines += chunk.count(b"\n")
            elapsed = time.perf_counter() - t0
    rows = lines - 1
    with psycopg.connect(dsn) as conn, conn.cursor() as cur:
        t0 = time.perf_counter()
        copy_lines = 0
        with cur.copy(COPY_SQL.format(show=int(show))) as copy:
            for block in copy:
                copy_lines += bytes(block).count(b"\n")
        copy_s = time.perf_counter() - t0
    out = {
        "rows": rows,
        "mb": round(size / 1e6, 1),
        "rows_s": round(rows / elapsed),
        "copy_rows_s": round((copy_lines - 1) / copy_s),
        "vs_copy": round(copy_s / elapsed, 3),
        "web_rss_before_mb": round(rss.start_mb, 1),
        "web_rss_peak_mb": round(rss.peak_mb, 1),
        "web_rss_growth_mb": round(rss.peak_mb - rss.start_mb, 1),
    }
    log(f"  export {rows:,} rows ({out['mb']} MB): {out['rows_s']:,} rows/s, COPY {out['copy_rows_s']:,} "
        f"rows/s ({out['vs_copy']:.0%}); web RSS {rss.start_mb:.0f} -> {rss.peak_mb:.0f} MB")  # fmt: skip
    return out
