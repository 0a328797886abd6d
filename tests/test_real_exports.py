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


def _inspect(sub: str) -> list[dict]:
    from harness.ingest import describe

    return [describe(r) for r in ingest_path(REAL / sub)]


def test_meta_two_sections_each_to_its_platform():
    aud = combine(load("meta-page-metrics-two-sections"))["audience"]
    fb, ig = aud[aud["platform"] == "facebook"], aud[aud["platform"] == "instagram"]
    assert len(aud) == 471 and len(fb) == 242 and len(ig) == 229
    assert (fb["date"].min(), fb["date"].max()) == (pd.Timestamp("2023-07-08", tz="UTC"),
                                                    pd.Timestamp("2024-03-05", tz="UTC"))
    assert (ig["date"].min(), ig["date"].max()) == (pd.Timestamp("2023-07-08", tz="UTC"),
                                                    pd.Timestamp("2024-03-04", tz="UTC"))
    assert int(fb["new_followers"].sum()) == 4795 and int(ig["new_followers"].sum()) == 1352
    [d] = _inspect("meta-page-metrics-two-sections")
    assert d["ok"] and d["platforms"] == ["facebook", "instagram"] and d["rows_accepted"] == 471


def test_meta_portuguese_per_metric_file():
    aud = combine(load("meta-page-metrics-portuguese"))["audience"]
    assert len(aud) == 161 and set(aud["platform"]) == {"instagram"}
    assert aud["date"].min() == pd.Timestamp("2024-12-18", tz="UTC")
    assert aud["date"].max() == pd.Timestamp("2025-09-13", tz="UTC")
    assert int(aud["new_followers"].sum()) == 436


def test_tiktok_spanish_overview():
    [r] = ingest_path(REAL / "tiktok-studio-spanish", uploaded="2026-03-20")  # about when it was committed
    aud = r.tables["audience"]
    assert r.ok and not r.rejected and len(aud) == 7
    assert aud["date"].min() == pd.Timestamp("2026-03-08", tz="UTC")
    assert aud["date"].max() == pd.Timestamp("2026-03-14", tz="UTC")
    assert (int(aud["views"].sum()), int(aud["visits"].sum())) == (9, 0)
    assert int(aud["interactions"].sum()) == 0  # no likes, comments or shares


def test_x_account_analytics_early_2025():
    posts = combine(load("x-account-analytics-2025"))["posts"]
    assert len(posts) == 141
    assert posts["published_at"].min() == pd.Timestamp("2024-12-31", tz="UTC")
    assert posts["published_at"].max() == pd.Timestamp("2025-02-17", tz="UTC")
    totals = {c: int(posts[c].sum()) for c in ("views", "reactions", "comments", "shares", "saves")}
    assert totals == {"views": 9325, "reactions": 354, "comments": 80, "shares": 63, "saves": 2}


def test_youtube_chart_data_by_subscription_status():
    aud = combine(load("youtube-studio-chart-data"))["audience"]
    assert len(aud) == 365
    assert aud["date"].min() == pd.Timestamp("2023-11-28", tz="UTC")
    assert aud["date"].max() == pd.Timestamp("2024-11-26", tz="UTC")
    assert int(aud["views"].sum()) == 100_325_568


def test_youtube_german_table_data():
    [r] = ingest_path(REAL / "youtube-studio-german")
    posts = r.tables["posts"]
    # 500 videos; the 17 without a publish time are rejected with the reason (a post needs a date).
    assert len(posts) == 483 and len(r.rejected) == 17
    assert all("deleted or private" in p.reason for p in r.rejected)
    assert posts["published_at"].min() == pd.Timestamp("2011-03-10", tz="UTC")
    assert posts["published_at"].max() == pd.Timestamp("2020-12-24", tz="UTC")
    # 401,812 views in all rows (405,712 on the Total row); the 17 rejected videos hold 646 of them.
    assert int(posts["views"].sum()) == 401_812 - 646


def test_every_real_export_is_read():
    for d in _inspect("."):
        assert d["ok"], d["error"]
        assert d["platforms"], d["file"]
