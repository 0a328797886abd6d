"""Seeded generator of realistic upload files for the performance benchmark.

    python benchmarks/generate.py --sizes 10k,100k,1M [--out /tmp/bench] [--seed 7]

For every size N it writes, into ``<out>/<N>/`` (never into the repo):

* ``facebook_posts.csv`` - N posts in the Meta Business Suite Facebook posts
  layout of 2025 (UTF-8 with BOM, 35 columns, ``MM/DD/YYYY HH:MM``,
  ``Date`` = ``Lifetime``, multi-line captions with commas, quotes and emoji).
* ``tweet_activity_metrics_HillSchool_20240101_20251231_en.csv`` - N tweets in
  X's classic layout (every cell quoted, counts as ``"424.0"``, ``-`` in the
  promoted columns, ``+0000`` times).
* ``involvement_log.csv`` - N rows of the product's involvement template.
* ``referrals_log.csv`` - N rows of the product's referrals template, a
  forest (each referred person recommended by someone who arrived earlier)
  over the same people as the involvement log.
* ``involvement_log.xlsx`` - the involvement log as a workbook (only up to
  ``--xlsx-max`` rows: writing a million-row workbook takes minutes).

The same seed and size always give byte-identical files; files already
present with a matching manifest are kept (generation is the slow part).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

SIZES = {"10k": 10_000, "100k": 100_000, "1M": 1_000_000}
DEFAULT_OUT = Path(tempfile.gettempdir()) / "bench"
END = pd.Timestamp("2026-06-30 23:00")
DAYS = 730
VERSION = 3  # bump when the layouts change, so stale files are regenerated

def _sample_layouts():
    """The export layouts live once, in the sample-data generator; load it by path (both files are generate.py)."""
    import importlib.util

    path = Path(__file__).resolve().parents[1] / "sample_data" / "generate.py"
    spec = importlib.util.spec_from_file_location("sample_data_generate", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


_LAYOUTS = _sample_layouts()
FB_COLUMNS = list(_LAYOUTS.FB_HEADER)
X_COLUMNS = list(_LAYOUTS.X_HEADER)
INVOLVEMENT_HEADERS = ["Date", "Person", "Action", "Source", "Value", "Referred by", "Post ID", "Notes"]
REFERRAL_HEADERS = ["Date", "Referrer", "Referred", "Channel", "Converted"]

CAPTIONS = np.array([
    "Open day this Saturday! 🎉 Bring a friend, bring your questions.",
    "Sports day results are in - well done, everyone 🏅",
    'Our Year 6 "young reporters" interviewed the mayor today.',
    "Thank you to the 42 volunteers who helped at the fair ❤️",
    "Café morning, 10am - 12pm, all welcome ☕",
    "Term dates for 2025/26 are now on the website: https://example.org/terms",
    "Fundraiser night: £1,240 raised for the new library 📚",
    "Litter pick on the high street with @RotaryClub 🌍",
    "Reminder: bus times change from Monday, see below.",
    "",
], dtype=object)
MULTILINE_TAIL = "\n📍 Location: Hill School, Main Road\n➢ https://example.org/visit"
ACTIONS = np.array(["enquiry", "call", "visit", "volunteer", "donation", "enrolment", "event", "membership",
                    "other", "Phone call", "Visit"], dtype=object)
ACTION_P = np.array([0.18, 0.12, 0.2, 0.12, 0.12, 0.04, 0.12, 0.04, 0.02, 0.02, 0.02])
SOURCES = np.array(["facebook", "instagram", "linkedin", "x", "youtube", "tiktok", "referral", "word_of_mouth",
                    "website", "email", "search", "community_event", "press", "other", "unknown", "Insta"],
                   dtype=object)
SOURCE_P = np.array([0.22, 0.15, 0.03, 0.04, 0.02, 0.03, 0.15, 0.1, 0.08, 0.05, 0.04, 0.03, 0.01, 0.02, 0.02,
                     0.01])
CHANNELS = np.array(["word_of_mouth", "facebook", "instagram", "email", "whatsapp", "event", ""], dtype=object)
NOTES = np.array(["", "", "", "Open morning", "Came after our post", "Asked about fees, will call back",
                  "Gift aid: yes", 'Said "see you at the fair"'], dtype=object)


def _rng(seed: int, name: str) -> np.random.Generator:
    # One stream per file, so adding a file never changes another file's bytes.
    return np.random.default_rng([seed, sum(map(ord, name))])


def _times(rng: np.random.Generator, n: int) -> pd.Series:
    secs = np.sort(rng.uniform(0, DAYS * 86400, n)).astype(np.int64)
    return pd.Series(END - pd.to_timedelta(DAYS * 86400 - secs, unit="s")).dt.floor("min")


def _counts(rng: np.random.Generator, n: int, scale: float) -> np.ndarray:
    return np.floor(rng.lognormal(np.log(scale), 1.0, n)).astype(np.int64)


def _str(a) -> np.ndarray:
    return np.asarray(a).astype(str).astype(object)


def facebook_posts(n: int, seed: int) -> pd.DataFrame:
    rng = _rng(seed, "facebook")
    when = _times(rng, n)
    ids = 1_168_834_171_933_140 + np.arange(n, dtype=np.int64) * 7919
    caption = CAPTIONS[rng.integers(0, len(CAPTIONS), n)]
    caption = np.where(rng.random(n) < 0.15, caption + MULTILINE_TAIL, caption)
    views = _counts(rng, n, 800)
    reach = np.maximum(views - _counts(rng, n, 100), 0)
    reactions, comments, shares = _counts(rng, n, 20), _counts(rng, n, 3), _counts(rng, n, 2)
    kind = np.array(["Reels", "Photos", "Videos", "Links"], dtype=object)[rng.integers(0, 4, n)]
    video = (kind == "Reels") | (kind == "Videos")
    blank = np.full(n, "", dtype=object)
    zero = np.full(n, "0", dtype=object)
    df = pd.DataFrame({
        "Post ID": _str(ids), "Page ID": "100064197037125", "Page name": "Hill School",
        "Title": caption, "Description": blank, "Duration (sec)": np.where(video, _str(rng.integers(5, 90, n)), "0"),
        "Publish time": when.dt.strftime("%m/%d/%Y %H:%M").to_numpy(), "Caption type": "N/A",
        "Permalink": "https://www.facebook.com/hillschool/posts/pfbid0" + _str(ids),
        "Is crosspost": zero, "Is share": zero, "Post type": kind, "Languages": blank, "Custom labels": blank,
        "Funded content status": blank, "Data comment": blank, "Date": "Lifetime",
        "Views": _str(views), "Views from Organic posts": _str(views), "Views from Boosted posts": zero,
        "Reach": _str(reach), "Reach from Organic posts": _str(reach), "Reach from Boosted posts": zero,
        "3-second video views": np.where(video, _str(views // 3), ""),
        "1-minute video views": np.where(video, _str(views // 20), ""),
        "3-Second viewers": np.where(video, _str(reach // 3), ""),
        "1-minute viewers": np.where(video, _str(reach // 20), ""),
        "3-second video views from Boosted posts": np.where(video, "0", ""),
        "3-second video views from Organic posts": np.where(video, _str(views // 3), ""),
        "Reactions, Comments and Shares": _str(reactions + comments + shares),
        "Reactions": _str(reactions), "Comments": _str(comments), "Shares": _str(shares),
        "Seconds viewed": np.where(video, _str(views * 4), ""),
        "Average Seconds viewed": np.where(video, "4", ""),
    })
    return df[FB_COLUMNS]


def x_posts(n: int, seed: int) -> pd.DataFrame:
    rng = _rng(seed, "x")
    when = _times(rng, n)
    ids = _str(1_849_049_020_249_120_769 - np.arange(n, dtype=np.int64) * 104_729)
    text = CAPTIONS[rng.integers(0, len(CAPTIONS) - 1, n)] + " https://t.co/x" + _str(rng.integers(0, 10**6, n))
    imp = _counts(rng, n, 300)
    eng = np.minimum(_counts(rng, n, 10), imp)
    f = lambda a: np.char.add(np.asarray(a).astype(str), ".0").astype(object)  # noqa: E731 - X writes 424.0
    cols = {
        "Tweet id": ids, "Tweet permalink": "https://twitter.com/HillSchool/status/" + ids, "Tweet text": text,
        "time": when.dt.strftime("%Y-%m-%d %H:%M +0000").to_numpy(), "impressions": f(imp), "engagements": f(eng),
        "engagement rate": _str(np.round(eng / np.maximum(imp, 1), 6)),
        "retweets": f(eng // 5), "replies": f(eng // 8), "likes": f(eng // 2),
        "user profile clicks": f(eng // 10), "url clicks": f(eng // 6), "hashtag clicks": f(eng // 20),
        "detail expands": f(eng // 7), "permalink clicks": f(eng // 30),
    }
    for c in X_COLUMNS[15:22]:
        cols[c] = "0"
    for c in X_COLUMNS[22:]:
        cols[c] = "-"
    return pd.DataFrame(cols)[X_COLUMNS]


def _people(n_people: int) -> np.ndarray:
    return np.char.add(np.char.add("person", np.arange(n_people).astype(str)), "@example.org").astype(object)


def referrals(n: int, seed: int) -> pd.DataFrame:
    """A forest over ``n + n//4`` people: person k (k > 0) is referred by an earlier, recent arrival."""
    rng = _rng(seed, "referrals")
    n_people = n + n // 4
    names = _people(n_people)
    referred = np.sort(rng.choice(np.arange(1, n_people), size=n, replace=n > n_people - 1))
    back = np.floor(rng.pareto(1.2, n) * 3).astype(np.int64) + 1
    referrer = np.maximum(referred - back, 0)
    when = _times(rng, n)  # sorted, like the people: a referrer arrived before the people they refer
    converted = np.array(["yes", "no", ""], dtype=object)[rng.choice(3, n, p=[0.5, 0.3, 0.2])]
    ref_names = names[referrer]
    shout = rng.random(n) < 0.02  # some typed in capitals: emails are case-insensitive
    ref_names = np.where(shout, np.char.upper(ref_names.astype(str)).astype(object), ref_names)
    return pd.DataFrame({
        "Date": when.dt.strftime("%Y-%m-%d").to_numpy(), "Referrer": ref_names, "Referred": names[referred],
        "Channel": CHANNELS[rng.integers(0, len(CHANNELS), n)], "Converted": converted,
    })


