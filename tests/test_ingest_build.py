"""``ColumnReader.counts`` / ``daily``: the one builder the by-day social readers share, on a hand-made frame."""

from __future__ import annotations

import pandas as pd
import pytest

from harness.ingest.build import ColumnReader, Total
from harness.ingest.registry import Raw


def _raw(rows: dict[str, list]) -> Raw:
    frame = pd.DataFrame(rows, dtype=object)
    return Raw(file_name="daily.csv", frame=frame, line_numbers=pd.Series(range(2, 2 + len(frame))))


@pytest.mark.parametrize("spec, expected", [
    (("Likes",), [3, None, 7]),
    (("Missing", "likes"), [3, None, 7]),  # synonyms: the first the file has is read
    (Total("Likes", "Shares"), [4, 2, 7]),  # unknown + 2 is 2; all unknown would stay unknown
    (Total("Nope"), [None, None, None]),
])
def test_counts_reads_one_column_or_adds_several(spec, expected):
    r = ColumnReader(_raw({"Likes": ["3", "", "7"], "Shares": ["1", "2", ""]}))
    got = r.counts(n=spec)["n"]
    assert [None if pd.isna(v) else int(v) for v in got] == expected


def test_daily_builds_audience_with_dates_first():
    r = ColumnReader(_raw({"Date": ["2026-01-02", "not a day", "2026-01-04"], "Views": ["10", "x", "30"],
                           "Likes": ["1", "1", ""], "Replies": ["2", "", ""]}))
    parsed = r.daily("x", r.times("date", "Date", formats=("%Y-%m-%d",)).dt.floor("D"), views=("Views",),
                     interactions=Total("Likes", "Replies"))
    audience = parsed.tables["audience"]
    assert audience["date"].dt.strftime("%Y-%m-%d").tolist() == ["2026-01-02", "2026-01-04"]
    assert audience["platform"].tolist() == ["x", "x"]
    assert audience["views"].tolist() == [10, 30]
    assert [None if pd.isna(v) else int(v) for v in audience["interactions"]] == [3, None]
    assert [(p.line, p.reason) for p in parsed.rejected] == [(3, "'Date' is not a date: 'not a day'")]
    assert parsed.mapping == {"date": "Date", "views": "Views", "interactions": "Likes + Replies"}
    assert parsed.guessed_years is False
