"""Text and spreadsheets -> ``Raw`` frames of cell text under the file's header.

Header rule: the header is the first row, among the first 30, that has at
least two filled cells, at least half as many filled cells as the typical
row below it, and mostly non-numeric cells. Rows above it are kept as the
``preamble`` (Meta's metric title, LinkedIn's note, SignUpGenius' title).

Rows dropped before any source sees them (each noted in a warning):
blank rows; rows whose first filled cell is ``Total``/``Totals``/``Grand
total`` (YouTube Studio puts one first, spreadsheets last); trailing rows
with a single filled cell in a table of three or more columns (notes such as
"Data exported on ..."). A row with more filled cells than the header has
columns is rejected: its values cannot be matched to columns.
"""

from __future__ import annotations

import io
import re
import warnings

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from harness.ingest import decode, registry
from harness.ingest.limits import LimitExceeded, Limits
from harness.ingest.registry import Raw
from harness.ingest.report import RowProblem
from harness.schema import edge_bytes, trim_cells

HEADER_SCAN_ROWS = 30
_STR_DTYPE = pd.StringDtype("pyarrow", na_value=np.nan)  # what read_csv(dtype="str") gives in pandas 3
_STR_MAPPER = {pa.string(): _STR_DTYPE, pa.large_string(): _STR_DTYPE}
# English, and the labels Studio/Sheets write in German, Portuguese, Spanish, French, Italian and Dutch.
TOTAL_WORDS = frozenset({"total", "totals", "grand total", "sum", "summe", "totaal", "gesamt", "gesamtsumme",
                         "total geral", "totales", "total général", "totale", "totale complessivo", "som"})
# Names spreadsheets give columns that had no header ("Coluna 1", "Column1", "Spalte 1", "Unnamed: 3").
_FILLER = re.compile(r"^(?:column|coluna|columna|colonne|colonna|spalte|kolom|unnamed:?)\s*_?\d+$", re.IGNORECASE)
_NUMERICISH = re.compile(r"^[\s$£€%+\-.,:/0-9TZ]*$")


# --------------------------------------------------------------------------- header

def _filled(row) -> int:
    return sum(1 for c in row if c is not None and str(c).strip() != "")


def _is_headerish(row) -> bool:
    cells = [str(c).strip() for c in row if c is not None and str(c).strip() != ""]
    if len(cells) < 2:
        return False
    numeric = sum(1 for c in cells if _NUMERICISH.match(c))
    return numeric <= len(cells) / 2


def find_header(rows: list[list]) -> int:
    """Index of the header among the first rows (0 when nothing looks better)."""
    scan = rows[:HEADER_SCAN_ROWS]
    filled = [_filled(r) for r in scan]
    for i, row in enumerate(scan):
        if filled[i] < 2 or not _is_headerish(row):
            continue
        below = [f for f in filled[i + 1:i + 21] if f > 0]
        typical = float(np.median(below)) if below else filled[i]
        if filled[i] >= typical / 2:
            return i
    # A one-column file: its first filled row is the header.
    return next((i for i, f in enumerate(filled) if f > 0), 0)


def _blank(c) -> bool:
    return c is None or (isinstance(c, float) and np.isnan(c)) or str(c).strip() == ""


def header_names(cells: list) -> list[str]:
    """Header cells as names; blanks get a name so every column has one."""
    names = []
    for i, c in enumerate(cells):
        name = "" if c is None or (isinstance(c, float) and np.isnan(c)) else str(c).replace("\ufeff", "").strip()
        names.append(name or f"column {i + 1}")
    return names


# --------------------------------------------------------------------------- frame cleanup

def _first_filled(frame: pd.DataFrame) -> pd.Series:
    """The first non-empty cell of every row (NA when the row is empty)."""
    cols = [frame.iloc[:, j] for j in range(frame.shape[1])]
    if cols and cols[0].dtype == "str" and not cols[0].hasnans:  # the usual file: an id or date in every row
        return _str_series(trim_cells(_arrow_cells(cols[0])), frame.index)
    if cols and all(c.dtype == "str" for c in cols):  # one Arrow pass instead of a fillna per column
        first = pc.coalesce(*[_arrow_cells(c) for c in cols])
        return _str_series(trim_cells(first), frame.index)
    first = pd.Series(pd.NA, index=frame.index, dtype="str")
    for c in cols:  # column by column: bfill(axis=1) transposes the frame
        missing = first.isna()
        if not missing.any():
            break
        first = first.fillna(c.astype("str"))
    return first.str.strip()


