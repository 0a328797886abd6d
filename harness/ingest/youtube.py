"""YouTube Studio exports (the zip from Analytics > Advanced mode > Export).

The zip holds ``Table data.csv`` (one row per video, with a ``Total`` row
first - dropped by the core), ``Chart data.csv`` (per video per day) and
``Totals.csv`` (per day, channel-wide).

Rules that change numbers:

* Table data -> ``posts``: ``post_id`` = Content (the video id),
  ``views`` = Views, ``reactions`` = Likes, ``comments`` = Comments added,
  ``shares`` = Shares, when those columns were ticked in Studio.
* Totals -> ``audience`` (platform youtube): ``views`` = Views,
  ``new_followers`` = Subscribers (net: gained minus lost, as Studio gives).
* Chart data repeats Table data day by day; it adds nothing the dashboard
  uses, so it is recognised and skipped with a note.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from harness.ingest import values as V
from harness.ingest.build import ColumnReader, detect_by_columns
from harness.ingest.registry import Parsed, Raw, Source, register

PUBLISH = ("%b %d, %Y", "%B %d, %Y", "%Y-%m-%d", "%d %b %Y", "%m/%d/%Y")


def _base(raw: Raw) -> str:
    return PurePosixPath(raw.file_name).name.lower()


def detect_table(raw: Raw) -> float:
    if V.find_column(raw.frame.columns, "date"):
        return 0.0
    return detect_by_columns(raw, (("content", "video"), ("video title",), ("video publish time",)),
                             (("views",), ("watch time hours",), ("impressions",)))


def read_table(raw: Raw) -> Parsed:
    r = ColumnReader(raw)
    ids = r.ids("post_id", "Content", "Video")
    posts = r.table("posts", {
        "post_id": ids,
        "url": "https://www.youtube.com/watch?v=" + ids,
        "platform": "youtube",
        "published_at": r.times("published_at", "Video publish time", formats=PUBLISH),
        "author_kind": "organisation",
        "text": r.text("text", "Video title"),
        "post_type": "Video",
        "reactions": r.ints("reactions", "Likes"),
        "comments": r.ints("comments", "Comments added", "Comments"),
        "shares": r.ints("shares", "Shares"),
        "views": r.ints("views", "Views"),
    })
    return r.parsed(posts=posts)


def detect_totals(raw: Raw) -> float:
    if not _base(raw).startswith("totals"):
        return 0.0
    return detect_by_columns(raw, (("date",),), (("views",), ("subscribers",), ("watch time hours",)))


def read_totals(raw: Raw) -> Parsed:
    r = ColumnReader(raw)
    audience = r.table("audience", {
        "date": r.times("date", "Date", formats=("%Y-%m-%d", "%b %d, %Y")).dt.floor("D"),
        "platform": "youtube",
        "views": r.ints("views", "Views"),
        "new_followers": r.ints("new_followers", "Subscribers"),
    })
    return r.parsed(audience=audience)


def detect_chart(raw: Raw) -> float:
    return detect_by_columns(raw, (("date",), ("content",), ("video title",)), (("views",),))


def read_chart(raw: Raw) -> Parsed:
    return Parsed(warnings=["YouTube 'Chart data' (per video per day) is not needed: the dashboard uses "
                            "'Table data.csv' and 'Totals.csv' from the same zip"])


register(Source(
    id="youtube_table", label="YouTube Studio - Table data (per video)", tables=("posts",),
    detect=detect_table, read=read_table,
    expects="'Table data.csv' from the Studio export zip, with 'Content', 'Video title', 'Video publish time'",
))
register(Source(
    id="youtube_totals", label="YouTube Studio - Totals (per day)", tables=("audience",),
    detect=detect_totals, read=read_totals,
    expects="'Totals.csv' from the Studio export zip, with 'Date' and 'Views' or 'Subscribers'",
))
register(Source(
    id="youtube_chart", label="YouTube Studio - Chart data", tables=(),
    detect=detect_chart, read=read_chart,
    expects="'Chart data.csv' from the Studio export zip",
))
