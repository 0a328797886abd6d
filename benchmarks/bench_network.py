"""Referral-network benchmark (run by hand, not a test).

    python benchmarks/bench_network.py            # 10k, 100k, 1M people
    python benchmarks/bench_network.py 10000      # chosen sizes
    python benchmarks/bench_network.py --write    # also rewrite the README section

Builds seeded synthetic referral forests, times ``build_forest`` +
``network_metrics`` and the capped HTML, and reports peak memory.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

CHANNELS = np.array(["word_of_mouth", "facebook", "instagram", "email", "whatsapp", "event"])
ACTIONS = np.array(["enquiry", "visit", "volunteer", "donation", "event"])


def synthetic_tables(n: int, seed: int = 0, root_share: float = 0.3,
                     start: str = "2024-01-01", days: int = 730) -> dict[str, pd.DataFrame]:
    """Canonical ``referrals`` and ``involvement`` for a seeded forest of ``n`` people.

    Person 0.. are ordered by arrival. A share ``root_share`` arrive directly
    (depth 1); everyone else is referred by an earlier person, picked with a
    bias towards recent arrivals so cascades reach several levels, and a few
    prolific connectors emerge. About 60% of referrals convert, and every
    converted or direct person has one or two actions.
    """
    rng = np.random.default_rng(seed)
    names = pd.array([f"p{i:07d}@example.org" for i in range(n)], dtype="str")
    t0 = pd.Timestamp(start, tz="UTC")
    arrive = t0 + pd.to_timedelta(np.sort(rng.uniform(0, days * 86400, n)), unit="s")
    is_root = rng.random(n) < root_share
    is_root[0] = True
    referred = np.nonzero(~is_root)[0]
    # Parent: an earlier person, skewed to recent ones (the distance is geometric-ish).
    back = np.floor(rng.pareto(1.2, len(referred)) * 3).astype(np.int64) + 1
    parent = np.maximum(referred - back, 0)
    converted = rng.random(len(referred)) < 0.6
    referrals = pd.DataFrame({
        "record_id": pd.array([f"r{i}" for i in referred], dtype="str"),
        "occurred_at": pd.Series(arrive[referred]).astype("datetime64[ns, UTC]"),
        "referrer": names[parent],
        "referred": names[referred],
        "channel": pd.array(CHANNELS[rng.integers(0, len(CHANNELS), len(referred))], dtype="str"),
        "converted": pd.array(converted, dtype="boolean"),
    })
    involved = np.concatenate([np.nonzero(is_root)[0], referred[converted]])
    reps = rng.integers(1, 3, len(involved))
    who = np.repeat(involved, reps)
    lag = rng.exponential(7 * 86400, len(who))
    involvement = pd.DataFrame({
        "record_id": pd.array([f"i{k}" for k in range(len(who))], dtype="str"),
        "occurred_at": (pd.Series(arrive[who]) + pd.to_timedelta(lag, unit="s")).astype("datetime64[ns, UTC]"),
        "person": names[who],
        "action": pd.array(ACTIONS[rng.integers(0, len(ACTIONS), len(who))], dtype="str"),
        "source": pd.array(np.where(is_root[who], "facebook", "referral"), dtype="str"),
        "value": pd.array([pd.NA] * len(who), dtype="Float64"),
        "referred_by": pd.array([None] * len(who), dtype="str"),
        "post_id": pd.array([None] * len(who), dtype="str"),
    })
    return {"referrals": referrals, "involvement": involvement.sort_values("occurred_at", ignore_index=True)}


# ---------------------------------------------------------------------------
# Measuring

import datetime as dt  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import platform  # noqa: E402
import resource  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "benchmarks" / "README.md"
START, END = "<!-- network-bench:start -->", "<!-- network-bench:end -->"
SIZES = (10_000, 100_000, 1_000_000)


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def _timed(fn):
    t = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t


def run_one(n: int, html_dir: str) -> dict:
    """Every stage for one size, in this (fresh) process so peak RSS is per size."""
    sys.path.insert(0, str(ROOT))
    from harness import graphview, network
    from harness.periods import Period

    tables, t_gen = _timed(lambda: synthetic_tables(n, seed=1))
    row = {"people": n, "generate_s": t_gen, "rss_after_data_mb": _rss_mb()}
    _, row["build_forest_s"] = _timed(lambda: network.build_forest(tables["referrals"], tables["involvement"]))
    m, row["metrics_all_time_s"] = _timed(lambda: network.network_metrics(tables))
    row["rss_after_metrics_mb"] = _rss_mb()
    last = tables["referrals"]["occurred_at"].max().date()
    period = Period(last - dt.timedelta(days=89), last)
    _, row["metrics_90d_with_previous_s"] = _timed(lambda: network.network_metrics(tables, period))
    net, row["load_network_s"] = _timed(lambda: network.load_network(tables))
    for cap in (1000, 2000):
        (html, info), t = _timed(lambda: graphview.render_network_html(net, max_nodes=cap))
        row[f"html_{cap}_s"] = t
        row[f"html_{cap}_kb"] = len(html.encode("utf-8")) / 1024
        row[f"html_{cap}_nodes"] = info["shown_nodes"]
        Path(html_dir, f"net_{n}_{cap}.html").write_text(html, encoding="utf-8")
    row["rss_peak_mb"] = _rss_mb()
    row["people_in_forest"] = m.people
    row["max_depth"] = max(m.depth_counts)
    return row


def browser_first_picture(paths: list[Path]) -> dict[str, float] | None:
    """Milliseconds from navigation start to vis-network's first drawing, in headless chromium."""
    chromium = next((p for p in ("/usr/bin/chromium", "/usr/bin/chromium-browser") if Path(p).exists()), None)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    if chromium is None:
        return None
    out = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        for path in paths[:1] + paths:  # the first load only warms the browser up
            page = browser.new_page(viewport={"width": 1200, "height": 800})
            page.route("**/*", lambda r: r.abort() if not r.request.url.startswith("file:") else r.continue_())
            page.goto(path.as_uri())
            page.wait_for_function("window.referralNetworkDrawnAt !== undefined", timeout=60_000)
            out[path.name] = page.evaluate("window.referralNetworkDrawnAt")  # the warm-up is overwritten
            page.close()
        browser.close()
    return out


