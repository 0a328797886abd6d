"""End to end on the exports people upload: ``python -m harness score <files> --json`` against a bare parse.

    python benchmarks/cli_bench.py --sizes 10k,100k,1M            # print the results
    python benchmarks/cli_bench.py --sizes 10k,100k,1M --write    # also rewrite benchmarks/README.md's section

For every size N the files of ``generate.py --real`` (N Google Forms responses, N/5 Facebook posts, Meta's
per-metric followers, X, Eventbrite, SignUpGenius, TikTok, a French form) are scored three ways, one after
the other on the same machine in the same run:

* **CLI**: ``python -m harness score <the files> --json`` as a subprocess: wall time from start to exit
  (interpreter start and imports included, as a user waits for it) and the child's peak RSS (``wait4``);
* **bare parse**: ``pyarrow.csv.read_csv`` of the same files (the least any reader must do: split the
  bytes into typed columns), in a fresh process, best of 3 (1 at 1M), the unit of every ratio;
* **DuckDB**: ``benchmarks/duckdb_cli.py`` as a subprocess: the same figures from the same files in SQL.
  Its figures (17 components and 9 vanity figures of both periods, and the period) are compared with the
  CLI's; files the CLI could not read are left out of it too.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

README = HERE / "README.md"
START, END = "<!-- cli-bench:start -->", "<!-- cli-bench:end -->"
TARGET_RATIO, TARGET_PEAK_MB = 5.0, 1024


CPU: dict[tuple, float] = {}  # command -> CPU seconds (user + system, all threads) of its last run


def run_child(cmd: list[str]) -> tuple[float, float, str, str, int]:
    """(wall seconds, peak RSS MB, stdout, stderr, exit code) of one subprocess; its CPU time goes to ``CPU``."""
    out = tempfile.TemporaryFile()
    err = tempfile.TemporaryFile()
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=out, stderr=err, cwd=ROOT)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    CPU[tuple(cmd)] = usage.ru_utime + usage.ru_stime
    proc.returncode = os.waitstatus_to_exitcode(status)
    out.seek(0)
    err.seek(0)
    return wall, usage.ru_maxrss / 1024, out.read().decode(), err.read().decode(), proc.returncode


def bare_parse(paths: list[Path], repeat: int) -> dict:
    """Best wall time of parsing every file with pyarrow.csv.read_csv (run in its own process)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    def options(p: Path):
        head = p.read_bytes()[:4]
        read = pacsv.ReadOptions()
        if head[:2] in (b"\xff\xfe", b"\xfe\xff"):  # Meta's per-metric files: UTF-16, "sep=," and a title
            read = pacsv.ReadOptions(encoding="utf-16", skip_rows=2)
        elif p.name.startswith("SignUpGenius"):
            read = pacsv.ReadOptions(skip_rows=4)
        return read, pacsv.ParseOptions(newlines_in_values=True)

    data = [(p.read_bytes(), *options(p)) for p in paths]
    best, cpu = float("inf"), 0.0
    rows = 0
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        rows = sum(pacsv.read_csv(pa.BufferReader(b), read_options=r, parse_options=o).num_rows for b, r, o in data)
        if time.perf_counter() - t < best:
            best, cpu = time.perf_counter() - t, time.process_time() - c
    return {"seconds": best, "cpu": cpu, "rows": rows}


def _same(a, b) -> bool:
    if a is None or b is None:
        return (a is None or a == 0) and (b is None or b == 0)
    return abs(float(a) - float(b)) <= max(1e-9, 1e-4 * abs(float(b))) or round(float(b), 4) == float(a)


def compare(cli: dict, duck: dict) -> tuple[int, list[str]]:
    """How many figures were compared and which differ (the CLI rounds to 4 decimals)."""
    bad, n = [], 0
    n += 1
    if {k: cli["period"][k] for k in ("start", "end", "days")} != duck["period"]:
        bad.append(f"period: {cli['period']} vs {duck['period']}")
    comps = {c["key"]: c for p in cli["pillars"].values() for c in p["components"]}
    for which, field in (("current", "value"), ("previous", "previous_value")):
        for key, v in duck[which]["components"].items():
            n += 1
            if not _same(comps[key][field], v):
                bad.append(f"{which} {key}: CLI {comps[key][field]} vs DuckDB {v}")
        for key, v in duck[which]["vanity"].items():
            n += 1
            if not _same(cli["vanity"][which][key], v):
                bad.append(f"{which} vanity {key}: CLI {cli['vanity'][which][key]} vs DuckDB {v}")
    return n, bad


