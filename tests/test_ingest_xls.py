"""Legacy .xls (BIFF) exports, as LinkedIn still gives them.

The fixtures are the committed .xlsx LinkedIn exports re-written cell by cell
as BIFF with xlwt, so both formats must give identical canonical tables.
"""

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

xlwt = pytest.importorskip("xlwt", reason="xlwt (requirements-dev.txt) writes the .xls fixtures")

from harness.ingest import ingest_bytes  # noqa: E402

SOCIAL = Path(__file__).resolve().parent / "fixtures" / "social"


def as_xls(xlsx: Path) -> bytes:
    wb = openpyxl.load_workbook(xlsx, data_only=True)
    out = xlwt.Workbook()
    date_style = xlwt.easyxf(num_format_str="mm/dd/yyyy")
    for ws in wb.worksheets:
        sheet = out.add_sheet(ws.title[:31])
        for r, row in enumerate(ws.iter_rows(values_only=True)):
            for c, value in enumerate(row):
                if value is None:
                    continue
                if hasattr(value, "year"):
                    sheet.write(r, c, value, date_style)
                else:
                    sheet.write(r, c, value)
    import io

    buf = io.BytesIO()
    out.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize("name", sorted(p.name for p in SOCIAL.glob("*.xlsx")))
def test_xls_reads_like_the_same_xlsx(name):
    xlsx = SOCIAL / name
    data = as_xls(xlsx)
    assert data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a real BIFF/OLE file
    (from_xls,) = ingest_bytes(name.replace(".xlsx", ".xls"), data)
    (from_xlsx,) = ingest_bytes(name, xlsx.read_bytes())
    assert from_xls.error is None, from_xls.error
    assert from_xls.source == from_xlsx.source
    assert set(from_xls.tables) == set(from_xlsx.tables) and from_xls.tables
    for table, df in from_xlsx.tables.items():
        pd.testing.assert_frame_equal(from_xls.tables[table].drop(columns=["record_id"], errors="ignore"),
                                      df.drop(columns=["record_id"], errors="ignore"), check_dtype=False)