def _arrow_cells(s: pd.Series) -> pa.Array | pa.ChunkedArray:
    """The Arrow data behind a str Series, as large_string (no copy for Arrow-backed str)."""
    arr = pa.array(s.array)
    return arr if arr.type == pa.large_string() else arr.cast(pa.large_string())


def _str_series(arr, index) -> pd.Series:
    return arr.to_pandas(types_mapper=_STR_MAPPER.get).set_axis(index)


_TOTAL_RX = "(?i)^(?:" + "|".join(sorted(TOTAL_WORDS)) + "):*$"
_TOTAL_STARTS = np.zeros(257, dtype=bool)
_TOTAL_STARTS[[ord(c) for w in TOTAL_WORDS for c in (w[0], w[0].upper())]] = True


def _total_rows(first: pd.Series) -> pd.Series:
    """Rows whose first filled cell is a Total word; the lower-casing runs only on likely cells."""
    maybe = pd.Series(True, index=first.index)
    if first.dtype == "str":
        # Every Total word starts with g, s or t (no other letter lower-cases to those).
        cells = _arrow_cells(first)
        starts = _TOTAL_STARTS[edge_bytes(cells)[0]]
        if not starts.any():
            return pd.Series(False, index=first.index)
        hit = pc.fill_null(pc.match_substring_regex(cells.filter(pa.array(starts)), _TOTAL_RX), False)
        maybe = pd.Series(False, index=first.index)
        maybe[starts] = np.asarray(hit.to_numpy(zero_copy_only=False), dtype=bool)
        if not maybe.any():
            return maybe
    out = pd.Series(False, index=first.index)
    out[maybe] = first[maybe].str.lower().str.rstrip(":").isin(TOTAL_WORDS).to_numpy(dtype=bool)
    return out


def _has_blank_rows(body: pd.DataFrame) -> bool:
    # A column with no empty cell means no row is blank: skip the row-wise pass over every column.
    return not any(not body.iloc[:, j].hasnans for j in range(body.shape[1]))


class _GridLines:
    """Line numbers of a grid's rows, computed on first use.

    Counting the line breaks inside quoted cells reads every cell (0.5 s for a
    270 MB export); most files never need a line number (nothing rejected).
    """

    def __init__(self, lines):
        self._lines = lines

    def __call__(self) -> np.ndarray:
        if callable(self._lines):
            self._lines = np.asarray(self._lines(), dtype="int64")
        return np.asarray(self._lines, dtype="int64")

    def at(self, grid_index: pd.Index, rows: pd.Index) -> np.ndarray:
        """Lines of the grid rows labelled ``rows`` (labels of ``grid_index``)."""
        if isinstance(grid_index, pd.RangeIndex) and grid_index.start == 0 and grid_index.step == 1:
            pos = rows.to_numpy(dtype="int64")
        else:
            pos = grid_index.get_indexer(rows)
        return self()[pos]


