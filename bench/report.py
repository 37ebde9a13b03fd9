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
        lines.append(f"memory   {name} backfill peak RSS {m['peak_rss_mb']} MB in {m['seconds']}s "
                     f"(target <300 MB: {_ok(m['peak_rss_mb'] < 300)})")  # fmt: skip
    lines.append(f"total {r.get('seconds', 0)} s")
    return "\n".join(lines)
