"""X (Twitter) analytics exports.

Classic ``tweet_activity_metrics_<handle>_<from>_<to>_<lang>.csv``: counts as
floats (``"424.0"``), ``-`` in promoted columns (null, not 0), times with
``+0000``; its by-day twin ``daily_tweet_activity_metrics_…`` has one row per
day (``Date, Tweets published, impressions, …, follows``). The 2024+
exports: ``account_analytics_content_*.csv`` (one row per post; early 2025:
``Link``, ``Share``, dates like ``"Mon Feb 17 2025"``) and
``account_overview_analytics.csv`` (one row per day, ``"Tue, Feb 18, 2025"``).

Rules that change numbers:

* ``reactions`` = likes, ``comments`` = replies, ``shares`` = retweets /
  reposts, ``saves`` = bookmarks, ``views`` = impressions.
* ``clicks`` = url + user-profile + hashtag + permalink clicks + detail
  expands (every click-type column present; null when none has a value).
* Classic daily -> ``audience``: ``views`` = impressions, ``new_followers`` =
  follows, ``visits`` = user profile clicks, ``link_clicks`` = url clicks,
  ``interactions`` = likes + replies + retweets.
* Early-2025 ``Share`` (sent or copied, not reposted) has no column of ours;
  ``shares`` stays Reposts.
* Overview -> ``audience``: ``views`` = Impressions, ``new_followers`` = New
  follows (gross; X reports unfollows separately), ``visits`` = Profile
  visits, ``interactions`` = Likes + Replies + Reposts.
"""

from __future__ import annotations

import re

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from harness.ingest import values as V
from harness.ingest.build import ColumnReader, Total, detect_by_columns
from harness.ingest.registry import Parsed, Raw, Source, register

CLASSIC_TIME = ("%Y-%m-%d %H:%M %z", "%Y-%m-%d %H:%M:%S %z", "%Y-%m-%d %H:%M")
CLASSIC_DAYS = ("%Y-%m-%d", "%Y-%m-%d %H:%M %z", "%m/%d/%Y")
# "Tue, Aug 25, 2026" (2025-26) and "Mon Feb 17 2025" (early 2025) as X writes them.
NEW_DATES = ("%a, %b %d, %Y", "%a, %b %d, %Y %H:%M", "%a %b %d %Y", "%a %b %d %Y %H:%M", "%b %d, %Y",
             "%m/%d/%Y", "%Y-%m-%d")
CLICKS = Total("url clicks", "user profile clicks", "profile visits", "hashtag clicks", "permalink clicks",
               "detail expands")


_STATUS_URL = r"(?:twitter|x)\.com/(?P<handle>[^/]+)/status"


def _handle_from(url: pd.Series, file_name: str) -> pd.Series:
    from_url = V.str_series(_handles(V.arrow_cells(url)), url.index)
    m = re.search(r"tweet_activity_metrics_(.+?)_\d{8}_\d{8}", file_name)
    return from_url.fillna(m.group(1)) if m else from_url