def involvement(n: int, seed: int) -> pd.DataFrame:
    rng = _rng(seed, "involvement")
    n_people = n + n // 4  # the people of the referrals log
    names = _people(n_people)
    who = np.sort(rng.integers(0, n_people, n))  # arrivals in order, so actions follow referrals
    when = _times(rng, n)
    action = ACTIONS[rng.choice(len(ACTIONS), n, p=ACTION_P)]
    source = SOURCES[rng.choice(len(SOURCES), n, p=SOURCE_P)]
    value = np.where(np.isin(action, ["donation", "volunteer"]), _str(np.round(rng.lognormal(3, 1, n), 2)), "")
    person = np.where(rng.random(n) < 0.05, "", names[who])  # anonymous callers
    referred_by = np.where((source == "referral") & (who > 0), names[np.maximum(who - 1 - rng.integers(0, 5, n), 0)], "")
    post = np.where(rng.random(n) < 0.1, _str(1_168_834_171_933_140 + rng.integers(0, n, n) * 7919), "")
    date_only = rng.random(n) < 0.3
    stamp = np.where(date_only, when.dt.strftime("%Y-%m-%d").to_numpy(), when.dt.strftime("%Y-%m-%d %H:%M").to_numpy())
    return pd.DataFrame({
        "Date": stamp, "Person": person, "Action": action, "Source": source, "Value": value,
        "Referred by": referred_by, "Post ID": post, "Notes": NOTES[rng.integers(0, len(NOTES), n)],
    })


