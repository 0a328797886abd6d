"""The app at scale, in a real browser: upload 1M Google Forms responses + 200k Facebook posts on the Data page.

    python benchmarks/upload_bench.py --size 1M            # print the results
    python benchmarks/upload_bench.py --size 1M --write    # also rewrite benchmarks/README.md's section

Starts ``streamlit run app.py`` (its own SQLite database, as the browser tests do), opens the Data page in
Debian's headless Chromium (never ``playwright install``), puts the two files of ``generate.py --real`` in
the uploader, and records: when the progress bar first shows, when the Data page has read and saved both
files ("What we found in your uploads"), and when the overview has drawn after clicking it in the sidebar.
The server's peak memory is its ``VmHWM`` (peak resident set) from ``/proc``; the browser is not counted.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "tests" / "browser"))

README = HERE / "README.md"
START, END = "<!-- upload-bench:start -->", "<!-- upload-bench:end -->"
TARGET_S, TARGET_MB = 60, 1500


def _hwm_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def run(size: str, out: Path) -> dict:
    import generate
    from browserkit import CHROMIUM, LAUNCH_ARGS, SKIP_REASON, Server, Tab, sync_playwright

    if SKIP_REASON:
        raise SystemExit(SKIP_REASON)
    paths = generate.write_real(out, size, generate.SIZES[size], 7)
    files = [paths[0], paths[2]]  # the Forms responses and the Facebook posts
    server = Server(ROOT)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
            tab = Tab(browser, server.url)
            tab.page.set_default_timeout(600_000)
            tab.goto("data")
            base_mb = _hwm_mb(server.proc.pid)
            t0 = time.perf_counter()
            tab.page.locator("[data-testid=stFileUploader] input[type=file]").set_input_files([str(p) for p in files])
            tab.page.locator("[data-testid=stProgress]").first.wait_for()
            t_progress = time.perf_counter() - t0
            progress_text = tab.page.locator("[data-testid=stProgress]").first.inner_text()
            tab.page.get_by_text("What we found in your uploads").wait_for()
            tab.settle(timeout_s=600)
            t_read = time.perf_counter() - t0
            tab.click_nav("overview")
            t_overview = time.perf_counter() - t0
            shown = tab.page.locator("[data-testid=stMain]").inner_text()[:4000]
            errors = tab.unexpected_console_errors() + tab.page_errors
            browser.close()
        peak = _hwm_mb(server.proc.pid)
    finally:
        server.stop()
    return {"size": size, "files": {p.name: p.stat().st_size / 2**20 for p in files},
            "progress_s": t_progress, "progress_text": progress_text, "read_s": t_read, "overview_s": t_overview,
            "server_start_mb": base_mb, "server_peak_mb": peak, "errors": errors,
            "overview_has_scores": "/100" in shown or "score" in shown.lower()}


def render(r: dict, mach: dict) -> str:
    ok = lambda b: "met" if b else "**missed**"  # noqa: E731
    files = ", ".join(f"`{k}` ({v:,.1f} MB)" for k, v in r["files"].items())
    return "\n".join([
        START,
        f"Measured {mach['date']} on {mach['cpus']} CPU cores ({mach['cpu']}), {mach['ram_gb']} GB RAM, server and "
        "headless Chromium on the same shared machine.",
        "",
        f"Uploaded on the Data page in one go: {files} (`generate.py --real`, {r['size']}).",
        "",
        "| step | seconds after the files were chosen |",
        "|---|---:|",
        f"| progress bar shown ('{r['progress_text'].strip()[:60]}') | {r['progress_s']:.1f} |",
        f"| both files read and saved (the Data page's summary) | {r['read_s']:.1f} |",
        f"| overview drawn (clicked in the sidebar) | {r['overview_s']:.1f} |",
        "",
        f"Server peak resident memory: {r['server_peak_mb']:,.0f} MB (at start {r['server_start_mb']:,.0f} MB).",
        f"Targets: overview within {TARGET_S} s: {ok(r['overview_s'] < TARGET_S)}; progress shown: "
        f"{ok(r['progress_s'] < r['read_s'])}; server under 1.5 GB: {ok(r['server_peak_mb'] < TARGET_MB)}."
        + (f" Console/page errors: {r['errors']}" if r["errors"] else ""),
        "",
        "Rerun: `pip install -r requirements-browser.txt` then `python benchmarks/upload_bench.py --size 1M --write`.",
        END,
    ])


def main(argv: list[str]) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", default="1M")
    ap.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "bench")
    ap.add_argument("--write", action="store_true")
    ap.add_argument("--json", type=Path)
    a = ap.parse_args(argv)
    r = run(a.size, a.out)
    if a.json:
        a.json.write_text(json.dumps(r, indent=1))
    from bench_network import machine
    from report import replace_section

    section = render(r, machine())
    print(section)
    if a.write:
        replace_section(README, START, END, section, "The app at scale: upload in a browser")


if __name__ == "__main__":
    main(sys.argv[1:])
