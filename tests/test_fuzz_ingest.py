"""Hostile and broken input for every ingest path.

Every case must end in loaded data or a clear message: ``ingest_bytes``
never raises, never runs past a time limit, names the file in its message,
shows no traceback text, returns only canonical tables, and adding its
reports to data loaded earlier never changes the earlier rows. The inputs
are generated here (random bytes and CSV text, cut-off fixtures, wrong
encodings, zip bombs, nested zips, workbooks with macros or external links);
nothing is committed. The slow variants run with ``pytest -m slow``.
"""

from __future__ import annotations

import codecs
import csv
import io
import signal
import struct
import zipfile
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harness import schema
from harness.dataset import combine, combine_tables
from harness.ingest import DEFAULT_LIMITS, FileReport, Limits, decode, ingest_bytes, read_raws, tabular

FIXTURES = Path(__file__).parent / "fixtures"
DATA_FILES = sorted(p for d in ("social", "people") for p in (FIXTURES / d).iterdir()
                    if p.suffix.lower() in {".csv", ".xlsx", ".zip", ".xls"})
TRACEBACK_TEXT = ("Traceback", 'File "', '.py", line')
FAST = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)
SLOW = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MB = 1024 * 1024


# --------------------------------------------------------------------------- the contract


class TookTooLong(Exception):
    pass


