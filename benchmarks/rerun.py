"""Warm page reruns: the server-side time of each page's rerun with warm caches, measured with AppTest.

    python benchmarks/rerun.py --sizes 10k,100k,1M            # print the results
    python benchmarks/rerun.py --sizes 10k,100k,1M --write    # also rewrite benchmarks/README.md's section

Each size runs in a fresh subprocess with its own SQLite database holding one saved workspace: the
involvement log and the referrals log of that size (N rows each, from ``benchmarks/generate.py``) and the
Facebook posts export of the size below (N/10 posts; 10k posts at 10k). The app opens that workspace as a
visitor would. For every page the script records:

* first visit: ``switch_page`` then run (the page's own cached work is computed);
* warm rerun: the median of 5 further runs of the same page with nothing changed (what a widget click
  that changes nothing costs; everything the page shows comes from caches keyed on the files' sha256).

The first run of the app (reading and combining the files, scoring) is reported separately as "cold start".
AppTest runs the script in-process without a browser, so the figures are the server's work only.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

README = HERE / "README.md"
START, END = "<!-- rerun-bench:start -->", "<!-- rerun-bench:end -->"
PAGES = ["overview", "involvement", "co_creation", "connections", "community", "vanity_vs_real", "pyramid",
         "data", "settings", "share"]
SIZES = {"10k": 10_000, "100k": 100_000, "1M": 1_000_000}
BELOW = {"1M": "100k", "100k": "10k", "10k": "10k"}
WARM_RUNS = 5
TARGET_MS = 150  # issue 14: warm reruns under 150 ms


def _files(out: Path, size: str) -> list[Path]:
    needed = [(size, "involvement_log.csv"), (size, "referrals_log.csv"), (BELOW[size], "facebook_posts.csv")]
    paths = [out / s / name for s, name in needed]
    missing = [p for p in paths if not p.exists()]
    if missing:
        sizes = ",".join(sorted({p.parent.name for p in missing}))
        subprocess.run([sys.executable, str(HERE / "generate.py"), "--sizes", sizes, "--out", str(out)], check=True)
    return paths


def _framed_apptest():
    """AppTest whose every run goes through app.py, as on a real server (see ui/frame.py)."""
    from streamlit.testing.v1 import AppTest

    from ui import frame

    frame.hold_apptest_framed()
    return AppTest


def _real_files(out: Path, size: str) -> list[Path]:
    """The real-layout exports of ``generate.py --real`` (Google Forms, Meta, X, Eventbrite, ...)."""
    import generate

    return generate.write_real(out, size, generate.SIZES[size], 7)


def one_size(size: str, out: Path, real: bool = False) -> dict:
    paths = _real_files(out, size) if real else _files(out, size)
    db = Path(tempfile.mkdtemp(prefix="hc-rerun-")) / "bench.sqlite"
    os.environ["HC_DATABASE_URL"] = f"sqlite:///{db}"
    from harness import storage

    store = storage.Store()
    ws = store.create_workspace(f"Bench {size}")
    store.add_files(ws.id, [storage.NewFile(p.name if p.parent.name in (size, f"real-{size}") else f"{p.parent.name}_{p.name}",
                                            p.read_bytes()) for p in paths])
    store.close()

    AppTest = _framed_apptest()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=1800)
    t = time.perf_counter()
    at.run()
    cold = time.perf_counter() - t
    problems = [e.value for e in at.exception]
    pages = {}
    for name in PAGES:
        if name != "overview":
            at.switch_page(f"pages/{name}.py")
        t = time.perf_counter()
        at.run()
        first = time.perf_counter() - t
        warm = []
        for _ in range(WARM_RUNS):
            t = time.perf_counter()
            at.run()
            warm.append(time.perf_counter() - t)
        problems += [f"{name}: {e.value}" for e in at.exception]
        pages[name] = {"first_s": first, "warm_ms": statistics.median(warm) * 1000, "warm_max_ms": max(warm) * 1000}
    return {"size": size, "files": {f"{p.parent.name}/{p.name}": p.stat().st_size / 2**20 for p in paths},
            "cold_s": cold, "pages": pages, "problems": problems,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def render(results: list[dict], mach: dict) -> str:
    lines = [START,
             f"Measured {mach['date']} on {mach['cpus']} CPU cores ({mach['cpu']}), {mach['ram_gb']} GB RAM; "
             f"Python {mach['python']}, pandas {mach['pandas']}. Shared machine: figures vary (±30%).", "",
             "Warm rerun = median of 5 reruns of the page with nothing changed (AppTest, server side, milliseconds). "
             "First visit = the first run of that page in the session (seconds). Cold start = the app's first run "
             "on the saved workspace: reading, combining and scoring the files (seconds).", ""]
    head = "| page | " + " | ".join(f"{r['size']} warm ms (first visit s)" for r in results) + " |"
    lines += [head, "|---|" + "---:|" * len(results)]
    for name in PAGES:
        cells = [f"{r['pages'][name]['warm_ms']:,.0f} ({r['pages'][name]['first_s']:.2f})" for r in results]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines.append("| **cold start** s | " + " | ".join(f"{r['cold_s']:.1f}" for r in results) + " |")
    lines.append("| peak RSS MB | " + " | ".join(f"{r['peak_rss_mb']:,.0f}" for r in results) + " |")
    lines.append("")
    for r in results:
        files = ", ".join(f"`{k}` ({v:,.1f} MB)" for k, v in r["files"].items())
        worst = max(r["pages"].items(), key=lambda kv: kv[1]["warm_ms"])
        met = "met" if worst[1]["warm_ms"] < TARGET_MS else "**missed**"
        lines.append(f"- {r['size']}: {files}. Slowest warm rerun: {worst[0]}, {worst[1]['warm_ms']:,.0f} ms "
                     f"(target < {TARGET_MS} ms: {met})." + (f" Problems: {r['problems']}" if r["problems"] else ""))
    lines += ["", "Rerun: `python benchmarks/rerun.py --sizes 10k,100k,1M --write` (templates) or "
              "`python benchmarks/rerun.py --real --sizes 1M --write` (the real layouts of `generate.py --real`).", END]
    return "\n".join(lines)


def main(argv: list[str]) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10k,100k,1M")
    ap.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "bench")
    ap.add_argument("--write", action="store_true", help="rewrite this section of benchmarks/README.md")
    ap.add_argument("--one", help=argparse.SUPPRESS)
    ap.add_argument("--real", action="store_true", help="the real-layout files of generate.py --real")
    args = ap.parse_args(argv)
    if args.one:
        print(json.dumps(one_size(args.one, args.out, args.real)))
        return
    results = []
    for size in args.sizes.split(","):
        proc = subprocess.run([sys.executable, __file__, "--one", size, "--out", str(args.out)]
                              + (["--real"] if args.real else []),
                              capture_output=True, text=True, check=False)
        if proc.returncode:
            sys.exit(f"{size} failed:\n{proc.stderr[-3000:]}")
        results.append(json.loads(proc.stdout.strip().splitlines()[-1]))
        r = results[-1]
        print(f"{size}: cold {r['cold_s']:.1f} s; warm ms " +
              ", ".join(f"{k} {v['warm_ms']:.0f}" for k, v in r["pages"].items()), flush=True)
    from bench_network import machine
    from report import replace_section

    mach = machine()
    section = render(results, mach)
    print(section)
    if args.write:
        replace_section(README, START, END, section, "Warm page reruns (AppTest)")


if __name__ == "__main__":
    main(sys.argv[1:])
