"""Performance benchmark: ingest, scoring, network and graph HTML at 10k / 100k / 1M rows.

    python benchmarks/run.py --sizes 10k,100k,1M            # print the results
    python benchmarks/run.py --sizes 10k,100k,1M --write    # also rewrite benchmarks/README.md's section
    python benchmarks/run.py --profile ingest:100k:involvement_log.csv   # cProfile one case

Every case runs in a fresh subprocess so its peak resident memory
(``ru_maxrss``) is its own. Each figure is measured beside a lower bound in
the same run and reported as a ratio:

* ingest (``harness.ingest.ingest_bytes``) against ``pyarrow.csv.read_csv`` of
  the same bytes (xlsx: against ``pandas.read_excel(engine="calamine")``);
* scoring (``harness.scoring.score_pillars`` + ``harness.vanity.vanity_vs_real``)
  against the same aggregations in DuckDB SQL, whose figures are checked
  against the harness's (a second method, so the ratio compares equal work);
* network metrics (``harness.network.network_metrics``) against a plain
  vectorised breadth-first pass over the same referrals, whose depth
  histogram is checked against the harness's.

The data come from ``benchmarks/generate.py`` (seeded) in ``<out>/<size>/``.
The benchmark reads files larger than the default upload limit (a 1M-row
Meta export is ~270 MB), so it passes raised ``Limits``; the defaults would
refuse those files with a message.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

import generate  # noqa: E402

README = HERE / "README.md"
START, END = "<!-- perf-bench:start -->", "<!-- perf-bench:end -->"
FILES = ("facebook_posts.csv", "tweet_activity_metrics_HillSchool_20240101_20251231_en.csv",
         "involvement_log.csv", "referrals_log.csv", "involvement_log.xlsx")
MB = 1024 * 1024


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


CPU: dict[str, float] = {}  # label -> CPU seconds (all threads) of the best run, for a shared machine


def timed(fn, repeat: int = 1, label: str | None = None):
    """(result of the last call, best wall time in seconds); the CPU time of that run goes to ``CPU``."""
    best, out = float("inf"), None
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        out = fn()
        wall, cpu = time.perf_counter() - t, time.process_time() - c
        if wall < best:
            best = wall
            if label:
                CPU[label] = cpu
    return out, best


def bench_limits():
    from harness.ingest import Limits
    return Limits(max_file_bytes=2048 * MB, max_total_uncompressed=4096 * MB)


# --------------------------------------------------------------------------- cases (run in a subprocess)

def case_ingest(path: Path, repeat: int) -> dict:
    from harness.ingest import decode, ingest_bytes, tabular
    ingest_bytes("warm.csv", b"Date,Person,Action\n2025-01-01,a,call\n")  # imports + source registry
    base = rss_mb()
    data = path.read_bytes()
    limits = bench_limits()
    reports, t = timed(lambda: ingest_bytes(path.name, data, limits=limits), repeat, "ingest")
    peak = rss_mb()
    if path.suffix == ".xlsx":
        _, t_parse = timed(lambda: tabular.read_workbook(path.name, data, ("calamine",), limits), repeat, "parse")
    else:  # the same route as ingest_bytes: bytes for large UTF-8 files, else text
        _, t_parse = timed(lambda: tabular.csv_raw(
            path.name, decode.utf8_body(data) or decode.decode_bytes(data)[0], limits), repeat, "parse")
    (r,) = reports
    out_dir = path.parent / "canonical"
    out_dir.mkdir(exist_ok=True)
    for name, df in r.tables.items():
        df.to_parquet(out_dir / f"{path.name}.{name}.parquet")
    return {"file": path.name, "bytes": len(data), "rows": r.rows_read, "accepted": r.rows_accepted,
            "rejected": len(r.rejected), "error": r.error, "source": r.source, "ingest_s": t, "parse_s": t_parse,
            "ingest_cpu_s": CPU["ingest"], "parse_cpu_s": CPU["parse"],
            "rss_base_mb": base, "rss_peak_mb": peak}


def case_baseline(path: Path, repeat: int) -> dict:
    import pandas as pd
    import pyarrow as pa
    import pyarrow.csv as pacsv
    base = rss_mb()
    data = path.read_bytes()
    if path.suffix == ".xlsx":
        import io
        fn = lambda: pd.read_excel(io.BytesIO(data), sheet_name=None, header=None, engine="calamine")  # noqa: E731
        what = "pandas.read_excel(engine='calamine')"
    else:
        opts = pacsv.ParseOptions(newlines_in_values=True)  # captions span lines
        fn = lambda: pacsv.read_csv(pa.BufferReader(data), parse_options=opts)  # noqa: E731
        what = "pyarrow.csv.read_csv"
    _, t = timed(fn, repeat, "baseline")
    return {"file": path.name, "baseline": what, "baseline_s": t, "baseline_cpu_s": CPU["baseline"],
            "rss_base_mb": base, "rss_peak_mb": rss_mb()}


def _canonical(folder: Path, file: str, table: str):
    import pandas as pd
    return pd.read_parquet(folder / "canonical" / f"{file}.{table}.parquet")


def scoring_tables(folder: Path, n: int) -> dict:
    """The ingested logs and posts (n/10 of each platform: 200k posts at 1M) plus small synthetic tables."""
    import numpy as np
    import pandas as pd
    from harness import schema
    inv = _canonical(folder, "involvement_log.csv", "involvement")
    refs = _canonical(folder, "referrals_log.csv", "referrals")
    # Every 10th post of each platform keeps the two-year span (posts are in time order).
    posts = pd.concat([_canonical(folder, FILES[0], "posts").iloc[::10],
                       _canonical(folder, FILES[1], "posts").iloc[::10]], ignore_index=True)
    rng = np.random.default_rng(3)
    days = pd.date_range(generate.END.normalize() - pd.Timedelta(days=generate.DAYS - 1), generate.END.normalize(),
                         freq="D", tz="UTC")
    aud = []
    for plat, start in (("facebook", 4000), ("x", 900)):
        new = rng.poisson(6, len(days))
        aud.append(pd.DataFrame({"date": days, "platform": plat, "followers": start + np.cumsum(new),
                                 "new_followers": new, "reach": rng.poisson(500, len(days))}))
    k = max(n // 100, 10)
    when = lambda: pd.Series(days[rng.integers(0, len(days), k)])  # noqa: E731
    contrib = pd.DataFrame({
        "record_id": [f"c{i}" for i in range(k)], "created_at": when(),
        "contributor": [f"person{i}@example.org" for i in rng.integers(0, k, k)],
        "kind": np.array(schema.CONTRIBUTION_KINDS)[rng.integers(0, 8, k)],
        "used_by_org": rng.random(k) < 0.5, "engagement": rng.integers(0, 50, k)})
    comm = pd.DataFrame({
        "record_id": [f"k{i}" for i in range(k)], "occurred_at": when(),
        "activity": "Litter pick", "kind": np.array(schema.COMMUNITY_KINDS)[rng.integers(0, 7, k)],
        "partner": np.array(["Rotary Club", "Library", None, "rotary club "], dtype=object)[rng.integers(0, 4, k)],
        "attendees": rng.integers(5, 80, k), "hours": rng.random(k) * 5, "sales_related": rng.random(k) < 0.3})
    return {"involvement": inv, "referrals": refs, "posts": posts, "audience": pd.concat(aud, ignore_index=True),
            "contributions": contrib, "community": comm}


def case_scoring(folder: Path, n: int) -> dict:
    from harness import dataset as D, periods, schema, scoring, vanity
    import duckdb_scoring
    raw = scoring_tables(folder, n)
    base = rss_mb()
    ds, t_load = timed(lambda: D.Dataset(tables={k: D.combine_tables(k, [v]) for k, v in
                                                 {**schema.empty_tables(), **raw}.items()}))
    period = periods.default_period(ds)
    card, t_score = timed(lambda: scoring.score_pillars(ds, period), 1, "score")
    weekly, t_vanity = timed(lambda: vanity.vanity_vs_real(ds, period, "W"), 1, "vanity")
    _, t_warm = timed(lambda: (scoring.score_pillars(ds, period), vanity.vanity_vs_real(ds, period, "W")))
    peak = rss_mb()
    duck, t_duck = timed(lambda: duckdb_scoring.run(ds.tables, period), 1, "duck")
    mismatches = duckdb_scoring.compare(card, weekly, duck)
    return {"rows": {k: len(v) for k, v in ds.tables.items()}, "period": period.to_dict(),
            "load_combine_s": t_load, "score_pillars_s": t_score, "vanity_vs_real_s": t_vanity,
            "scores_total_s": t_score + t_vanity, "scores_total_second_call_s": t_warm,
            "scores_cpu_s": CPU["score"] + CPU["vanity"], "duckdb_cpu_s": CPU["duck"],
            "duckdb_s": duck["total_s"], "duckdb_prepare_s": duck["register_s"], "duckdb_query_s": duck["query_s"], "duckdb_wall_s": t_duck,
            "checked": duck["checked"], "mismatches": mismatches, "rss_base_mb": base, "rss_peak_mb": peak}


def case_network(folder: Path) -> dict:
    import numpy as np
    from harness import graphview, network
    import bfs_baseline
    tables = {"involvement": _canonical(folder, "involvement_log.csv", "involvement"),
              "referrals": _canonical(folder, "referrals_log.csv", "referrals")}
    base = rss_mb()
    m, t_metrics = timed(lambda: network.network_metrics(tables), 1, "metrics")
    net, t_load = timed(lambda: network.load_network(tables))
    html = {}
    for cap in (1000, 2000):
        (page, info), t = timed(lambda: graphview.render_network_html(net, max_nodes=cap))
        html[cap] = {"s": t, "kb": len(page.encode("utf-8")) / 1024, "nodes": info["shown_nodes"]}
    peak = rss_mb()
    depth, t_bfs = timed(lambda: bfs_baseline.depths(tables["referrals"], tables["involvement"]), 1, "bfs")
    hist = {int(d): int(c) for d, c in enumerate(np.bincount(depth)) if c}
    return {"people": m.people, "max_depth": max(m.depth_counts), "metrics_s": t_metrics, "load_network_s": t_load,
            "html": html, "bfs_s": t_bfs, "metrics_cpu_s": CPU["metrics"], "bfs_cpu_s": CPU["bfs"], "bfs_matches": hist == m.depth_counts, "rss_base_mb": base,
            "rss_peak_mb": peak}


# --------------------------------------------------------------------------- driver

def sub(*args: str) -> dict:
    out = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True)
    if out.returncode:
        raise RuntimeError(f"case {args} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def run_size(label: str, n: int, out: Path, xlsx_max: int) -> dict:
    paths = generate.write_size(out, label, n, 7, xlsx_max)
    folder = out / label
    repeat = "3" if n <= 100_000 else "1"
    res = {"label": label, "n": n, "ingest": [], "scoring": None, "network": None}
    for name in FILES:
        if name not in paths:
            continue
        ing = sub("--case", "ingest", str(paths[name]), repeat)
        base = sub("--case", "baseline", str(paths[name]), repeat)
        ing.update({k: v for k, v in base.items() if k.startswith("baseline")}, baseline_rss_peak_mb=base["rss_peak_mb"])
        res["ingest"].append(ing)
        print(json.dumps(ing), flush=True)
    res["scoring"] = sub("--case", "scoring", str(folder), str(n))
    print(json.dumps(res["scoring"]), flush=True)
    res["network"] = sub("--case", "network", str(folder))
    print(json.dumps(res["network"]), flush=True)
    return res


def machine() -> dict:
    """The network benchmark's machine description, plus the libraries this runner compares against."""
    import duckdb
    import pyarrow

    from bench_network import machine as base  # benchmarks/ is on sys.path (see top)

    return {**base(), "pyarrow": pyarrow.__version__, "duckdb": duckdb.__version__}