def one_size(label: str, n: int, out: Path, seed: int) -> dict:
    import generate

    paths = generate.write_real(out, label, n, seed)
    repeat = 1 if n >= 1_000_000 else 3
    cli_cmd = [sys.executable, "-m", "harness", "score", *map(str, paths), "--json"]
    wall, peak, stdout, stderr, code = run_child(cli_cmd)
    if code:
        raise SystemExit(f"{label}: the CLI failed ({code}): {stderr[-2000:]}")
    cli = json.loads(stdout)
    unread = [i["file"] for i in cli["inputs"] if i["error"]]
    for _attempt in range(2):  # once seen dying at start-up under heavy load ("terminate called..."): retry
        b_wall, b_peak, b_out, b_err, b_code = run_child([sys.executable, __file__, "--bare", str(repeat),
                                                          *map(str, paths)])
        if not b_code:
            break
    if b_code:
        raise SystemExit(f"{label}: the bare parse failed: {b_err[-2000:]}")
    bare = json.loads(b_out)
    skip = [a for f in unread for a in ("--skip", f)]
    duck_cmd = [sys.executable, str(HERE / "duckdb_cli.py"), str(paths[0].parent), *skip]
    d_wall, d_peak, d_out, d_err, d_code = run_child(duck_cmd)
    if d_code:
        raise SystemExit(f"{label}: the DuckDB script failed: {d_err[-2000:]}")
    duck = json.loads(d_out)
    checked, mismatches = compare(cli, duck)
    return {
        "label": label, "responses": n, "files": len(paths), "mb": sum(p.stat().st_size for p in paths) / 2**20,
        "rows": {i["file"]: i["tables"] for i in cli["inputs"]}, "unread": unread,
        "cli_s": wall, "cli_cpu_s": CPU[tuple(cli_cmd)], "duck_cpu_s": CPU[tuple(duck_cmd)],
        "bare_cpu_s": bare["cpu"], "cli_peak_mb": peak, "bare_s": bare["seconds"], "bare_rows": bare["rows"],
        "bare_peak_mb": b_peak, "duck_s": d_wall, "duck_peak_mb": d_peak, "duck_inner_s": duck["seconds"],
        "checked": checked, "mismatches": mismatches,
    }


