"""A Dataset is the six canonical tables plus a record of what they came from.

``combine`` merges the tables of many file reports. Rows are keyed by
``schema.KEYS``; for rows with the same key the newest non-null value wins,
column by column, where "newest" is the later report in the list (upload
order). That is what makes re-uploading a file, or an overlapping export of
a later month, safe: nothing is counted twice, and Meta's lifetime metrics
take their latest value.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd

from harness import schema


@dataclass(frozen=True)
class InputInfo:
    file_name: str
    source: str | None
    source_label: str
    tables: dict[str, int]  # table -> rows accepted
    rejected: int
    error: str | None
    start: pd.Timestamp | None
    end: pd.Timestamp | None
    guessed_years: bool = False  # the file's dates had no year (the year was inferred)


@dataclass
class Dataset:
    tables: dict[str, pd.DataFrame] = field(default_factory=schema.empty_tables)
    inputs: list[InputInfo] = field(default_factory=list)

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.tables[name]

    def has(self, name: str) -> bool:
        return len(self.tables[name]) > 0

    def is_empty(self) -> bool:
        """No rows in any table: nothing was loaded."""
        return not any(len(t) for t in self.tables.values())

    def coverage(self) -> dict[str, tuple[pd.Timestamp, pd.Timestamp] | None]:
        """First and last timestamp per table (None when the table is empty)."""
        out = {}
        for name, df in self.tables.items():
            col = df[schema.TIME_COLUMN[name]].dropna()
            out[name] = (col.min(), col.max()) if len(col) else None
        return out

    def time_span(self) -> tuple[pd.Timestamp, pd.Timestamp] | None:
        spans = [s for s in self.coverage().values() if s]
        if not spans:
            return None
        return min(s[0] for s in spans), max(s[1] for s in spans)

    @cached_property
    def referral_index(self):
        """Everyone numbered once and every referral edge (``network.ReferralIndex``).

        Built on first use and kept: scoring and vanity vs real read it for
        both periods instead of normalising and numbering a million names
        each time. A Dataset is not changed after it is combined, so it
        stays valid.
        """
        from harness.network import ReferralIndex  # here: network loads networkx, which a Dataset need not

        return ReferralIndex(self.tables["referrals"], self.tables["involvement"])


def combine_tables(name: str, frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate ``frames`` of one table, keeping one row per key.

    Later frames win, column by column, where they have a value.
    """
    frames = [f for f in frames if f is not None and len(f)]
    if not frames:
        return schema.empty(name)
    if len(frames) == 1:
        df = frames[0]
    else:
        df = pd.concat(frames, ignore_index=True)
    keys = list(schema.KEYS[name])
    if not df.duplicated(keys).any():
        return schema.coerce(name, df.sort_values(schema.TIME_COLUMN[name], kind="stable"))
    # groupby().last() takes the last non-null value of every column per key.
    merged = df.groupby(keys, sort=False, dropna=False).last().reset_index()
    merged = merged.sort_values(schema.TIME_COLUMN[name], kind="stable")
    return schema.coerce(name, merged)


def combine(reports) -> Dataset:
    """Build a Dataset from ingest ``FileReport``s (in upload order)."""
    per_table: dict[str, list[pd.DataFrame]] = {name: [] for name in schema.TABLES}
    inputs = []
    for r in reports:
        for name, df in r.tables.items():
            per_table[name].append(df)
        span = r.date_range if r.ok else None
        inputs.append(InputInfo(
            file_name=r.file_name,
            source=r.source,
            source_label=r.source_label,
            tables={k: len(v) for k, v in r.tables.items()},
            rejected=len(r.rejected),
            error=r.error,
            start=span[0] if span else None,
            end=span[1] if span else None,
            guessed_years=getattr(r, "guessed_years", False),
        ))
    tables = {name: combine_tables(name, frames) for name, frames in per_table.items()}
    return Dataset(tables=tables, inputs=inputs)


def from_tables(**tables: pd.DataFrame) -> Dataset:
    """A Dataset from canonical (or coercible) tables; handy in tests."""
    full = schema.empty_tables()
    for name, df in tables.items():
        full[name] = schema.coerce(name, df)
    return Dataset(tables=full)
