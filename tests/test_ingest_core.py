"""The ingest core: decoding, delimiters, headers, spreadsheets, zips, limits, broken files.

Files are built in the tests (small Meta-style posts CSVs) so each quirk is
isolated; expected values are written out by hand.
"""

from __future__ import annotations

import copy
import hashlib
import io
import json
import pickle
import zipfile

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harness import schema
from harness.dataset import combine
from harness.ingest import Limits, describe, ingest_bytes, ingest_path
from harness.ingest import core, tabular

HEADER = ["Post ID", "Page name", "Title", "Publish time", "Reactions", "Comments", "Shares"]
ROWS = [
    ["1234567890123456789", "Café Hill", "Fête d’été ☀", "09/01/2025 21:13", "1,204", "3", "-"],
    ["1168834171933140", "Café Hill", "Line one\nline two", "09/02/2025 08:05", "7", "N/A", "2"],
]
EXPECTED = {
    "post_id": ["1234567890123456789", "1168834171933140"],
    "text": ["Fête d’été ☀", "Line one\nline two"],
    "reactions": [1204, 7],
    "comments": [3, None],
    "shares": [None, 2],
}


def posts_csv(delimiter: str = ",", rows=ROWS, header=HEADER, newline: str = "\n") -> str:
    def cell(v: str) -> str:
        if any(ch in v for ch in (delimiter, '"', "\n")):
            return '"' + v.replace('"', '""') + '"'
        return v
    return "".join(delimiter.join(cell(v) for v in r) + newline for r in [header] + rows)


def one(reports):
    assert len(reports) == 1, [r.error for r in reports]
    return reports[0]


def values(df: pd.DataFrame, col: str) -> list:
    return [None if pd.isna(v) else v for v in df[col].tolist()]


def check_posts(report, expected=EXPECTED):
    assert report.error is None, report.error
    assert report.source == "meta_facebook_posts"
    posts = report.tables["posts"]
    assert schema.validate("posts", posts) == []
    for col, want in expected.items():
        assert values(posts, col) == want, col


# --------------------------------------------------------------------------- encodings

ENCODINGS = [
    ("utf-8", b""),
    ("utf-8", b"\xef\xbb\xbf"),
    ("utf-16-le", b"\xff\xfe"),
    ("utf-16-be", b"\xfe\xff"),
    ("utf-16-le", b""),  # no BOM: told by the NUL pattern
]


@pytest.mark.parametrize("codec, bom", ENCODINGS)
def test_unicode_encodings_give_the_same_table(codec, bom):
    data = bom + posts_csv().encode(codec)
    check_posts(one(ingest_bytes("posts.csv", data)))


def test_cp1252_fallback_reads_smart_quotes_and_accents():
    rows = [[c.replace("☀", "") for c in r] for r in ROWS]
    data = posts_csv(rows=rows).encode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    report = one(ingest_bytes("posts.csv", data))
    check_posts(report, {"text": ["Fête d’été", "Line one\nline two"]})
    assert any("read as Windows-1252" in w for w in report.warnings)


def test_latin1_fallback_for_bytes_cp1252_cannot_decode():
    # 0x81 is undefined in cp1252; latin-1 accepts anything.
    rows = [[ROWS[0][0], "Hill\x81", "Caf\xe9", ROWS[0][3], "1", "2", "3"]]
    data = posts_csv(rows=rows).encode("latin-1")
    posts = one(ingest_bytes("posts.csv", data)).tables["posts"]
    assert values(posts, "text") == ["Café"]


def test_crlf_line_endings():
    check_posts(one(ingest_bytes("posts.csv", posts_csv(newline="\r\n").encode())))


# --------------------------------------------------------------------------- delimiters

@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_delimiter_is_sniffed(delimiter):
    check_posts(one(ingest_bytes("posts.csv", posts_csv(delimiter).encode())))


def test_sep_line_decides_the_delimiter():
    text = "sep=;\n" + posts_csv(";")
    report = one(ingest_bytes("posts.csv", text.encode()))
    check_posts(report)
    assert report.rejected == []