def build_raw(file_name: str, grid: pd.DataFrame, lines, header_idx: int,
              preamble: list[str], sheet: str | None = None, extra: list[str] | None = None) -> Raw:
    """A Raw from a grid of cells (columns 0..n-1) whose row ``header_idx`` is the header.

    ``lines`` is the 1-based line/row number of every grid row, or a function
    giving them (called only if a line number is needed).
    """
    warn: list[str] = list(extra or [])
    rejected: list[RowProblem] = []
    grid_lines = _GridLines(lines)
    cells = list(grid.iloc[header_idx])
    head = header_names(cells)
    # Trailing blank header cells are padding when at most a few rows have
    # values under them; those rows are misaligned and rejected below.
    n_body = max(len(grid) - header_idx - 1, 1)
    while len(head) > 1 and _blank(cells[len(head) - 1]) \
            and grid.iloc[header_idx + 1:, len(head) - 1].notna().sum() < max(1, n_body / 2):
        head.pop()
    body = grid.iloc[header_idx + 1:]
    width = len(head)
    if body.shape[1] > width:
        overflow = body.iloc[:, width:].notna().any(axis=1)
        if overflow.any():
            present = body.notna().to_numpy()
            fields = present.shape[1] - np.argmax(present[:, ::-1], axis=1)  # up to the last filled cell
            bad = np.flatnonzero(overflow.to_numpy())
            for pos, line in zip(bad, grid_lines.at(grid.index, body.index[bad])):
                rejected.append(RowProblem(int(line),
                                           f"has {int(fields[pos])} values but the header has {width} columns "
                                           "(a value containing the delimiter without quotes?)"))
            body = body[~overflow]
        body = body.iloc[:, :width]
    elif body.shape[1] < width:
        body = body.copy()
        for j in range(body.shape[1], width):
            body[j] = None
    body = body.set_axis(pd.Index(head, dtype=object), axis=1)  # plain str names: sources look them up often
    filler = [j for j, name in enumerate(head)  # named so by a spreadsheet, not by us, and empty throughout
              if not _blank(cells[j]) and _FILLER.match(name) and not body.iloc[:, j].notna().any()]
    if filler and len(filler) < len(head):
        warn.append("empty column(s) with no real name left out: " + ", ".join(head[j] for j in filler[:5]))
        body = body.iloc[:, [j for j in range(len(head)) if j not in set(filler)]]
        width = body.shape[1]

    if _has_blank_rows(body):
        nonblank = body.notna().any(axis=1)
        body = body[nonblank]

    first = _first_filled(body)
    is_total = _total_rows(first)
    if is_total.any():
        where = ", ".join(str(int(x)) for x in grid_lines.at(grid.index, body.index[is_total.to_numpy()][:5]))
        warn.append(f"{int(is_total.sum())} 'Total' row(s) dropped (line {where}); totals are recomputed from the rows")
        body, first = body[~is_total], first[~is_total]

    if width >= 3 and len(body):
        tail = body.iloc[-6:]  # at most five trailing note rows, and the row above them
        # A lone date or number is a row with nothing else reported (a day of a daily export), not a note.
        lone = first.iloc[-6:]
        wordy = np.array([isinstance(v, str) and not _NUMERICISH.match(v) for v in lone], dtype=bool)
        single = (tail.notna().sum(axis=1) == 1).to_numpy() & wordy
        n_trailing = 0
        while n_trailing < len(single) and single[len(single) - 1 - n_trailing] and n_trailing < 5:
            n_trailing += 1
        if 0 < n_trailing < len(body):
            notes = [str(x) for x in first.iloc[len(body) - n_trailing:] if isinstance(x, str)]
            warn.append("note row(s) at the end dropped: " + "; ".join(n[:80] for n in notes))
            body = body.iloc[:len(body) - n_trailing]

    kept = body.index
    body = body.reset_index(drop=True)
    index = body.index
    return Raw(file_name=file_name, frame=body,
               line_numbers=lambda: pd.Series(grid_lines.at(grid.index, kept), index=index, dtype="int64"),
               preamble=preamble, sheet=sheet, rejected=rejected, warnings=warn)


# --------------------------------------------------------------------------- CSV

_BAD_LINE = re.compile(r"expected (\d+) fields, saw (\d+)")


def _read_csv_arrow(text: str | bytes, delimiter: str, ncols: int) -> pd.DataFrame | None:
    """pyarrow's multi-threaded parser for the common case: a clean rectangle of ``ncols`` columns.

    Returns None - and the pandas parser decides - whenever pyarrow could
    disagree with it: a row of another width (pandas pads or widens), a NUL
    byte, or a last row holding a line break (pyarrow silently accepts a
    quoted value left open at the end of the file; pandas reports it).
    Quotes are special only at the start of a value in both parsers.
    """
    data = text if isinstance(text, bytes) else None
    if ncols < 1 or ("\x00" if data is None else b"\x00") in text:
        return None
    names = [str(i) for i in range(ncols)]
    irregular = []

    def on_bad_row(row) -> str:
        irregular.append(row.number)
        return "skip"

    try:
        data = text.encode("utf-8") if data is None else data
        table = pacsv.read_csv(
            pa.BufferReader(data if data.endswith(b"\n") else data + b"\n"),
            read_options=pacsv.ReadOptions(column_names=names, block_size=1 << 22),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, quote_char='"', double_quote=True,
                                             escape_char=False, newlines_in_values=True, ignore_empty_lines=False,
                                             invalid_row_handler=on_bad_row),
            # large_string is how pandas holds str: no conversion of every column afterwards.
            convert_options=pacsv.ConvertOptions(column_types={n: pa.large_string() for n in names},
                                                 strings_can_be_null=True, null_values=[""],
                                                 quoted_strings_can_be_null=True),
        )
    except (pa.ArrowException, UnicodeEncodeError, ValueError, OverflowError):
        return None
    if irregular or table.num_rows == 0:
        return None
    last = table.slice(table.num_rows - 1)
    if any(pc.any(pc.match_substring(col, "\n")).as_py() for col in last.columns):
        return None
    table = lf_cells(table, data)
    frame = table.to_pandas(types_mapper=_STR_MAPPER.get, split_blocks=True, self_destruct=True)
    frame.columns = range(ncols)
    return frame


