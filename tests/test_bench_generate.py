"""benchmarks/generate.py --real writes what sample_data/generate.py's per-row writers write, and the
product reads every file as the platform's export it imitates."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import generate  # noqa: E402

from harness.ingest import ingest_path  # noqa: E402


def test_meta_writer_equals_sample_data_writer(tmp_path):
    df = generate.facebook_posts(40, 7)
    generate.write_meta(tmp_path / "ours.csv", df)
    generate._LAYOUTS.write_meta_csv(tmp_path / "theirs.csv", list(df.columns), df.values.tolist())
    assert (tmp_path / "ours.csv").read_bytes() == (tmp_path / "theirs.csv").read_bytes()


def test_british_summer_time_equals_sample_data_rule():
    t = pd.Series(pd.date_range("2024-01-01", "2026-12-31 23:00", freq="7h"))
    ours = generate.uk_summer(t)
    theirs = [generate._LAYOUTS.uk_offset_hours(x.to_pydatetime()) == 1 for x in t]
    assert list(ours) == theirs


@pytest.fixture(scope="module")
def real_files(tmp_path_factory):
    return generate.write_real(tmp_path_factory.mktemp("real"), "200", 200, 7)


@pytest.mark.parametrize("name, source", [
    (generate.FORMS_NAME, "google_forms"),
    ("Followers.csv", "meta_page_metric"),
    ("Attendee summary - Open Morning.csv", "eventbrite_attendees"),
    ("SignUpGenius report.csv", "signupgenius"),
    ("FollowerHistory.csv", "tiktok_follower_history"),
])
def test_each_file_is_read_as_its_platform(real_files, name, source):
    (path,) = [p for p in real_files if p.name == name]
    (report,) = ingest_path(path)
    assert report.ok and not report.rejected, report.error
    assert report.source.startswith(source.split("_")[0]), report.source


def test_posts_files_are_read_as_meta_and_x(real_files):
    sources = {ingest_path(p)[0].source for p in real_files
               if p.name.endswith("_3019447215680432.csv") or p.name.startswith("tweet_activity")}
    assert len(sources) == 2 and any("meta" in s for s in sources) and any("x" in s for s in sources)


def test_forms_timestamps_carry_both_offsets(real_files):
    text = real_files[0].read_bytes().decode("utf-8")
    assert " GMT\"" in text and " GMT+1\"" in text and "\r\n" in text
    french = real_files[1].read_bytes().decode("utf-8")
    assert french.startswith('"Horodateur"') and " UTC+1\"" in french
    assert dt.date.fromisoformat("2026-11-30") == generate.REAL_END.date()
