"""CSV and XLSX downloads: formula injection neutralised, numbers kept, values round-trip."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pandas as pd
import pytest

from harness import downloads, scoring

PAYLOADS = ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1:A2)", "\t=1", "\r=1", "=HYPERLINK(\"http://x\")"]


def frame() -> pd.DataFrame:
    return pd.DataFrame({
        "=evil header": PAYLOADS + ["plain"],
        "number": [-5, -1.5, 0, 1, 2, 3, 4, 1e6],
        "text_number": ["-5", "5", "x", "y", "z", "w", "v", "u"],
        "count": pd.array([1, None, 3, 4, 5, 6, 7, 8], dtype="Int64"),
        "cat": pd.Categorical(["=c"] * 8),
    })


def read_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def read_xlsx(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def test_csv_neutralises_text_cells_and_headers_but_not_numbers():
    rows = read_csv(downloads.table_csv(frame()))
    assert rows[0] == ["'=evil header", "number", "text_number", "count", "cat"]
    for row, payload in zip(rows[1:], PAYLOADS):
        assert row[0] == "'" + payload
    assert rows[-1][0] == "plain"
    assert [r[1] for r in rows[1:]] == ["-5.0", "-1.5", "0.0", "1.0", "2.0", "3.0", "4.0", "1000000.0"]
    assert rows[1][2] == "'-5" and rows[2][2] == "5"  # "-5" typed as text is text
    assert rows[2][3] == ""  # missing stays empty
    assert all(r[4] == "'=c" for r in rows[1:])  # categorical text too


def test_csv_quotes_carriage_returns_so_no_row_can_be_split():
    data = downloads.table_csv(pd.DataFrame({"a": ["x\r=1", "\r=2", "y\n@3"]})).decode("utf-8-sig")
    assert data == 'a\r\n"x\r=1"\r\n"\'\r=2"\r\n"y\n@3"\r\n'


def test_xlsx_stores_every_text_cell_as_a_string_never_a_formula():
    wb = read_xlsx(downloads.tables_xlsx({"t": frame()}))
    ws = wb["t"]
    cells = [c for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    header = [c.value for c in ws[1]]
    assert header == ["'=evil header", "number", "text_number", "count", "cat"]
    col_a = [c for c in ws["A"][1:]]
    for cell, payload in zip(col_a, PAYLOADS):
        # XML turns a stored carriage return into a newline; either way it starts with the apostrophe
        assert cell.data_type == "s" and cell.value == ("'" + payload).replace("\r", "\n")
    numbers = [c for c in ws["B"][1:]]
    assert [c.value for c in numbers] == [-5, -1.5, 0, 1, 2, 3, 4, 1e6]
    assert all(c.data_type == "n" for c in numbers)
    assert ws["C2"].value == "'-5" and ws["C2"].data_type == "s"
    assert ws["D3"].value is None and ws["D4"].value == 3


def test_xlsx_round_trips_values_and_converts_aware_times_to_utc():
    when = pd.to_datetime(["2026-03-02 10:00", "2026-07-01 08:30"]).tz_localize("Europe/London")
    df = pd.DataFrame({"name": ["Ann", "Bob"], "amount": [12.5, -3.0], "ok": [True, False], "when": when,
                       "day": [dt.date(2026, 3, 2), dt.date(2026, 7, 1)], "missing": [float("nan"), float("inf")]})
    ws = read_xlsx(downloads.tables_xlsx({"People": df}))["People"]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    assert rows[0] == ["name", "amount", "ok", "when (UTC)", "day", "missing"]
    # London is UTC+0 in March and UTC+1 in July
    assert rows[1][:4] == ["Ann", 12.5, True, dt.datetime(2026, 3, 2, 10, 0)]
    assert rows[2][:4] == ["Bob", -3.0, False, dt.datetime(2026, 7, 1, 7, 30)]
    assert rows[1][4].date() == dt.date(2026, 3, 2)
    assert rows[1][5] is None and rows[2][5] is None


def test_xlsx_cleans_characters_excel_cannot_hold_and_caps_length():
    df = pd.DataFrame({"t": ["a\x00b\x07c", "\x01=1", "x" * 40_000]})
    ws = read_xlsx(downloads.tables_xlsx({"t": df}))["t"]
    assert ws["A2"].value == "abc"
    assert ws["A3"].value == "'=1" and ws["A3"].data_type == "s"  # removing \x01 must not expose a formula
    assert len(ws["A4"].value) == 32_767


@pytest.mark.parametrize("names, expected", [
    (["scores"], ["scores"]),
    (["a/b\\c:d*e?f[g]h"], ["a_b_c_d_e_f_g_h"]),
    (["x" * 40], ["x" * 31]),
    (["'quoted'"], ["quoted"]),
    ([""], ["Sheet"]),
    (["History"], ["History_"]),
    (["Data", "data", "DATA"], ["Data", "data (2)", "DATA (3)"]),
    (["y" * 31, "y" * 31], ["y" * 31, "y" * 27 + " (2)"]),
])
def test_sheet_names(names, expected):
    out = downloads.sheet_names(names)
    assert out == expected
    assert all(len(n) <= 31 for n in out)


def test_workbook_has_one_sheet_per_table_in_order():
    wb = read_xlsx(downloads.tables_xlsx({"Scores": frame(), "a:b": frame().head(1)}))
    assert wb.sheetnames == ["Scores", "a_b"]
    assert wb["a_b"].max_row == 2


def test_scores_table_has_one_row_per_component(small_dataset, period):
    card = scoring.score_pillars(small_dataset, period)
    table = downloads.scores_table(card)
    assert len(table) == 4 + 4 + 5 + 4
    assert list(table["pillar"].unique()) == ["involvement", "co_creation", "connections", "community"]
    row = table.set_index("component").loc["repeat_share"]
    # ann and bob acted twice, cat once: 2 of 3 named people repeat
    assert row["value"] == pytest.approx(2 / 3, abs=1e-4)
    assert row["pillar_score"] == pytest.approx(card.pillars["involvement"].score, abs=0.05)
    assert row["target"] == card.pillars["involvement"].components[2].target
    # the dict form gives the same table
    pd.testing.assert_frame_equal(table, downloads.scores_table(card.to_dict()))
    points = table.groupby("pillar", sort=False)["points"].sum()
    assert points["involvement"] == pytest.approx(card.pillars["involvement"].score, abs=0.3)


def test_scores_table_survives_xlsx_as_numbers(small_dataset, period):
    table = downloads.scores_table(scoring.score_pillars(small_dataset, period))
    ws = read_xlsx(downloads.tables_xlsx({"Scores": table}))["Scores"]
    header = [c.value for c in ws[1]]
    col = header.index("score") + 1
    assert all(ws.cell(r, col).data_type == "n" for r in range(2, ws.max_row + 1))
    assert ws.max_row == len(table) + 1


def test_workbook_leaves_out_a_table_too_big_for_a_sheet_and_says_so(monkeypatch):
    import io

    from openpyxl import load_workbook

    from harness import downloads

    monkeypatch.setattr(downloads, "MAX_ROWS", 4)  # 3 data rows + header fit, 4 do not
    small = pd.DataFrame({"a": ["=1+1", "x", "y"]})
    big = pd.DataFrame({"a": range(4)})
    data, notes = downloads.workbook(pd.DataFrame({"score": [50.0]}), {"Small": small, "Big": big,
                                                                       "Empty": small.iloc[:0]})
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["Scores", "Small", "Read me"]
    assert [c.value for c in wb["Small"]["A"]] == ["a", "'=1+1", "x", "y"]
    assert notes == ["'Big' (4 rows) is larger than an Excel sheet holds: download it as CSV."]
