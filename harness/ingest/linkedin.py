"""LinkedIn page analytics exports (.xls or .xlsx; a note in row 1, header in row 2).

* Content export: sheet ``Metrics`` (one row per day) and sheet ``All posts``.
* Followers export: sheet ``New followers`` (one row per day).
* Visitors export: sheet ``Visitor metrics`` (one row per day).
The other sheets (followers by location, industry...) are demographics the
dashboard does not use; they are skipped with a note.

Rules that change numbers:

* Dates are ``MM/DD/YYYY``.
* Metrics -> ``audience``: ``views`` = Impressions (total), ``reach`` =
  Unique impressions (organic), ``link_clicks`` = Clicks (total),
  ``interactions`` = Reactions + Comments + Reposts (total).
* New followers -> ``audience``: ``new_followers`` = Total followers (that
  sheet's "Total" is the day's organic + sponsored gain, not a running total).
* Visitors -> ``audience``: ``visits`` = Total page views (total).
* All posts -> ``posts``: ``post_id`` = the activity number in the post link
  (``urn:li:activity:<19 digits>``), else the whole link; ``reactions`` =
  Likes/Reactions, ``shares`` = Reposts, ``views`` = Impressions.
"""

from __future__ import annotations

import pandas as pd

from harness.ingest import values as V
from harness.ingest.build import ColumnReader, detect_by_columns
from harness.ingest.registry import Parsed, Raw, Source, register

DATES = ("%m/%d/%Y", "%m/%d/%y", "%Y-%m-%d")


def _sheet(raw: Raw) -> str:
    return V.norm_header(raw.sheet or "")


# --------------------------------------------------------------------------- content

def detect_content(raw: Raw) -> float:
    cols = raw.frame.columns
    if V.find_column(cols, "impressions total") and V.find_column(cols, "date"):
        return 0.95 if _sheet(raw) in ("metrics", "") else 0.8
    if V.find_column(cols, "post link", "post url") and V.find_column(cols, "created date", "date", "published date"):
        return detect_by_columns(raw, (("impressions",),), (("post title",), ("post type",), ("clicks",),
                                                            ("likes", "reactions"), ("reposts", "shares")))
    return 0.0


def _post_ids(link: pd.Series) -> pd.Series:
    activity = link.str.extract(r"(?:activity|share|ugcPost)[:%3A]+(\d{15,22})", expand=False)
    return activity.fillna(link)


def read_content(raw: Raw) -> Parsed:
    r = ColumnReader(raw)
    if r.has("impressions total"):
        audience = r.table("audience", {
            "date": r.times("date", "Date", formats=DATES).dt.floor("D"),
            "platform": "linkedin",
            "views": r.ints("views", "Impressions (total)"),
            "reach": r.ints("reach", "Unique impressions (organic)", "Unique impressions (total)"),
            "link_clicks": r.ints("link_clicks", "Clicks (total)"),
            "interactions": r.total("interactions", "Reactions (total)", "Comments (total)",
                                    ("Reposts (total)", "Shares (total)")),
        })
        return r.parsed(audience=audience)
    link = r.text("url", "Post link", "Post url")
    r.reject(link.isna(), f"'{r.find('Post link', 'Post url')}' is empty")
    posts = r.table("posts", {
        "post_id": _post_ids(link),
        "platform": "linkedin",
        "published_at": r.times("published_at", "Created date", "Date", "Published date", formats=DATES),
        "author_kind": "organisation",
        "author": r.text("author", "Posted by", "Published by"),
        "text": r.text("text", "Post title", "Update title"),
        "url": link,
        "post_type": r.text("post_type", "Content Type", "Post type"),
        "reactions": r.ints("reactions", "Likes", "Reactions"),
        "comments": r.ints("comments", "Comments"),
        "shares": r.ints("shares", "Reposts", "Shares"),
        "clicks": r.ints("clicks", "Clicks"),
        "views": r.ints("views", "Impressions"),
    })
    r.mapping["post_id"] = r.mapping.get("url", "Post link") + " (activity number)"
    return r.parsed(posts=posts)


# --------------------------------------------------------------------------- followers / visitors

def detect_followers(raw: Raw) -> float:
    hit = detect_by_columns(raw, (("date",), ("total followers",)), (("organic followers", "followers organic"),
                                                                     ("sponsored followers", "followers sponsored")))
    return hit if hit and (_sheet(raw) in ("new followers", "") or hit > 0.6) else 0.0


def read_followers(raw: Raw) -> Parsed:
    r = ColumnReader(raw)
    audience = r.table("audience", {
        "date": r.times("date", "Date", formats=DATES).dt.floor("D"),
        "platform": "linkedin",
        "new_followers": r.ints("new_followers", "Total followers"),
    })
    return r.parsed(audience=audience)


def detect_visitors(raw: Raw) -> float:
    return detect_by_columns(raw, (("date",), ("total page views total", "page views total")),
                             (("total unique visitors total", "unique visitors total"),))


def read_visitors(raw: Raw) -> Parsed:
    r = ColumnReader(raw)
    audience = r.table("audience", {
        "date": r.times("date", "Date", formats=DATES).dt.floor("D"),
        "platform": "linkedin",
        "visits": r.ints("visits", "Total page views (total)", "Page views (total)"),
    })
    return r.parsed(audience=audience)


def detect_demographics(raw: Raw) -> float:
    cols = raw.headers
    if len(cols) == 2 and cols[1] in ("total followers", "total views") and cols[0] in (
            "location", "function", "job function", "seniority", "experience level", "industry", "company size"):
        return 0.9
    return 0.0


def read_demographics(raw: Raw) -> Parsed:
    return Parsed(warnings=[f"LinkedIn demographics ('{raw.frame.columns[0]}') are not used by the dashboard"])


register(Source(
    id="linkedin_content", label="LinkedIn page - content (Metrics and All posts)", tables=("posts", "audience"),
    detect=detect_content, read=read_content,
    expects="the content export (.xls/.xlsx) with sheets 'Metrics' and 'All posts'",
))
register(Source(
    id="linkedin_followers", label="LinkedIn page - followers", tables=("audience",),
    detect=detect_followers, read=read_followers,
    expects="the followers export with a 'New followers' sheet ('Date', 'Total followers')",
))
register(Source(
    id="linkedin_visitors", label="LinkedIn page - visitors", tables=("audience",),
    detect=detect_visitors, read=read_visitors,
    expects="the visitors export with 'Date' and 'Total page views (total)'",
))
register(Source(
    id="linkedin_demographics", label="LinkedIn page - demographics", tables=(),
    detect=detect_demographics, read=read_demographics,
    expects="a LinkedIn demographics sheet (location, industry...)",
))
