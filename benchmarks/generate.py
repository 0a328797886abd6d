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


# --------------------------------------------------------------------------- the layouts people upload
#
# ``python benchmarks/generate.py --real --sizes 10k,100k,1M`` writes, into ``<out>/real-<N>/``, the exports
# a large organisation downloads, byte for byte in each platform's layout (headers, quoting, BOMs, line ends
# and date formats come from ``sample_data/generate.py``'s writers, where the layouts are documented):
#
# * ``Visit _ enquiry (Responses) - Form responses 1.csv``: N Google Forms responses (every cell quoted,
#   CRLF, ``2026/01/01 8:00:00 AM GMT`` / ``... GMT+1`` in British summer time); about 0.9 N people, 60% of
#   them referred by an earlier respondent ("Who referred you?", an email or sometimes a name): a forest.
# * ``Inscription bénévoles (réponses) - Réponses au formulaire 1.csv``: N/100 responses of a French form
#   (``Horodateur``, ``UTC+1`` timestamps) - localised headers.
# * ``<Mon-DD-YYYY>_<Mon-DD-YYYY>_<id>.csv``: N/5 Facebook posts (Meta Business Suite, 2025 layout).
# * ``Followers.csv``: Meta's per-metric download (UTF-16, ``sep=,``, title line) of daily Facebook followers.
# * ``tweet_activity_metrics_...csv``: N/50 tweets (X's classic layout).
# * ``Attendee summary - Open Morning.csv``: N/100 Eventbrite attendees (UK: ``Surname``, day-first dates).
# * ``SignUpGenius report.csv``: N/100 filled volunteer slots (preamble lines, ``10/04/2025``, ``9:00am``).
# * ``FollowerHistory.csv``: TikTok Studio's daily followers (``"August 18"``: no year).

REAL_END = pd.Timestamp("2026-11-30 18:00")  # data end a few days before "now", so TikTok's years infer
FORMS_NAME = "Visit _ enquiry (Responses) - Form responses 1.csv"
FORMS_FR_NAME = "Inscription bénévoles (réponses) - Réponses au formulaire 1.csv"
FORMS_HEADER = ["Timestamp", "Email address", "Name", "How did you hear about us?", "Who referred you?",
                "What would you like to do?"]
FORMS_FR_HEADER = ["Horodateur", "Adresse e-mail", "Nom", "Comment avez-vous entendu parler de nous ?",
                   "Qui vous a recommandé ?"]
WANTS = np.array(["Book a visit", "Request a prospectus", "Ask about admissions", "Ask a question"], dtype=object)
HEAR_ANSWERS = np.array(sorted(set(_LAYOUTS.HEAR.values())), dtype=object)


def _real_times(rng: np.random.Generator, n: int, days: int = DAYS) -> pd.Series:
    secs = np.sort(rng.uniform(0, days * 86400, n)).astype(np.int64)
    return pd.Series(REAL_END - pd.to_timedelta(days * 86400 - secs, unit="s")).dt.floor("s")


def uk_summer(t: pd.Series) -> np.ndarray:
    """British Summer Time (01:00 UTC on the last Sunday of March to the last Sunday of October), vectorised
    ``sample_data/generate.py``'s ``uk_offset_hours``."""
    years = t.dt.year.to_numpy()
    def last_sunday(month):
        end = pd.to_datetime(pd.DataFrame({"year": years, "month": month + 1, "day": 1})) - pd.Timedelta(days=1)
        return (end - pd.to_timedelta((end.dt.day_of_week + 1) % 7, unit="D")) + pd.Timedelta(hours=1)
    return ((t >= last_sunday(3)) & (t < last_sunday(10))).to_numpy()


def forms_timestamps_text(t: pd.Series, zone: str = "GMT") -> np.ndarray:
    """``2026/01/01 8:00:00 AM GMT`` (``GMT+1`` in summer): Google Forms' download, as ``forms_timestamp``."""
    summer = uk_summer(t)
    local = t + pd.to_timedelta(summer.astype(np.int64), unit="h")
    hour = local.dt.hour.to_numpy()
    h12 = np.where(hour % 12 == 0, 12, hour % 12).astype(str).astype(object)
    ampm = np.where(hour < 12, " AM ", " PM ").astype(object)
    return (local.dt.strftime("%Y/%m/%d ").to_numpy().astype(object) + h12
            + local.dt.strftime(":%M:%S").to_numpy().astype(object) + ampm + np.where(summer, zone + "+1", zone))


