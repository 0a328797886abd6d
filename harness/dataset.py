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
import pyarrow as pa
import pyarrow.compute as pc

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


def combine_tables(name: str, frames: list[pd.DataFrame], unique: list[bool] | None = None) -> pd.DataFrame:
    """Concatenate ``frames`` of one table, keeping one row per key.

    Later frames win, column by column, where they have a value. ``unique[i]`` says frame ``i`` already
    holds one row per key (its reader made sure): then only the other frames' keys are looked up in it,
    instead of hashing every key of a million-row table again.
    """
    flags = list(unique) if unique is not None else [False] * len(frames)
    kept = [(f, u) for f, u in zip(frames, flags) if f is not None and len(f)]
    if not kept:
        return schema.empty(name)
    frames = [f for f, _ in kept]
    df = frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)
    keys = list(schema.KEYS[name])
    if not _repeats(frames, [u for _, u in kept], keys):
        time_col = schema.TIME_COLUMN[name]
        if not df[time_col].is_monotonic_increasing:  # one reader's rows usually are in order already
            df = df.sort_values(time_col, kind="stable")
        return schema.coerce(name, df)
    # groupby().last() takes the last non-null value of every column per key.
    merged = df.groupby(keys, sort=False, dropna=False).last().reset_index()
    merged = merged.sort_values(schema.TIME_COLUMN[name], kind="stable")
    return schema.coerce(name, merged)


def _repeats(frames: list[pd.DataFrame], unique: list[bool], keys: list[str]) -> bool:
    """Whether any key occurs twice in the frames together."""
    big = max(range(len(frames)), key=lambda i: len(frames[i]) if unique[i] else -1)
    if not unique[big] or len(keys) != 1:
        df = frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)
        return bool(df.duplicated(keys).any())
    others = [f for i, f in enumerate(frames) if i != big]
    if not others:
        return False
    rest = pd.concat(others, ignore_index=True)[keys[0]]
    if rest.duplicated().any() or rest.isna().any() or frames[big][keys[0]].isna().any():
        return True
    # Look the few up in the many: a hash table of the small frames, probed by the big one's keys.
    probe = pa.array(frames[big][keys[0]].array)
    return bool(pc.any(pc.is_in(probe, value_set=pa.array(rest.array).cast(probe.type))).as_py())


def combine(reports) -> Dataset:
    """Build a Dataset from ingest ``FileReport``s (in upload order)."""
    per_table: dict[str, list[pd.DataFrame]] = {name: [] for name in schema.TABLES}
    unique: dict[str, list[bool]] = {name: [] for name in schema.TABLES}
    inputs = []
    for r in reports:
        for name, df in r.tables.items():
            per_table[name].append(df)
            unique[name].append(name in getattr(r, "unique_tables", ()))
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
    tables = {name: combine_tables(name, frames, unique[name]) for name, frames in per_table.items()}
    return Dataset(tables=tables, inputs=inputs)


def from_tables(**tables: pd.DataFrame) -> Dataset:
    """A Dataset from canonical (or coercible) tables; handy in tests."""
    full = schema.empty_tables()
    for name, df in tables.items():
        full[name] = schema.coerce(name, df)
    return Dataset(tables=full)