def lf_cells(table: pa.Table, data: bytes) -> pa.Table:
    """``\\r\\n`` inside quoted cells as ``\\n``, as the text path reads them (``decode.utf8_body`` keeps CRLF files
    as they are; the parser takes CRLF as a line end, but a cell's own line breaks keep their ``\\r``)."""
    if b"\r" not in data:
        return table
    # Every record ends in one line end (the last may not): more line ends than that means some cell holds one.
    if data.count(b"\n") <= table.num_rows - (0 if data.endswith(b"\n") else 1):
        return table
    for i, column in enumerate(table.columns):
        if pc.any(pc.match_substring(column, "\r")).as_py():
            table = table.set_column(i, table.field(i), pc.replace_substring(column, "\r\n", "\n"))
    return table


def _read_csv(text: str | bytes, delimiter: str, ncols: int, nrows: int) -> tuple[pd.DataFrame, int]:
    """Parse into columns 0..ncols-1, all cells as str: pyarrow when it is safe, else pandas' C parser.

    Returns the frame and the widest row seen when some row was wider than
    ``ncols`` (0 otherwise), so the caller can parse again wide enough.
    """
    fast = _read_csv_arrow(text, delimiter, ncols)
    if fast is not None:
        return fast, 0
    if isinstance(text, bytes):
        text = decode.body_text(text)
    wider = 0
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        frame = pd.read_csv(
            io.StringIO(text), sep=delimiter, header=None, names=list(range(ncols)), dtype="str",
            keep_default_na=False, na_values=[""], skip_blank_lines=False, quotechar='"',
            doublequote=True, engine="c", on_bad_lines="warn", nrows=nrows, index_col=False,
        )
    for w in caught:
        for m in _BAD_LINE.finditer(str(w.message)):
            wider = max(wider, int(m.group(2)))
    return frame, wider


def _line_numbers(frame: pd.DataFrame, text: str | bytes, first_line: int) -> np.ndarray:
    """1-based line of each record, counting newlines inside quoted cells."""
    n = len(frame)
    nl = b"\n" if isinstance(text, bytes) else "\n"
    if text.count(nl) - (1 if text.endswith(nl) else 0) == n - 1 or n == 0:
        return np.arange(first_line, first_line + n, dtype="int64")
    embedded = np.zeros(n, dtype="int64")
    for c in frame.columns:
        cells = pa.array(frame[c].array) if frame[c].dtype == "str" else None
        if cells is None:
            if frame[c].notna().any():
                embedded += frame[c].str.count("\n").fillna(0).to_numpy(dtype="int64")
            continue
        if isinstance(cells, pa.ChunkedArray):
            cells = cells.combine_chunks()
        embedded += pc.fill_null(pc.count_substring(cells, "\n"), 0).to_numpy(zero_copy_only=False)
    starts = np.concatenate([[0], np.cumsum(embedded + 1)[:-1]])
    return starts + first_line


def _cut_unterminated_quote(text: str) -> str | None:
    """``text`` up to the row whose quoted cell never closes (a cut-off file)."""
    inside, opener = False, -1
    pos = text.find('"')
    while pos != -1:
        if not inside and (pos == 0 or text[pos - 1] != '"'):
            opener = pos
        inside = not inside
        pos = text.find('"', pos + 1)
    if not inside or opener < 0:
        return None
    return text[:text.rfind("\n", 0, opener) + 1]


def csv_raw(file_name: str, text: str | bytes, limits: Limits) -> Raw:
    """The table in a CSV's text (or in ``decode.utf8_body`` bytes)."""
    try:
        return _csv_raw(file_name, text, limits)
    except pd.errors.ParserError as exc:
        if "EOF inside string" not in str(exc):
            raise
        cut = _cut_unterminated_quote(text if isinstance(text, str) else decode.body_text(text))
        if not cut or not cut.strip():
            raise ValueError("a quoted value is never closed, so the file is cut off or damaged") from None
        raw = _csv_raw(file_name, cut, limits)
        raw.warnings.append("the file ends in the middle of a row (was it cut off?); that last row was dropped")
        return raw