def report(results: list[dict], mach: dict) -> str:
    from report import render
    return render(results, mach, START, END)


def write_readme(section: str) -> None:
    from report import replace_section

    replace_section(README, START, END, section, "Performance at scale (ingest, scoring, network)")


def profile(spec: str, out: Path) -> None:
    """``ingest:<size>:<file>`` | ``scoring:<size>`` | ``network:<size>``: cProfile one case in this process."""
    import cProfile
    import pstats
    kind, label, *rest = spec.split(":")
    folder = out / label
    n = dict(generate.parse_sizes(label))[label]
    call = {"ingest": lambda: case_ingest(folder / rest[0], 1), "scoring": lambda: case_scoring(folder, n),
            "network": lambda: case_network(folder)}[kind]
    prof = cProfile.Profile()
    prof.runcall(call)
    pstats.Stats(prof).sort_stats("cumulative").print_stats(35)


def main(argv: list[str]) -> None:
    if argv[:1] == ["--case"]:
        kind, arg = argv[1], Path(argv[2])
        result = {"ingest": lambda: case_ingest(arg, int(argv[3])),
                  "baseline": lambda: case_baseline(arg, int(argv[3])),
                  "scoring": lambda: case_scoring(arg, int(argv[3])),
                  "network": lambda: case_network(arg)}[kind]()
        print(json.dumps(result, default=str))
        return
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10k,100k,1M")
    ap.add_argument("--out", type=Path, default=generate.DEFAULT_OUT)
    ap.add_argument("--xlsx-max", type=int, default=100_000)
    ap.add_argument("--write", action="store_true", help="rewrite this benchmark's section of benchmarks/README.md")
    ap.add_argument("--profile", help="cProfile one case, e.g. ingest:100k:involvement_log.csv")
    ap.add_argument("--json", type=Path, help="also save the raw results here")
    a = ap.parse_args(argv)
    if a.profile:
        profile(a.profile, a.out)
        return
    results = [run_size(label, n, a.out, a.xlsx_max) for label, n in generate.parse_sizes(a.sizes)]
    if a.json:
        a.json.write_text(json.dumps(results, indent=1, default=str))
    section = report(results, machine())
    print(section)
    if a.write:
        write_readme(section)


if __name__ == "__main__":
    main(sys.argv[1:])
