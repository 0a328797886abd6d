"""CSV and XLSX downloads of scores and tables, safe to open in a spreadsheet.

Rules (they change what lands in the file):

* Formula injection: a text cell or column name starting with ``=``, ``+``,
  ``-``, ``@``, tab or carriage return gets a leading apostrophe
  (``safety.neutralise_formula``). Numbers stay numbers: ``-5`` in a numeric
  column is a number, ``"-5"`` in a text column is text and is neutralised.
  In XLSX every text cell is also written with the string type, so even a
  cell that slipped through could never be stored as a formula.
* CSV rows end in CRLF, so every cell holding a line break or carriage
  return is quoted.
* Excel has no time zones: timezone-aware times are converted to UTC and
  written without a zone, and their column name gets " (UTC)". CSV keeps
  the ISO text with its offset.
* XLSX cells cannot hold some control characters (openpyxl refuses them):
  they are removed. Text longer than Excel's 32,767 characters per cell is
  cut. Missing values (None, NaN, NA, NaT) are empty cells; infinities too.
* Sheet names: at most 31 characters, none of ``[]:*?/\\``, not starting or
  ending with an apostrophe, unique (ignoring case), never empty.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from harness.safety import neutralise_formula, safe_for_spreadsheet

MAX_CELL_CHARS = 32_767
MAX_ROWS = 1_048_576  # including the header row
MAX_COLS = 16_384
MAX_SHEET_NAME = 31
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


class DownloadError(ValueError):
    """A table that cannot be written as asked; the message says what to do instead."""


# ------------------------------------------------------------------ tables


def scores_table(scorecard) -> pd.DataFrame:
    """One row per component: pillar, value, previous value, target, weight, score, points and how/why."""
    card = scorecard.to_dict() if hasattr(scorecard, "to_dict") else scorecard
    period, prev = card.get("period") or {}, card.get("previous_period") or {}
    rows = []
    for key, p in card.get("pillars", {}).items():
        for c in p.get("components", []):
            rows.append({
                "period_start": period.get("start"), "period_end": period.get("end"),
                "pillar": key, "pillar_label": p.get("label"), "pillar_score": p.get("score"),
                "pillar_previous_score": p.get("previous_score"),
                "component": c.get("key"), "label": c.get("label"), "unit": c.get("unit"),
                "value": c.get("value"), "previous_value": c.get("previous_value"),
                "previous_period_start": prev.get("start"),
                "target": c.get("target"), "weight": c.get("weight"), "score": c.get("score"),
                "points": c.get("contribution"), "available": c.get("available"),
                "note": c.get("reason"), "how": c.get("how"), "target_source": c.get("target_source"),
            })
    df = pd.DataFrame(rows, columns=SCORE_COLUMNS)
    numeric = ["pillar_score", "pillar_previous_score", "value", "previous_value", "target", "weight", "score", "points"]
    return df.astype({c: "Float64" for c in numeric} | {"available": "boolean"})


SCORE_COLUMNS = [
    "period_start", "period_end", "pillar", "pillar_label", "pillar_score", "pillar_previous_score",
    "component", "label", "unit", "value", "previous_value", "previous_period_start", "target", "weight",
    "score", "points", "available", "note", "how", "target_source",
]


# ------------------------------------------------------------------ CSV


def table_csv(df: pd.DataFrame) -> bytes:
    """UTF-8 CSV (with BOM, for Excel) with formula cells and headers neutralised.

    Rows end in CRLF (RFC 4180). That also makes the writer quote any cell
    holding a carriage return: with a bare "\n" ending, pandas leaves "\r"
    unquoted, and a reader that breaks the row there would see the text after
    it as a new, un-neutralised cell.
    """
    safe = safe_for_spreadsheet(_text_categories(df))
    return safe.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def _text_categories(df: pd.DataFrame) -> pd.DataFrame:
    """Categorical columns as plain values, so their text is neutralised like any other."""
    cats = [c for c in df.columns if isinstance(df[c].dtype, pd.CategoricalDtype)]
    return df.astype({c: object for c in cats}) if cats else df


# ------------------------------------------------------------------ XLSX


def sheet_names(names) -> list[str]:
    """Excel-safe, unique sheet names in the same order (see the module rules)."""
    out, seen = [], set()
    for raw in names:
        name = _BAD_SHEET_CHARS.sub("_", str(raw)).strip().strip("'").strip() or "Sheet"
        name = name[:MAX_SHEET_NAME]
        if name.casefold() == "history":  # reserved by Excel
            name = "History_"
        base, n = name, 2
        while name.casefold() in seen:
            suffix = f" ({n})"
            name = base[:MAX_SHEET_NAME - len(suffix)] + suffix
            n += 1
        seen.add(name.casefold())
        out.append(name)
    return out


def excel_value(v):
    """A value openpyxl can store: text cleaned and neutralised, times without zone, missing -> None."""
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        return float(v) if math.isfinite(v) else None
    if isinstance(v, pd.Timestamp):
        if v.tzinfo is not None:
            v = v.tz_convert("UTC").tz_localize(None)
        return v.to_pydatetime()
    if isinstance(v, dt.datetime):
        return v.astimezone(dt.timezone.utc).replace(tzinfo=None) if v.tzinfo is not None else v
    if isinstance(v, dt.date):
        return v
    if isinstance(v, float) and math.isnan(v):
        return None
    text = ILLEGAL_CHARACTERS_RE.sub("", str(v))[:MAX_CELL_CHARS]
    return neutralise_formula(text)


def _prepare(df: pd.DataFrame) -> pd.DataFrame:
    out = _text_categories(df)
    renames = {}
    for col in out.columns:
        if isinstance(out[col].dtype, pd.DatetimeTZDtype):
            renames[col] = f"{col} (UTC)"
    out = out.rename(columns=renames) if renames else out
    return safe_for_spreadsheet(out)


def _write_sheet(wb: Workbook, name: str, df: pd.DataFrame) -> None:
    if len(df) + 1 > MAX_ROWS or len(df.columns) > MAX_COLS:
        raise DownloadError(f"the '{name}' table has {len(df):,} rows and {len(df.columns):,} columns, more than "
                            "one Excel sheet holds (1,048,575 rows, 16,384 columns); download it as CSV instead")
    ws = wb.create_sheet(name)
    bold = Font(bold=True)
    ws.append([_cell(ws, excel_value(str(c)), bold) for c in df.columns])
    for row in df.itertuples(index=False, name=None):
        ws.append([_cell(ws, excel_value(v)) for v in row])


def _cell(ws, value, font=None) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # never "f": text is text, whatever it starts with
    if font is not None:
        cell.font = font
    return cell


def tables_xlsx(tables: dict[str, pd.DataFrame]) -> bytes:
    """An .xlsx workbook with one sheet per table (names made Excel-safe), formulas neutralised."""
    wb = Workbook(write_only=True)
    if not tables:
        wb.create_sheet("Empty")
    for name, (key, df) in zip(sheet_names(tables.keys()), tables.items()):
        _write_sheet(wb, name, _prepare(df))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def workbook(scores: pd.DataFrame, tables: dict[str, pd.DataFrame]) -> tuple[bytes, list[str]]:
    """Scores plus the loaded tables as one workbook; tables too big for a sheet are left out and named.

    Returns (xlsx bytes, notes): each note says which table was left out and why, so the page can tell the
    user to download it as CSV instead.
    """
    sheets, notes = {"Scores": scores}, []
    for name, df in tables.items():
        if len(df) + 1 > MAX_ROWS or len(df.columns) > MAX_COLS:
            notes.append(f"'{name}' ({len(df):,} rows) is larger than an Excel sheet holds: download it as CSV.")
        elif len(df):
            sheets[name] = df
    if notes:
        sheets["Read me"] = pd.DataFrame({"note": notes})
    return tables_xlsx(sheets), notes
