"""harness.format: every figure is written one way. Expected strings are written out by hand."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from harness import format as fmt


@pytest.mark.parametrize("v,expected", [
    (3, 3.0), (2.5, 2.5), (np.int64(7), 7.0), (np.float64(0.5), 0.5),
    (None, None), (float("nan"), None), (math.inf, None), (pd.NA, None), ("12", None), (True, None),
])
def test_as_number_accepts_only_finite_real_numbers(v, expected):
    assert fmt.as_number(v) == expected


@pytest.mark.parametrize("v,kwargs,expected", [
    (1234567, {}, "1,234,567"), (0.5, {}, "0"), (1.5, {}, "2"), (2.345, {"digits": 2}, "2.35"),
    (-3, {"signed": True}, "-3"), (0, {"signed": True}, "+0"), (None, {}, "–"), (None, {"missing": None}, None),
    (np.int64(1000), {}, "1,000"),
])
def test_number(v, kwargs, expected):
    assert fmt.number(v, **kwargs) == expected


@pytest.mark.parametrize("v,expected", [(0.6667, "67%"), (1, "100%"), (0, "0%"), (None, "–"), (float("nan"), "–")])
def test_share_is_a_whole_percentage(v, expected):
    assert fmt.share(v) == expected


@pytest.mark.parametrize("v,kwargs,expected", [
    (12.4, {}, "+12"), (-1250, {}, "-1,250"), (0.034, {"share": True}, "+3 pts"),
    (-0.1, {"share": True, "digits": 1}, "-10.0 pts"), (None, {}, None), (None, {"missing": ""}, ""),
    (2, {"suffix": " vs previous period"}, "+2 vs previous period"),
])
def test_change(v, kwargs, expected):
    assert fmt.change(v, **kwargs) == expected


@pytest.mark.parametrize("v,expected", [(1.0, "1.0"), (2.25, "2.2"), (1500, "1,500"), ("text", "text"), (None, "–")])
def test_figure_for_plain_text_listings(v, expected):
    assert fmt.figure(v) == expected


@pytest.mark.parametrize("iso,expected", [("2025-09-04", "4 Sep 2025"), ("2026-03-01T10:00:00+00:00", "1 Mar 2026"),
                                          (None, "–"), ("", "–"), ("not a date", "not a date")])
def test_date(iso, expected):
    assert fmt.date(iso) == expected


def test_date_range_and_period_label():
    assert fmt.date_range("2026-03-01", "2026-03-14") == "1 Mar 2026 – 14 Mar 2026"
    assert fmt.period_label(dt.date(2026, 3, 1), dt.date(2026, 3, 14)) == "1 Mar – 14 Mar 2026"
    assert fmt.period_label(dt.date(2025, 12, 1), dt.date(2026, 1, 31)) == "1 Dec 2025 – 31 Jan 2026"


@pytest.mark.parametrize("freq,expected", [("W", "Week starting"), ("W-MON", "Week starting"), ("MS", "Month"),
                                           (None, "Week starting")])
def test_bucket_label(freq, expected):
    assert fmt.bucket_label(freq) == expected


@pytest.mark.parametrize("t, expected", [
    (dt.datetime(2026, 3, 16, 9, 5, tzinfo=dt.timezone.utc), ("16 Mar 2026, 09:05", "09:05 UTC")),
    (dt.datetime(2026, 3, 16, 1, 5, tzinfo=dt.timezone(dt.timedelta(hours=2))), ("15 Mar 2026, 23:05", "23:05 UTC")),
])
def test_date_time_and_clock_are_written_in_utc(t, expected):
    assert (fmt.date_time(t), fmt.clock_utc(t)) == expected
    assert fmt.date_time(None) == "never"


@pytest.mark.parametrize("start,end,expected", [
    # a published review keeps its period as ISO text (the Share page's list of reviews)
    ("2026-08-18", "2026-11-15", "18 Aug – 15 Nov 2026"),
    ("2025-12-01", "2026-01-31", "1 Dec 2025 – 31 Jan 2026"),
    (dt.date(2026, 8, 18), "2026-11-15", "18 Aug – 15 Nov 2026"),
    (None, "2026-11-15", "–"), ("", "", "–"), ("not a date", "2026-11-15", "–"),
])
def test_period_label_reads_iso_text(start, end, expected):
    assert fmt.period_label(start, end) == expected


@pytest.mark.parametrize("key,v,den,expected", [
    ("repeat_share", 0.09, 120, "9% of 120 involved people"),
    ("referrer_share", 0.125, 8, "12% of 8 involved people"),
    ("people_per_1k_followers", 14.14, 8375, "14.1 people involved per 1,000 followers (8,375 followers)"),
    ("reach_per_1k_followers", 56.36, 2300, "56.4 people reached per 1,000 followers (2,300 followers)"),
    ("contributors_per_1k_followers", 2.0, 1000, "2.0 contributors per 1,000 followers (1,000 followers)"),
    ("referred_per_1k_followers", 0.5, 2000, "0.5 people referred per 1,000 followers (2,000 followers)"),
    ("social_actions_per_1k_followers", 7.5, 400, "7.5 social-sourced actions per 1,000 followers (400 followers)"),
])
def test_measure_names_what_is_counted_and_of_what(key, v, den, expected):
    assert fmt.measure(key, v, den) == expected


@pytest.mark.parametrize("v,expected", [("unknown", "Not recorded"), (None, "Not recorded"),
                                        ("word_of_mouth", "Word of mouth"), ("linkedin", "LinkedIn")])
def test_a_source_nobody_recorded_reads_not_recorded(v, expected):
    assert fmt.platform(v) == expected


@pytest.mark.parametrize("name, said", [
    ("Eventbrite attendee report", "an Eventbrite attendee report"),
    ("X account analytics", "an X account analytics"),
    ("Instagram posts", "an Instagram posts"),
    ("Meta Business Suite posts", "a Meta Business Suite posts"),
    ("YouTube Studio table", "a YouTube Studio table"),
    ("HubSpot contacts", "a HubSpot contacts"),
    ("Google Forms responses", "a Google Forms responses"),
    ("untitled export", "an untitled export"),
])
def test_a_or_an(name, said):
    assert fmt.a_or_an(name) == said