def render(results: list[dict], mach: dict) -> str:
    x = lambda a, b: f"{a / b:.1f}x"  # noqa: E731
    lines = [
        START,
        f"Measured {mach['date']} on {mach['cpus']} CPU cores ({mach['cpu']}), {mach['ram_gb']} GB RAM; "
        f"Python {mach['python']}, pandas {mach['pandas']}, numpy {mach['numpy']}, pyarrow {mach['pyarrow']}, "
        f"DuckDB {mach['duckdb']}. The machine is shared by several people working at once, so wall times vary "
        "(±30% and more); the three columns of a row were measured one after the other in the same run.",
        "",
        "Data: `python benchmarks/generate.py --real` (seed 7): N Google Forms responses in Google's download "
        "layout (`2026/01/01 8:00:00 AM GMT`, `GMT+1` in summer, every cell quoted, a referral forest over "
        "0.9 N people), N/5 Facebook posts (Meta Business Suite), Meta's UTF-16 per-metric followers, N/50 "
        "tweets (X classic), N/100 Eventbrite attendees (UK, day-first), N/100 SignUpGenius slots, TikTok "
        "follower history (yearless days), and N/100 responses of a French form (`Horodateur`, `UTC+1`).",
        "",
        "CLI = `python -m harness score <the 8 files> --json`, a subprocess, wall time from start to exit "
        "(interpreter start ~1 s included) and its peak RSS. Bare parse = `pyarrow.csv.read_csv` of the same "
        "files, in-process (best of 3; 1 at 1M): the unit of the ratios. DuckDB = `benchmarks/duckdb_cli.py`, "
        "a subprocess computing the same figures from the same files in SQL; every figure is compared with the "
        "CLI's.",
        "",
        "CPU s = user + system seconds of all threads (pyarrow and DuckDB use both cores; the CLI mostly one); "
        "on a busy shared machine they move less than wall times.",
        "",
        "| responses (+ posts) | files MB | bare parse s (CPU s) | **CLI s (÷ parse)** | CLI CPU s | CLI peak RSS MB "
        "| DuckDB script s (÷ parse) | DuckDB CPU s | DuckDB peak MB | CLI ÷ DuckDB | figures compared, differing |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r['responses']:,} (+{r['responses'] // 5:,}) | {r['mb']:,.1f} | {r['bare_s']:.3f} "
            f"({r['bare_cpu_s']:.2f}) | **{r['cli_s']:.2f} ({x(r['cli_s'], r['bare_s'])})** | {r['cli_cpu_s']:.2f} | "
            f"{r['cli_peak_mb']:,.0f} | {r['duck_s']:.2f} ({x(r['duck_s'], r['bare_s'])}) | {r['duck_cpu_s']:.2f} | "
            f"{r['duck_peak_mb']:,.0f} | "
            f"{r['cli_s'] / r['duck_s']:.2f} | {r['checked']}, {len(r['mismatches'])} |")
    big = max(results, key=lambda r: r["responses"])
    ratio = big["cli_s"] / big["bare_s"]
    ok = lambda b: "met" if b else "**missed**"  # noqa: E731
    lines += [
        "",
        f"Targets at {big['responses']:,} responses: CLI within {TARGET_RATIO:.0f}x of the bare parse: by wall time "
        f"{ok(ratio <= TARGET_RATIO)} ({ratio:.1f}x), by CPU seconds "
        f"{ok(big['cli_cpu_s'] <= TARGET_RATIO * big['bare_cpu_s'])} ({big['cli_cpu_s'] / big['bare_cpu_s']:.1f}x); "
        "ahead of the DuckDB script: "
        f"{ok(big['cli_s'] < big['duck_s'])} ({big['cli_s']:.1f} s vs {big['duck_s']:.1f} s); peak memory under "
        f"1 GiB: {ok(big['cli_peak_mb'] < TARGET_PEAK_MB)} ({big['cli_peak_mb']:,.0f} MB).",
    ]
    for r in results:
        if r["unread"] or r["mismatches"]:
            lines.append(f"- {r['label']}: not read by the CLI (so left out of the DuckDB script too): "
                         f"{', '.join(r['unread']) or 'none'}; differing figures: {r['mismatches'] or 'none'}.")
    lines += ["", "Rerun: `pip install -r requirements-bench.txt` then "
              "`python benchmarks/cli_bench.py --sizes 10k,100k,1M --write` (files in `/tmp/bench/real-<N>`, "
              "~330 MB at 1M).", END]
    return "\n".join(lines)


def main(argv: list[str]) -> None:
    if argv and argv[0] == "--bare":
        print(json.dumps(bare_parse([Path(p) for p in argv[2:]], int(argv[1]))))
        return
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10k,100k,1M")
    ap.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "bench")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--write", action="store_true", help="rewrite this section of benchmarks/README.md")
    ap.add_argument("--json", type=Path, help="also save the raw results here")
    ap.add_argument("--from-json", type=Path, help="render (and --write) results saved by --json, without running")
    a = ap.parse_args(argv)
    import generate
    from bench_network import machine
    from report import replace_section

    results = json.loads(a.from_json.read_text()) if a.from_json else []
    for label, n in ([] if a.from_json else generate.parse_sizes(a.sizes)):
        r = one_size(label, n, a.out, a.seed)
        results.append(r)
        print(f"{label}: CLI {r['cli_s']:.2f} s ({r['cli_s'] / r['bare_s']:.1f}x parse {r['bare_s']:.3f} s), "
              f"peak {r['cli_peak_mb']:,.0f} MB; DuckDB {r['duck_s']:.2f} s ({r['duck_s'] / r['bare_s']:.1f}x); "
              f"{r['checked']} figures, {len(r['mismatches'])} differ {r['mismatches'][:3]}", flush=True)
    if a.json and not a.from_json:
        a.json.write_text(json.dumps(results, indent=1))
    import duckdb
    import pyarrow

    mach = {**machine(), "pyarrow": pyarrow.__version__, "duckdb": duckdb.__version__}
    section = render(results, mach)
    print(section)
    if a.write:
        replace_section(README, START, END, section, "End to end on the real layouts (CLI)")


if __name__ == "__main__":
    main(sys.argv[1:])
