import pandas as pd
import pytest

from harness.safety import csv_bytes, html_text, md_escape, neutralise_formula, safe_for_spreadsheet


@pytest.mark.parametrize("value,expected", [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
    ("+1+2", "'+1+2"),
    ("-2+3", "'-2+3"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\tcmd", "'\tcmd"),
    ("\rcmd", "'\rcmd"),
    ("plain", "plain"),
    (-5, -5),
    (3.5, 3.5),
    (None, None),
])
def test_neutralise_formula(value, expected):
    assert neutralise_formula(value) == expected


def test_safe_for_spreadsheet_covers_headers_and_string_columns():
    df = pd.DataFrame({"=evil": ["=1+1", "ok"], "n": [-1, 2]})
    out = safe_for_spreadsheet(df)
    assert list(out.columns) == ["'=evil", "n"]
    assert out.iloc[:, 0].tolist() == ["'=1+1", "ok"]
    assert out["n"].tolist() == [-1, 2]
    text = csv_bytes(df).decode("utf-8-sig")
    assert "\n=1+1" not in text and "'=1+1" in text


@pytest.mark.parametrize("text", ["[click](javascript:alert(1))", "<img src=x onerror=alert(1)>", "**bold** _i_ :red[x] $x$"])
def test_md_escape_leaves_no_live_markdown(text):
    out = md_escape(text)
    for ch in "[]()<>*_:$":
        # every special character that survives is preceded by a backslash
        for i, c in enumerate(out):
            if c == ch:
                assert out[i - 1] == "\\"


def test_html_text():
    assert html_text('<a href="x">') == "&lt;a href=&quot;x&quot;&gt;"


def test_csv_quotes_cells_with_carriage_returns():
    text = csv_bytes(pd.DataFrame({"a": ["ok\r=1+1"]})).decode("utf-8-sig")
    assert '"ok\r=1+1"' in text
