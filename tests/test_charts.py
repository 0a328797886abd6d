"""Chart axes for counts: whole-number ticks only (tested through ``chart.to_dict()``)."""

from __future__ import annotations

import pandas as pd
import pytest

from harness import charts


@pytest.mark.parametrize("values,whole", [([1, 1, 1], True), ([3.0, 7.0], True), ([0.25, 1.5], False),
                                          ([None, 2], True), ([], False)])
def test_horizontal_bars_ticks_whole_numbers_only_for_counts(values, whole):
    df = pd.DataFrame({"partner": [f"p{i}" for i in range(len(values))], "n": values})
    x = charts.horizontal_bars(df, "partner", "n", "Partners", "Activities together").to_dict()["encoding"]["x"]
    assert x.get("axis", {}) is not None, "the axis must never be switched off"
    assert x.get("axis", {}).get("tickMinStep") == (1 if whole else None)


def test_stacked_counts_over_time_tick_whole_numbers():
    df = pd.DataFrame({"bucket": pd.to_datetime(["2026-03-02", "2026-03-09"]), "kind": ["event", "service"],
                       "count": [1, 2]})
    spec = charts.stacked_over_time(df, "kind", "Activities by kind", "Activities").to_dict()
    assert spec["encoding"]["y"]["axis"]["tickMinStep"] == 1
