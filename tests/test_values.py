"""Table-driven tests of the cell parsers in harness.ingest.values."""

from __future__ import annotations

import re
import struct

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harness import schema
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


# --------------------------------------------------------------------------- record ids
#
# A second implementation of the id, written from the SipHash paper (Aumasson &
# Bernstein, 2012) rather than from pandas: SipHash-2-4 of the row text, then
# splitmix64's finaliser (the fixed mix ``pandas.util.hash_array`` applies).

_M64 = (1 << 64) - 1


def _rotl(x: int, b: int) -> int:
    return ((x << b) | (x >> (64 - b))) & _M64


def _siphash24(key: bytes, msg: bytes) -> int:
    k0, k1 = struct.unpack("<QQ", key)
    v = [k0 ^ 0x736F6D6570736575, k1 ^ 0x646F72616E646F6D, k0 ^ 0x6C7967656E657261, k1 ^ 0x7465646279746573]

    def sip_round():
        v[0] = (v[0] + v[1]) & _M64; v[1] = _rotl(v[1], 13) ^ v[0]; v[0] = _rotl(v[0], 32)  # noqa: E702
        v[2] = (v[2] + v[3]) & _M64; v[3] = _rotl(v[3], 16) ^ v[2]  # noqa: E702
        v[0] = (v[0] + v[3]) & _M64; v[3] = _rotl(v[3], 21) ^ v[0]  # noqa: E702
        v[2] = (v[2] + v[1]) & _M64; v[1] = _rotl(v[1], 17) ^ v[2]; v[2] = _rotl(v[2], 32)  # noqa: E702

    whole = len(msg) - len(msg) % 8
    blocks = [struct.unpack_from("<Q", msg, i)[0] for i in range(0, whole, 8)]
    blocks.append(int.from_bytes(msg[whole:], "little") | ((len(msg) & 0xFF) << 56))
    for m in blocks:
        v[3] ^= m
        sip_round()
        sip_round()
        v[0] ^= m
    v[2] ^= 0xFF
    for _ in range(4):
        sip_round()
    return v[0] ^ v[1] ^ v[2] ^ v[3]


def _splitmix_finish(x: int) -> int:
    x ^= x >> 30
    x = (x * 0xBF58476D1CE4E5B9) & _M64
    x ^= x >> 27
    x = (x * 0x94D049BB133111EB) & _M64
    return x ^ (x >> 31)


def _reference_id(*parts: str) -> str:
    text = "\x1f".join(parts).encode("utf-8")
    return "".join(f"{_splitmix_finish(_siphash24(k.encode(), text)):016x}" for k in V.ID_KEYS)


def test_reference_siphash_matches_the_papers_test_vector():
    assert _siphash24(bytes(range(16)), bytes(range(15))) == 0xA129CA6149BE45E5


def test_record_id_is_pinned_and_equals_an_independent_implementation():
    # A fixed row of the involvement log: when, who, action (the template's identity columns).
    parts = ("2025-09-14 10:30:00+00:00", "sam.lee@example.org", "visit")
    assert V.row_hash(*parts) == _reference_id(*parts) == "0067464079f366f9225ac1a0223fcefe"


@pytest.mark.parametrize("parts", [
    ("",), ("a",), ("é", "日本", "👍"), ("x" * 7, "y" * 8, "z" * 9), ("a\nb", "", ""),
])
def test_hash_rows_equals_the_reference_on_awkward_text(parts):
    frame = pd.DataFrame({i: [p] for i, p in enumerate(parts)}, dtype="str")
    assert V.hash_rows(frame, prefix="log:").tolist() == ["log:" + _reference_id(*parts)]