# --------------------------------------------------------------------------- header, notes, totals, lines

def test_header_found_below_a_preamble_and_preamble_kept():
    text = "Hill School posts export\nCreated 2025-10-01,by Sam\n\n" + posts_csv()
    raw = tabular.csv_raw("posts.csv", text, Limits())
    assert list(raw.frame.columns) == HEADER
    assert raw.preamble == ["Hill School posts export", "Created 2025-10-01,by Sam"]
    check_posts(one(ingest_bytes("posts.csv", text.encode())))


def test_total_row_and_trailing_note_dropped_with_warnings():
    rows = [["Total", "", "", "", "1,211", "3", "2"]] + ROWS + [["Data exported 2025-10-01 by Meta", "", "", "", "",
                                                                 "", ""]]
    report = one(ingest_bytes("posts.csv", posts_csv(rows=rows).encode()))
    check_posts(report)
    assert report.rows_read == 2
    assert any("'Total' row" in w and "line 2" in w for w in report.warnings)
    assert any("note row" in w and "Data exported" in w for w in report.warnings)


def test_line_numbers_count_multiline_cells_and_blank_lines():
    rows = [
        ["1", "P", "a\nb\nc", "09/01/2025 10:00", "1", "1", "1"],  # lines 2-4
        ["2", "P", "ok", "not a date", "1", "1", "1"],  # line 5
    ]
    text = posts_csv(rows=rows) + "\n" + "3,P,x,bad,1,1,1\n"  # line 6 blank, row on line 7
    report = one(ingest_bytes("posts.csv", text.encode()))
    assert [(p.line, p.reason) for p in report.rejected] == [
        (5, "'Publish time' is not a date: 'not a date'"),
        (7, "'Publish time' is not a date: 'bad'"),
    ]
    assert values(report.tables["posts"], "post_id") == ["1"]


def test_line_numbers_of_a_large_file_with_captions_over_several_lines():
    # Over 1 MB: the bytes go straight to Arrow and line numbers are only counted when a row is rejected.
    rows, line, expected = [], 2, []
    for i in range(15000):
        caption = "\n".join(["Open morning"] * (1 + i % 4))
        when = "not a date" if i in (7, 14990) else "09/01/2025 10:00"
        rows.append([str(10**15 + i), "Hill", caption, when, "1", "1", "1"])
        if when == "not a date":
            expected.append((line, "'Publish time' is not a date: 'not a date'"))
        line += 1 + caption.count("\n")
    text = posts_csv(rows=rows)
    assert len(text) > 1 << 20
    report = one(ingest_bytes("posts.csv", text.encode()))
    assert [(p.line, p.reason) for p in report.rejected] == expected
    assert len(report.tables["posts"]) == 15000 - 2
    assert report.sha256 == hashlib.sha256(text.encode()).hexdigest()  # hashed on a thread beside the parse


def test_raw_keeps_its_line_numbers_when_copied_or_pickled():
    raw = core.read_raws("x.csv", b'Date,Person,Action\n2025-01-01,"a\nb",call\n2025-01-02,c,visit\n')[0]
    for clone in (pickle.loads(pickle.dumps(raw)), copy.deepcopy(raw)):
        assert clone.line_numbers.tolist() == [2, 4]


_ID_CELLS = st.sampled_from(["1", "01", "001", "7", "10", "x", "", "18446744073709551615", "9999999999999999999",
                             "0x1F", "31", "١", "1234567890123456789"])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["facebook", "x"]), _ID_CELLS), min_size=1, max_size=25),
       st.booleans())
def test_repeated_keys_counts_what_duplicated_counts(rows, one_platform):
    df = pd.DataFrame(rows, columns=["platform", "post_id"], dtype="str")
    if one_platform:
        df["platform"] = "facebook"
    assert core.repeated_keys(df, ("platform", "post_id")) == int(df.duplicated(["platform", "post_id"]).sum())


