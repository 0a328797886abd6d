"""Table-driven tests of the cell parsers in harness.ingest.values."""

from __future__ import annotations

import pandas as pd
import pytest

from harness.ingest import values as V

NA = None


def _list(s: pd.Series) -> list:
    return [None if pd.isna(v) else v for v in s.tolist()]


@pytest.mark.parametrize("raw, expected", [
    ("Post ID", "post id"),
    ("\ufeffPost ID", "post id"),
    (' "Post_ID" ', "post id"),
    ("Reactions, Comments and Shares", "reactions comments and shares"),
    ("Duration (sec)", "duration sec"),
    ("  Total   Viewers ", "total viewers"),
    ("3-second video views", "3 second video views"),
    ("How did you hear about us?", "how did you hear about us"),
    ("Año", "año"),
    (None, ""),
])
def test_norm_header(raw, expected):
    assert V.norm_header(raw) == expected


@pytest.mark.parametrize("cell, value, bad", [
    ("424.0", 424.0, False),
    ("1,234", 1234.0, False),
    ("1 234", 1234.0, False),
    ("1\u00a0234,5", None, True),  # decimal comma needs decimal=","
    ("12.5%", 12.5, False),
    ("$1,234.50", 1234.5, False),
    ("£20", 20.0, False),
    ("-5", -5.0, False),
    ("+7", 7.0, False),
    ("-", None, False),
    ("--", None, False),
    ("N/A", None, False),
    ("n/a", None, False),
    ("undefined", None, False),
    ("", None, False),
    (None, None, False),
    ("  ", None, False),
    ("abc", None, True),
    ("inf", None, True),
    ("1e400", None, True),
    ("=1+2", None, True),
])
def test_parse_numbers(cell, value, bad):
    out, mask = V.parse_numbers(pd.Series([cell], dtype="object"))
    assert str(out.dtype) == "Float64"
    assert _list(out) == [value]
    assert mask.tolist() == [bad]


def test_parse_numbers_decimal_comma():
    out, mask = V.parse_numbers(pd.Series(["1.234,5", "0,25", "7"]), decimal=",")
    assert _list(out) == [1234.5, 0.25, 7.0]
    assert not mask.any()


@pytest.mark.parametrize("cell, value, bad", [
    ("424.0", 424, False),
    ("1,000", 1000, False),
    ("1.5", None, True),
    ("-", None, False),
    ("undefined", None, False),
    ("-3", -3, False),
    ("1e30", None, True),  # beyond Int64
])
def test_parse_ints(cell, value, bad):
    out, mask = V.parse_ints(pd.Series([cell]))
    assert str(out.dtype) == "Int64"
    assert _list(out) == [value]
    assert mask.tolist() == [bad]


@pytest.mark.parametrize("cell, value, lossy", [
    ("1234567890123456789", "1234567890123456789", False),
    ("849049020249120769", "849049020249120769", False),
    ("12345.0", "12345", False),
    ("1.22158E+17", "1.22158E+17", True),
    ('="0012"', "0012", False),
    ("'0012", "0012", False),
    ("123_456", "123_456", False),
    ("-", None, False),
    ("", None, False),
])
def test_parse_ids(cell, value, lossy):
    out, mask = V.parse_ids(pd.Series([cell]))
    assert _list(out) == [value]
    assert mask.tolist() == [lossy]


UTC = "UTC"


