"""The vectorised form-timestamp reader against the per-cell one it replaced.

``reference_forms_timestamps`` below is ``people.forms_timestamps`` as it was before the vectorised
reader (every cell rewritten by ``_gmt_to_offset`` in Python, then pandas strptime per format). The new
reader must give exactly the same instants and the same bad cells wherever the old one read a cell, on
every cell of every column of every layout fixture; it may only read more (the offsets and 12-hour
spellings of other languages), and those are checked against values worked out by hand.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from harness.ingest import people, timestamps
from harness.ingest.decode import decode_bytes
from harness.ingest.people import _FORMS_FORMATS, read_dates
from harness.ingest.values import clean_text, parse_datetimes

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = sorted([*ROOT.glob("tests/fixtures/**/*.csv"), *Path("/work/shared/real-exports").glob("**/*.csv"),
                   *ROOT.glob("sample_data/exports/google-forms/*.csv"),
                   *ROOT.glob("sample_data/exports/eventbrite/*.csv")])

# --------------------------------------------------------------------------- the old reader, verbatim

_GMT = re.compile(r"\s*GMT\s*([+-])?\s*(\d{1,2})?(?::?(\d{2}))?\s*$", re.IGNORECASE)


def _gmt_to_offset(value: str) -> str:
    m = _GMT.search(value)
    if not m:
        return value
    sign, hours, minutes = m.group(1) or "+", int(m.group(2) or 0), m.group(3) or "00"
    return f"{value[:m.start()]} {sign}{hours:02d}{minutes}"


def reference_forms_timestamps(cells: pd.Series) -> tuple[pd.Series, pd.Series]:
    s = cells.astype("object").where(cells.notna(), None).map(
        lambda v: _gmt_to_offset(str(v).strip()) if v is not None else None).astype("str")
    slashed_ymd = s.str.match(r"^\d{4}/", na=False)
    out, bad = parse_datetimes(s.where(slashed_ymd), _FORMS_FORMATS)
    rest, rest_bad = read_dates(s.where(~slashed_ymd))
    out = out.where(slashed_ymd, rest)
    return out, (bad | rest_bad).astype(bool)


# --------------------------------------------------------------------------- helpers


def _columns(path: Path) -> list[pd.Series]:
    text = decode_bytes(path.read_bytes())[0]
    lines = text.splitlines()
    import csv
    import io
    rows = list(csv.reader(io.StringIO("\n".join(lines))))
    width = max((len(r) for r in rows), default=0)
    grid = [r + [""] * (width - len(r)) for r in rows]
    return [clean_text(pd.Series([r[i] for r in grid], dtype="str")) for i in range(width)]


def assert_same_as_reference(cells: pd.Series) -> int:
    """New == old wherever old read a cell or called it bad; returns how many cells old read."""
    new, new_bad = people.forms_timestamps(cells)
    old, old_bad = reference_forms_timestamps(cells)
    assert str(new.dtype) == str(old.dtype) == "datetime64[ns, UTC]"
    old_read = old.notna().to_numpy()
    pd.testing.assert_series_equal(new[old_read], old[old_read])
    # A cell the old reader could not read stays unread, unless it is one of the new spellings.
    extra = new.notna().to_numpy() & ~old_read
    for cell in cells[extra]:
        # (and a time written with dots, 18.01.22, as Italian sheets write it)
        assert re.search(r"UTC|UT\b|[A-Z]{3,4}$|[ap]\.[ \u00a0]?m\.|\bZ\b|\d\.\d{2}\.\d{2}$", str(cell), re.I), cell
    assert (new_bad.to_numpy() == (old_bad.to_numpy() & ~extra)).all()
    return int(old_read.sum())


# --------------------------------------------------------------------------- exactness


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_every_fixture_column_reads_as_before(path):
    # Columns holding dates (free text and counts would only time dateutil's guesses, the same both ways).
    for cells in _columns(path):
        if cells.str.match(r"^\d{1,4}[/.-]\d", na=False).any():
            assert_same_as_reference(cells)


def test_forms_fixtures_have_timestamps_the_reference_reads():
    n = sum(assert_same_as_reference(c[1:]) for p in FIXTURES if "Responses" in p.name or "forms" in p.name
            for c in _columns(p)[:1])
    assert n >= 5


def _bench_layouts():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import generate
    return generate


def test_benchmark_forms_layout_reads_as_before():
    g = _bench_layouts()
    df = g.forms_responses(3000, 7)
    cells = clean_text(pd.Series(df["Timestamp"].to_numpy(), dtype="str"))
    assert assert_same_as_reference(cells) == 3000
    assert cells.str.endswith("GMT+1").any() and cells.str.endswith("GMT").any()


def test_benchmark_timestamps_match_sample_data_writer():
    """The vectorised writer of the benchmark writes what sample_data's per-row writer writes."""
    g = _bench_layouts()
    t = pd.Series(pd.date_range("2025-01-01", "2026-12-31", periods=2000)).dt.floor("s")
    ours = g.forms_timestamps_text(t)
    theirs = [g._LAYOUTS.forms_timestamp(x.to_pydatetime()) for x in t]
    assert list(ours) == theirs