def test_row_hash_treats_null_as_empty_and_numbers_as_text():
    assert V.row_hash("a", None, 1) == V.row_hash("a", "", "1")
    assert V.row_hash("a", "b") != V.row_hash("ab", "")
    assert len(V.row_hash("x")) == 32
    frame = pd.DataFrame({"a": ["a", "b"], "b": [None, "c"]})
    hashed = V.hash_rows(frame, prefix="inv-")
    assert hashed.tolist() == ["inv-" + V.row_hash("a", None), "inv-" + V.row_hash("b", "c")]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["2025-01-01 00:00:00+00:00", "2025-01-01 00:00:01+00:00"]),
                          st.text(max_size=6), st.sampled_from(["visit", "call", None])), min_size=1, max_size=30))
def test_ids_equal_exactly_for_equal_rows(rows):
    frame = pd.DataFrame(rows, columns=["when", "who", "action"], dtype="str")
    ids = V.hash_rows(frame).tolist()
    canon = [tuple("" if v is None else v for v in r) for r in rows]
    for i in range(len(rows)):
        for j in range(len(rows)):
            assert (ids[i] == ids[j]) == (canon[i] == canon[j])


@pytest.mark.parametrize("changed", [0, 1, 2])
def test_changing_any_identity_field_changes_the_id(changed):
    row = ["2025-09-14 10:30:00+00:00", "sam.lee@example.org", "visit"]
    other = list(row)
    other[changed] = {0: "2025-09-14 10:31:00+00:00", 1: "Sam.lee@example.org", 2: "call"}[changed]
    assert V.row_hash(*row) != V.row_hash(*other)


def test_find_column_prefers_candidates_in_order():
    cols = ["Reactions, Comments and Shares", "Reactions", "Likes"]
    assert V.find_column(cols, "reactions", "likes") == "Reactions"
    assert V.find_column(cols, "likes", "reactions") == "Likes"
    assert V.find_column(cols, "shares") is None


# --------------------------------------------------------------------------- fast paths = reference
#
# The vectorised paths (Arrow, numpy over the cells' bytes) must give what the
# plain pandas/Python rules give, cell for cell.

_DIGITS = "0123456789"


def _layout_cells(layout: str, draw_digit) -> str:
    """A cell shaped like ``layout`` (Y/m/d/H/M/S/o = digits) with random digits."""
    return "".join(draw_digit() if ch in "YmdHMSo" else ch for ch in layout)


_ISO_SHAPES = ["YYYY-mm-dd", "YYYY-mm-dd HH:MM", "YYYY-mm-dd HH:MM:SS", "YYYY-mm-ddTHH:MM:SS",
               "YYYY-mm-ddTHH:MM:SSZ", "YYYY-mm-dd HH:MM:SS+oo:oo", "YYYY-mm-ddTHH:MM:SS-oooo", "YYYY-mm-ddTHH:MMZ"]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_ISO_SHAPES), st.lists(st.sampled_from("0120123456789"), min_size=30,
                                                                  max_size=30)), min_size=1, max_size=40))
def test_fixed_width_iso_dates_equal_pandas(cells):
    texts = []
    for shape, digits in cells:
        it = iter(digits)
        texts.append(_layout_cells(shape, lambda: next(it)))
    s = pd.Series(texts, dtype="str")
    fast = V._fixed_width_dates(s, "ISO8601", None)
    times, done = fast
    for text, when, ok in zip(texts, times, done):
        expected = pd.to_datetime(text, format="ISO8601", utc=True, errors="coerce")
        if ok:
            assert when == expected, text
        else:  # left to pandas: only cells pandas cannot read either (or year 0000)
            assert pd.isna(expected) or text.startswith("0000"), text


@settings(max_examples=40, deadline=None)
@given(st.sampled_from([("%m/%d/%Y %H:%M", "mm/dd/YYYY HH:MM"), ("%Y-%m-%d %H:%M %z", "YYYY-mm-dd HH:MM +oooo"),
                        ("%Y-%m-%d %H:%M %z", "YYYY-mm-dd HH:MM -oooo"), ("%d.%m.%Y", "dd.mm.YYYY")]),
       st.lists(st.lists(st.sampled_from("01201234567890"), min_size=20, max_size=20), min_size=1, max_size=40))
