"""Each social-platform fixture (tests/fixtures/social/) loads into the right table with the right values.

Expected values are read off the fixture rows by hand (see
tests/fixtures/make_social_fixtures.py for the rows).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from harness import schema
from harness.dataset import combine
from harness.ingest import ingest_bytes, ingest_path

FIX = Path(__file__).resolve().parent / "fixtures" / "social"


def load(name: str):
    reports = ingest_path(FIX / name)
    for r in reports:
        assert r.error is None, r.error
        for table, df in r.tables.items():
            assert schema.validate(table, df) == [], (name, table)
    return reports


def one(name: str):
    reports = load(name)
    assert len(reports) == 1
    return reports[0]


def col(df: pd.DataFrame, name: str) -> list:
    return [None if pd.isna(v) else v for v in df[name].tolist()]


def ts(*values: str) -> list:
    return [pd.Timestamp(v, tz="UTC") for v in values]


# --------------------------------------------------------------------------- Meta

def test_facebook_posts_2025_layout():
    r = one("meta_facebook_posts_2025.csv")
    assert r.source == "meta_facebook_posts"
    posts = r.tables["posts"]
    assert col(posts, "post_id") == ["1234567890123456789", "1168834171933140", "1168834171933141"]
    assert set(posts["platform"]) == {"facebook"} and set(posts["author_kind"]) == {"organisation"}
    assert col(posts, "author") == ["Hill School"] * 3
    assert col(posts, "text") == ["Open day this Saturday! 🎉\nBring a friend,\n\"all welcome\"",
                                  "Reel: science week 🔬", '=HYPERLINK("http://evil","click")']
    assert col(posts, "published_at") == ts("2025-09-01 21:13", "2025-09-02 08:05", "2025-09-03 12:00")
    assert col(posts, "post_type") == ["Photos", "Reels", "Photos"]
    assert col(posts, "views") == [1628, 983, 10]
    assert col(posts, "reach") == [923, 720, None]
    assert col(posts, "reactions") == [6, 4, 1]
    assert col(posts, "comments") == [1, 0, 2]
    assert col(posts, "shares") == [0, 0, 0]
    assert col(posts, "clicks") == [None] * 3 and col(posts, "saves") == [None] * 3
    # The caption of the first post spans lines 2-4, so the bad row is on line 7.
    assert [(p.line, p.reason) for p in r.rejected] == [(7, "'Publish time' is not a date: 'yesterday'")]
    assert r.mapping["views"] == "Views" and r.mapping["text"] == "Title"


def test_facebook_posts_older_layout_with_impressions_and_clicks():
    posts = one("meta_facebook_posts_2024_old_layout.csv").tables["posts"]
    assert col(posts, "post_id") == ["555000111", "555000112"]
    assert col(posts, "text") == ["Sports day results", "Fundraiser"]
    assert col(posts, "published_at") == ts("2024-03-15 09:30", "2024-03-20 18:45")
    assert col(posts, "views") == [2500, 800]
    assert col(posts, "reach") == [1900, 700]
    assert col(posts, "reactions") == [30, 10]
    assert col(posts, "comments") == [6, None]
    assert col(posts, "shares") == [4, 2]
    assert col(posts, "clicks") == [120, None]


def test_meta_page_metric_files_fill_one_audience_column_each():
    follows = one("Follows.csv")
    assert follows.source == "meta_page_metric"
    aud = follows.tables["audience"]
    assert col(aud, "date") == ts("2025-09-20", "2025-09-21", "2025-09-22")
    assert col(aud, "new_followers") == [20, 28, 21]
    assert col(aud, "views") == [None] * 3
    assert set(aud["platform"]) == {"facebook"}
    ds = combine(load("Follows.csv") + load("Views.csv"))
    both = ds["audience"]
    assert col(both, "new_followers") == [20, 28, 21]
    assert col(both, "views") == [29146, 31932, 28061]


def test_meta_page_metric_utf16_big_endian_instagram():
    aud = one("Instagram reach.csv").tables["audience"]
    assert set(aud["platform"]) == {"instagram"}
    assert col(aud, "reach") == [700, None]


def test_meta_page_metric_unknown_title_is_a_clear_error():
    data = 'sep=,\n"Minutes watched"\n"Date","Primary"\n"2025-09-20T00:00:00","5"\n'.encode("utf-16")
    r = ingest_bytes("Minutes.csv", data)[0]
    assert "its metric 'Minutes watched' is not one we use" in r.error


def test_instagram_posts():
    r = one("meta_instagram_posts.csv")
    assert r.source == "meta_instagram_posts"
    posts = r.tables["posts"]
    assert col(posts, "post_id") == ["17900000000000001", "17900000000000002", "17900000000000003"]
    assert set(posts["platform"]) == {"instagram"}
    assert col(posts, "author") == ["hillschool"] * 3
    assert col(posts, "post_type") == ["IG image", "IG carousel", "IG reel"]
    assert col(posts, "reactions") == [40, 85, 310]
    assert col(posts, "comments") == [5, 12, 30]
    assert col(posts, "shares") == [2, 9, 25]
    assert col(posts, "saves") == [3, 20, None]
    assert col(posts, "views") == [300, 1200, 5000]
    assert col(posts, "reach") == [250, 900, 4100]
    assert col(posts, "text")[0] == "Art show 🎨 #proud"


def test_legacy_insights_description_row_names_duplicate_columns():
    r = one("facebook_insights_legacy_posts.csv")
    assert r.source == "facebook_insights_legacy"
    posts = r.tables["posts"]
    assert col(posts, "post_id") == ["123_456", "123_457"]
    assert col(posts, "text") == ["Café morning – thank you all", "Term dates"]  # cp1252 file
    assert col(posts, "published_at") == ts("2014-10-03 08:02", "2014-10-05 17:30")
    assert col(posts, "reactions") == [41, 9]
    assert col(posts, "comments") == [3, None]
    assert col(posts, "shares") == [5, 1]
    assert col(posts, "reach") == [1500, 600]
    assert col(posts, "views") == [2100, 750]
    assert col(posts, "clicks") == [95, 14]
    assert r.mapping["reactions"] == "Lifetime Post Stories by action type - like"


def test_legacy_insights_page_level_export_feeds_audience():
    text = ("Date,Lifetime Total Likes,Daily New Likes,Daily Total Reach,Daily Total Impressions\n"
            ",Lifetime: The total number of people who have liked your Page. (Unique Users),"
            "Daily: The number of new people who have liked your Page. (Unique Users),"
            "Daily: The number of people who had any content from your Page enter their screen. (Unique Users),"
            "Daily: The number of times any content from your Page entered a person's screen. (Total Count)\n"
            "10/01/2014,1200,5,340,900\n10/02/2014,1203,-,410,1,100\n")
    r = ingest_bytes("Facebook Insights Data Export - Hill School.csv", text.encode())[0]
    assert r.source == "facebook_insights_legacy", r.error
    aud = r.tables["audience"]
    assert col(aud, "date") == ts("2014-10-01")
    assert col(aud, "followers") == [1200] and col(aud, "new_followers") == [5]
    assert col(aud, "reach") == [340] and col(aud, "views") == [900]
    # '1,100' unquoted splits into two cells: that row is rejected with its line, not misread.
    assert [p.line for p in r.rejected] == [4]
    assert any("description row" in w for w in r.warnings)


# --------------------------------------------------------------------------- X

def test_x_classic_tweet_activity():
    r = one("tweet_activity_metrics_HillSchool_20241020_20241027_en.csv")
    assert r.source == "x_tweet_activity"
    posts = r.tables["posts"]
    assert col(posts, "post_id") == ["1849049020249120769", "1849018827384000512"]
    assert col(posts, "published_at") == ts("2024-10-23 14:00", "2024-10-22 22:30")  # +0100 honoured
    assert col(posts, "views") == [424, 1010]
    assert col(posts, "reactions") == [5, 7]
    assert col(posts, "comments") == [1, 0]
    assert col(posts, "shares") == [2, 1]
    assert col(posts, "clicks") == [1 + 3 + 0 + 0 + 0, 2 + 1]  # '-' parts are unknown, not 0
    assert col(posts, "author") == ["HillSchool"] * 2
    assert col(posts, "text")[1] == "Thanks, volunteers!\nSee you next year"
    assert set(posts["platform"]) == {"x"}


def test_x_2024_content_export():
    r = one("account_analytics_content_2026-08-25_2026-08-26.csv")
    assert r.source == "x_content"
    posts = r.tables["posts"]
    assert col(posts, "post_id") == ["1960000000000000001", "1960000000000000002"]
    assert col(posts, "published_at") == ts("2026-08-25", "2026-08-26")
    assert col(posts, "views") == [1234, 88]
    assert col(posts, "reactions") == [30, 1]
    assert col(posts, "comments") == [3, 0]
    assert col(posts, "shares") == [5, 0]
    assert col(posts, "saves") == [4, 0]
    assert col(posts, "clicks") == [4 + 6 + 0 + 1 + 2, None]


def test_x_2024_overview_export():
    aud = one("account_overview_analytics.csv").tables["audience"]
    assert col(aud, "date") == ts("2026-08-26", "2026-08-25")
    assert set(aud["platform"]) == {"x"}
    assert col(aud, "views") == [500, 1500]
    assert col(aud, "new_followers") == [3, 5]
    assert col(aud, "visits") == [7, 15]
    assert col(aud, "interactions") == [10 + 2 + 4, 31 + 3 + 5]


# --------------------------------------------------------------------------- YouTube

def test_youtube_studio_zip():
    reports = load("youtube_studio_export.zip")
    by_name = {Path(r.file_name).name: r for r in reports}
    assert sorted(by_name) == ["Chart data.csv", "Table data.csv", "Totals.csv"]  # __MACOSX skipped
    table = by_name["Table data.csv"]
    assert table.file_name.startswith("youtube_studio_export.zip/")
    posts = table.tables["posts"]
    assert col(posts, "post_id") == ["dQw4w9WgXcQ", "a-b_c1D2e3F"]  # Total row dropped
    assert any("'Total' row" in w for w in table.warnings)
    assert col(posts, "published_at") == ts("2026-08-25", "2026-09-01")
    assert col(posts, "text") == ["Open day tour", 'Choir, "live" 🎶']
    assert col(posts, "views") == [1200, 340]
    assert col(posts, "reactions") == [80, 15]
    assert col(posts, "comments") == [6, 0]
    assert col(posts, "shares") == [3, 1]
    assert col(posts, "url")[0] == "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    totals = by_name["Totals.csv"].tables["audience"]
    assert col(totals, "views") == [130, 95] and set(totals["platform"]) == {"youtube"}
    chart = by_name["Chart data.csv"]
    assert chart.source == "youtube_chart" and chart.tables == {} and chart.warnings


# --------------------------------------------------------------------------- TikTok

def _expected_years(month_days: list[tuple[int, int]]) -> list[pd.Timestamp]:
    """The rule, computed independently: the last day is the latest one not after today."""
    today = pd.Timestamp.now(tz="UTC")
    last_m, last_d = month_days[-1]
    year = today.year if (last_m, last_d) <= (today.month, today.day) else today.year - 1
    out = []
    for m, d in reversed(month_days):
        if out and (m, d) > (out[-1].month, out[-1].day):
            year -= 1
        out.append(pd.Timestamp(year=year, month=m, day=d, tz="UTC"))
    return out[::-1]


def test_tiktok_follower_history_across_new_year():
    r = one("FollowerHistory.csv")
    aud = r.tables["audience"]
    assert col(aud, "date") == _expected_years([(12, 30), (12, 31), (1, 1), (1, 2)])
    assert col(aud, "followers") == [1000, 1004, 1003, 1010]
    assert col(aud, "new_followers") == [5, 4, -1, 7]
    assert any("no year" in w for w in r.warnings)


def test_tiktok_viewers_undefined_is_null_not_zero():
    aud = one("Viewers.csv").tables["audience"]
    assert col(aud, "reach") == [5780, 3187, None]
    ds = combine(load("FollowerHistory.csv") + load("Viewers.csv"))
    tik = ds["audience"]
    assert len(tik) == 4
    assert col(tik, "reach") == [None, 5780, 3187, None]
    assert col(tik, "followers") == [1000, 1004, 1003, 1010]


# --------------------------------------------------------------------------- LinkedIn

def test_linkedin_content_workbook_metrics_and_posts():
    r = one("hill-school_content_1756684800000.xlsx")
    assert r.source == "linkedin_content"
    aud = r.tables["audience"]
    assert col(aud, "date") == ts("2025-09-01", "2025-09-02")
    assert col(aud, "views") == [120, 100]
    assert col(aud, "reach") == [80, 70]
    assert col(aud, "link_clicks") == [6, 4]
    assert col(aud, "interactions") == [10 + 2 + 1, 7]
    posts = r.tables["posts"]
    assert col(posts, "post_id") == ["7234567890123456789", "7234567890123456790"]
    assert col(posts, "published_at") == ts("2025-09-01", "2025-09-02")
    assert col(posts, "author") == ["Sam Lee", "Sam Lee"]
    assert col(posts, "text") == ["We are hiring teachers", "Inspection report ✅"]
    assert col(posts, "reactions") == [20, 9]
    assert col(posts, "comments") == [3, 1]
    assert col(posts, "shares") == [2, 0]
    assert col(posts, "clicks") == [12, 5]
    assert col(posts, "views") == [300, 150]
    assert set(posts["platform"]) == {"linkedin"}


def test_linkedin_followers_and_visitors():
    f = one("hill-school_followers_1756684800000.xlsx")
    assert f.source == "linkedin_followers"
    assert col(f.tables["audience"], "new_followers") == [4, 3]
    assert any("Location" in w for w in f.warnings)
    v = one("hill-school_visitors_1756684800000.xlsx")
    assert col(v.tables["audience"], "visits") == [28]


# --------------------------------------------------------------------------- all fixtures

def test_every_fixture_is_recognised():
    reports = ingest_path(FIX)
    assert all(r.ok for r in reports), [r.error for r in reports if not r.ok]
    assert {r.source for r in reports} >= {
        "meta_facebook_posts", "meta_instagram_posts", "meta_page_metric", "facebook_insights_legacy",
        "x_tweet_activity", "x_content", "x_overview", "youtube_table", "youtube_totals", "tiktok_followers",
        "tiktok_viewers", "linkedin_content", "linkedin_followers", "linkedin_visitors"}


@pytest.mark.parametrize("name", ["meta_facebook_posts_2025.csv", "Follows.csv", "youtube_studio_export.zip"])
def test_reingesting_a_fixture_changes_nothing(name):
    once = combine(load(name))
    twice = combine(load(name) + load(name))
    for table in schema.TABLES:
        pd.testing.assert_frame_equal(once[table], twice[table])