@pytest.mark.parametrize("cell, formats, kw, expected", [
    ("2017-04-04 00:00 +0000", ["%Y-%m-%d %H:%M %z"], {}, "2017-04-04 00:00"),
    ("2017-04-04 01:00 +0100", ["%Y-%m-%d %H:%M %z"], {}, "2017-04-04 00:00"),
    ("09/01/2025 21:13", ["%m/%d/%Y %H:%M"], {}, "2025-09-01 21:13"),
    ("09/01/2025 21:13", ["%m/%d/%Y %H:%M"], {"tz": "America/New_York"}, "2025-09-02 01:13"),
    ("Tue, Aug 25, 2026", ["%a, %b %d, %Y"], {}, "2026-08-25 00:00"),
    # Explicit formats still accept ISO text (how spreadsheets hand over date cells).
    ("2025-09-01 00:00:00", ["%m/%d/%Y"], {}, "2025-09-01 00:00"),
    ("2025-09-20T00:00:00", None, {}, "2025-09-20 00:00"),
    ("2025-09-20T10:00:00Z", None, {}, "2025-09-20 10:00"),
    ("2025-09-20T10:00:00+05:30", None, {}, "2025-09-20 04:30"),
    ("03/04/2025", None, {}, "2025-03-04 00:00"),
    ("03/04/2025", None, {"dayfirst": True}, "2025-04-03 00:00"),
])
def test_parse_datetimes(cell, formats, kw, expected):
    out, bad = V.parse_datetimes(pd.Series([cell]), formats, **kw)
    assert str(out.dtype) == "datetime64[ns, UTC]"
    assert out.iloc[0] == pd.Timestamp(expected, tz=UTC)
    assert not bad.iloc[0]


@pytest.mark.parametrize("cell, bad", [("yesterday", True), ("0001-01-01", True), ("9999-12-31", True),
                                       ("13/45/2025", True), ("-", False), ("", False)])
def test_parse_datetimes_unreadable(cell, bad):
    out, mask = V.parse_datetimes(pd.Series([cell]), ["%m/%d/%Y"])
    assert pd.isna(out.iloc[0])
    assert mask.iloc[0] == bad


@pytest.mark.parametrize("cells, reference, expected", [
    (["August 18", "August 19"], "2025-11-01", ["2025-08-18", "2025-08-19"]),
    # The latest date may not be in the future: December in January is last year.
    (["December 30", "December 31"], "2026-01-05", ["2025-12-30", "2025-12-31"]),
    (["December 31", "January 1", "January 2"], "2026-03-01", ["2025-12-31", "2026-01-01", "2026-01-02"]),
    # Newest first works the same way.
    (["January 2", "January 1", "December 31"], "2026-03-01", ["2026-01-02", "2026-01-01", "2025-12-31"]),
    (["February 29"], "2024-03-01", ["2024-02-29"]),
])
def test_infer_years(cells, reference, expected):
    out, bad = V.infer_years(pd.Series(cells), reference=pd.Timestamp(reference))
    assert [d.strftime("%Y-%m-%d") for d in out] == expected
    assert not bad.any()


def test_infer_years_marks_bad_and_placeholder():
    out, bad = V.infer_years(pd.Series(["August 1", "Augtober 2", "undefined"]), reference=pd.Timestamp("2025-09-01"))
    assert out.iloc[0] == pd.Timestamp("2025-08-01", tz=UTC)
    assert bad.tolist() == [False, True, False]
    assert pd.isna(out.iloc[2])


@pytest.mark.parametrize("cell, value, bad", [
    ("yes", True, False), ("Yes", True, False), ("Y", True, False), ("true", True, False), ("1", True, False),
    ("x", True, False), ("✓", True, False), ("no", False, False), ("N", False, False), ("FALSE", False, False),
    ("0", False, False), ("", None, False), ("-", None, False), ("maybe", None, True),
])
def test_parse_bools(cell, value, bad):
    out, mask = V.parse_bools(pd.Series([cell]))
    assert str(out.dtype) == "boolean"
    assert _list(out) == [value]
    assert mask.tolist() == [bad]


def test_row_hash_is_stable_and_matches_hash_rows():
    assert V.row_hash("a", None, 1) == V.row_hash("a", "", "1")
    assert V.row_hash("a", "b") != V.row_hash("ab", "")
    assert len(V.row_hash("x")) == 20
    frame = pd.DataFrame({"a": ["a", "b"], "b": [None, "c"]})
    hashed = V.hash_rows(frame, prefix="inv-")
    assert hashed.tolist() == ["inv-" + V.row_hash("a", None), "inv-" + V.row_hash("b", "c")]


def test_find_column_prefers_candidates_in_order():
    cols = ["Reactions, Comments and Shares", "Reactions", "Likes"]
    assert V.find_column(cols, "reactions", "likes") == "Reactions"
    assert V.find_column(cols, "likes", "reactions") == "Likes"
    assert V.find_column(cols, "shares") is None