def machine() -> dict:
    import networkx
    import numpy
    import pandas
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                  if line.startswith("MemTotal"))
    return {
        "cpus": len(os.sched_getaffinity(0)), "cpu": cpu, "ram_gb": round(mem_kb / 1024 / 1024, 1),
        "python": platform.python_version(), "pandas": pandas.__version__, "numpy": numpy.__version__,
        "networkx": networkx.__version__, "date": dt.date.today().isoformat(),
    }


def report(rows: list[dict], browser: dict | None, mach: dict) -> str:
    lines = [
        START,
        f"Measured {mach['date']} on {mach['cpus']} CPU cores ({mach['cpu']}), {mach['ram_gb']} GB RAM; "
        f"Python {mach['python']}, pandas {mach['pandas']}, numpy {mach['numpy']}, networkx {mach['networkx']}. "
        "The machine is shared, so figures vary by ±20%.",
        "",
        "Seeded synthetic forests (`synthetic_tables`: 30% reached directly, the rest referred by a recent "
        "arrival, 60% of referrals convert, 1–2 actions per involved person). Times in seconds; memory is the "
        "process's peak resident set (data included) in a fresh process per size.",
        "",
        "| people | max depth | build forest | build + metrics, all time | build + metrics, 90 days and previous 90 | "
        "load network (for the view) | HTML at 1,000 cap (size) | HTML at 2,000 cap (size) | peak RSS after data | peak RSS after metrics | peak RSS overall |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['people']:,} | {r['max_depth']} | {r['build_forest_s']:.2f} | {r['metrics_all_time_s']:.2f} | "
            f"{r['metrics_90d_with_previous_s']:.2f} | {r['load_network_s']:.2f} | "
            f"{r['html_1000_s']:.2f} ({r['html_1000_kb']:,.0f} KB, {r['html_1000_nodes']} nodes) | "
            f"{r['html_2000_s']:.2f} ({r['html_2000_kb']:,.0f} KB, {r['html_2000_nodes']} nodes) | "
            f"{r['rss_after_data_mb']:,.0f} MB | {r['rss_after_metrics_mb']:,.0f} MB | {r['rss_peak_mb']:,.0f} MB |"
        )
    lines.append("")
    if browser:
        lines.append("First picture in headless Chromium (offline, physics off, positions from Python), "
                     "milliseconds from navigation start to vis-network's first drawing:")
        lines.append("")
        lines += [f"- `{name}`: {ms:,.0f} ms" for name, ms in browser.items()]
    else:
        lines.append("Browser timing skipped (no Chromium/Playwright on this machine).")
    lines += ["", "Run again with `python benchmarks/bench_network.py --write`.", END]
    return "\n".join(lines)


def write_readme(section: str) -> None:
    from report import replace_section

    replace_section(README, START, END, section, "Referral network")


def main(argv: list[str]) -> None:
    if argv[:1] == ["--one"]:
        print(json.dumps(run_one(int(argv[1]), argv[2])))
        return
    write = "--write" in argv
    sizes = [int(a) for a in argv if a.isdigit()] or list(SIZES)
    html_dir = tempfile.mkdtemp(prefix="bench_network_")
    rows = []
    for n in sizes:
        out = subprocess.run([sys.executable, __file__, "--one", str(n), html_dir],
                             capture_output=True, text=True, check=True)
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
        print(json.dumps(rows[-1]), flush=True)
    pages = sorted(Path(html_dir).glob("*.html"), key=lambda p: (int(p.stem.split("_")[1]), p.stem))
    browser = browser_first_picture(pages)
    section = report(rows, browser, machine())
    print(section)
    if write:
        write_readme(section)


if __name__ == "__main__":
    main(sys.argv[1:])