def _names(k: np.ndarray) -> np.ndarray:
    first, last = np.array(_LAYOUTS.FIRST, dtype=object), np.array(_LAYOUTS.LAST, dtype=object)
    return first[k % len(first)] + " " + last[(k // len(first)) % len(last)] + " " + _str(k // 7128)


def _forest(rng: np.random.Generator, n_people: int) -> np.ndarray:
    """Referrer of every person (-1: nobody): 60% referred by someone who arrived shortly before."""
    back = np.floor(rng.pareto(1.2, n_people) * 3).astype(np.int64) + 1
    ref = np.arange(n_people) - back
    return np.where((rng.random(n_people) < 0.6) & (ref >= 0), ref, -1)


def forms_responses(n: int, seed: int, *, french: bool = False) -> pd.DataFrame:
    rng = _rng(seed, "forms-fr" if french else "forms")
    n_people = max(1, int(n * 0.9))
    who = np.sort(rng.integers(0, n_people, n))  # arrivals in order: referrers answered first
    offset = 10**7 if french else 0  # other people
    email = np.char.add(np.char.add("parent", (who + offset).astype(str)), "@example.org").astype(object)
    name = _names(who + offset)
    ref = _forest(rng, n_people)[who]
    ref_text = np.where(rng.random(n) < 0.8, np.char.add(np.char.add("parent", (ref + offset).astype(str)),
                                                          "@example.org").astype(object), _names(ref + offset))
    ref_text = np.where(ref >= 0, ref_text, "")
    hear = HEAR_ANSWERS[rng.integers(0, len(HEAR_ANSWERS), n)]
    hear = np.where((ref >= 0) & (rng.random(n) < 0.7), "A friend or family member", hear)
    hear = np.where(rng.random(n) < 0.05, "", hear)
    no_email = rng.random(n) < 0.05
    email = np.where(no_email, "", email)
    name = np.where(rng.random(n) < 0.1, np.char.lower(name.astype(str)).astype(object), name)
    t = _real_times(rng, n)
    cols = [forms_timestamps_text(t, "UTC" if french else "GMT"), email, name, hear, ref_text]
    if not french:
        cols.append(WANTS[rng.choice(len(WANTS), n, p=[0.45, 0.25, 0.2, 0.1])])
    return pd.DataFrame(dict(zip(FORMS_FR_HEADER if french else FORMS_HEADER, cols)))


def meta_quoted(df: pd.DataFrame) -> pd.Series:
    """Rows joined as ``write_meta_csv`` writes them (quoted only with a space, comma, quote or newline)."""
    out = None
    for c in df.columns:
        s = pd.Series(df[c].to_numpy(), dtype="str")
        needs = s.str.contains(r'[ ,"\n]', regex=True)
        s = s.where(~needs, '"' + s.str.replace('"', '""', regex=False) + '"')
        out = s if out is None else out + "," + s
    return out


def write_meta(path: Path, df: pd.DataFrame) -> None:
    header = ",".join(_LAYOUTS.meta_quote(c) for c in df.columns)
    body = "\n".join(meta_quoted(df).tolist())
    path.write_bytes(("\ufeff" + header + "\n" + body + "\n").encode("utf-8"))


def facebook_followers_text(days: int, seed: int) -> bytes:
    rng = _rng(seed, "fb-followers")
    start = (REAL_END - pd.Timedelta(days=days - 1)).normalize()
    followers = 4000 + np.cumsum(rng.integers(-3, 12, days))
    lines = ["sep=,", '"Facebook followers"', '"Date","Primary"']
    lines += [f'"{d:%Y-%m-%dT00:00:00}","{v}"' for d, v in zip(pd.date_range(start, periods=days), followers)]
    return ("\n".join(lines) + "\n\n").encode("utf-16")


def tiktok_followers_text(days: int, seed: int) -> bytes:
    rng = _rng(seed, "tiktok")
    start = (REAL_END - pd.Timedelta(days=days - 1)).normalize()
    diff = rng.integers(-5, 40, days)
    total = 2000 + np.cumsum(diff)
    lines = ['"Date","Followers","Difference in followers from previous day"']
    lines += [f'"{d:%B} {d.day}","{t}","{x}"' for d, t, x in zip(pd.date_range(start, periods=days), total, diff)]
    return ("\ufeff" + "\n".join(lines) + "\n").encode("utf-8")


def eventbrite_attendees(n: int, seed: int) -> pd.DataFrame:
    rng = _rng(seed, "eventbrite")
    t = _real_times(rng, n)
    k = rng.integers(0, 10**6, n) + 2 * 10**7  # other people than the forms'
    first, last = np.array(_LAYOUTS.FIRST, dtype=object), np.array(_LAYOUTS.LAST, dtype=object)
    order = _str(1_000_000_000 + np.arange(n) * 7)
    status = np.array(["Attending", "Checked in", "Refunded"], dtype=object)[rng.choice(3, n, p=[0.6, 0.35, 0.05])]
    cols = {c: "" for c in _LAYOUTS.EB_HEADER}
    cols.update({
        "Order no.": order, "Order date": t.dt.strftime("%d/%m/%Y %H:%M").to_numpy(), "First name": first[k % 81],
        "Surname": last[k % 88], "Email": np.char.add(np.char.add("guest", k.astype(str)), "@example.org"),
        "Quantity": "1", "Ticket type": "Open Morning - family place", "Attendee no.": _str(2 * 10**10 + np.arange(n)),
        "Order type": "Free Order", "Total paid": "0.00", "Fees paid": "0.00", "Eventbrite fees": "0.00",
        "Eventbrite payment processing": "0.00", "Attendee status": status,
        "How did you hear about us?": HEAR_ANSWERS[rng.integers(0, len(HEAR_ANSWERS), n)],
    })
    return pd.DataFrame(cols)[_LAYOUTS.EB_HEADER]


SUG_HEADER = ["Sign Up", "Start Date", "Start Time", "End Time", "Location", "Item", "First Name", "Last Name",
              "Email", "Comment", "Qty"]


def signupgenius_text(n: int, seed: int) -> bytes:
    rng = _rng(seed, "signupgenius")
    day = _real_times(rng, n).dt.normalize()
    start = rng.integers(8, 16, n)
    k = rng.integers(0, 10**5, n) + 3 * 10**7
    first, last = np.array(_LAYOUTS.FIRST, dtype=object), np.array(_LAYOUTS.LAST, dtype=object)
    clock = lambda h: np.where(h < 12, _str(h) + ":00am", _str(np.where(h > 12, h - 12, h)) + ":00pm")  # noqa: E731
    df = pd.DataFrame({
        "Sign Up": "Autumn Fair Volunteers", "Start Date": day.dt.strftime("%m/%d/%Y").to_numpy(),
        "Start Time": clock(start), "End Time": clock(start + rng.integers(1, 4, n)), "Location": "Main hall",
        "Item": np.array(["Cake stall", "Tombola", "Car park"], dtype=object)[rng.integers(0, 3, n)],
        "First Name": first[k % 81], "Last Name": last[k % 88],
        "Email": np.char.add(np.char.add("helper", k.astype(str)), "@example.org"), "Comment": "", "Qty": "1",
    })
    return ("SignUpGenius Report\r\nAutumn Fair Volunteers\r\nCreated by: PTA\r\n\r\n"
            + df.to_csv(index=False, lineterminator="\r\n")).encode("utf-8")


REAL_VERSION = 1


def write_real(out: Path, label: str, n: int, seed: int) -> list[Path]:
    """The real-layout files for ``n`` responses into ``<out>/real-<label>/`` (kept when already there)."""
    folder = out / f"real-{label}"
    folder.mkdir(parents=True, exist_ok=True)
    manifest = folder / "manifest.json"
    want = {"version": REAL_VERSION, "rows": n, "seed": seed}
    fb_name = f"{(REAL_END - pd.Timedelta(days=DAYS)):%b-%d-%Y}_{REAL_END:%b-%d-%Y}_3019447215680432.csv"
    x_name = f"tweet_activity_metrics_HillSchool_{(REAL_END - pd.Timedelta(days=DAYS)):%Y%m%d}_{REAL_END:%Y%m%d}_en.csv"
    names = [FORMS_NAME, FORMS_FR_NAME, fb_name, "Followers.csv", x_name, "Attendee summary - Open Morning.csv",
             "SignUpGenius report.csv", "FollowerHistory.csv"]
    paths = [folder / nm for nm in names]
    if manifest.exists() and json.loads(manifest.read_text()) == want and all(p.exists() for p in paths):
        return paths
    small = max(10, n // 100)
    _LAYOUTS.write_csv(paths[0], FORMS_HEADER, forms_responses(n, seed).values.tolist(), quote_all=True)
    _LAYOUTS.write_csv(paths[1], FORMS_FR_HEADER, forms_responses(small, seed, french=True).values.tolist(),
                       quote_all=True)
    fb = facebook_posts(max(10, n // 5), seed)
    when = _real_times(_rng(seed, "fb-times"), len(fb))
    fb["Publish time"] = when.dt.strftime("%m/%d/%Y %H:%M").to_numpy()
    write_meta(paths[2], fb.iloc[::-1])  # Meta lists the newest post first
    paths[3].write_bytes(facebook_followers_text(DAYS, seed))
    x = x_posts(max(10, n // 50), seed)
    x["time"] = _real_times(_rng(seed, "x-times"), len(x)).dt.strftime("%Y-%m-%d %H:%M +0000").to_numpy()
    _LAYOUTS.write_csv(paths[4], list(x.columns), x.values.tolist(), quote_all=True, newline="\n")
    eb = eventbrite_attendees(small, seed)
    _LAYOUTS.write_csv(paths[5], list(eb.columns), eb.values.tolist())
    paths[6].write_bytes(signupgenius_text(small, seed))
    paths[7].write_bytes(tiktok_followers_text(365, seed))
    for p in paths:
        print(f"  wrote {p} ({p.stat().st_size / 1e6:.1f} MB)", flush=True)
    manifest.write_text(json.dumps(want))
    return paths


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
    ap.add_argument("--real", action="store_true", help="write the real-layout set (see write_real)")
    a = ap.parse_args(argv)
    for label, n in parse_sizes(a.sizes):
        if a.real:
            print(f"{label}: {n:,} responses in the real layouts -> {a.out / ('real-' + label)}", flush=True)
            write_real(a.out, label, n, a.seed)
            continue
        print(f"{label}: {n:,} rows per table -> {a.out / label}", flush=True)
        write_size(a.out, label, n, a.seed, a.xlsx_max)


if __name__ == "__main__":
    main(sys.argv[1:])
