"""Making uploaded text inert wherever it is shown or downloaded.

Everything in an upload is untrusted: names, captions, headers, file names.
"""

from __future__ import annotations

import html
import re

import pandas as pd

# Characters with meaning in Markdown (CommonMark + Streamlit's extensions: colours, emoji shortcodes, math).
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~:$<&=])")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def md_escape(text) -> str:
    """Text safe to put inside ``st.markdown``: no formatting, links or HTML survive."""
    if text is None:
        return ""
    s = str(text).replace("\r", " ").replace("\n", " ")
    return _MD_SPECIAL.sub(r"\\\1", s)


def html_text(text) -> str:
    """Text safe inside HTML element content or a quoted attribute."""
    return html.escape("" if text is None else str(text), quote=True)


def neutralise_formula(value):
    """A cell a spreadsheet would evaluate as a formula gets a leading apostrophe.

    Applies to text only: numbers stay numbers (a negative number is not a formula).
    """
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def safe_for_spreadsheet(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` whose text cells (and column names) cannot run as formulas."""
    out = df.copy()
    out.columns = [neutralise_formula(str(c)) for c in out.columns]
    for col in out.columns:
        s = out[col]
        if s.dtype == object or pd.api.types.is_string_dtype(s):
            out[col] = s.map(neutralise_formula, na_action="ignore")
    return out


def csv_bytes(df: pd.DataFrame) -> bytes:
    """UTF-8 (with BOM, so Excel reads accents) CSV with formulas neutralised."""
    # CRLF line ends make pandas quote any cell holding a bare CR, so no reader can
    # split a cell there and expose an un-neutralised formula as a new cell.
    return safe_for_spreadsheet(df).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")
