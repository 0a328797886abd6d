"""How sources plug into ingest.

The core (decoding, delimiter and header detection, spreadsheets, zips,
limits) turns each file - or each sheet of a workbook - into a ``Raw``: the
cells as strings under the file's own header names, with the original line
number of every row. Each ``Source`` says how confident it is that a
``Raw`` is its format (``detect``) and turns it into canonical tables
(``read``). The most confident source above ``MIN_CONFIDENCE`` wins.

Sources match columns by normalised name (``values.norm_header``), never by
position: export layouts drift month to month.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import pandas as pd

from harness.ingest.report import RowProblem

MIN_CONFIDENCE = 0.5


@dataclass
class Raw:
    file_name: str  # as uploaded (zip members: "archive.zip/inner.csv")
    frame: pd.DataFrame  # every cell a str (or None for empty); columns = header as in the file
    line_numbers: pd.Series  # original 1-based line/row number of each frame row (same index)
    preamble: list[str] = field(default_factory=list)  # non-empty lines/rows above the header, as text
    sheet: str | None = None  # worksheet name for spreadsheets
    # Added by the core: rows it could not split into the header's columns, and notes
    # (dropped Total/note rows, encoding). Sources may ignore both; the core reports them.
    rejected: list[RowProblem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # The day the file was uploaded (year-less dates are never read past it); None: today.
    uploaded: pd.Timestamp | None = None

    @property
    def headers(self) -> list[str]:
        from harness.ingest.values import norm_header

        return [norm_header(c) for c in self.frame.columns]


def _line_numbers(self: Raw) -> pd.Series:
    lines = self.__dict__["_line_numbers"]
    if callable(lines):  # the core computes line numbers only when a message needs one
        lines = self.__dict__["_line_numbers"] = lines()
    return lines


def _set_line_numbers(self: Raw, lines) -> None:
    self.__dict__["_line_numbers"] = lines


def _getstate(self: Raw) -> dict:
    return {**self.__dict__, "_line_numbers": self.line_numbers}  # a copy or pickle holds the numbers


# ``line_numbers`` may be given as a function returning the Series; it is called on first use.
Raw.line_numbers = property(_line_numbers, _set_line_numbers)  # type: ignore[assignment]
Raw.__getstate__ = _getstate  # type: ignore[attr-defined]


@dataclass
class Parsed:
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)  # canonical (schema.coerce'd)
    rejected: list[RowProblem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    mapping: dict[str, str] = field(default_factory=dict)  # canonical column -> file column
    unique_keys: tuple[str, ...] = ()  # tables already holding one row per ``schema.KEYS`` key
    guessed_years: bool = False  # some dates had no year; the year was inferred
    not_data_rows: int = 0  # rows of the frame that are not data (a second section's title and header)
    derived: dict[str, int] = field(default_factory=dict)  # rows derivations added per table (not file rows)


@dataclass(frozen=True)
class Source:
    id: str
    label: str  # what staff call it, e.g. "Meta Business Suite - Facebook posts"
    tables: tuple[str, ...]  # canonical tables it can feed
    detect: Callable[[Raw], float]  # confidence 0..1
    read: Callable[[Raw], Parsed]
    expects: str = ""  # one line on what a file of this kind looks like, for error messages


SOURCES: list[Source] = []

# Derivations: after a source has read a Raw, each may add tables found in the same file (the events of an
# Eventbrite report, the stories of a Google Form). ``fn(source_id, raw, parsed) -> {table: DataFrame}``;
# a derivation that fails adds nothing and is named in a warning (the file's own rows still load).
DERIVATIONS: list[tuple[str, Callable]] = []


def register_derivation(name: str, fn: Callable) -> None:
    if any(n == name for n, _ in DERIVATIONS):
        raise ValueError(f"derivation '{name}' registered twice")
    DERIVATIONS.append((name, fn))


def derive(source_id: str, raw: Raw, parsed: Parsed) -> list[str]:
    """Add every derivation's tables to ``parsed``; returns warnings for those that failed."""
    import pandas as _pd

    from harness import schema

    notes = []
    for name, fn in DERIVATIONS:
        try:
            extra = fn(source_id, raw, parsed) or {}
        except Exception as exc:  # a derivation must never lose the rows the source read
            notes.append(f"{name} could not be worked out from this file ({type(exc).__name__}); "
                         "its other rows are read as usual")
            continue
        for table, df in extra.items():
            if df is None or not len(df):
                continue
            df = schema.coerce(table, df)
            parsed.derived[table] = parsed.derived.get(table, 0) + len(df)
            have = parsed.tables.get(table)
            parsed.tables[table] = df if have is None else schema.coerce(table, _pd.concat([have, df],
                                                                                         ignore_index=True))
    return notes


def register(source: Source) -> Source:
    if any(s.id == source.id for s in SOURCES):
        raise ValueError(f"source id '{source.id}' registered twice")
    SOURCES.append(source)
    return source


# Very wide exports (legacy Facebook Insights: ~2,000 columns) are read column-selectively: each
# picker gets the header cells and returns the positions of the columns its source uses, or None.
WIDE_PICKERS: list[Callable[[list[str]], list[int] | None]] = []
WIDE_COLUMNS = 200  # from this many columns on, a picker that recognises the header decides what is read


def register_wide_picker(picker: Callable[[list[str]], list[int] | None]) -> None:
    if picker not in WIDE_PICKERS:
        WIDE_PICKERS.append(picker)


def pick_wide_columns(header: list[str]) -> list[int] | None:
    for picker in WIDE_PICKERS:
        try:
            keep = picker(header)
        except Exception:  # a picker must never break reading other files
            keep = None
        if keep:
            return sorted(set(keep))
    return None


def best_source(raw: Raw) -> tuple[Source | None, float]:
    best, best_conf = None, 0.0
    for s in SOURCES:
        try:
            conf = float(s.detect(raw))
        except Exception:  # a detector must never break ingest of other formats
            conf = 0.0
        if conf > best_conf:
            best, best_conf = s, conf
    if best_conf < MIN_CONFIDENCE:
        return None, best_conf
    return best, best_conf