FILES = {
    "facebook_posts.csv": (facebook_posts, {"encoding": "utf-8-sig"}),
    "tweet_activity_metrics_HillSchool_20240101_20251231_en.csv": (x_posts, {"quoting": 1}),
    "involvement_log.csv": (involvement, {}),
    "referrals_log.csv": (referrals, {}),
}


def write_size(out: Path, label: str, n: int, seed: int, xlsx_max: int) -> dict[str, Path]:
    folder = out / label
    folder.mkdir(parents=True, exist_ok=True)
    manifest = folder / "manifest.json"
    want = {"version": VERSION, "rows": n, "seed": seed, "xlsx": n <= xlsx_max}
    paths = {name: folder / name for name in FILES}
    if want["xlsx"]:
        paths["involvement_log.xlsx"] = folder / "involvement_log.xlsx"
    if manifest.exists() and json.loads(manifest.read_text()) == want and all(p.exists() for p in paths.values()):
        return paths
    for name, (make, kw) in FILES.items():
        df = make(n, seed)
        df.to_csv(paths[name], index=False, lineterminator="\n", **kw)
        if name == "involvement_log.csv" and want["xlsx"]:
            _write_xlsx(df, paths["involvement_log.xlsx"])
        print(f"  wrote {paths[name]} ({paths[name].stat().st_size / 1e6:.1f} MB)", flush=True)
    manifest.write_text(json.dumps(want))
    return paths


def _write_xlsx(df: pd.DataFrame, path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Involvement")
    ws.append(list(df.columns))
    for row in df.itertuples(index=False):
        ws.append([v if v != "" else None for v in row])
    wb.save(path)


def parse_sizes(text: str) -> list[tuple[str, int]]:
    out = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        if part in SIZES:
            out.append((part, SIZES[part]))
        else:
            n = int(float(part.lower().replace("k", "e3").replace("m", "e6")))
            out.append((part, n))
    return out


def main(argv: list[str]) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10k,100k,1M")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--xlsx-max", type=int, default=100_000)
    a = ap.parse_args(argv)
    for label, n in parse_sizes(a.sizes):
        print(f"{label}: {n:,} rows per table -> {a.out / label}", flush=True)
        write_size(a.out, label, n, a.seed, a.xlsx_max)


if __name__ == "__main__":
    main(sys.argv[1:])
