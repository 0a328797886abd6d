"""The real exports in ../shared/real-exports load to the figures its README states.

That folder is not part of the repository; without it every test here is
skipped (the project's own fixtures cover the same layouts).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from harness import schema
from harness.dataset import combine
from harness.ingest import ingest_path

REAL = Path(__file__).resolve().parents[1].parent / "shared" / "real-exports"

pytestmark = pytest.mark.skipif(not REAL.is_dir(), reason=f"real exports folder not present ({REAL})")


def load(sub: str):
    reports = ingest_path(REAL / sub)
    assert reports and all(r.ok for r in reports), [r.error for r in reports]
    assert all(not r.rejected for r in reports), [r.rejected[:3] for r in reports]
    for r in reports:
        for table, df in r.tables.items():
            assert schema.validate(table, df) == []
    return reports


def test_meta_facebook_posts():
    reports = load("meta-facebook-posts")
    posts = combine(reports)["posts"]
    assert len(posts) == 81
    assert posts["post_type"].value_counts().to_dict() == {"Reels": 44, "Photos": 36, "Videos": 1}
    assert posts["published_at"].min() == pd.Timestamp("2025-09-01 21:13", tz="UTC")
    assert posts["published_at"].max() == pd.Timestamp("2025-09-30 22:00", tz="UTC")
    assert int(posts["reactions"].sum()) == 1348
    assert int(posts["comments"].sum()) == 260
    assert int(posts["shares"].sum()) == 109
    assert (posts["post_id"].str.len() == 16).all()
    assert posts["text"].str.contains("\n").any()  # multi-line captions survive


def test_meta_page_metrics():
    aud = combine(load("meta-page-metrics"))["audience"]
    assert len(aud) == 28
    assert aud["date"].min() == pd.Timestamp("2025-09-20", tz="UTC")
    assert aud["date"].max() == pd.Timestamp("2025-10-17", tz="UTC")
    totals = {c: int(aud[c].sum()) for c in ("new_followers", "views", "interactions", "visits", "link_clicks")}
    assert totals == {"new_followers": 631, "views": 712_987, "interactions": 3_491, "visits": 31_745,
                      "link_clicks": 13_885}


def test_tiktok_studio():
    reports = {Path(r.file_name).name: r for r in load("tiktok-studio")}
    followers = reports["FollowerHistory.csv"].tables["audience"]
    viewers = reports["Viewers.csv"].tables["audience"]
    assert len(followers) == 60 and len(viewers) == 60
    assert int(followers["followers"].iloc[0]) == 22_551
    assert int(followers["followers"].iloc[-1]) == 22_788
    assert (followers["date"].diff().dropna() == pd.Timedelta(days=1)).all()
    assert (followers["date"].dt.strftime("%m-%d").iloc[[0, -1]] == ["08-18", "10-16"]).all()
    assert (viewers["date"].dt.strftime("%m-%d").iloc[[0, -1]] == ["08-19", "10-17"]).all()
    assert pd.isna(viewers["reach"].iloc[-1])  # 'undefined': no data, not 0
    assert viewers["reach"].iloc[:-1].notna().all()


def test_x_tweet_activity():
    posts = combine(load("x-tweet-activity"))["posts"]
    assert len(posts) == 10
    assert posts["published_at"].min().date() == pd.Timestamp("2017-04-01").date()
    assert posts["published_at"].max().date() == pd.Timestamp("2017-04-04").date()
    assert int(posts["reactions"].sum()) == 4
    assert int(posts["shares"].sum()) == 4
    assert int(posts["comments"].sum()) == 0
    assert (posts["post_id"].str.len() == 18).all()
