"""TikTok Studio exports (FollowerHistory, Viewers, Overview, Content).

Rules that change numbers:

* Dates often have no year (``"August 18"``). The rows are consecutive
  days, so a jump backwards of more than half a year is a New Year; the
  latest row gets the most recent year that is not in the future
  (``values.infer_years``). A warning says the year was inferred.
* ``undefined`` means "no data": null, never 0.
* FollowerHistory: ``followers`` = Followers (running total),
  ``new_followers`` = "Difference in followers from previous day" (net).
  Viewers: ``reach`` = Total Viewers. Overview: ``views`` = Video views,
  ``visits`` = Profile views, ``interactions`` = Likes + Comments + Shares.
"""

from __future__ import annotations

import pandas as pd

from harness.ingest import values as V
from harness.ingest.build import ColumnReader, detect_by_columns
from harness.ingest.registry import Parsed, Raw, Source, register

YEARLESS = ("%B %d", "%b %d")
DATED = ("%Y-%m-%d", "%B %d, %Y", "%b %d, %Y", "%m/%d/%Y")


def _dates(r: ColumnReader, raw: Raw, col_names: tuple[str, ...] = ("Date",)) -> pd.Series:
    """Day of each row: with a year when the file has one, else inferred."""
    col = r.find(*col_names)
    if col is None:
        raise ValueError(f"it has no '{col_names[0]}' column")
    r.mapping["date"] = col
    cells = r.frame[col]
    text = V.clean_text(cells)
    head = text.dropna().head(20)
    language = None
    if len(head) and pd.to_datetime("2000 " + head, format="%Y %B %d", errors="coerce").isna().any() \
            and pd.to_datetime("2000 " + head, format="%Y %b %d", errors="coerce").isna().any():
        english, language = V.english_month_days(cells)
        if language is not None or english.notna().any():
            cells = text = english.fillna(text)
            head = text.dropna().head(20)
    for fmt in YEARLESS:
        probe = pd.to_datetime("2000 " + head, format="%Y " + fmt, errors="coerce")
        if len(probe) and probe.notna().all():
            days, bad = V.infer_years(cells, fmt, reference=uploaded_day(raw))
            r.guessed_years = True
            if days.notna().any():
                first, last = days.dropna().iloc[0], days.dropna().iloc[-1]
                said = f" (month names in {language})" if language else ""
                r.warnings.append(
                    f"the dates have no year{said}; read as {first:%d %b %Y} to {last:%d %b %Y}: consecutive days "
                    "ending no later than the day the file was uploaded")
            original = r.frame[col]
            r.reject(bad, lambda i: f"'{col}' is not a date: '{original[i]}'")
            r.reject(days.isna() & ~bad, f"'{col}' is empty")
            return days
    return r.times("date", col, formats=DATED).dt.floor("D")


def _parsed(r: ColumnReader, **tables) -> Parsed:
    parsed = r.parsed(**tables)
    parsed.guessed_years = getattr(r, "guessed_years", False)
    return parsed


def uploaded_day(raw: Raw) -> pd.Timestamp | None:
    """The day the file was uploaded, when the caller said (``Raw.uploaded``); else today."""
    return getattr(raw, "uploaded", None)


def detect_followers(raw: Raw) -> float:
    return detect_by_columns(raw, (("date",), ("followers",)),
                             (("difference in followers from previous day",),))


def detect_viewers(raw: Raw) -> float:
    return detect_by_columns(raw, (("date",), ("total viewers",)), (("new viewers",), ("returning viewers",)))


def detect_overview(raw: Raw) -> float:
    return detect_by_columns(raw, (("date",), ("video views",), ("profile views",)),
                             (("likes",), ("comments",), ("shares",)))


def read_followers(raw: Raw) -> Parsed:
    r = ColumnReader(raw)
    audience = r.table("audience", {
        "date": _dates(r, raw),
        "platform": "tiktok",
        "followers": r.ints("followers", "Followers"),
        "new_followers": r.ints("new_followers", "Difference in followers from previous day"),
    })
    return _parsed(r, audience=audience)


def read_viewers(raw: Raw) -> Parsed:
    r = ColumnReader(raw)
    audience = r.table("audience", {
        "date": _dates(r, raw),
        "platform": "tiktok",
        "reach": r.ints("reach", "Total Viewers"),
    })
    return _parsed(r, audience=audience)


def read_overview(raw: Raw) -> Parsed:
    r = ColumnReader(raw)
    audience = r.table("audience", {
        "date": _dates(r, raw),
        "platform": "tiktok",
        "views": r.ints("views", "Video views"),
        "visits": r.ints("visits", "Profile views"),
        "interactions": r.total("interactions", "Likes", "Comments", "Shares"),
    })
    return _parsed(r, audience=audience)


register(Source(
    id="tiktok_followers", label="TikTok Studio - follower history", tables=("audience",),
    detect=detect_followers, read=read_followers,
    expects="FollowerHistory.csv with 'Date', 'Followers', 'Difference in followers from previous day'",
))
register(Source(
    id="tiktok_viewers", label="TikTok Studio - viewers", tables=("audience",),
    detect=detect_viewers, read=read_viewers,
    expects="Viewers.csv with 'Date', 'Total Viewers', 'New Viewers', 'Returning Viewers'",
))
register(Source(
    id="tiktok_overview", label="TikTok Studio - overview", tables=("audience",),
    detect=detect_overview, read=read_overview,
    expects="Overview.csv with 'Date', 'Video views', 'Profile views', 'Likes', 'Comments', 'Shares'",
))