def test_row_with_more_values_than_header_is_rejected_not_shifted():
    text = posts_csv() + "99,P,unquoted, comma,09/03/2025 10:00,1,1,1\n"
    report = one(ingest_bytes("posts.csv", text.encode()))
    check_posts(report)
    assert len(report.rejected) == 1
    assert report.rejected[0].line == 5
    assert "8 values but the header has 7 columns" in report.rejected[0].reason


def test_bad_optional_value_becomes_null_with_warning():
    rows = [ROWS[0][:4] + ["lots", "3", "-"], ROWS[1]]
    report = one(ingest_bytes("posts.csv", posts_csv(rows=rows).encode()))
    assert values(report.tables["posts"], "reactions") == [None, 7]
    assert any("'Reactions'" in w and "line 2" in w for w in report.warnings)
    assert report.rejected == []


def test_formula_like_cells_stay_inert_text():
    cells = ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)"]
    rows = [[str(i), "P", c, "09/01/2025 10:00", "-5", "1", "1"] for i, c in enumerate(cells)]
    report = one(ingest_bytes("posts.csv", posts_csv(rows=rows).encode()))
    posts = report.tables["posts"]
    assert values(posts, "text") == cells
    assert values(posts, "reactions") == [-5, -5, -5, -5]


def test_empty_header_cells_get_names_and_duplicates_are_kept():
    text = "Post ID,,Title,Title,Publish time,Reactions\n1,,a,b,09/01/2025 10:00,3\n"
    raw = tabular.csv_raw("x.csv", text, Limits())
    assert list(raw.frame.columns) == ["Post ID", "column 2", "Title", "Title", "Publish time", "Reactions"]


# --------------------------------------------------------------------------- spreadsheets

