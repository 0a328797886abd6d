"""The one column toolkit every source uses: pull canonical columns out of a ``Raw``.

A ``ColumnReader`` finds columns by normalised name, parses them with
``harness.ingest.values`` and keeps score of what happened (social sources
build each table with :meth:`ColumnReader.table`; people sources hand whole
frames to :meth:`ColumnReader.parsed`, which drops the rejected rows):

* an unreadable or empty value in a *required* column (an id, a date)
  rejects the row, with its line number and the reason;
* an unreadable value in an optional column (a count) becomes null and is
  summarised in one warning per column - the rest of the row is still good;
* ``mapping`` records canonical column -> file column for the report.
"""

from __future__ import annotations

from typing import Callable, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from harness import schema
from harness.schema import trim_cells
from harness.ingest import values as V
from harness.ingest.registry import Parsed, Raw
from harness.ingest.report import RowProblem


def _show(v) -> str:
    s = "" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v)
    s = s.replace("\n", " ")
    return s if len(s) <= 40 else s[:37] + "..."


class Total(tuple):
    """Count columns added up into one (:meth:`ColumnReader.total`): each a name or a tuple of synonyms."""

    def __new__(cls, *groups):
        return super().__new__(cls, groups)


class ColumnReader:
    def __init__(self, raw: Raw, frame: pd.DataFrame | None = None, lines: pd.Series | None = None):
        self.raw = raw
        self.frame = raw.frame if frame is None else frame
        self._lines = lines
        self.index = self.frame.index
        self.mapping: dict[str, str] = {}
        self.warnings: list[str] = []
        self.reasons: dict[object, str] = {}  # frame index -> first reason it is rejected
        self.guessed_years = False  # a reader inferred the year of year-less dates (Parsed.guessed_years)

    @property
    def lines(self) -> pd.Series:
        """Line number of every frame row (read only when a message needs one)."""
        return self.raw.line_numbers if self._lines is None else self._lines

    # ----------------------------------------------------------------- finding

    def find(self, *names: str) -> str | None:
        return V.find_column(self.frame.columns, *names)

    def has(self, *names: str) -> bool:
        return self.find(*names) is not None

    def _get(self, canon: str, names: Sequence[str], required: bool) -> tuple[str | None, pd.Series | None]:
        col = self.find(*names)
        if col is None:
            if required:
                raise ValueError(f"it has no '{names[0]}' column")
            return None, None
        self.mapping.setdefault(canon, col)
        s = self.frame[col]
        if isinstance(s, pd.DataFrame):  # duplicate header names: the first one
            s = s.iloc[:, 0]
        return col, s

    def _null(self, dtype: str) -> pd.Series:
        return pd.Series(pd.NA, index=self.index, dtype=dtype)

    # ----------------------------------------------------------------- bookkeeping

    def reject(self, mask: pd.Series, reason) -> None:
        """Reject rows where ``mask``; ``reason`` is a str or a function of the index."""
        hit = mask.fillna(False).to_numpy(dtype=bool) if mask.hasnans else mask.to_numpy(dtype=bool)
        for idx in mask.index[hit]:
            if idx not in self.reasons:
                self.reasons[idx] = reason(idx) if callable(reason) else reason

    def reject_bad_dates(self, column: str, bad: pd.Series) -> None:
        cells = self._cells(column)
        self.reject(bad, lambda i: f"'{column}' is not a date: '{_show(cells[i])}'")

    def reject_missing(self, column: str | None, values: pd.Series, what: str) -> None:
        self.reject(values.isna(), f"'{column}' is empty" if column else f"no {what}")

    def note_bad(self, column: str, bad: pd.Series, what: str) -> None:
        """Warn (with line numbers) about optional cells left empty because unreadable."""
        idx = bad[bad.fillna(False).astype(bool)].index
        if not len(idx):
            return
        cells = self._cells(column)
        where = ", ".join(f"line {int(self.lines[i])} ('{_show(cells[i])}')" for i in idx[:5])
        more = f" and {len(idx) - 5} more" if len(idx) > 5 else ""
        self.warnings.append(f"'{column}' is not {what} on {where}{more}; left empty.")

    def _cells(self, column: str) -> pd.Series:
        s = self.frame[column]
        return s.iloc[:, 0] if isinstance(s, pd.DataFrame) else s

    @property
    def kept(self) -> pd.Index:
        return self.index.difference(pd.Index(list(self.reasons)), sort=False)

    def _account(self, col: str, raw_s: pd.Series, bad: pd.Series, what: str, required: bool,
                 parsed: pd.Series) -> None:
        if required:
            self.reject(bad, lambda i: f"'{col}' is not {what}: '{_show(raw_s[i])}'")
            self.reject(parsed.isna() & ~bad, f"'{col}' is empty")
        elif bad.any():
            lines = ", ".join(str(int(x)) for x in self.lines[bad].head(5))
            self.warnings.append(f"'{col}': {int(bad.sum())} value(s) that are not {what} left empty (line {lines})")

    # ----------------------------------------------------------------- parsers

    def text(self, canon: str, *names: str, required: bool = False) -> pd.Series:
        col, s = self._get(canon, names, required)
        if s is None:
            return self._null("str")
        t = trim_cells(V.arrow_cells(s))
        empty = pc.equal(pc.binary_length(t), 0)
        out = V.str_series(pc.if_else(empty, pa.scalar(None, t.type), t) if pc.any(empty).as_py() else t, s.index)
        if required:
            self._account(col, s, pd.Series(False, index=self.index), "text", True, out)
        return out

    def _parse(self, canon: str, names: Sequence[str], required: bool, dtype: str, what: str,
               parse: Callable[[pd.Series], tuple[pd.Series, pd.Series]]) -> pd.Series:
        """``parse`` (cells -> values, bad-cell mask) on the first of ``names``; bad cells as :meth:`_account`."""
        col, s = self._get(canon, names, required)
        if s is None:
            return self._null(dtype)
        out, bad = parse(s)
        self._account(col, s, bad, what, required, out)
        return out

    def ints(self, canon: str, *names: str, required: bool = False) -> pd.Series:
        return self._parse(canon, names, required, "Int64", "a whole number", V.parse_ints)

    def total(self, canon: str, *groups) -> pd.Series:
        """Sum of several count columns (each a name or a tuple of synonyms).

        Null when none of the present columns has a value: unknown is not 0.
        """
        parts, used = [], []
        for g in groups:
            names = (g,) if isinstance(g, str) else tuple(g)
            col, s = self._get(f"{canon}:{names[0]}", names, False)
            self.mapping.pop(f"{canon}:{names[0]}", None)
            if s is None:
                continue
            out, bad = V.parse_ints(s)
            self._account(col, s, bad, "a whole number", False, out)
            parts.append(out)
            used.append(col)
        if not parts:
            return self._null("Int64")
        self.mapping.setdefault(canon, " + ".join(used))
        total = sum(p.fillna(0).to_numpy(dtype="int64") for p in parts)
        known = np.logical_or.reduce([p.notna().to_numpy() for p in parts])
        return pd.Series(pd.arrays.IntegerArray(np.where(known, total, 0), ~known), index=self.index)

    def floats(self, canon: str, *names: str, required: bool = False) -> pd.Series:
        return self._parse(canon, names, required, "Float64", "a number", V.parse_numbers)

    def ids(self, canon: str, *names: str, required: bool = True) -> pd.Series:
        col, s = self._get(canon, names, required)
        if s is None:
            return self._null("str")
        out, lossy = V.parse_ids(s)
        if lossy.any():
            self.warnings.append(
                f"'{col}': {int(lossy.sum())} id(s) in Excel's scientific form (e.g. '{_show(s[lossy].iloc[0])}') "
                "have lost digits; re-export as CSV or format the column as text so rows match across uploads")
        if required:
            self._account(col, s, pd.Series(False, index=self.index), "an id", True, out)
        return out

    def times(self, canon: str, *names: str, formats: Sequence[str] | None = None, dayfirst: bool = False,
              tz: str | None = None, required: bool = True) -> pd.Series:
        return self._parse(canon, names, required, V.UTC_TIME, "a date",
                           lambda s: V.parse_datetimes(s, formats, dayfirst=dayfirst, tz=tz))

    # ----------------------------------------------------------------- result

    def table(self, name: str, columns: dict[str, pd.Series | object]) -> pd.DataFrame:
        """The canonical ``name`` table from ``columns`` minus rejected rows."""
        df = pd.DataFrame(index=self.index)
        for k, v in columns.items():
            df[k] = v  # a Series aligns on the frame's index; a scalar fills the column
        if self.reasons:  # filtering copies every column, even with nothing to drop
            df = df[~self.index.isin(list(self.reasons))]
        return schema.coerce(name, df)

    def daily(self, platform: str, days: pd.Series, **counts: Sequence[str]) -> Parsed:
        """The result for a file of one row a day: an ``audience`` table of ``days``, ``platform`` and ``counts``.

        Each count is canonical column = the file's names for it (synonyms, the first found is read), or a
        :class:`Total` of several columns added up. ``days`` comes read, so its rejections come first.
        """
        return self.parsed(audience=self.table("audience", {"date": days, "platform": platform,
                                                             **self.counts(**counts)}))

    def counts(self, **columns: Sequence[str]) -> dict[str, pd.Series]:
        """Count columns, read in order: each canonical column = the file's names for it, or a :class:`Total`."""
        return {canon: self.total(canon, *names) if isinstance(names, Total) else self.ints(canon, *names)
                for canon, names in columns.items()}

    def problems(self) -> list[RowProblem]:
        return sorted((RowProblem(int(self.lines[i]), r) for i, r in self.reasons.items()), key=lambda p: p.line)

    def parsed(self, frames: dict[str, pd.DataFrame] | None = None, mapping: dict[str, str | None] | None = None,
               *, unique_ids: bool | tuple[str, ...] = False, **tables: pd.DataFrame) -> Parsed:
        """The result: ``tables`` as built by :meth:`table`, and/or whole ``frames`` to finish here.

        ``frames`` lose their rejected rows and repeated record ids (a pair named twice is one
        recommendation; ``unique_ids``: the caller made the ids unique, for every frame (True) or for
        the frames named, so they are not checked again) and are coerced to the schema.
        ``mapping`` adds canonical column -> file column entries (None values are skipped).
        """
        out = {k: v for k, v in tables.items() if v is not None and len(v)}
        for name, df in (frames or {}).items():
            if self.reasons:
                df = df.loc[df.index.isin(self.kept)]
            made_unique = unique_ids is True or (isinstance(unique_ids, tuple) and name in unique_ids)
            if "record_id" in df and not made_unique:
                first = ~df["record_id"].duplicated()
                df = df if first.all() else df.loc[first]
            if len(df):
                out[name] = schema.coerce(name, df)
        self.mapping.update({k: v for k, v in (mapping or {}).items() if v})
        return Parsed(tables=out, rejected=self.problems(), warnings=list(self.warnings), mapping=dict(self.mapping),
                      unique_keys=tuple(n for n in out if frames and n in frames
                                        and schema.KEYS[n] == ("record_id",)),
                      guessed_years=self.guessed_years)


def detect_by_columns(raw: Raw, required: Sequence[Sequence[str]], optional: Sequence[Sequence[str]] = (),
                      ) -> float:
    """Confidence from how many column groups are present (each group = synonyms).

    All ``required`` groups present -> 0.6, plus up to 0.4 for ``optional``.
    """
    cols = raw.frame.columns
    if not all(V.find_column(cols, *g) for g in required):
        return 0.0
    if not optional:
        return 0.9
    hits = sum(1 for g in optional if V.find_column(cols, *g))
    return 0.6 + 0.4 * hits / len(optional)
