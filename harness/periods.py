"""Reporting periods: any start/end, presets, and the previous period.

A period is a whole number of days, ``start`` and ``end`` inclusive, in UTC.
The previous period has the same length and ends the day before ``start``,
so every figure can be shown with its change.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from harness import format as fmt
from harness import schema

PRESETS = {
    "last_30": "Last 30 days",
    "last_90": "Last 90 days",
    "last_365": "Last 365 days",
    "month": "Calendar month",
    "quarter": "Calendar quarter",
    "school_year": "School year (September to August)",
}
DEFAULT_PRESET = "last_90"
SCHOOL_YEAR_START_MONTH = 9  # September; southern-hemisphere schools can change it


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive

    def __post_init__(self):
        if self.end < self.start:
            raise ValueError(f"period ends ({self.end}) before it starts ({self.start})")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def months(self) -> float:
        """Length in average months (365.25 / 12 days), for per-month rates."""
        return self.days / (365.25 / 12)

    @property
    def start_ts(self) -> pd.Timestamp:
        return pd.Timestamp(self.start, tz="UTC")

    @property
    def end_ts(self) -> pd.Timestamp:
        """Exclusive upper bound: midnight after ``end``."""
        return pd.Timestamp(self.end + dt.timedelta(days=1), tz="UTC")

    def previous(self) -> "Period":
        end = self.start - dt.timedelta(days=1)
        return Period(end - dt.timedelta(days=self.days - 1), end)

    def label(self) -> str:
        return fmt.period_label(self.start, self.end)

    def to_dict(self) -> dict:
        return {"start": self.start.isoformat(), "end": self.end.isoformat(), "days": self.days}

    def mask(self, times: pd.Series) -> pd.Series:
        """Boolean mask of ``times`` (UTC timestamps) that fall in the period."""
        return (times >= self.start_ts) & (times < self.end_ts)


def preset(name: str, anchor: dt.date, school_year_start_month: int = SCHOOL_YEAR_START_MONTH) -> Period:
    """The preset period that ends on (or contains) ``anchor``."""
    if name.startswith("last_"):
        days = int(name.split("_")[1])
        return Period(anchor - dt.timedelta(days=days - 1), anchor)
    if name == "month":
        start = anchor.replace(day=1)
        nxt = (start + dt.timedelta(days=32)).replace(day=1)
        return Period(start, nxt - dt.timedelta(days=1))
    if name == "quarter":
        first_month = 3 * ((anchor.month - 1) // 3) + 1
        start = anchor.replace(month=first_month, day=1)
        nxt = (start + dt.timedelta(days=95)).replace(day=1)
        return Period(start, nxt - dt.timedelta(days=1))
    if name == "school_year":
        m = school_year_start_month
        year = anchor.year if anchor.month >= m else anchor.year - 1
        start = dt.date(year, m, 1)
        end = dt.date(year + 1, m, 1) - dt.timedelta(days=1)
        return Period(start, end)
    raise ValueError(f"unknown period preset '{name}'; choose one of {', '.join(PRESETS)}")


def parse(text: str, anchor: dt.date) -> Period:
    """A period from the CLI: a preset name, or ``YYYY-MM-DD:YYYY-MM-DD``."""
    text = text.strip()
    if ":" in text:
        a, b = text.split(":", 1)
        try:
            return Period(dt.date.fromisoformat(a.strip()), dt.date.fromisoformat(b.strip()))
        except ValueError as exc:
            raise ValueError(f"period '{text}': {exc}") from None
    return preset(text, anchor)


def default_period(dataset, name: str = DEFAULT_PRESET) -> Period:
    """The latest ``name`` period the data covers (last 90 days by default).

    Anchored on the last day the uploads cover; today when there is none.
    Files whose dates had no year (TikTok Studio) count only when no upload
    says its year: an inferred year must not move the period past every
    file that states its dates.
    """
    span = dataset.time_span()
    anchor = span[1].date() if span else dt.date.today()
    inputs = [i for i in getattr(dataset, "inputs", []) if getattr(i, "end", None) is not None]
    dated = [i.end for i in inputs if not getattr(i, "guessed_years", False)]
    if dated and len(dated) < len(inputs):
        anchor = min(anchor, max(dated).date())
    return preset(name, anchor)


def in_period(df: pd.DataFrame, table: str, period: Period | None) -> pd.DataFrame:
    """The rows of ``df``, a canonical ``table``, whose time (``schema.TIME_COLUMN``) falls in ``period``;
    every row when ``period`` is None. The one period filter: every page, score and chart cuts tables here."""
    return df if period is None else df[period.mask(df[schema.TIME_COLUMN[table]])]
