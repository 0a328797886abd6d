"""TikTok Studio exports (FollowerHistory, Viewers, Overview, Content).

Rules that change numbers:

* Dates often have no year (``"August 18"``), and follow the account's
  language (``"8 de marzo"``, ``"17 Μαρτίου"``; headers stay English). The
  rows are consecutive days, so a jump backwards of more than half a year is
  a New Year; the latest row gets the most recent year that is not after the
  day the file was uploaded (``ingest_bytes(uploaded=...)``, else today;
  ``values.infer_years``). A warning says the year was inferred, and the
  report is marked ``guessed_years`` so such a file does not move the default
  period past uploads that state their year (``periods.default_period``).
* Content.csv: ``Time`` is the export day; each year-less ``Post time`` gets
  the latest year not after it. ``post_id`` = the number in ``Video link``.
* FollowerActivity.csv (active followers by hour) is recognised and set
  aside with a note: no score uses it.
* ``undefined`` means "no data": null, never 0.
* FollowerHistory: ``followers`` = Followers (running total),
  ``new_followers`` = "Difference in followers from previous day" (net).
  Viewers: ``reach`` = Total Viewers. Overview: ``views`` = Video views,
  ``visits`` = Profile views, ``interactions`` = Likes + Comments + Shares,
  ``new_followers`` = New followers where the file has it.
"""

from __future__ import annotations

import pandas as pd

from harness.ingest import values as V
from harness.ingest.build import ColumnReader, Total, detect_by_columns
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
    return r.daily("tiktok", _dates(r, raw), followers=("Followers",),
                   new_followers=("Difference in followers from previous day",))


def read_viewers(raw: Raw) -> Parsed:
    r = ColumnReader(raw)
    return r.daily("tiktok", _dates(r, raw), reach=("Total Viewers",))


def read_overview(raw: Raw) -> Parsed:
    r = ColumnReader(raw)
    return r.daily("tiktok", _dates(r, raw), views=("Video views",), visits=("Profile views",),
                   new_followers=("New followers", "Net followers"),
                   interactions=Total("Likes", "Comments", "Shares"))


# --------------------------------------------------------------------------- per-video files

VIDEO_ID = r"/video/(\d+)"
POST_TIMES = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d", "%m/%d/%Y %H:%M", "%m/%d/%Y", "%B %d, %Y",
              "%b %d, %Y")


def detect_videos(raw: Raw) -> float:
    return detect_by_columns(raw, (("video link",), ("post time",)),
                             (("video title",), ("total views", "video views"), ("total likes", "likes"),
                              ("total comments", "comments"), ("total shares", "shares")))


def _post_times(r: ColumnReader, raw: Raw) -> pd.Series:
    """Post time with its year when written; year-less ones ("April 17") are on or before the export day.

    Content.csv's ``Time`` column is the day it was exported ("May 16", year-less too): it is read
    against the day the file was uploaded, then each post gets the latest year not after it.
    """
    col = r.find("Post time")
    r.mapping["published_at"] = col
    cells = r.frame[col]
    text = V.clean_text(cells)
    english, _language = V.english_month_days(cells)
    text = english.fillna(text)
    dated, bad = V.parse_datetimes(text, POST_TIMES)
    yearless = pd.to_datetime("2000 " + text, format="%Y %B %d", errors="coerce")
    todo = yearless.notna() & dated.isna()
    if todo.any():
        export_col = r.find("Time")
        ref = uploaded_day(raw) or pd.Timestamp.now(tz="UTC")
        ref = pd.Timestamp(ref).tz_localize("UTC") if pd.Timestamp(ref).tzinfo is None else pd.Timestamp(ref)
        if export_col is not None:
            days, _ = V.infer_years(V.english_month_days(r.frame[export_col])[0].fillna(
                V.clean_text(r.frame[export_col])), "%B %d", reference=ref)
            if days.notna().any():
                ref = days.dropna().max()
        month, day = yearless.dt.month, yearless.dt.day
        after = (month > ref.month) | ((month == ref.month) & (day > ref.day))
        years = ref.year - after.astype(int)
        stamps = pd.to_datetime(pd.DataFrame({"year": years[todo], "month": month[todo], "day": day[todo]}),
                                errors="coerce").dt.tz_localize("UTC")
        dated = dated.copy()
        dated[todo] = stamps.astype(V.UTC_TIME)
        bad = bad & ~todo
        r.guessed_years = True
        r.warnings.append(f"the post times have no year; each was read as the latest one not after the day the "
                          f"file was exported ({ref:%d %b %Y})")
    r.reject(bad, lambda i: f"'{col}' is not a date: '{cells[i]}'")
    r.reject(dated.isna() & ~bad, f"'{col}' is empty")
    return dated


def read_videos(raw: Raw) -> Parsed:
    r = ColumnReader(raw)
    url = r.text("url", "Video link")
    ids = V.extract_first(url, VIDEO_ID)
    r.reject(ids.isna(), "'Video link' has no TikTok video id (…/video/123…)")
    posts = r.table("posts", {
        "post_id": ids,
        "platform": "tiktok",
        "published_at": _post_times(r, raw),
        "author_kind": "organisation",
        "author": V.extract_first(url, r"tiktok\.com/@([^/?]+)"),
        "text": r.text("text", "Video title"),
        "url": url,
        "post_type": "Video",
        "reactions": r.ints("reactions", "Total likes", "Likes"),
        "comments": r.ints("comments", "Total comments", "Comments"),
        "shares": r.ints("shares", "Total shares", "Shares"),
        "saves": r.ints("saves", "Add to favorites", "Total bookmarks", "Favorites"),
        "views": r.ints("views", "Total views", "Video views", "Total play time views"),
    })
    parsed = r.parsed(posts=posts)
    if r.has("New followers"):
        parsed.warnings.append("'New followers' per video is not used: followers are counted per day, from the "
                               "overview or follower history")
    return parsed


def detect_follower_activity(raw: Raw) -> float:
    return detect_by_columns(raw, (("date",), ("hour",), ("active followers",)))


def read_follower_activity(raw: Raw) -> Parsed:
    return Parsed(warnings=["TikTok follower activity (how many followers were online each hour) was read, but no "
                            "score uses it: the dashboard counts followers and what they do, not when they are online"])


register(Source(
    id="tiktok_videos", label="TikTok Studio - content (per video)", tables=("posts",),
    detect=detect_videos, read=read_videos,
    expects="Content.csv with 'Video title', 'Video link', 'Post time', 'Total likes', 'Total views'",
))
register(Source(
    id="tiktok_follower_activity", label="TikTok Studio - follower activity (by hour)", tables=(),
    detect=detect_follower_activity, read=read_follower_activity,
    expects="FollowerActivity.csv with 'Date', 'Hour', 'Active followers'",
))
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