def _random_cells(n: int, seed: int) -> pd.Series:
    """Cells near the layouts: valid ones and every way of being a little wrong."""
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        y = int(rng.choice([2024, 2025, 2000, 1900, 2100, 2028]))
        mo, d = int(rng.integers(0, 14)), int(rng.integers(0, 33))
        h, mi, s = int(rng.integers(0, 25)), int(rng.integers(0, 62)), int(rng.integers(0, 62))
        ap = str(rng.choice(["", " AM", " PM", " am", " pm", "PM", " a.m.", " p. m.", "  PM"]))
        zone = str(rng.choice(["", " GMT", " GMT+1", " GMT-5", " GMT+5:30", " GMT+0530", " GMT+100", " GMT+14",
                               " GMT+15", " GMT5", " gmt+1", " UTC+1", " UTC", " MEZ", " MESZ", " +0100", " +01:00",
                               " Z", " XYZ", "GMT+1", " GMT +1", " GMT+1:75"]))
        sec = f":{s:02d}" if rng.random() < 0.85 else ""
        pad = (lambda v: f"{v:02d}") if rng.random() < 0.5 else str
        kind = rng.random()
        if kind < 0.55:
            date = f"{y}/{pad(mo)}/{pad(d)}"
        elif kind < 0.8:
            sep = str(rng.choice(["/", ".", "-"]))
            date = f"{pad(mo)}{sep}{pad(d)}{sep}{y}" if rng.random() < 0.5 else f"{pad(d)}{sep}{pad(mo)}/{y}"
        elif kind < 0.9:
            date = f"{y}-{mo:02d}-{d:02d}"
        else:
            date = str(rng.choice(["yesterday", "2025/09/14", "9/14/2025", "14 Sept 2025 10:00", ""]))
        clock = f" {pad(h)}:{mi:02d}{sec}" if rng.random() < 0.95 else ""
        out.append(date + clock + ap + zone)
    return clean_text(pd.Series(out, dtype="str"))


@pytest.mark.parametrize("seed", range(6))
def test_random_cells_read_as_before(seed):
    cells = _random_cells(600, seed)
    # Day-first and month-first files both occur: the column decides once.
    assert_same_as_reference(cells)
    assert_same_as_reference(cells[~cells.str.match(r"^\d{1,2}[/.-]\d{1,2}", na=False)])


def test_day_first_column_is_detected_once():
    cells = pd.Series(["14/09/2025 10:31:22", "3/10/2025 9:00:00", "30/09/2025 23:59"], dtype="str")
    assert timestamps.infer_dayfirst(cells) is True
    when, fmt = timestamps.parse_timestamps(cells)
    assert fmt.startswith("D/M/YYYY")
    assert when.tolist() == [pd.Timestamp("2025-09-14 10:31:22", tz="UTC"),
                             pd.Timestamp("2025-10-03 09:00", tz="UTC"), pd.Timestamp("2025-09-30 23:59", tz="UTC")]
    assert_same_as_reference(cells)


# --------------------------------------------------------------------------- what only the new reader reads


@pytest.mark.parametrize("cell, utc", [
    ("2026/01/01 8:00:00 AM GMT", "2026-01-01 08:00:00"),
    ("2026/07/01 8:00:00 AM GMT+1", "2026-07-01 07:00:00"),
    ("2026/07/01 8:00:00 AM UTC+1", "2026-07-01 07:00:00"),
    ("2026/07/01 8:00:00 MEZ", "2026-07-01 07:00:00"),
    ("2026/07/01 8:00:00 MESZ", "2026-07-01 06:00:00"),
    ("2026/07/01 8:00:00 p. m. GMT-5", "2026-07-02 01:00:00"),
    ("2026/07/01 12:30:00 a. m. UTC", "2026-07-01 00:30:00"),
    ("2026/07/01 12:30:00 p.m. GMT+5:30", "2026-07-01 07:00:00"),
    ("2024/02/29 23:59:59 GMT-1", "2024-03-01 00:59:59"),
    ("2026/07/01 8:00:00 EDT", "2026-07-01 12:00:00"),
])
def test_localised_offsets(cell, utc):
    when, _ = timestamps.parse_timestamps(pd.Series([cell], dtype="str"))
    assert when.iloc[0] == pd.Timestamp(utc, tz="UTC")
    got, bad = people.forms_timestamps(pd.Series([cell], dtype="str"))
    assert got.iloc[0] == pd.Timestamp(utc, tz="UTC") and not bad.iloc[0]


