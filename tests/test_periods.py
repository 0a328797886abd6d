import datetime as dt

import pandas as pd
import pytest

from harness import periods
from harness.dataset import from_tables
from harness.periods import Period

D = dt.date


@pytest.mark.parametrize("name,anchor,start,end", [
    ("last_30", D(2026, 3, 31), D(2026, 3, 2), D(2026, 3, 31)),
    ("last_90", D(2026, 3, 31), D(2026, 1, 1), D(2026, 3, 31)),
    ("last_365", D(2026, 3, 31), D(2025, 4, 1), D(2026, 3, 31)),
    ("month", D(2026, 2, 10), D(2026, 2, 1), D(2026, 2, 28)),
    ("month", D(2024, 2, 10), D(2024, 2, 1), D(2024, 2, 29)),
    ("month", D(2026, 12, 31), D(2026, 12, 1), D(2026, 12, 31)),
    ("quarter", D(2026, 5, 15), D(2026, 4, 1), D(2026, 6, 30)),
    ("quarter", D(2026, 12, 1), D(2026, 10, 1), D(2026, 12, 31)),
    ("school_year", D(2026, 10, 1), D(2026, 9, 1), D(2027, 8, 31)),
    ("school_year", D(2026, 3, 1), D(2025, 9, 1), D(2026, 8, 31)),
])
def test_presets(name, anchor, start, end):
    assert periods.preset(name, anchor) == Period(start, end)


@pytest.mark.parametrize("period,prev", [
    (Period(D(2026, 1, 1), D(2026, 3, 31)), Period(D(2025, 10, 3), D(2025, 12, 31))),  # 90 days
    (Period(D(2026, 3, 1), D(2026, 3, 1)), Period(D(2026, 2, 28), D(2026, 2, 28))),
])
def test_previous_has_same_length_and_ends_the_day_before(period, prev):
    assert period.previous() == prev
    assert prev.days == period.days


def test_mask_is_inclusive_of_both_days():
    p = Period(D(2026, 1, 1), D(2026, 1, 2))
    t = pd.Series(pd.to_datetime(["2025-12-31 23:59", "2026-01-01 00:00", "2026-01-02 23:59", "2026-01-03 00:00"], utc=True))
    assert p.mask(t).tolist() == [False, True, True, False]


@pytest.mark.parametrize("text,expected", [
    ("2026-01-01:2026-01-31", Period(D(2026, 1, 1), D(2026, 1, 31))),
    ("last_30", Period(D(2026, 5, 2), D(2026, 5, 31))),
])
def test_parse(text, expected):
    assert periods.parse(text, D(2026, 5, 31)) == expected


@pytest.mark.parametrize("text", ["2026-02-01:2026-01-01", "nonsense", "2026-13-01:2026-12-01"])
def test_parse_rejects_with_value_error(text):
    with pytest.raises(ValueError):
        periods.parse(text, D(2026, 5, 31))


def test_default_period_ends_on_latest_data():
    inv = pd.DataFrame({"record_id": ["a", "b"], "occurred_at": pd.to_datetime(["2026-01-05 00:00", "2026-04-30 18:00"], utc=True),
                        "person": ["x", "y"], "action": ["visit", "call"], "source": ["facebook", "website"]})
    p = periods.default_period(from_tables(involvement=inv))
    assert p == Period(D(2026, 1, 31), D(2026, 4, 30))