def _csv_raw(file_name: str, text: str | bytes, limits: Limits) -> Raw:
    sep, head, skipped = decode.split_sep_line(decode.head_text(text))
    if isinstance(text, str):
        body = head
    else:  # bytes: only the head was decoded; the parser reads the bytes (Arrow skips a BOM)
        body = text[text.find(b"\n") + 1:] if skipped else text
    delimiter = sep or decode.sniff_delimiter(head)
    sample = decode.sample_records(head, delimiter)
    if not any(_filled(r) for r in sample):
        raise ValueError("it has no rows of data (the file is empty)")
    width = max(len(r) for r in sample)
    if width >= registry.WIDE_COLUMNS:
        wide = _wide_raw(file_name, body, delimiter, sample, width, skipped, sep, limits)
        if wide is not None:
            return wide
    if width > limits.max_columns:
        raise LimitExceeded(f"it has more than {limits.max_columns} columns, the most we read")
    frame, wider = _read_csv(body, delimiter, width, limits.max_rows + HEADER_SCAN_ROWS + 1)
    if wider > limits.max_columns:
        raise LimitExceeded(f"it has more than {limits.max_columns} columns, the most we read")
    if wider:
        frame, _ = _read_csv(body, delimiter, wider, limits.max_rows + HEADER_SCAN_ROWS + 1)
    lines = lambda: _line_numbers(frame, body, 1 + skipped)  # noqa: E731 - only if a line is needed
    head_rows = [[None if pd.isna(v) else v for v in row] for row in frame.head(HEADER_SCAN_ROWS).itertuples(index=False)]
    h = find_header(head_rows)
    if len(frame) - h - 1 > limits.max_rows:
        raise LimitExceeded(f"it has more than {limits.max_rows:,} rows, the most we read from one file")
    preamble = [",".join(str(c) for c in r if c is not None) for r in head_rows[:h] if _filled(r)]
    if sep:
        preamble.insert(0, f"sep={sep}")
    return build_raw(file_name, frame, lines, h, preamble)


def _wide_raw(file_name: str, body: str | bytes, delimiter: str, sample: list[list[str]], width: int,
              skipped: int, sep: str | None, limits: Limits) -> Raw | None:
    """A very wide export read column-selectively (only what its source uses), or None if no source wants it.

    Memory grows with the kept columns, not the file's width: the parser skips the other cells.
    """
    rows = [[c if c != "" else None for c in r] for r in sample[:HEADER_SCAN_ROWS]]
    h = find_header(rows)
    header = header_names(rows[h]) if h < len(rows) else []
    keep = registry.pick_wide_columns(header)
    if not keep:
        return None
    width = len(sample[h])  # the header's width decides; a wider row is the odd one out
    data = body.encode("utf-8") if isinstance(body, str) else body  # bytes stay bytes
    names = [str(i) for i in range(width)]
    kept = [names[i] for i in keep]
    wrong_width: list[str] = []  # the text of the first few rows of another width (Arrow knows no line numbers
    n_wrong = [0]                # when values may hold line breaks), and how many there were

    def on_bad_row(row) -> str:
        n_wrong[0] += 1
        if len(wrong_width) < 5:
            wrong_width.append(row.text)
        return "skip"

    # Arrow parses only the kept columns and reports every row whose width is not the header's.
    table = pacsv.read_csv(
        pa.BufferReader(data if data.endswith(b"\n") else data + b"\n"),
        read_options=pacsv.ReadOptions(column_names=names, block_size=1 << 22),
        parse_options=pacsv.ParseOptions(delimiter=delimiter, quote_char='"', double_quote=True, escape_char=False,
                                         newlines_in_values=True, ignore_empty_lines=False,
                                         invalid_row_handler=on_bad_row),
        convert_options=pacsv.ConvertOptions(include_columns=kept, column_types={n: pa.large_string() for n in kept},
                                             strings_can_be_null=True, null_values=[""],
                                             quoted_strings_can_be_null=True),
    )
    if table.num_rows > limits.max_rows + HEADER_SCAN_ROWS:
        raise LimitExceeded(f"it has more than {limits.max_rows:,} rows, the most we read from one file")
    table = lf_cells(table, data)
    frame = table.to_pandas(types_mapper=_STR_MAPPER.get, split_blocks=True, self_destruct=True)
    text = data.decode("utf-8", errors="replace") if wrong_width else ""
    skipped_lines = [text.count("\n", 0, max(text.find(t), 0)) + 1 + skipped for t in wrong_width]
    frame.columns = range(frame.shape[1])
    lines = lambda: _line_numbers(frame, body, 1 + skipped)  # noqa: E731 - only if a line is needed
    preamble = [",".join(str(c) for c in r if c is not None) for r in rows[:h] if _filled(r)]
    if sep:
        preamble.insert(0, f"sep={sep}")
    note = (f"the file has {width:,} columns; only the {len(keep)} the dashboard uses were read "
            f"({', '.join(header[i] for i in keep[:6])}{', ...' if len(keep) > 6 else ''})")
    raw = build_raw(file_name, frame, lines, h, preamble, extra=[note])
    raw.rejected += [RowProblem(line, f"does not have the header's {width:,} values (a value containing a comma "
                                      "without quotes?)") for line in skipped_lines]
    if n_wrong[0] > len(skipped_lines):
        raw.warnings.append(f"{n_wrong[0]:,} rows in all do not have the header's {width:,} values and were left out")
    return raw