@pytest.mark.parametrize("cell", ["2026/02/29 8:00:00 AM GMT", "2026/07/01 13:00:00 PM GMT", "2026/07/01 0:00:00 AM",
                                  "2026/07/01 8:00:00 XYZ", "2026/07/01 8:00:00 MEZ+1", "2026/07/01 8:00:60 GMT",
                                  "2026/07/01 8:00:00 GMT+15", "7/1/2026 8:00:00 GMT", "14.09/2025 10:00"])
def test_not_read_by_the_vectorised_pass(cell):
    when, _ = timestamps.parse_timestamps(pd.Series([cell], dtype="str"))
    assert when.isna().all()


def _zone_cells(n: int, seed: int) -> pd.Series:
    """Timestamps in every layout, ending in letters that are (or look like) a time zone's name."""
    rng = np.random.default_rng(seed)
    names = [*timestamps.ZONES, "XYZ", "ABCDE", "Q", "AMX", "GMTX", "MEZZ", "utc", "Cet", "PMT", "A", "P", "M"]
    base = _random_cells(n, seed).fillna("2026/07/01 8:00:00").str.replace(r"\s*[A-Za-z]+[+-]?[\d:]*$", "", regex=True)
    tails = [str(rng.choice(names)) + str(rng.choice(["", "+1", "-5", " +01:00", "+0530"])) for _ in range(n)]
    return pd.Series([f"{b} {t}" for b, t in zip(base, tails)], dtype="str")


@pytest.mark.parametrize("seed", range(4))
def test_cells_ending_in_an_unknown_zone_are_left_to_the_slow_readers(seed):
    """``read_google_forms`` looks for unknown zones only among the cells the vectorised pass did not read."""
    cells = _zone_cells(800, seed)
    unknown = timestamps.unknown_zones(cells)
    micros, _ = timestamps.parse_micros(cells, dayfirst=timestamps.infer_dayfirst(cells))
    assert unknown.sum() > 50  # the test says something
    assert (micros[unknown] == timestamps.NAT).all(), cells[unknown & (micros != timestamps.NAT)].tolist()[:5]


@pytest.mark.parametrize("seed", range(3))
def test_byte_reader_equals_the_regular_expression(seed):
    """Google's layout read from bytes gives what ``YEAR_FIRST`` gives, on every cell either takes."""
    cells = _random_cells(800, 100 + seed)
    arr = timestamps.arrow_strings(cells)
    fast, fast_ok = timestamps._google_pass(arr)
    slow, slow_ok = timestamps._read(arr, timestamps.YEAR_FIRST, "ymd")
    assert fast_ok.sum() > 50
    assert not (fast_ok & ~slow_ok).any()
    assert (fast[fast_ok] == slow[fast_ok]).all()
    # What the bytes do not take (odd spacing, longer cells) the expression still reads.
    assert (slow_ok & ~fast_ok).sum() < slow_ok.sum()


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("default", [False, True])
def test_vectorised_dayfirst_equals_the_per_cell_rule(seed, default):
    rng = np.random.default_rng(seed)
    cells = pd.Series([f"{rng.integers(1, 32)}/{rng.integers(1, 14)}/{rng.choice(['25', '2025'])}"
                       f"{rng.choice(['', ' 10:00', 'x'])}" for _ in range(int(rng.integers(1, 40)))]
                      + ["2025-01-01", "yesterday", ""], dtype="str")
    assert timestamps.infer_dayfirst(cells, default) == _per_cell_dayfirst(cells, default)


def _per_cell_dayfirst(cells: pd.Series, default: bool) -> bool:
    """people.infer_dayfirst as it was before it became timestamps.infer_dayfirst (pandas str.extract per cell)."""
    parts = cells[cells.str.match(r"^\s*\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b", na=False)].str.extract(
        r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-]\d{2,4}\b").dropna().astype(int)
    if not len(parts):
        return default
    day_first, month_first = int((parts[0] > 12).sum()), int((parts[1] > 12).sum())
    return day_first > month_first if day_first != month_first else default