def _xlsx(sheets: dict[str, list[list]]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_xlsx_note_row_numbers_and_ids():
    rows = [["Exported from Meta Business Suite"], HEADER,
            [1234567890123456, "Hill", "Hi", "09/01/2025 21:13", 1204, 3.0, None]]
    report = one(ingest_bytes("posts.xlsx", _xlsx({"Posts": rows})))
    assert report.error is None, report.error
    posts = report.tables["posts"]
    assert values(posts, "post_id") == ["1234567890123456"]
    assert values(posts, "reactions") == [1204]
    assert values(posts, "comments") == [3]
    assert values(posts, "shares") == [None]


def test_xlsx_unrecognised_sheet_skipped_with_note():
    rows = [HEADER, ["1", "Hill", "Hi", "09/01/2025 21:13", "1", "2", "3"]]
    report = one(ingest_bytes("posts.xlsx", _xlsx({"Posts": rows, "Notes": [["anything", "else"], ["a", "b"]]})))
    assert report.error is None
    assert len(report.tables["posts"]) == 1
    assert any("'Notes'" in w for w in report.warnings)


def test_excel_date_cells_are_read():
    import datetime as dt
    rows = [HEADER, ["1", "Hill", "Hi", dt.datetime(2025, 9, 1, 21, 13), 1, 2, 3]]
    posts = one(ingest_bytes("posts.xlsx", _xlsx({"Posts": rows}))).tables["posts"]
    assert posts["published_at"].iloc[0] == pd.Timestamp("2025-09-01 21:13", tz="UTC")


# --------------------------------------------------------------------------- broken files

BROKEN = [
    ("empty.csv", b"", "the file is empty"),
    ("blank.csv", b"  \n\n \r\n", "the file is empty"),
    ("binary.csv", bytes(range(256)) * 4, "binary data"),
    ("photo.csv", b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, "a PNG image"),
    ("report.xlsx", b"%PDF-1.7\n%\xe2\xe3" + b"0" * 50, "a PDF document"),
    ("page.csv", b"<!DOCTYPE html><html><body>Sign in</body></html>", "web page"),
    ("truncated.xlsx", _xlsx({"S": [HEADER]})[:300], "could not be opened"),
    ("fake.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "could not be opened"),
    ("bad.zip", b"PK\x03\x04" + b"\x00" * 40, "damaged"),
]


@pytest.mark.parametrize("name, data, fragment", BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_files_get_one_clear_message(name, data, fragment):
    report = one(ingest_bytes(name, data))
    assert report.error is not None
    assert report.error.startswith(name + ":")
    assert fragment in report.error
    assert "Traceback" not in report.error
    assert report.tables == {}
    assert report.sha256 == hashlib.sha256(data).hexdigest()


def test_unrecognised_file_names_its_columns_and_the_supported_kinds():
    data = b"Name,Favourite colour,Shoe size\nSam,blue,9\n"
    report = one(ingest_bytes("people.csv", data))
    assert report.error.startswith("people.csv: we do not recognise this file")
    assert "Name, Favourite colour, Shoe size" in report.error
    assert "Meta Business Suite - Facebook posts" in report.error
    assert "TikTok Studio - follower history" in report.error


def test_truncated_csv_keeps_the_complete_rows():
    data = posts_csv().encode()
    cut = data[: data.index(b"Line one") + 4]  # mid quoted caption of the last row
    report = one(ingest_bytes("posts.csv", cut))
    assert report.error is None
    assert values(report.tables["posts"], "post_id") == ["1234567890123456789"]
    assert any("cut off" in w for w in report.warnings)


def test_truncated_utf8_character_is_tolerated():
    data = posts_csv().encode()[:-1] + "☀".encode()[:2]
    assert one(ingest_bytes("posts.csv", data)).error is None


def test_header_only_file_loads_nothing_and_says_so():
    report = one(ingest_bytes("posts.csv", posts_csv(rows=[]).encode()))
    assert report.error is None
    assert report.tables == {}
    assert any("no data rows" in w for w in report.warnings)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_never_raises_on_random_bytes(data):
    for report in ingest_bytes("fuzz.csv", data):
        assert report.error is None or report.error.startswith("fuzz.csv")


@settings(max_examples=40, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12), max_size=30))
def test_never_raises_on_random_text_cells(cells):
    text = posts_csv() + ",".join(cells) + "\n"
    for report in ingest_bytes("fuzz.csv", text.encode("utf-8")):
        assert report.error is None or "fuzz.csv" in report.error


# --------------------------------------------------------------------------- limits and zips

def test_huge_file_is_refused_with_the_limit_named():
    data = posts_csv(rows=ROWS * 2000).encode()
    report = one(ingest_bytes("posts.csv", data, limits=Limits(max_file_bytes=100_000)))
    assert "larger than the 97.7 KB we read" in report.error


def test_too_many_rows_and_columns():
    data = posts_csv(rows=ROWS * 60).encode()
    report = one(ingest_bytes("posts.csv", data, limits=Limits(max_rows=100)))
    assert "more than 100 rows" in report.error
    wide = (",".join(f"c{i}" for i in range(50)) + "\n") * 2
    report = one(ingest_bytes("wide.csv", wide.encode(), limits=Limits(max_columns=20)))
    assert "more than 20 columns" in report.error


def _zip(members: dict[str, bytes], method=zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def test_zip_members_are_routed_and_junk_skipped():
    data = _zip({"export/posts.csv": posts_csv().encode(), "__MACOSX/._posts.csv": b"\x00junk",
                 "export/readme.pdf": b"%PDF", ".DS_Store": b"x"})
    report = one(ingest_bytes("export.zip", data))
    assert report.file_name == "export.zip/export/posts.csv"
    check_posts(report)


def test_zip_bomb_is_stopped():
    bomb = _zip({"big.csv": b"0" * (30 * 1024 * 1024)})
    assert len(bomb) < 100_000
    report = one(ingest_bytes("bomb.zip", bomb))
    assert "zip bomb" in report.error
    assert report.tables == {}


def test_zip_total_uncompressed_limit():
    data = _zip({f"f{i}.csv": posts_csv().encode() for i in range(5)}, method=zipfile.ZIP_STORED)
    report = one(ingest_bytes("many.zip", data, limits=Limits(max_total_uncompressed=1000)))
    assert "more than" in report.error and "many.zip" in report.error


def test_zip_member_count_and_nesting_limits():
    data = _zip({f"f{i}.csv": b"a,b\n1,2\n" for i in range(12)})
    assert "the most we open is 10" in one(ingest_bytes("m.zip", data, limits=Limits(max_zip_members=10))).error
    nested = posts_csv().encode()
    for depth in range(5):
        nested = _zip({f"level{depth}.zip" if depth else "posts.csv": nested})
    assert "nested more than 3 deep" in one(ingest_bytes("deep.zip", nested)).error
    shallow = _zip({"inner.zip": _zip({"posts.csv": posts_csv().encode()})})
    check_posts(one(ingest_bytes("shallow.zip", shallow)))


def test_empty_zip_says_what_it_holds():
    report = one(ingest_bytes("e.zip", _zip({"notes.docx": b"x"})))
    assert "holds no CSV or Excel files" in report.error and "notes.docx" in report.error


# --------------------------------------------------------------------------- re-uploads and combine

def test_reupload_and_overlapping_export_never_double_count():
    first = ingest_bytes("sep.csv", posts_csv().encode())
    again = ingest_bytes("sep-again.csv", posts_csv().encode())
    later_rows = [ROWS[1][:4] + ["9", "4", "2"],  # lifetime numbers grew
                  ["1168834171933199", "Café Hill", "New", "10/01/2025 09:00", "1", "0", "0"]]
    later = ingest_bytes("oct.csv", posts_csv(rows=later_rows).encode())
    ds = combine(first + again + later)
    posts = ds["posts"].set_index("post_id")
    assert len(posts) == 3
    assert posts.loc["1168834171933140", "reactions"] == 9
    assert posts.loc["1168834171933140", "comments"] == 4
    assert posts.loc["1234567890123456789", "reactions"] == 1204
    assert int(ds["posts"]["reactions"].sum()) == 1204 + 9 + 1


def test_failed_upload_leaves_loaded_data_unchanged():
    good = ingest_bytes("posts.csv", posts_csv().encode())
    before = combine(good)["posts"]
    after = combine(good + ingest_bytes("broken.csv", b"\x00\x01\x02" * 50))
    pd.testing.assert_frame_equal(before, after["posts"])
    assert after.inputs[-1].error is not None


# --------------------------------------------------------------------------- paths, describe, mapping

def test_ingest_path_folder_recurses_and_skips_hidden(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "posts.csv").write_text(posts_csv(), encoding="utf-8")
    (tmp_path / ".hidden.csv").write_text("x,y\n1,2\n")
    (tmp_path / "notes.txt.bak").write_text("ignored")
    reports = ingest_path(tmp_path)
    assert [r.file_name for r in reports] == ["a/posts.csv"]
    check_posts(reports[0])
    missing = one(ingest_path(tmp_path / "nope.csv"))
    assert "nope.csv" in missing.error and "could not be opened" in missing.error


def test_describe_is_json_and_complete():
    rows = ROWS + [["9", "P", "x", "bad", "1", "1", "1"]]
    d = describe(one(ingest_bytes("posts.csv", posts_csv(rows=rows).encode())))
    json.dumps(d)
    assert d["source"] == "meta_facebook_posts"
    assert d["tables"] == {"posts": 2}
    assert d["rows_read"] == 3 and d["rows_rejected"] == 1
    assert d["first_reasons"] == [{"line": 5, "reason": "'Publish time' is not a date: 'bad'"}]
    assert d["rejected_reasons"] == ["line 5: 'Publish time' is not a date: 'bad'"]
    assert d["date_range"] == ["2025-09-01T21:13:00+00:00", "2025-09-02T08:05:00+00:00"]
    assert (d["start"], d["end"]) == tuple(d["date_range"])
    assert d["mapping"]["published_at"] == "Publish time"
    assert d["error"] is None and len(d["sha256"]) == 64


def test_mapping_is_passed_to_templates_apply_mapping(monkeypatch):
    from harness.ingest import registry

    from harness.ingest import templates
    seen = {}

    def fake_apply(raw, mapping):
        seen["columns"], seen["mapping"] = list(raw.frame.columns), mapping
        return registry.Parsed(tables={}, mapping=dict(mapping))

    monkeypatch.setattr(templates, "apply_mapping", fake_apply, raising=False)
    report = one(ingest_bytes("posts.csv", posts_csv().encode(), mapping={"post_id": "Post ID"}))
    assert seen == {"columns": HEADER, "mapping": {"post_id": "Post ID"}}
    assert report.source == "mapping" and report.mapping == {"post_id": "Post ID"}


def test_mapping_that_does_not_fit_is_a_message(monkeypatch):
    from harness.ingest import templates

    def refuse(raw, mapping):
        raise ValueError("column 'Donor' is not in the file")

    monkeypatch.setattr(templates, "apply_mapping", refuse, raising=False)
    report = one(ingest_bytes("posts.csv", posts_csv().encode(), mapping={"table": "involvement"}))
    assert report.error == "posts.csv: the column mapping does not fit: column 'Donor' is not in the file"


def test_repeated_key_within_a_file_is_noted():
    report = one(ingest_bytes("posts.csv", posts_csv(rows=ROWS + [ROWS[0]]).encode()))
    assert any("1 row(s) repeat an earlier platform + post_id" in w for w in report.warnings)
    assert len(combine([report])["posts"]) == 2


def test_xlsx_bomb_is_stopped_before_opening():
    bomb = _zip({"[Content_Types].xml": b"<Types/>", "xl/worksheets/sheet1.xml": b" " * (30 * 1024 * 1024)})
    report = one(ingest_bytes("book.xlsx", bomb))
    assert report.error.startswith("book.xlsx: the workbook unpacks to 30.0 MB")
    assert "zip bomb" in report.error


# ---------------------------------------------------------------- configurable limits

from harness.ingest.limits import DEFAULT_LIMITS, MB, LimitsError, limits_from  # noqa: E402


@pytest.mark.parametrize("config,environ,field,expected", [
    (None, None, "max_file_bytes", DEFAULT_LIMITS.max_file_bytes),
    ({"max_file_mb": 500}, None, "max_file_bytes", 500 * MB),
    (None, {"HC_MAX_ROWS": "5000"}, "max_rows", 5000),
    ({"max_rows": 10}, {"HC_MAX_ROWS": "5000"}, "max_rows", 10),  # secrets win over the environment
    ({"max_total_uncompressed_mb": "2048"}, None, "max_total_uncompressed", 2048 * MB),
    ({"max_compression_ratio": 50.5}, None, "max_compression_ratio", 50.5),
    ({"max_zip_depth": 0}, None, "max_zip_depth", 0),
    (None, {"HC_MAX_COLUMNS": ""}, "max_columns", DEFAULT_LIMITS.max_columns),
])
def test_limits_from_config_and_environment(config, environ, field, expected):
    assert getattr(limits_from(config, environ), field) == expected


@pytest.mark.parametrize("config,words", [
    ({"max_file_size": 5}, "unknown upload limit max_file_size"),
    ({"max_rows": "lots"}, "max_rows must be a number"),
    ({"max_rows": 2.5}, "max_rows must be a whole number"),
    ({"max_compression_ratio": "inf"}, "max_compression_ratio must be a number"),
    ({"max_rows": 0}, "max_rows must be at least 1"),
    ({"max_file_mb": True}, "max_file_mb must be a number"),
])
def test_bad_limits_are_named_in_the_message(config, words):
    with pytest.raises(LimitsError, match=words):
        limits_from(config, {})


def test_a_configured_row_limit_refuses_a_longer_file_with_a_message():
    data = b"Date,Person,Action,Source,Value,Referred by,Post ID,Notes\n" + b"".join(
        f"2026-03-0{1 + i % 9} 10:00,p{i}@example.org,visit,facebook,,,,\n".encode() for i in range(11))
    [report] = ingest_bytes("involvement_log.csv", data, limits=limits_from({"max_rows": 10}, {}))
    assert not report.ok and "10" in report.error
    [fine] = ingest_bytes("involvement_log.csv", data, limits=limits_from({"max_rows": 11}, {}))
    assert fine.ok and len(fine.tables["involvement"]) == 11