def _handles(cells: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """The handle in every permalink (null where there is none), as ``_STATUS_URL``'s first match."""
    first = cells.drop_null()
    m = re.search(_STATUS_URL, first[0].as_py()) if len(first) else None
    if m is not None:
        # One account's export: when every link starts like the first one, up to and including its
        # "/status", each one's first match is that same handle. A prefix test is ~10x a regex search.
        same = pc.starts_with(cells, m.string[:m.end()])
        if pc.all(pc.fill_null(same, True)).as_py():
            return pc.if_else(same, pa.scalar(m.group("handle"), pa.large_string()),
                              pa.scalar(None, pa.large_string()))
    found = pc.extract_regex(cells, _STATUS_URL)  # Arrow's RE2: pandas' extract runs Python's re per cell
    return pc.if_else(found.is_valid(), pc.struct_field(found, [0]), pa.scalar(None, pa.large_string()))


# --------------------------------------------------------------------------- classic

def detect_classic(raw: Raw) -> float:
    return detect_by_columns(raw, (("tweet id",), ("time",)),
                             (("tweet permalink",), ("tweet text",), ("impressions",), ("retweets",), ("likes",)))


def read_classic(raw: Raw) -> Parsed:
    return _read_posts(raw, url=("Tweet permalink",), post_id=("Tweet id",), published_at=("time",),
                       formats=CLASSIC_TIME, text=("Tweet text",), reactions=("likes", "favorites"),
                       comments=("replies",), shares=("retweets",), clicks=CLICKS, views=("impressions",))


def _read_posts(raw: Raw, url: tuple[str, ...], post_id: tuple[str, ...], published_at: tuple[str, ...],
                formats: tuple[str, ...], text: tuple[str, ...], **counts) -> Parsed:
    """One row a post, from either generation of the per-post export (each argument: the file's names)."""
    r = ColumnReader(raw)
    link = r.text("url", *url)
    posts = r.table("posts", {
        "post_id": r.ids("post_id", *post_id),
        "platform": "x",
        "published_at": r.times("published_at", *published_at, formats=formats),
        "author_kind": "organisation",
        "author": _handle_from(link, raw.file_name),
        "text": r.text("text", *text),
        "url": link,
        **r.counts(**counts),
    })
    return r.parsed(posts=posts)


# --------------------------------------------------------------------------- 2024+ content

def detect_content(raw: Raw) -> float:
    return detect_by_columns(raw, (("post id",), ("date",), ("impressions",)),
                             (("post text",), ("post link", "link"), ("reposts",), ("bookmarks",), ("replies",)))


def read_content(raw: Raw) -> Parsed:
    return _read_posts(raw, url=("Post Link", "Post link", "Link"), post_id=("Post id",), published_at=("Date",),
                       formats=NEW_DATES, text=("Post text",), reactions=("Likes",), comments=("Replies",),
                       shares=("Reposts",), saves=("Bookmarks",), clicks=CLICKS, views=("Impressions",))


# --------------------------------------------------------------------------- 2024+ overview

def detect_overview(raw: Raw) -> float:
    return _detect_days(raw, (("date",), ("impressions",), ("new follows",)),
                        (("unfollows",), ("profile visits",), ("likes",), ("reposts",), ("create post",)))


def read_overview(raw: Raw) -> Parsed:
    return _read_days(raw, NEW_DATES, new_followers=("New follows",), views=("Impressions",),
                      visits=("Profile visits",), interactions=Total("Likes", "Replies", "Reposts"))


def _detect_days(raw: Raw, required, optional) -> float:
    """A by-day export (either generation): never a per-post one, which has a date and impressions too."""
    if V.find_column(raw.frame.columns, "post id", "tweet id"):
        return 0.0
    return detect_by_columns(raw, required, optional)


def _read_days(raw: Raw, formats: tuple[str, ...], **counts) -> Parsed:
    r = ColumnReader(raw)
    return r.daily("x", r.times("date", "Date", formats=formats).dt.floor("D"), **counts)


# --------------------------------------------------------------------------- classic daily

def detect_classic_daily(raw: Raw) -> float:
    return _detect_days(raw, (("date",), ("tweets published",), ("impressions",)),
                        (("engagements",), ("retweets",), ("likes",), ("follows",), ("url clicks",)))


def read_classic_daily(raw: Raw) -> Parsed:
    return _read_days(raw, CLASSIC_DAYS, new_followers=("follows",), views=("impressions",),
                      visits=("user profile clicks",), link_clicks=("url clicks",),
                      interactions=Total("likes", "replies", "retweets"))


register(Source(
    id="x_tweet_activity_daily", label="X (Twitter) tweet activity by day (classic export)", tables=("audience",),
    detect=detect_classic_daily, read=read_classic_daily,
    expects="daily_tweet_activity_metrics_*.csv with 'Date', 'Tweets published', 'impressions', 'follows'",
))
register(Source(
    id="x_tweet_activity", label="X (Twitter) tweet activity (classic export)", tables=("posts",),
    detect=detect_classic, read=read_classic,
    expects="tweet_activity_metrics_*.csv with 'Tweet id', 'time', 'impressions', 'likes'",
))
register(Source(
    id="x_content", label="X analytics - posts (account_analytics_content)", tables=("posts",),
    detect=detect_content, read=read_content,
    expects="account_analytics_content_*.csv with 'Post id', 'Date', 'Impressions', 'Likes'",
))
register(Source(
    id="x_overview", label="X analytics - account overview (daily)", tables=("audience",),
    detect=detect_overview, read=read_overview,
    expects="account_overview_analytics.csv with 'Date', 'Impressions', 'New follows'",
))
