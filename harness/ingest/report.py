"""What ingest returns for each file: canonical tables plus a validation report.

This is the contract between ingest and everything that shows uploads
(the Data page, ``python -m harness inspect``, workspaces). Ingest owns the
readers; callers only rely on these fields.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd


@dataclass(frozen=True)
class RowProblem:
    line: int  # 1-based line (CSV) or row number (spreadsheet) in the original file
    reason: str  # plain language, e.g. "'Publish time' is not a date: 'yesterday'"


@dataclass
class FileReport:
    """The outcome of reading one file (a zip yields one report per inner file)."""

    file_name: str  # as uploaded; for a zip member "archive.zip/inner.csv"
    source: str | None = None  # detected source id, e.g. "meta_facebook_posts"; None if unrecognised
    source_label: str = ""  # e.g. "Meta Business Suite - Facebook posts"
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)  # canonical tables it feeds (non-empty only)
    rows_read: int = 0  # data rows seen (after header/notes/total rows are dropped)
    rejected: list[RowProblem] = field(default_factory=list)  # rows that could not be read
    error: str | None = None  # set when the file as a whole could not be read; tables is then empty
    warnings: list[str] = field(default_factory=list)  # plain-language notes (e.g. "Total row dropped")
    mapping: dict[str, str] = field(default_factory=dict)  # canonical column -> column name in the file
    sha256: str = ""  # of the file's bytes
    guessed_years: bool = False  # its dates had no year: the year was inferred (see periods.default_period)
    unique_tables: frozenset = frozenset()  # tables whose keys the reader made unique (combine need not check)

    @property
    def ok(self) -> bool:
        return self.error is None

    # Rows that derivations (events, stories) added from the file's rows; not rows of the file itself.
    derived: dict[str, int] = field(default_factory=dict)

    @property
    def rows_accepted(self) -> int:
        return int(sum(len(t) for t in self.tables.values()) - sum(self.derived.values()))

    @property
    def date_range(self) -> tuple[pd.Timestamp, pd.Timestamp] | None:
        from harness.schema import TIME_COLUMN

        lows, highs = [], []
        for name, df in self.tables.items():
            if self.derived.get(name, 0) >= len(df):
                continue  # dates of events or stories found in the rows, not of the rows themselves
            col = df[TIME_COLUMN[name]].dropna()
            if len(col):
                lows.append(col.min())
                highs.append(col.max())
        return (min(lows), max(highs)) if lows else None