def test_fixed_width_formats_equal_pandas(fmt_shape, digit_lists):
    fmt, shape = fmt_shape
    texts = []
    for digits in digit_lists:
        it = iter(digits)
        texts.append(_layout_cells(shape, lambda: next(it)))
    got, bad = V.parse_datetimes(pd.Series(texts, dtype="str"), [fmt])
    for text, when, is_bad in zip(texts, got, bad):
        expected = pd.to_datetime(text, format=fmt, utc=True, errors="coerce")
        if pd.isna(expected):
            expected = pd.to_datetime(text, format="ISO8601", utc=True, errors="coerce")
        if pd.notna(expected) and not 1900 <= expected.year <= 2199:
            expected = pd.NaT
        assert (pd.isna(when) and pd.isna(expected)) or when == expected, text
        assert is_bad == pd.isna(expected), text


@pytest.mark.parametrize("cell, expected", [
    ("2024-02-29", "2024-02-29 00:00"), ("2023-02-29", None), ("2024-04-31", None), ("2024-12-31 23:59:59",
                                                                                      "2024-12-31 23:59:59"),
    ("2024-07-01 24:00", None), ("2024-07-01T10:30:00+14:00", "2024-06-30 20:30"),
    ("2024-07-01 10:30:00.250", "2024-07-01 10:30:00.250"), (" 2024-07-01 ", "2024-07-01 00:00"),
])
def test_iso_dates_strict_and_fast(cell, expected):
    out, bad = V.parse_datetimes(pd.Series([cell, "2024-01-01"], dtype="str"))
    want = pd.NaT if expected is None else pd.Timestamp(expected, tz=UTC)
    assert (pd.isna(out.iloc[0]) and pd.isna(want)) or out.iloc[0] == want
    assert bad.iloc[0] == (expected is None)
    assert V.parse_iso_dates(pd.Series([cell], dtype="str")) is None or expected is not None


@settings(max_examples=80, deadline=None)
@given(st.lists(st.text(alphabet="0123456789+-.", max_size=7), min_size=1, max_size=20))
def test_whole_column_number_cast_equals_cell_by_cell_rules(cells):
    fast, fast_bad = V.parse_numbers(pd.Series(cells, dtype="str"))
    # A cell with a thousands separator sends the whole column through the per-cell rules.
    slow, slow_bad = V.parse_numbers(pd.Series(cells + ["1,000"], dtype="str"))
    assert _list(fast) == _list(slow)[:-1]
    assert fast_bad.tolist() == slow_bad.tolist()[:-1]
    for cell, value in zip(cells, _list(fast)):
        if re.fullmatch(V._PLAIN_NUMBER, cell):
            assert value == float(cell)


@pytest.mark.parametrize("cell, value, bad", [
    ("9223372036854775807", None, True), ("9.2e18", 9200000000000000000, False), ("-0", 0, False),
    ("1.0000001", None, True), ("4.5e0", None, True), ("+12", 12, False),
])
def test_parse_ints_whole_and_out_of_range(cell, value, bad):
    out, mask = V.parse_ints(pd.Series([cell, "1"], dtype="str"))
    assert _list(out)[0] == value
    assert mask.tolist()[0] == bad


_AWKWARD = ["", " ", "\t", "\n", "\u00a0", "\u2003", "\u3000", "\u1680", "\x1f", "a", "é", "🏅", "日", "\u200b",
            "N/A", "n/a", "UNDEF\u0130NED", "(blan\u212a)", "—", "-", "none", "NaN", "x"]


@settings(max_examples=80, deadline=None)
@given(st.lists(st.one_of(st.none(), st.lists(st.sampled_from(_AWKWARD), max_size=4).map("".join)),
                min_size=1, max_size=30))
