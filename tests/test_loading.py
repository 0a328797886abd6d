"""``loading.read_paths`` reads the smaller files on a second thread: same reports, same order."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from harness import loading
from harness.ingest import ingest_path

FIXTURES = Path(__file__).parent / "fixtures"
FILES = sorted((FIXTURES / "people").glob("*.csv"))[:6] + sorted((FIXTURES / "social").glob("*.csv"))[:6]


@pytest.mark.parametrize("beside_max", [0, 1 << 40], ids=["one-thread", "two-threads"])
def test_read_paths_gives_each_files_reports_in_the_order_given(beside_max, monkeypatch):
    monkeypatch.setattr(loading, "BESIDE_MAX_BYTES", beside_max)
    paths = FILES[::-1] + [FIXTURES / "people"]  # a folder too: it is read on the first thread
    got = loading.read_paths(paths)
    expected = [r for p in paths for r in ingest_path(p)]
    assert len(FILES) >= 10
    assert [r.file_name for r in got] == [r.file_name for r in expected]
    for g, e in zip(got, expected):
        assert (g.error, g.warnings, g.tables.keys()) == (e.error, e.warnings, e.tables.keys())
        for name in g.tables:
            pd.testing.assert_frame_equal(g.tables[name], e.tables[name])