# --------------------------------------------------------------------------- spreadsheets

def _cell_text(v) -> str | None:
    if v is None:
        return None
    if isinstance(v, float):
        if np.isnan(v):
            return None
        return repr(v) if not v.is_integer() or abs(v) >= 1e16 else f"{v:.1f}"
    if isinstance(v, (pd.Timestamp,)) or hasattr(v, "isoformat"):
        try:
            return pd.Timestamp(v).isoformat()
        except (ValueError, TypeError):
            return str(v)
    s = str(v)
    return s if s.strip() != "" else None


def _column_text(col: pd.Series) -> pd.Series:
    """``_cell_text`` of every cell of a column, vectorised for the usual column types."""
    kind = col.dtype.kind
    if kind == "O" and pd.api.types.infer_dtype(col, skipna=True) in ("string", "empty"):
        blank = col.isna() | col.astype("str").str.strip().eq("").fillna(False)
        return col.astype(object).where(~blank.to_numpy(bool), None)
    if kind == "f":
        v = col.to_numpy(dtype="float64")
        out = np.full(len(v), None, dtype=object)
        with np.errstate(invalid="ignore"):
            whole = np.isfinite(v) & (np.mod(v, 1) == 0) & (np.abs(v) < 1e16)
        other = ~np.isnan(v) & ~whole
        out[whole] = [f"{x:.1f}" for x in v[whole].tolist()]
        out[other] = [repr(x) for x in v[other].tolist()]
        return pd.Series(out, index=col.index, dtype=object)
    if kind in "iub":
        return col.astype(str).astype(object)
    return col.map(_cell_text).astype(object)


def sheets_to_raws(file_name: str, sheets: dict[str, pd.DataFrame], limits: Limits) -> list[Raw]:
    raws = []
    for name, grid in sheets.items():
        if grid.shape[1] > limits.max_columns:
            raise LimitExceeded(f"sheet '{name}' has more than {limits.max_columns} columns, the most we read")
        if len(grid) > limits.max_rows + HEADER_SCAN_ROWS:
            raise LimitExceeded(f"sheet '{name}' has more than {limits.max_rows:,} rows, the most we read")
        grid = pd.DataFrame({j: _column_text(grid.iloc[:, j]) for j in range(grid.shape[1])}, index=grid.index,
                            dtype="object")
        grid = grid.where(grid.notna(), None)
        grid.columns = range(grid.shape[1])
        if not grid.notna().any().any():
            continue
        rows = [list(r) for r in grid.head(HEADER_SCAN_ROWS).itertuples(index=False)]
        h = find_header(rows)
        preamble = [" ".join(str(c) for c in r if c is not None) for r in rows[:h] if _filled(r)]
        grid = grid.astype("str")
        lines = np.arange(1, len(grid) + 1, dtype="int64")
        raws.append(build_raw(file_name, grid, lines, h, preamble, sheet=str(name)))
    return raws


def read_workbook(file_name: str, data: bytes, engine_order: tuple[str, ...], limits: Limits) -> list[Raw]:
    last: Exception | None = None
    for engine in engine_order:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # xlrd's deprecation notice; it is only a fallback
                sheets = pd.read_excel(io.BytesIO(data), sheet_name=None, header=None, engine=engine,
                                       nrows=limits.max_rows + HEADER_SCAN_ROWS + 1)
        except LimitExceeded:
            raise
        except Exception as exc:  # each engine fails differently on damaged files
            last = exc
            continue
        if len(sheets) > limits.max_sheets:
            raise LimitExceeded(f"it has more than {limits.max_sheets} sheets, the most we read")
        return sheets_to_raws(file_name, sheets, limits)
    raise ValueError(f"the spreadsheet could not be opened ({type(last).__name__}: {str(last)[:120]})")