def test_clean_text_and_people_equal_pandas_string_methods(cells):
    s = pd.Series(cells, dtype="str")
    stripped = s.str.strip()
    reference = stripped.mask(stripped.str.lower().isin(V.NULL_TOKENS))
    assert _list(V.clean_text(s)) == _list(reference)
    person = stripped.mask(stripped == "")
    person = person.mask(person.str.contains("@", na=False), person.str.lower())
    assert _list(schema.normalise_person(s)) == _list(person)
    assert _list(schema.normalise_person(s + "@X")) == _list(
        (s + "@X").str.strip().pipe(lambda t: t.mask(t == "")).str.lower())


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.none(), st.lists(st.sampled_from(_AWKWARD), max_size=5).map("".join)),
                min_size=1, max_size=40), st.integers(0, 39))
def test_trim_cells_equals_arrow_trim_on_chunked_columns(cells, cut):
    arr = pa.array(cells, pa.large_string())
    chunked = pa.chunked_array([arr[:cut], arr[cut:]])
    for a in (arr, chunked):
        assert schema.trim_cells(a).to_pylist() == pc.utf8_trim_whitespace(a).to_pylist()




@settings(max_examples=40, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(alphabet="aX0@.+-\"'eE é🏅\x00", max_size=6)), min_size=1, max_size=40),
       st.sampled_from([b"@", b"\"'.", b"eE", bytes(range(65, 91)) + bytes(range(128, 256)),
                        bytes(b for b in range(256) if not 48 <= b <= 57)]),
       st.integers(1, 9), st.integers(0, 39))
def test_cells_with_bytes_equals_a_scan_of_each_cell(cells, chars, block, cut):
    arr = pa.array(cells, pa.large_string())
    expected = [c is not None and any(b in chars for b in c.encode()) for c in cells]
    old, schema._SCAN_BYTES = schema._SCAN_BYTES, block  # small blocks: the block edges are exercised
    try:
        for a in (arr, pa.chunked_array([arr[:cut], arr[cut:]])):
            assert schema.cells_with_bytes(a, chars).tolist() == expected
        assert schema.cells_with_bytes(arr.slice(1), chars).tolist() == expected[1:]
    finally:
        schema._SCAN_BYTES = old


# --------------------------------------------------------------------------- ids with instants folded in as numbers


def _reference_fold(h: int, n: int, golden: bool) -> int:
    s = _splitmix_finish(n & _M64)
    return _splitmix_finish(h ^ ((s * 0x9E3779B97F4A7C15) & _M64 if golden else s))


def test_fold_numbers_equals_an_independent_implementation():
    text = "sam.lee@example.org\x1f".encode()
    micros = 1_757_845_800_000_000  # 2025-09-14 10:30:00 UTC
    h1, h2 = (np.array([_splitmix_finish(_siphash24(k.encode(), text))], dtype=np.uint64) for k in V.ID_KEYS)
    f1, f2 = V.fold_numbers(h1, h2, np.array([micros], dtype=np.int64))
    assert int(f1[0]) == _reference_fold(int(h1[0]), micros, False)
    assert int(f2[0]) == _reference_fold(int(h2[0]), micros, True)


@pytest.mark.parametrize("a, b, same", [
    (("x@example.org", 0), ("x@example.org", 0), True),
    (("x@example.org", 0), ("x@example.org", 1), False),  # a microsecond apart
    (("x@example.org", 0), ("y@example.org", 0), False),
    (("x@example.org", -1), ("x@example.org", 1), False),  # before 1970
])
def test_fold_numbers_ids_differ_exactly_when_rows_do(a, b, same):
    frame = pd.DataFrame({"who": [a[0], b[0]]}, dtype="str")
    h1, h2 = V.fold_numbers(*V.row_digests(frame), np.array([a[1], b[1]], dtype=np.int64))
    assert ((h1[0] == h1[1]) and (h2[0] == h2[1])) == same