@contextmanager
def time_limit(seconds: float):
    """Fail the test (from inside the call) when the block runs longer than ``seconds``."""
    def _stop(signum, frame):
        raise TookTooLong(f"still running after {seconds} s")

    old = signal.signal(signal.SIGALRM, _stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def ingest_checked(name: str, data: bytes, *, seconds: float = 10, **kw) -> list[FileReport]:
    """``ingest_bytes`` plus every promise it makes about bad input."""
    with time_limit(seconds):
        reports = ingest_bytes(name, data, **kw)
    assert reports and all(isinstance(r, FileReport) for r in reports)
    for r in reports:
        texts = [r.error or "", *r.warnings, *(p.reason for p in r.rejected)]
        for text in texts:
            assert not any(t in text for t in TRACEBACK_TEXT), text
        # The catch-all message means a reader crashed: every known problem has its own words.
        assert "unexpected problem" not in (r.error or ""), r.error
        if r.error:
            assert name in r.error, r.error
            assert r.tables == {}
        for table, df in r.tables.items():
            assert schema.validate(table, df) == [], table
            assert len(df)
    return reports


def previous_load() -> dict[str, pd.DataFrame]:
    """Data "already saved": every good fixture, combined."""
    return combine([r for f in DATA_FILES for r in ingest_bytes(f.name, f.read_bytes()) if r.ok]).tables


SAVED = previous_load()
SAVED_COPY = {k: v.copy(deep=True) for k, v in SAVED.items()}


def assert_saved_rows_kept(new_reports: list[FileReport]) -> None:
    """Combining new reports after the saved data keeps every saved row the new files do not carry.

    (A row the new files do carry is updated by design: later uploads win, column by column.)
    """
    ok = [r for r in new_reports if r.ok]
    for name in {t for r in ok for t in r.tables}:
        old = SAVED[name]
        merged = combine_tables(name, [old] + [r.tables[name] for r in ok if name in r.tables])
        keys = list(schema.KEYS[name])
        carried = pd.concat([r.tables[name][keys] for r in ok if name in r.tables])
        untouched = ~pd.MultiIndex.from_frame(old[keys]).isin(pd.MultiIndex.from_frame(carried))
        before = old[untouched].set_index(keys)
        after = merged.set_index(keys).reindex(before.index)
        pd.testing.assert_frame_equal(after, before, check_names=False)
        pd.testing.assert_frame_equal(old, SAVED_COPY[name])  # nothing saved was modified in place


# --------------------------------------------------------------------------- random input


NAMES = st.sampled_from(["upload.csv", "upload.xlsx", "upload.zip", "upload.xls", "upload.txt", "noext"])
MAGIC = st.sampled_from([b"", b"PK\x03\x04", b"PK\x05\x06", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
                         codecs.BOM_UTF8, codecs.BOM_UTF16_LE, b"sep=,\n", b"%PDF"])


@FAST
@given(name=NAMES, magic=MAGIC, body=st.binary(max_size=3000))
def test_random_bytes_end_in_data_or_a_message(name, magic, body):
    reports = ingest_checked(name, magic + body)
    assert_saved_rows_kept(reports)
    assert isinstance(read_raws(name, magic + body), list)


CELL = st.text(alphabet=st.sampled_from(list('ab,;\t|"\n\r =+-@1.5%€é😀/:')), max_size=12)
HEADERS = st.sampled_from([
    ["Date", "Person", "Action", "Source", "Value", "Referred by", "Post ID", "Notes"],
    ["Date", "Referrer", "Referred", "Channel", "Converted"],
    ["Post ID", "Page name", "Title", "Publish time", "Reactions", "Comments", "Shares"],
    ["a", "b"],
])


def _csv(header: list[str], rows: list[list[str]], delimiter: str) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


@FAST
@given(header=HEADERS, rows=st.lists(st.lists(CELL, max_size=9), max_size=12),
       delimiter=st.sampled_from([",", ";", "\t", "|"]),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1252", "latin-1"]))
def test_random_csv_text_in_any_encoding(header, rows, delimiter, encoding):
    data = _csv(header, rows, delimiter).encode(encoding, errors="replace")
    assert_saved_rows_kept(ingest_checked("log.csv", data))


@FAST
@given(table=st.sampled_from(list(schema.TABLES) + ["nope", None]),
       columns=st.dictionaries(st.sampled_from(["occurred_at", "person", "action", "record_id", "x", ""]),
                               st.one_of(st.none(), st.sampled_from(["Date", "Person", "Nope", ""]), st.integers())),
       fmt=st.one_of(st.none(), st.sampled_from(["%d/%m/%Y", "%", "%Q", "nonsense", "%Y-%m-%d %H:%M"])),
       dayfirst=st.one_of(st.none(), st.booleans(), st.integers()))
def test_hostile_mappings_give_a_message(table, columns, fmt, dayfirst):
    data = (FIXTURES / "people" / "involvement_log.csv").read_bytes()
    mapping = {"table": table, "columns": columns, "defaults": {}, "date_format": fmt, "dayfirst": dayfirst}
    ingest_checked("log.csv", data, mapping=mapping)


# --------------------------------------------------------------------------- parser equivalence


QUOTED = st.text(alphabet=st.sampled_from(list('ab ,;"\n1é😀')), max_size=10)


@FAST
@given(rows=st.lists(st.lists(QUOTED, min_size=1, max_size=4), min_size=1, max_size=8),
       delimiter=st.sampled_from([",", ";", "\t"]), quote_all=st.booleans(), raw_tail=st.sampled_from(["", "\n", '"', 'x"y']))
def test_arrow_parser_reads_exactly_what_pandas_reads(rows, delimiter, quote_all, raw_tail):
    """The Arrow fast path either declines or returns pandas' own grid, cell for cell."""
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\n",
               quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL).writerows(rows)
    text = buf.getvalue() + raw_tail
    width = max(len(r) for r in rows)
    fast = tabular._read_csv_arrow(text, delimiter, width)
    if fast is None:
        return
    original = tabular._read_csv_arrow
    try:
        tabular._read_csv_arrow = lambda *a: None
        slow, _ = tabular._read_csv(text, delimiter, width, 10**6)
    finally:
        tabular._read_csv_arrow = original
    pd.testing.assert_frame_equal(fast, slow)


@pytest.mark.parametrize("path", [p for p in DATA_FILES if p.suffix == ".csv"], ids=lambda p: p.name)
def test_large_file_byte_path_gives_the_same_result_as_text(path, monkeypatch):
    """Big UTF-8 files skip building the text; the result must not depend on it."""
    data = path.read_bytes()
    for variant in (data, data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")):
        monkeypatch.setattr(decode, "BYTES_PATH_MIN", 1 << 40)
        expected = ingest_bytes(path.name, variant)
        monkeypatch.setattr(decode, "BYTES_PATH_MIN", 1)
        got = ingest_bytes(path.name, variant)
        assert [(r.error, r.warnings, r.rejected) for r in got] == [(r.error, r.warnings, r.rejected) for r in expected]
        for g, e in zip(got, expected):
            assert g.tables.keys() == e.tables.keys()
            for name in g.tables:
                pd.testing.assert_frame_equal(g.tables[name], e.tables[name])


@pytest.mark.parametrize("line_end", [b"\r\n", b"\r", b"\n"], ids=["crlf", "lone-cr", "lf"])
def test_byte_path_reads_line_breaks_inside_cells_as_the_text_path(line_end, monkeypatch):
    """CRLF files stay as they are on the byte path; a cell's own line break must still read as "\\n"."""
    rows = [b'"Timestamp","Email address","What would you like to do?"',
            b'"2026/01/05 9:00:00 AM GMT","a@example.org","Visit' + line_end + b'then volunteer"',
            b'"2026/01/06 9:00:00 AM GMT","b@example.org","Donate"']
    data = line_end.join(rows) + line_end
    monkeypatch.setattr(decode, "BYTES_PATH_MIN", 1 << 40)
    expected = ingest_bytes("Open day (Responses) - Form responses 1.csv", data)
    monkeypatch.setattr(decode, "BYTES_PATH_MIN", 1)
    got = ingest_bytes("Open day (Responses) - Form responses 1.csv", data)
    assert [(r.error, r.warnings, r.rejected) for r in got] == [(r.error, r.warnings, r.rejected) for r in expected]
    for g, e in zip(got, expected):
        for name in g.tables:
            pd.testing.assert_frame_equal(g.tables[name], e.tables[name])
    assert len(got[0].tables["involvement"]) == 2
    text_cells = tabular.csv_raw("f.csv", decode.decode_bytes(data)[0].replace("\r\n", "\n").replace("\r", "\n"),
                                 DEFAULT_LIMITS).frame
    byte_cells = tabular.csv_raw("f.csv", decode.utf8_body(data), DEFAULT_LIMITS).frame
    pd.testing.assert_frame_equal(byte_cells, text_cells)
    assert byte_cells.iloc[0, 2] == "Visit\nthen volunteer"


# --------------------------------------------------------------------------- cut-off and re-encoded fixtures


def _cuts(n: int, steps: int) -> list[int]:
    """Where to cut a file of ``n`` bytes: the first byte, the last, and ``steps`` - 1 places between."""
    return sorted({1, n - 1} | {n * k // steps for k in range(1, steps)})


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: p.name)
def test_truncated_fixtures(path):
    data = path.read_bytes()
    for cut in _cuts(len(data), 3):
        assert_saved_rows_kept(ingest_checked(path.name, data[:max(cut, 1)]))


@pytest.mark.slow
@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: p.name)
def test_truncated_fixtures_everywhere(path):
    data = path.read_bytes()
    for cut in _cuts(len(data), 50):
        assert_saved_rows_kept(ingest_checked(path.name, data[:max(cut, 1)]))


TEXT_FIXTURES = [p for p in DATA_FILES if p.suffix == ".csv"]


@pytest.mark.parametrize("path", TEXT_FIXTURES, ids=lambda p: p.name)
def test_wrong_encodings_of_every_csv_fixture(path):
    text, _ = decode.decode_bytes(path.read_bytes())
    good = ingest_checked(path.name, path.read_bytes())
    variants = {
        "utf-16-le without BOM": text.encode("utf-16-le"),
        "utf-16-be without BOM": text.encode("utf-16-be"),
        # UTF-8 bytes read as Windows-1252 and saved again: "CafÃ©"
        "mojibake": text.encode("utf-8").decode("cp1252", errors="replace").encode("utf-8"),
        "cp1252": text.encode("cp1252", errors="replace"),
    }
    for label, data in variants.items():
        reports = ingest_checked(path.name, data)
        assert_saved_rows_kept(reports)
        if label.startswith("utf-16"):  # the same text, so the same rows
            assert [r.rows_accepted for r in reports] == [r.rows_accepted for r in good], label


def test_mixed_delimiters_load_what_fits():
    text = ("Date,Person,Action,Source\n2025-09-01,ann@example.org,visit,facebook\n"
            "2025-09-02;bob@example.org;call;email\n2025-09-03\tcat@example.org\tvisit\tx\n"
            "2025-09-04,dan@example.org,call,website\n")
    (r,) = ingest_checked("involvement_log.csv", text.encode())
    assert r.ok
    people = set(r.tables["involvement"]["person"].dropna())
    assert {"ann@example.org", "dan@example.org"} <= people
    assert not any(p.startswith("bob") for p in people)  # a semicolon row is not split on commas


# --------------------------------------------------------------------------- size and shape limits


def test_enormous_cell_is_kept_whole():
    caption = "Open day " + "x" * (10 * MB) + " end"
    csv_text = ("Post ID,Page name,Title,Publish time,Reactions,Comments,Shares\n"
                f'1,Hill School,"{caption}",09/01/2025 10:00,5,1,0\n2,Hill School,Short,09/02/2025 11:00,3,0,0\n')
    (r,) = ingest_checked("posts.csv", csv_text.encode(), seconds=30)
    assert r.ok and r.tables["posts"]["text"].tolist() == [caption, "Short"]


def test_very_many_columns_get_a_limit_message():
    header = ",".join(f"c{i}" for i in range(100_000))
    (r,) = ingest_checked("wide.csv", (header + "\n" + ",".join("1" * 100_000) + "\n").encode())
    assert "more than 1000 columns" in r.error


def test_one_very_wide_row_after_normal_rows_gets_a_limit_message():
    rows = "Date,Person,Action\n" + "2025-09-01,ann,visit\n" * 80 + ",".join(["x"] * 50_000) + "\n"
    (r,) = ingest_checked("involvement_log.csv", rows.encode())
    assert "more than 1000 columns" in r.error


@pytest.mark.slow
def test_millions_of_columns_get_a_limit_message():
    (r,) = ingest_checked("wide.csv", (",".join(["c"] * 2_000_000) + "\n").encode(), seconds=60)
    assert "columns" in r.error


def test_too_many_rows_get_a_limit_message():
    text = "Date,Person,Action\n" + "2025-09-01,ann,visit\n" * 120
    (r,) = ingest_checked("involvement_log.csv", text.encode(), limits=Limits(max_rows=100))
    assert "more than 100 rows" in r.error


def test_file_over_the_size_limit_gets_a_message():
    (r,) = ingest_checked("big.csv", b"a,b\n" + b"1,2\n" * 1000, limits=Limits(max_file_bytes=1000))
    assert "larger than" in r.error


# --------------------------------------------------------------------------- zips


def _zip(members: dict[str, bytes], level: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", level) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def _zeros_member(size: int, name: str = "bomb.csv") -> bytes:
    """A zip holding ``size`` bytes that compress ~1000 to 1, written in chunks (never all in memory)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z, z.open(name, "w") as f:
        chunk = b"a,b\n" + b"0" * (MB - 4)
        for _ in range(size // MB):
            f.write(chunk)
    return buf.getvalue()


def _lie_about_size(data: bytes, claimed: int) -> bytes:
    """Rewrite the uncompressed size the zip's headers claim for its (single, non-zip64) member."""
    b = bytearray(data)
    struct.pack_into("<I", b, b.find(b"PK\x03\x04") + 22, claimed)
    struct.pack_into("<I", b, b.find(b"PK\x01\x02") + 24, claimed)
    return bytes(b)


def test_zip_bomb_refused_from_its_directory():
    (r,) = ingest_checked("export.zip", _zeros_member(64 * MB))
    assert "zip bomb" in r.error


def test_zip_bomb_that_lies_about_its_size_is_stopped_while_reading():
    reports = ingest_checked("export.zip", _lie_about_size(_zeros_member(64 * MB), 1000))
    assert all(not r.ok for r in reports)
    assert any("zip bomb" in r.error or "could not be unpacked" in r.error for r in reports)


def test_nested_zip_bomb_runs_out_of_budget():
    leaf = _zip({f"f{i}.csv": b"a,b\n" + b"0" * (300 * 1024) for i in range(8)})
    mid = _zip({f"m{i}.zip": leaf for i in range(8)}, zipfile.ZIP_STORED)
    reports = ingest_checked("export.zip", _zip({"top.zip": mid}), limits=Limits(max_total_uncompressed=8 * MB))
    assert any(r.error and "unpacks to more than" in r.error for r in reports)


def test_deeply_nested_zips_get_a_depth_message():
    data = (FIXTURES / "people" / "involvement_log.csv").read_bytes()
    inner = _zip({"involvement_log.csv": data})
    for level in range(8):
        inner = _zip({f"level{level}.zip": inner})
    (r,) = ingest_checked("deep.zip", inner)
    assert "nested more than" in r.error


def test_shallow_nested_zip_loads():
    data = (FIXTURES / "people" / "involvement_log.csv").read_bytes()
    (r,) = ingest_checked("outer.zip", _zip({"mid.zip": _zip({"involvement_log.csv": data})}))
    assert r.ok and r.file_name == "outer.zip/mid.zip/involvement_log.csv" and r.rows_accepted == 5


def test_zip_with_too_many_members_gets_a_message():
    (r,) = ingest_checked("many.zip", _zip({f"f{i}.csv": b"a,b\n1,2\n" for i in range(1100)}))
    assert "the most we open is 1,000" in r.error


@pytest.mark.slow
def test_gigabyte_zip_bomb():
    (r,) = ingest_checked("export.zip", _zeros_member(1100 * MB), seconds=120)
    assert "zip bomb" in r.error or "more than" in r.error


# --------------------------------------------------------------------------- workbooks


def _workbook(rows: list[list]) -> bytes:
    from openpyxl import Workbook
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


LOG_ROWS = [["Date", "Person", "Action", "Source"], ["2025-09-01", "ann@example.org", "visit", "facebook"],
            ["2025-09-02", "bob@example.org", "call", "email"]]


def _rewrite(book: bytes, edit) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(book))
    parts = {i.filename: src.read(i.filename) for i in src.infolist()}
    edit(parts)
    return _zip(parts)


def _with_macros(parts: dict[str, bytes]) -> None:
    parts["xl/vbaProject.bin"] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 8
    ct = parts["[Content_Types].xml"].decode()
    ct = ct.replace("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                    "application/vnd.ms-excel.sheet.macroEnabled.main+xml")
    ct = ct.replace("</Types>", '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>')
    parts["[Content_Types].xml"] = ct.encode()
    rels = parts["xl/_rels/workbook.xml.rels"].decode().replace(
        "</Relationships>", '<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/office/2006/relationships/'
        'vbaProject" Target="vbaProject.bin"/></Relationships>')
    parts["xl/_rels/workbook.xml.rels"] = rels.encode()


def _with_external_link(parts: dict[str, bytes]) -> None:
    ns = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    parts["xl/externalLinks/externalLink1.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><externalLink '
        'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'xmlns:r="{ns}"><externalBook r:id="rId1"><sheetNames><sheetName val="Secret"/></sheetNames>'
        '<sheetDataSet><sheetData sheetId="0"><row r="1"><cell r="A1" t="str"><v>visit</v></cell></row>'
        '</sheetData></sheetDataSet></externalBook></externalLink>').encode()
    parts["xl/externalLinks/_rels/externalLink1.xml.rels"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships '
        'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
        f'Type="{ns}/externalLinkPath" Target="http://127.0.0.1:9/secret.xlsx" TargetMode="External"/>'
        '</Relationships>').encode()
    ct = parts["[Content_Types].xml"].decode().replace("</Types>", (
        '<Override PartName="/xl/externalLinks/externalLink1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.externalLink+xml"/></Types>'))
    parts["[Content_Types].xml"] = ct.encode()
    rels = parts["xl/_rels/workbook.xml.rels"].decode().replace("</Relationships>", (
        f'<Relationship Id="rIdExt" Type="{ns}/externalLink" Target="externalLinks/externalLink1.xml"/>'
        '</Relationships>'))
    parts["xl/_rels/workbook.xml.rels"] = rels.encode()
    wb = parts["xl/workbook.xml"].decode()
    parts["xl/workbook.xml"] = wb.replace("</workbook>", (
        '<externalReferences><externalReference r:id="rIdExt"/></externalReferences></workbook>')).encode()
    # A cell whose formula points into the linked book; only its cached value may be read.
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    parts["xl/worksheets/sheet1.xml"] = sheet.replace(
        '<c r="C3" t="inlineStr"><is><t>call</t></is></c>',
        '<c r="C3" t="str"><f>[1]Secret!A1</f><v>call</v></c>').encode()


def test_macro_workbook_loads_values_only():
    book = _rewrite(_workbook(LOG_ROWS), _with_macros)
    assert "xl/vbaProject.bin" in zipfile.ZipFile(io.BytesIO(book)).namelist()
    (r,) = ingest_checked("involvement_log.xlsm", book)
    assert r.ok and r.rows_accepted == 2
    assert_saved_rows_kept([r])


def test_workbook_with_external_link_reads_cached_values():
    book = _rewrite(_workbook(LOG_ROWS), _with_external_link)
    (r,) = ingest_checked("involvement_log.xlsx", book)
    assert r.ok
    assert sorted(r.tables["involvement"]["action"]) == ["call", "visit"]


def test_workbook_bomb_is_refused():
    sheet = b"<row>" + b"<c><v>0</v></c>" * 1000 + b"</row>"
    book = _rewrite(_workbook(LOG_ROWS), lambda p: p.update({"xl/worksheets/sheet2.xml": sheet * 12_000}))
    (r,) = ingest_checked("big.xlsx", book)
    assert "zip bomb" in r.error


def test_damaged_workbook_gets_a_message():
    book = bytearray(_workbook(LOG_ROWS))
    start = book.find(b"xl/worksheets/sheet1.xml") + 40
    book[start:start + 200] = b"\x00" * 200
    (r,) = ingest_checked("log.xlsx", bytes(book))
    assert not r.ok


# --------------------------------------------------------------------------- formula-looking cells stay text


FORMULAS = ["=1+2", "+cmd|' /C calc'!A0", "-2+3", "@sum(a1)", '=HYPERLINK("http://x.example","y")', "=cmd"]


def test_formula_like_cells_load_as_inert_text():
    rows = [["Date", "Person", "Action", "Source", "Value", "Referred by", "Post ID", "Notes"]]
    rows += [[f"2025-09-{i + 1:02d}", f, "visit", "facebook", "", FORMULAS[-1 - i], "", f] for i, f in
             enumerate(FORMULAS)]
    (r,) = ingest_checked("involvement_log.csv", _csv(rows[0], rows[1:], ",").encode())
    inv = r.tables["involvement"].sort_values("occurred_at")
    assert inv["person"].tolist() == FORMULAS
    assert inv["referred_by"].tolist() == FORMULAS[::-1]
    posts = [["Post ID", "Page name", "Title", "Publish time", "Permalink", "Reactions"]]
    posts += [[str(100 + i), f, f, f"09/{i + 1:02d}/2025 10:00", f, "1"] for i, f in enumerate(FORMULAS)]
    (p,) = ingest_checked("posts.csv", _csv(posts[0], posts[1:], ",").encode())
    got = p.tables["posts"].sort_values("published_at")
    for col in ("author", "text", "url"):
        assert got[col].tolist() == FORMULAS, col


# --------------------------------------------------------------------------- slow: many more random cases


@pytest.mark.slow
@SLOW
@given(name=NAMES, magic=MAGIC, body=st.binary(max_size=20_000))
def test_random_bytes_many(name, magic, body):
    assert_saved_rows_kept(ingest_checked(name, magic + body))


@pytest.mark.slow
@SLOW
@given(header=HEADERS, rows=st.lists(st.lists(CELL, max_size=9), max_size=60),
       delimiter=st.sampled_from([",", ";", "\t", "|"]),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1252"]))
def test_random_csv_text_many(header, rows, delimiter, encoding):
    data = _csv(header, rows, delimiter).encode(encoding, errors="replace")
    assert_saved_rows_kept(ingest_checked("log.csv", data))


@pytest.mark.slow
@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: p.name)
def test_random_byte_flips_in_fixtures(path):
    rng = np.random.default_rng(7)
    data = bytearray(path.read_bytes())
    for _ in range(30):
        damaged = bytearray(data)
        for pos in rng.integers(0, len(data), 5):
            damaged[pos] = int(rng.integers(0, 256))
        assert_saved_rows_kept(ingest_checked(path.name, bytes(damaged)))
