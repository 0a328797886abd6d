"""Markdown for benchmarks/README.md from ``run.py``'s results (kept apart so run.py stays readable)."""

from __future__ import annotations

SHORT = {
    "facebook_posts.csv": "Meta Facebook posts (CSV)",
    "tweet_activity_metrics_HillSchool_20240101_20251231_en.csv": "X tweet activity (CSV)",
    "involvement_log.csv": "involvement log (CSV)",
    "referrals_log.csv": "referrals log (CSV)",
    "involvement_log.xlsx": "involvement log (XLSX)",
}
MB = 1024 * 1024
TARGETS = {
    "ingest": 2.0,  # x the raw pyarrow parse
    "scores_s": 2.0,  # 1M involvement + 200k posts, after load
    "network_s": 10.0,  # 1M people
    "peak_mb": 2048.0,  # any case of the 1M size
}


def _x(a: float, b: float) -> str:
    return f"{a / b:.1f}x" if b else "-"


def _ingest_table(results: list[dict]) -> list[str]:
    lines = [
        "| size | file | MB | rows | ingest s (CPU s) | MB/s | rows/s | raw parse s | ingest ÷ raw | "
        "ingest's own parse step s (÷ raw) | peak RSS MB (raw parse's) |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for res in results:
        for r in res["ingest"]:
            mb = r["bytes"] / MB
            lines.append(
                f"| {res['label']} | {SHORT.get(r['file'], r['file'])} | {mb:,.1f} | {r['rows']:,} | "
                f"{r['ingest_s']:.2f} ({r['ingest_cpu_s']:.2f}) | {mb / r['ingest_s']:,.1f} | "
                f"{r['rows'] / r['ingest_s']:,.0f} | {r['baseline_s']:.3f} | **{_x(r['ingest_s'], r['baseline_s'])}** | "
                f"{r['parse_s']:.2f} ({_x(r['parse_s'], r['baseline_s'])}) | {r['rss_peak_mb']:,.0f} "
                f"({r['baseline_rss_peak_mb']:,.0f}) |")
    return lines


def _scoring_table(results: list[dict]) -> list[str]:
    lines = [
        "| size | involvement / referrals / posts rows | load + combine s | score_pillars s | vanity_vs_real s | "
        "**scores total s** (CPU s) | again s | DuckDB prepare + queries s | total ÷ DuckDB (÷ queries only) | "
        "figures checked, mismatches | peak RSS MB |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for res in results:
        s = res["scoring"]
        rows = s["rows"]
        lines.append(
            f"| {res['label']} | {rows['involvement']:,} / {rows['referrals']:,} / {rows['posts']:,} | "
            f"{s['load_combine_s']:.2f} | {s['score_pillars_s']:.2f} | {s['vanity_vs_real_s']:.2f} | "
            f"**{s['scores_total_s']:.2f}** ({s['scores_cpu_s']:.2f}) | {s['scores_total_second_call_s']:.2f} | "
            f"{s['duckdb_prepare_s']:.2f} + {s['duckdb_query_s']:.2f} | {_x(s['scores_total_s'], s['duckdb_s'])} "
            f"({_x(s['scores_total_s'], s['duckdb_query_s'])}) | {s['checked']}, {len(s['mismatches'])} | "
            f"{s['rss_peak_mb']:,.0f} |")
    return lines


def _network_table(results: list[dict]) -> list[str]:
    lines = [
        "| size | people | max depth | network_metrics s (CPU s) | plain BFS s | metrics ÷ BFS | depths agree | "
        "load_network s | HTML at 1,000 cap s (KB) | HTML at 2,000 cap s (KB) | peak RSS MB |",
        "|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|",
    ]
    for res in results:
        n = res["network"]
        h1, h2 = n["html"]["1000"], n["html"]["2000"]
        lines.append(
            f"| {res['label']} | {n['people']:,} | {n['max_depth']} | {n['metrics_s']:.2f} ({n['metrics_cpu_s']:.2f}) | "
            f"{n['bfs_s']:.2f} | {_x(n['metrics_s'], n['bfs_s'])} | {'yes' if n['bfs_matches'] else 'NO'} | "
            f"{n['load_network_s']:.2f} | {h1['s']:.2f} ({h1['kb']:,.0f}) | {h2['s']:.2f} ({h2['kb']:,.0f}) | "
            f"{n['rss_peak_mb']:,.0f} |")
    return lines


def _targets(results: list[dict]) -> list[str]:
    big = max(results, key=lambda r: r["n"])
    ok = lambda b: "met" if b else "**missed**"  # noqa: E731
    worst = max(big["ingest"], key=lambda r: r["ingest_s"] / r["baseline_s"] if r["file"].endswith(".csv") else 0)
    csv = [r for r in big["ingest"] if r["file"].endswith(".csv")]
    ratios = ", ".join(f"{SHORT[r['file']]} {_x(r['ingest_s'], r['baseline_s'])}" for r in csv)
    peak = max([r["rss_peak_mb"] for r in big["ingest"]] + [big["scoring"]["rss_peak_mb"],
                                                             big["network"]["rss_peak_mb"]])
    s, n = big["scoring"], big["network"]
    return [
        f"Targets, measured at {big['label']} rows per table:",
        "",
        f"- Ingest within 2x of the raw pyarrow parse: {ok(all(r['ingest_s'] <= 2 * r['baseline_s'] for r in csv))} "
        f"({ratios}; worst {SHORT[worst['file']]}).",
        f"- All scores (four pillars + vanity vs real) for {s['rows']['involvement']:,} involvement rows and "
        f"{s['rows']['posts']:,} posts under 2 s after load: {ok(s['scores_total_s'] < TARGETS['scores_s'])} "
        f"({s['scores_total_s']:.2f} s).",
        f"- Network metrics for {n['people']:,} people under 10 s: {ok(n['metrics_s'] < TARGETS['network_s'])} "
        f"({n['metrics_s']:.2f} s).",
        f"- Peak memory under 2 GB in every {big['label']} case: {ok(peak < TARGETS['peak_mb'])} (highest {peak:,.0f} MB).",
    ]


def render(results: list[dict], mach: dict, start: str, end: str) -> str:
    lines = [
        start,
        f"Measured {mach['date']} on {mach['cpus']} CPU cores ({mach['cpu']}), {mach['ram_gb']} GB RAM; "
        f"Python {mach['python']}, pandas {mach['pandas']}, numpy {mach['numpy']}, pyarrow {mach['pyarrow']}, "
        f"DuckDB {mach['duckdb']}. The machine is shared with other work, so wall times vary (±30% and more); "
        "CPU seconds (all threads) are given beside the main figures.",
        "",
        "Data: `benchmarks/generate.py`, seed 7, N rows per table (two years of activity ending 2026-06-30). "
        "Every case runs in a fresh process; peak RSS is that process's `ru_maxrss` (interpreter and libraries "
        "included, ~120 MB). Best of 3 runs up to 100k rows, 1 run at 1M.",
        "",
        "### Ingest (`harness.ingest.ingest_bytes`, bytes in memory -> canonical tables + report)",
        "",
        "Raw parse = `pyarrow.csv.read_csv` of the same bytes with type inference and `newlines_in_values=True` "
        "(captions span lines); for XLSX `pandas.read_excel(engine=\"calamine\")`. \"Ingest's own parse step\" is "
        "`tabular.csv_raw` alone (bytes -> cell grid, before any source reads it).",
        "",
        *_ingest_table(results),
        "",
        "### Scoring (`score_pillars` for the default period and its previous one, plus `vanity_vs_real` weekly)",
        "",
        "Posts = every 10th Facebook and X post (200k at 1M), plus a synthetic daily audience (2 platforms) and "
        "N/100 contributions and community activities. DuckDB runs the same aggregations in SQL "
        "(`benchmarks/duckdb_scoring.py`); \"prepare\" registers the tables and normalises people once. Every "
        "DuckDB figure (17 components and 9 vanity figures for both periods, 10 weekly columns) is compared "
        "with the harness's.",
        "",
        *_scoring_table(results),
        "",
        "### Referral network (`network.network_metrics`, all time) and the capped graph page",
        "",
        "On the ingested referrals and involvement logs. Plain BFS = `benchmarks/bfs_baseline.py`: same "
        "normalising and first-referral parent rule, then one vectorised frontier per level; its depth "
        "histogram is checked against the harness's.",
        "",
        *_network_table(results),
        "",
        *_targets(results),
        "",
        "Rerun: `pip install -r requirements-bench.txt` then `python benchmarks/run.py --sizes 10k,100k,1M --write` "
        "(data are generated into the temp folder, `/tmp/bench`, on first use; ~2 GB for all sizes).",
        end,
    ]
    return "\n".join(lines)


def replace_section(readme, start: str, end: str, section: str, heading: str) -> None:
    """Put ``section`` (which begins with ``start`` and ends with ``end``) into ``readme`` in place of the old
    one, or append it under ``heading`` the first time."""
    text = readme.read_text(encoding="utf-8") if readme.exists() else "# Benchmarks\n"
    if start in text and end in text:
        before, rest = text.split(start, 1)
        text = before + section + rest.split(end, 1)[1]
    else:
        text = text.rstrip() + f"\n\n## {heading}\n\n" + section + "\n"
    readme.write_text(text, encoding="utf-8")
