"""The printed table of a result, with each issue-14 target and whether it was met."""


def _ok(met: bool) -> str:
    return "met" if met else "MISSED"


def table(r: dict) -> str:
    lines = [f"scale={r['scale']} rows={r.get('rows', 0):,} machine={r.get('machine', {})}", ""]
    if "metrics" in r:
        lines.append("metrics  window  res   api p50   api p99   sql p50   ratio  (p50<=1.5x sql, p99<50ms)")
        for w, m in r["metrics"].items():
            met = m["ratio_p50"] <= 1.5 and m["p99_ms"] < 50
            lines.append(f"         {w:>6}  {m['resolution']:<4} {m['p50_ms']:8.1f}  {m['p99_ms']:8.1f}  "
                         f"{m['sql_p50_ms']:8.1f}  {m['ratio_p50']:5.2f}x  {_ok(met)}")  # fmt: skip
    if "ingest" in r:
        i = r["ingest"]
        share, speedup = i["upsert_vs_copy"], i["rerun_speedup"]
        lines.append(f"ingest   upsert {i['upsert_rows_s']:,}/s  COPY {i['copy_rows_s']:,}/s  "
                     f"({share:.0%}, target >=50%: {_ok(share >= 0.5)})")  # fmt: skip
        lines.append(f"         unchanged re-run {i['rerun_rows_s']:,}/s ({speedup}x, target >=2x: "
                     f"{_ok(speedup >= 2)}); 10% changed {i['changed_10pct_rows_s']:,}/s")  # fmt: skip
    if "export" in r:
        e = r["export"]
        lines.append(f"export   {e['rows']:,} rows: {e['rows_s']:,}/s  COPY TO {e['copy_rows_s']:,}/s  "
                     f"({e['vs_copy']:.0%}, target >=50%: {_ok(e['vs_copy'] >= 0.5)}); web RSS "
                     f"+{e['web_rss_growth_mb']} MB")  # fmt: skip
    for mode, s in r.get("stream", {}).items():
        if "error" in s:
            lines.append(f"stream   {mode}: not measured: {s['error']}")
            continue
        target = f", target p99<250ms: {_ok(s['p99_ms'] < 250)}" if mode == "pushpin" else ""
        lines.append(f"stream   {mode:<8} {s['opened']} clients, {s['received']:,}/{s['expected']:,} "
                     f"received, p50 {s['p50_ms']} ms p99 {s['p99_ms']} ms, web peak RSS "
                     f"{s['web_rss_peak_mb']} MB{target}")  # fmt: skip
    for name, p in r.get("pages", {}).items():
        same = p["queries"] == p["queries_with_20_watched"]
        lines.append(f"page     {name:<9} {p['ms']:6.1f} ms  {p['queries']} queries (20 watched: "
                     f"{p['queries_with_20_watched']}) target <100ms: {_ok(p['ms'] < 100)}, "
                     f"queries flat: {_ok(same)}")  # fmt: skip
    for name, m in r.get("memory", {}).items():
        if m.get("error"):
            lines.append(f"memory   {name} backfill failed: {m['error'][-200:]}")
            continue
        lines.append(f"memory   {name} backfill peak RSS {m['peak_rss_mb']} MB in {m['seconds']}s "
                     f"(target <300 MB: {_ok(m['peak_rss_mb'] < 300)})")  # fmt: skip
    lines.append(f"total {r.get('seconds', 0)} s")
    return "\n".join(lines)


def markdown(r: dict) -> str:
    """The README's Performance table for one result."""
    m = r["machine"]
    out = [
        f"{r['scale'].capitalize()} run of {r['date']} ({r['rows']:,} snapshot rows; {m['nproc']} cores, "
        f"{m['ram_gb']} GB RAM, "
        f"PostgreSQL {m['postgres'].split()[0]} with shared_buffers {m['shared_buffers']}, Python "
        f"{m['python']}; `bench/results/{r['date']}-{r['scale']}.json`):",
        "",
        "| measure | result | floor / target | |",
        "|---|---|---|---|",
    ]
    for w, x in r["metrics"].items():
        met = x["ratio_p50"] <= 1.5 and x["p99_ms"] < 50
        out.append(f"| metrics {w} ({x['resolution']}, {x['points']:,} points) | p50 {x['p50_ms']} ms, p99 "
                   f"{x['p99_ms']} ms | SQL p50 {x['sql_p50_ms']} ms: {x['ratio_p50']}× (≤ 1.5×, p99 < 50 ms) "  # noqa: E501
                   f"| {_ok(met)} |")  # fmt: skip
    i = r["ingest"]
    out.append(f"| upsert of {i['rows']:,} snapshots | {i['upsert_rows_s']:,} rows/s | COPY {i['copy_rows_s']:,} "  # noqa: E501
               f"rows/s: {i['upsert_vs_copy']:.0%} (≥ 50%) | {_ok(i['upsert_vs_copy'] >= 0.5)} |")  # fmt: skip  # noqa: E501
    out.append(f"| unchanged re-run / 10% changed | {i['rerun_rows_s']:,} / {i['changed_10pct_rows_s']:,} rows/s "  # noqa: E501
               f"| {i['rerun_speedup']}× the first run (≥ 2×) | {_ok(i['rerun_speedup'] >= 2)} |")  # fmt: skip  # noqa: E501
    e = r["export"]
    out.append(f"| CSV export, one show's year ({e['rows']:,} rows) | {e['rows_s']:,} rows/s, web RSS "
               f"+{e['web_rss_growth_mb']} MB | COPY TO {e['copy_rows_s']:,} rows/s: {e['vs_copy']:.0%} (≥ 50%, "  # noqa: E501
               f"flat) | {_ok(e['vs_copy'] >= 0.5)} |")  # fmt: skip
    for mode, s in r["stream"].items():
        if "error" in s:
            out.append(f"| SSE {mode} | not measured: {s['error']} | | |")
            continue
        verdict = _ok(s["p99_ms"] < 250) if mode == "pushpin" else "—"
        out.append(f"| 1,000 SSE clients, {mode} | p50 {s['p50_ms']} ms, p99 {s['p99_ms']} ms, web RSS "
                   f"{s['web_rss_peak_mb']} MB, {s['db_connections']} DB connections | p99 < 250 ms via "
                   f"Pushpin | {verdict} |")  # fmt: skip
    for name, p in r["pages"].items():
        met = p["ms"] < 100 and p["queries"] == p["queries_with_20_watched"]
        out.append(f"| page {name}, 200 watched | {p['ms']} ms, {p['queries']} queries | < 100 ms; 20 watched: "  # noqa: E501
                   f"{p['ms_with_20_watched']} ms, {p['queries_with_20_watched']} queries | {_ok(met)} |")  # fmt: skip  # noqa: E501
    for name, x in r["memory"].items():
        if x.get("error"):
            out.append(f"| {name} backfill | failed: {x['error'][-120:]} | < 300 MB | — |")
            continue
        out.append(f"| {name} backfill | worker peak RSS {x['peak_rss_mb']} MB | < 300 MB | "
                   f"{_ok(x['peak_rss_mb'] < 300)} |")  # fmt: skip
    return "\n".join(out)
