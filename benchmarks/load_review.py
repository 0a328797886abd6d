"""Load check: many browser sessions open one review link at once, against one app server on loopback.

    python benchmarks/load_review.py                            # 25 sessions, print the figures
    python benchmarks/load_review.py --sessions 1,5,25 --write  # batches of 1, 5, 25; rewrite README section

What it does: publishes a review of the sample school into a fresh SQLite database, starts
``streamlit run app.py`` on 127.0.0.1 with that database, then opens the review link in N fresh browser
contexts of one headless Chromium (Debian's ``chromium``; never ``playwright install``), all at once.
For each it measures the time from navigation start to rendered scores: the four pillar metrics on screen
and the script finished. One session alone is measured first, as the baseline.

Bounds: at most 50 sessions; each must finish within 120 s; the whole run within 300 s. Every request to a
host other than 127.0.0.1/localhost is aborted (and counted as an error): the app must work offline.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

README = HERE / "README.md"
START, END = "<!-- load-bench:start -->", "<!-- load-bench:end -->"
MAX_SESSIONS = 50
SESSION_TIMEOUT_S = 120
RUN_TIMEOUT_S = 300
LOCAL = {"127.0.0.1", "localhost"}
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]
RENDERED_JS = """() => {
  const app = document.querySelector('[data-testid=stApp]');
  const labels = [...document.querySelectorAll('[data-testid=stMetricLabel]')].map(e => e.textContent.trim());
  const pillars = ['Involvement', 'Co-creation', 'Connections of connections', 'Wider community'];
  return app && app.getAttribute('data-test-script-state') === 'notRunning'
         && pillars.every(p => labels.includes(p));
}"""


def publish_sample_review(db_url: str) -> str:
    from harness import periods, reviews, storage, targets
    from harness.loading import load_sample

    store = storage.Store(db_url)
    ws = store.create_workspace("Load check")
    ds, _ = load_sample()
    snap = reviews.build_snapshot(ds, periods.default_period(ds), targets.default_settings("school"), ws.salt)
    token, _ = reviews.publish_review(store, ws.id, snap, title="Load check review",
                                      commentary="Published by benchmarks/load_review.py.")
    store.close()
    return token


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db_url: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    cmd = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port), "--server.address",
           "127.0.0.1", "--server.headless", "true", "--server.fileWatcherType", "none",
           "--browser.gatherUsageStats", "false"]
    proc = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, "HC_DATABASE_URL": db_url},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return proc, url
        except OSError:
            time.sleep(0.25)
    proc.kill()
    raise SystemExit("the app server did not start")


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process and its waited-for children so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(x) for x in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def peak_rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


async def one_session(browser, link: str) -> dict:
    blocked = []

    async def route(r):
        if urlparse(r.request.url).hostname in LOCAL:
            await r.continue_()
        else:
            blocked.append(r.request.url)
            await r.abort()

    ctx = await browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    try:
        await ctx.route("**/*", route)
        page = await ctx.new_page()
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        t0 = time.perf_counter()
        try:
            await page.goto(link, timeout=SESSION_TIMEOUT_S * 1000)
            await page.wait_for_function(RENDERED_JS, timeout=SESSION_TIMEOUT_S * 1000, polling=50)
            seconds = time.perf_counter() - t0
            if await page.locator("[data-testid=stException]").count():
                errors.append("a Python exception was shown")
        except Exception as exc:  # a timeout or a crashed page is a result to report, not a reason to stop
            return {"seconds": None, "errors": [f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"]}
        return {"seconds": seconds, "errors": errors + [f"blocked {u}" for u in blocked]}
    finally:
        await ctx.close()


async def run_load(link: str, sessions: int) -> dict:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=shutil.which("chromium"), args=LAUNCH_ARGS)
        try:
            alone = await one_session(browser, link)
            t0 = time.perf_counter()
            results = await asyncio.wait_for(asyncio.gather(*(one_session(browser, link) for _ in range(sessions))),
                                             timeout=RUN_TIMEOUT_S)
            wall = time.perf_counter() - t0
        finally:
            await browser.close()
    times = sorted(r["seconds"] for r in results if r["seconds"] is not None)
    errors = [e for r in results for e in r["errors"]]

    def pct(q: float) -> float | None:
        return times[min(len(times) - 1, max(0, round(q * len(times)) - 1))] if times else None

    return {"sessions": sessions, "rendered": len(times), "errors": errors, "alone_s": alone["seconds"],
            "p50_s": statistics.median(times) if times else None, "p95_s": pct(0.95), "max_s": times[-1] if times else None,
            "wall_s": wall}


def measure(counts: list[int]) -> list[dict]:
    if not all(1 <= n <= MAX_SESSIONS for n in counts):
        raise SystemExit(f"--sessions must be between 1 and {MAX_SESSIONS}")
    if not shutil.which("chromium"):
        raise SystemExit("needs Debian's chromium (apt-get install chromium)")
    db = Path(tempfile.mkdtemp(prefix="hc-load-")) / "load.sqlite"
    db_url = f"sqlite:///{db}"
    token = publish_sample_review(db_url)
    proc, url = start_server(db_url)
    try:
        results = []
        for n in counts:
            before = cpu_seconds(proc.pid)
            result = run_load_sync(f"{url}/?review={token}", n)
            result["server_cpu_s"] = cpu_seconds(proc.pid) - before
            result["server_peak_rss_mb"] = peak_rss_mb(proc.pid)
            results.append(result)
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(db.parent, ignore_errors=True)
    return results


def run_load_sync(link: str, sessions: int) -> dict:
    return asyncio.run(run_load(link, sessions))


def render(results: list[dict], mach: dict) -> str:
    def s(v):
        return "–" if v is None else f"{v:.2f}"

    def errs(r):
        return "none" if not r["errors"] else f"{len(r['errors'])}: " + "; ".join(sorted(set(r["errors"]))[:5])

    rows = [f"| {r['sessions']} | {r['rendered']} | {errs(r)} | {s(r['p50_s'])} | {s(r['p95_s'])} | {s(r['max_s'])} | "
            f"{s(r['wall_s'])} | {s(r['server_cpu_s'])} ({s(r['server_cpu_s'] / (r['sessions'] + 1))} a session) | "
            f"{r['server_peak_rss_mb'] or 0:,.0f} |" for r in results]
    return "\n".join([
        START,
        f"Measured {mach['date']} on {mach['cpus']} CPU cores ({mach['cpu']}), {mach['ram_gb']} GB RAM, with the "
        "app server and every headless Chromium on the same machine, so the browsers compete with the server "
        "for the 2 cores. The review is of the sample school. One session alone, before each batch: "
        + ", ".join(s(r["alone_s"]) + " s" for r in results) + ".",
        "",
        "| sessions at once | rendered | errors | p50 s | p95 s | max s | all done s | server CPU s | "
        "server peak RSS MB |",
        "|---:|---:|---|---:|---:|---:|---:|---:|---:|",
        *rows,
        "",
        "Time = navigation start to the four pillar scores on screen with the script finished, in a fresh "
        "browser context each. Server CPU = CPU seconds the app process used for the batch (and the lone "
        "session before it), so the share of the wall time that is the server's can be read off. Rerun: "
        "`python benchmarks/load_review.py --sessions 1,5,25 --write`.",
        END,
    ])


def main(argv: list[str]) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sessions", default="25", help="comma-separated batch sizes, e.g. 1,5,25")
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args(argv)
    results = measure([int(n) for n in args.sessions.split(",")])
    from bench_network import machine
    from report import replace_section

    mach = machine()
    mach.setdefault("date", dt.date.today().isoformat())
    section = render(results, mach)
    print(section)
    if args.write:
        replace_section(README, START, END, section, "Review link under load (25 browsers)")
    if any(r["errors"] or r["rendered"] < r["sessions"] for r in results):
        sys.exit(1)


if __name__ == "__main__":
    main(sys.argv[1:])
