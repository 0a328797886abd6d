"""Small, pure, vectorised parsers for the cells of exported files.

Every parser takes a Series of cell text (str or None) and returns
``(values, bad_mask)``: ``values`` in the canonical dtype, and a boolean
mask of cells that held *something* that could not be read. Callers turn
``bad_mask`` into rejected-row reasons.

Rules that change numbers:

* Placeholders ``-``, ``--``, ``—``, ``N/A``, ``n/a``, ``NA``, ``null``,
  ``none``, ``undefined``, ``NaN``, ``#N/A`` and blank cells are null, never 0
  ("we don't know" is not "nobody").
* Thousands separators (``,``, spaces, non-breaking and thin spaces,
  apostrophes) are removed; with ``decimal=","`` a ``.`` is a thousands
  separator and ``,`` the decimal point.
* A trailing ``%`` is dropped and the number kept as given: ``"12.5%"`` ->
  12.5 (percentage points, not 0.125).
* Leading currency symbols ``$ £ € ¥ ₱ ₹`` (and ISO codes such as ``USD``) are
  dropped: ``"$1,234.50"`` -> 1234.5.
* Integer counts written as floats (``"424.0"``) are integers; a count with
  a fractional part (``"1.5"``) is a bad value, not silently rounded.
* Identifiers stay strings. ``"12345.0"`` loses its ``.0`` (a spreadsheet
  turned an integer id into a float); Excel's scientific form
  (``"1.22158E+17"``) cannot be recovered, so it is kept as given and
  flagged so the caller can warn.
* Dates are returned as UTC. Naive times are in ``tz`` (UTC by default);
  explicit offsets (``+0000``, ``Z``, ``+05:30``) are honoured. Dates outside
  1900-2199 are treated as unreadable (they are typos or Excel's epoch).
* Record ids (``hash_rows``) are ``prefix`` + 32 hex digits: SipHash-2-4 with
  the two fixed keys ``ID_KEYS`` (each finished with splitmix64's mix, as
  ``pandas.util.hash_array`` does) of the row's cells joined by U+001F, null
  as "", times as ``YYYY-MM-DD HH:MM:SS+00:00``. Same row, same id on every
  run and machine; ids are recomputed from the stored files at every ingest.

Most parsers work on the cells' Arrow buffers (pandas' str methods call the
same Arrow kernels, one Series at a time); tests/test_values.py checks each
fast path against the plain pandas/Python rule it replaces.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Iterable, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from harness.schema import cells_with_bytes, trim_cells_first

NULL_TOKENS = frozenset({
    "", "-", "--", "---", "—", "–", "n/a", "na", "n.a.", "#n/a", "null", "none",
    "undefined", "nan", "(blank)", "(not set)",
})

UTC_TIME = "datetime64[ns, UTC]"
_MIN_YEAR, _MAX_YEAR = 1900, 2199

_CURRENCY = r"(?:[$£€¥₱₹]|(?:USD|GBP|EUR|AUD|CAD|NZD|PHP|INR)\s?)"
_SPACES = "[\u00a0\u2009\u202f ']"


def clean_text(series: pd.Series) -> pd.Series:
    """Cells as stripped str with placeholders turned into NA."""
    s = pd.Series(series, copy=False)
    return str_series(_clean(arrow_cells(s)), s.index)


def arrow_cells(series: pd.Series) -> pa.Array | pa.ChunkedArray:
    """A column's cells as Arrow ``large_string`` (no copy for the Arrow-backed str columns ingest makes)."""
    s = pd.Series(series, copy=False)
    if s.dtype != "str":
        s = s.astype("object").where(s.notna(), None).astype("str")
    arr = pa.array(s.array)
    return arr if arr.type == pa.large_string() else arr.cast(pa.large_string())


_STR_MAPPER = {pa.string(): pd.StringDtype("pyarrow", na_value=np.nan),
               pa.large_string(): pd.StringDtype("pyarrow", na_value=np.nan)}


def str_series(arr: pa.Array | pa.ChunkedArray, index: pd.Index) -> pd.Series:
    """An Arrow string array as a pandas str Series on ``index``."""
    return arr.to_pandas(types_mapper=_STR_MAPPER.get).set_axis(index)


_NULL_SET = pa.array(sorted(NULL_TOKENS), pa.large_string())
# First bytes a placeholder can start with (any case; 0xE2 starts the dashes), and the empty cell.
_NULL_STARTS = np.zeros(257, dtype=bool)
_NULL_STARTS[[ord(t[0].lower()) for t in NULL_TOKENS if t and t[0].isascii()]] = True
_NULL_STARTS[[ord(t[0].upper()) for t in NULL_TOKENS if t and t[0].isascii()]] = True
_NULL_STARTS[[0xE2, 256]] = True  # 256 stands for "no first byte" (an empty cell)


def _clean(arr: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """Trimmed cells, placeholders (any case) as null: what ``clean_text`` does, in Arrow.

    Only cells starting like a placeholder are lower-cased and looked up
    (Arrow's utf8_lower maps no other non-ASCII letter onto an ASCII one
    than U+0130 and U+212A, neither of which starts a placeholder).
    """
    trimmed, first = trim_cells_first(arr)
    maybe = _NULL_STARTS[first] & np.asarray(trimmed.is_valid().to_numpy(zero_copy_only=False))
    if not maybe.any():
        return trimmed
    placeholder = maybe.copy()
    placeholder[maybe] = _mask(pc.is_in(pc.utf8_lower(trimmed.filter(pa.array(maybe))), value_set=_NULL_SET))
    return pc.if_else(pa.array(placeholder), pa.scalar(None, trimmed.type), trimmed)


def _mask(arr) -> np.ndarray:
    """A boolean Arrow array as numpy, null as False."""
    return np.asarray(pc.fill_null(arr, False).to_numpy(zero_copy_only=False), dtype=bool)


_text = clean_text


# --------------------------------------------------------------------------- headers

_HEADER_JUNK = re.compile(r"[\W_]+", re.UNICODE)


@functools.lru_cache(maxsize=8192)  # every source's detector looks up the same few headers
def _norm_text(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).replace("\ufeff", "")
    return _HEADER_JUNK.sub(" ", text.lower()).strip()


def norm_header(s: object) -> str:
    """Normalise a column name for matching: ``' "Post_ID" '`` -> ``'post id'``.

    Lower-cased, BOM and quotes removed, accents kept (``'año'`` stays),
    every run of whitespace/underscore/punctuation becomes one space.
    """
    if s is None or (isinstance(s, float) and np.isnan(s)):
        return ""
    return _norm_text(str(s))


def find_column(columns: Iterable[str], *candidates: str) -> str | None:
    """The first of ``columns`` whose normalised name is one of ``candidates``.

    Candidates are tried in order of preference, so ``find_column(cols,
    "reactions", "likes")`` prefers a Reactions column when both exist.
    """
    by_norm: dict[str, str] = {}
    for c in columns:
        by_norm.setdefault(norm_header(c), c)
    for cand in candidates:
        hit = by_norm.get(norm_header(cand))
        if hit is not None:
            return hit
    return None


# --------------------------------------------------------------------------- numbers

_PLAIN_NUMBER = r"[+-]?(?:\d+\.?\d*|\.\d+)"
_NOT_PLAIN_BYTES = bytes(b for b in range(256) if b not in b"0123456789+-.")


def parse_numbers(series: pd.Series, *, decimal: str = ".") -> tuple[pd.Series, pd.Series]:
    """Cells -> ``Float64`` numbers and a mask of unreadable cells."""
    values, present, index = _numbers(series, decimal)
    missing = np.isnan(values)
    nums = pd.Series(pd.arrays.FloatingArray(np.where(missing, 0.0, values), missing), index=index)
    return nums, pd.Series(present & missing, index=index)


def _numbers(series: pd.Series, decimal: str) -> tuple[np.ndarray, np.ndarray, pd.Index]:
    """(float64 values, NaN where empty or unreadable; mask of filled cells; index)."""
    s = pd.Series(series, copy=False)
    t = _clean(arrow_cells(s))
    present = np.asarray(t.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
    if decimal == "." and not cells_with_bytes(t, _NOT_PLAIN_BYTES).any():
        # Only digits, signs and points: if Arrow reads every cell, each is a plain number
        # (the same value as below); anything else ("1-2", "1.2.3") fails the cast and goes the long way.
        try:
            values = np.array(pc.cast(t, pa.float64()).to_numpy(zero_copy_only=False), dtype="float64")
        except (pa.ArrowException, TypeError):
            pass
        else:
            values[~np.isfinite(values)] = np.nan
            return values, present, s.index
    # Most cells are plain numbers: parse those in one go, clean up only the rest.
    plain = _mask(pc.match_substring_regex(t, f"^(?:{_PLAIN_NUMBER})$"))
    if decimal == ",":
        plain &= ~_mask(pc.match_substring(t, "."))
    values = np.full(len(s), np.nan)
    if plain.any():
        values[plain] = _plain_to_float(t if plain.all() else t.filter(pa.array(plain)))
    rest = present & ~plain
    if rest.any():
        messy = str_series(t, s.index)[rest]
        values[rest] = _parse_messy_numbers(messy, decimal).to_numpy(dtype="float64", na_value=np.nan)
    values[~np.isfinite(values)] = np.nan
    return values, present, s.index


def _plain_to_float(cells: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """Cells that all match ``_PLAIN_NUMBER`` as floats; Arrow's cast is correctly rounded like ``float()``."""
    try:
        return np.asarray(pc.cast(cells, pa.float64()).to_numpy(zero_copy_only=False), dtype="float64")
    except (pa.ArrowException, TypeError):
        return pd.to_numeric(pd.Series(cells.to_pylist(), dtype="str"), errors="coerce").to_numpy(
            dtype="float64", na_value=np.nan)


def _parse_messy_numbers(t: pd.Series, decimal: str) -> pd.Series:
    t = t.str.replace(rf"^\+?{_CURRENCY}", "", regex=True)
    t = t.str.replace(rf"^(-)\s*{_CURRENCY}", r"\1", regex=True)
    t = t.str.replace(r"%$", "", regex=True).str.replace(_SPACES, "", regex=True)
    sep = "." if decimal == "," else ","
    # A separator must split groups of three digits: "1,5" is not fifteen.
    grouped = rf"^[+-]?\d{{1,3}}(?:\{sep}\d{{3}})+(?:\{decimal}\d*)?$"
    misplaced = t.str.contains(sep, regex=False, na=False) & ~t.str.match(grouped, na=False)
    t = t.mask(misplaced).str.replace(sep, "", regex=False)
    if decimal == ",":
        t = t.str.replace(",", ".", regex=False)
    # to_numeric would accept "inf"; a count of infinity is not data.
    ok = t.str.fullmatch(_PLAIN_NUMBER + r"(?:[eE][+-]?\d+)?", na=False)
    return pd.to_numeric(t.where(ok), errors="coerce").astype("Float64")


def parse_ints(series: pd.Series, *, decimal: str = ".") -> tuple[pd.Series, pd.Series]:
    """Cells -> ``Int64`` counts; ``"424.0"`` is 424, ``"1.5"`` is bad."""
    values, present, index = _numbers(series, decimal)
    ok = ~np.isnan(values)
    with np.errstate(invalid="ignore"):
        ok &= np.abs(values) < 2**63
    ints = np.where(ok, values, 0).astype(np.int64)
    ok &= ints == values  # a fraction is not a count
    return (pd.Series(pd.arrays.IntegerArray(np.where(ok, ints, 0), ~ok), index=index),
            pd.Series(present & ~ok, index=index))


# --------------------------------------------------------------------------- ids

_SCI = re.compile(r"^[+-]?\d+(\.\d+)?[eE][+-]?\d+$")
_ID_WRAPPING = r'^=?".*"$|^\'|^\d+\.0+$'
_NOT_DIGITS = bytes(b for b in range(256) if not 0x30 <= b <= 0x39)


def parse_ids(series: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Ids as strings; the mask flags Excel-mangled ids (``1.22158E+17``).

    Mangled ids are kept as given (their digits are lost for good) so the
    caller can warn; they are not "bad" enough to reject the row.
    """
    s = pd.Series(series, copy=False)
    t = _clean(arrow_cells(s))
    # The patterns below need a quote, an apostrophe, a point or an e: digit-only id columns skip them.
    digits_only = not cells_with_bytes(t, _NOT_DIGITS).any()
    if not digits_only and cells_with_bytes(t, b"\"'.").any() and \
            _mask(pc.match_substring_regex(t, _ID_WRAPPING)).any():
        # Quote prefixes (="123", '123) are how people stop Excel mangling ids.
        t = pc.replace_substring_regex(t, r'^=?"(.*)"$', r"\1")
        t = pc.replace_substring_regex(t, r"^'", "")
        t = pc.replace_substring_regex(t, r"^(\d+)\.0+$", r"\1")
    lossy = np.zeros(len(s), dtype=bool) if digits_only else cells_with_bytes(t, b"eE")
    if lossy.any():
        lossy = _mask(pc.match_substring_regex(t, _SCI.pattern))
    return str_series(t, s.index), pd.Series(lossy, index=s.index)


# --------------------------------------------------------------------------- dates

# An offset only counts after a time ("09-01-2025" ends in "-2025" but has none).
_HAS_OFFSET = re.compile(r"\d:\d{2}(?::\d{2})?(?:\.\d+)?\s*(?:Z|[+-]\d{2}:?\d{2}|UTC|GMT)$", re.IGNORECASE)


def _to_utc(parsed: pd.Series, tz: str | None) -> pd.Series:
    if isinstance(parsed.dtype, pd.DatetimeTZDtype):
        return parsed.dt.tz_convert("UTC")
    return parsed.dt.tz_localize(tz or "UTC", ambiguous="NaT", nonexistent="shift_forward").dt.tz_convert("UTC")


# --------------------------------------------------------------------------- fixed-width dates

# Zero-padded numeric layouts are read straight from the cells' bytes: a cell
# is taken only when every character is where the layout puts it and every
# field is in range (day within its month, leap years included). Anything
# else - "7/1/2024", "2024-07-01 24:00", fractions of a second, "+05:30" where
# "+0530" is expected - goes to pandas as before, so the result is the same as
# pandas alone (tests/test_values.py compares the two on random cells).
_FIELD_WIDTH = {"Y": 4, "m": 2, "d": 2, "H": 2, "M": 2, "S": 2, "z": 5, ":z": 6}
_ISO_LAYOUTS = ("%Y-%m-%d", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S",
                "%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%d %H:%M:%SZ", "%Y-%m-%dT%H:%MZ", "%Y-%m-%dT%H:%M:%S%:z",
                "%Y-%m-%d %H:%M:%S%:z", "%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%d %H:%M:%S%z")
# A naive layout ending like an offset could take a cell pandas reads as aware: not read here.
_ENDS_LIKE_OFFSET = re.compile(r"([+-]%\w:?%\w|Z|UTC|GMT)$", re.IGNORECASE)


class _Layout:
    """A compiled zero-padded layout: its width, literal bytes and where each field's digits are."""

    def __init__(self, fmt: str):
        self.digits: dict[str, list[int]] = {}  # field -> byte positions of its digits
        self.signs: dict[str, int] = {}  # offset field -> position of its + or -
        literals: list[tuple[int, int]] = []
        pos, i = 0, 0
        while i < len(fmt):
            if fmt[i] == "%":
                name = fmt[i + 1:i + 3] if fmt[i + 1] == ":" else fmt[i + 1]
                width = _FIELD_WIDTH[name]
                if name in ("z", ":z"):  # +HHMM or +HH:MM
                    self.signs[name] = pos
                    self.digits["oh"] = [pos + 1, pos + 2]
                    self.digits["om"] = [pos + width - 2, pos + width - 1]
                    if name == ":z":
                        literals.append((pos + 3, ord(":")))
                else:
                    self.digits[name] = list(range(pos, pos + width))
                pos += width
                i += 1 + len(name)
            else:
                for b in fmt[i].encode("utf-8"):
                    literals.append((pos, b))
                    pos += 1
                i += 1
        self.width = pos
        self.literal_at = np.array([p for p, _ in literals], dtype=np.intp)
        self.literal_bytes = np.array([b for _, b in literals], dtype=np.uint8)
        self.digit_at = np.array([p for ps in self.digits.values() for p in ps], dtype=np.intp)
        self.aware = bool(self.signs) or fmt.endswith("Z")

    @staticmethod
    def compile(fmt: str) -> "_Layout | None":
        fields = re.findall("%:?.", fmt)
        if not re.fullmatch(r"(?:%[YmdHMSz]|%:z|[^%])+", fmt) or not {"%Y", "%m", "%d"} <= set(fields) \
                or len(set(fields)) != len(fields) or ("%z" in fields and "%:z" in fields):
            return None
        layout = _Layout(fmt)
        if not layout.aware and _ENDS_LIKE_OFFSET.search(fmt):
            return None
        return layout

    def read(self, grid: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(microseconds since the epoch, UTC; row fits) for a (rows, width) byte grid."""
        ok = (grid[:, self.literal_at] == self.literal_bytes).all(axis=1)
        digits = grid[:, self.digit_at] - np.uint8(48)  # a non-digit wraps round to more than 9
        ok &= (digits <= 9).all(axis=1)
        digits = digits.astype(np.int32)
        values, at = {}, 0
        for name, positions in self.digits.items():
            v = digits[:, at]
            for k in range(1, len(positions)):
                v = v * 10 + digits[:, at + k]
            values[name] = v
            at += len(positions)
        year, month, day = values["Y"], values["m"], values["d"]
        hour, minute, second = (values.get(f, 0) for f in "HMS")
        ok &= (year >= 1) & (month >= 1) & (month <= 12) & (day >= 1) & (hour <= 23) & (minute <= 59) & (second <= 59)
        leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
        ok &= day <= _MONTH_DAYS[np.where(ok, month, 0)] + (leap & (month == 2))
        seconds = _days_from_civil(year, month, day) * 86400 + (hour * 3600 + minute * 60 + second)
        for sign_at in self.signs.values():
            sign = grid[:, sign_at]
            ok &= ((sign == ord("+")) | (sign == ord("-"))) & (values["oh"] <= 23) & (values["om"] <= 59)
            seconds -= np.where(sign == ord("-"), -1, 1) * (values["oh"] * 3600 + values["om"] * 60)
        return np.where(ok, seconds, 0) * 1_000_000, ok


_MONTH_DAYS = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int32)


def _days_from_civil(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Days since 1970-01-01 of proleptic Gregorian dates (H. Hinnant's days_from_civil), as int64."""
    y = year.astype(np.int64) - (month <= 2)
    era = y // 400
    yoe = y - era * 400
    doy = (153 * ((month + 9) % 12) + 2) // 5 + day - 1
    return era * 146097 + yoe * 365 + yoe // 4 - yoe // 100 + doy - 719468


def _layouts(fmt: str | None) -> list[_Layout]:
    fmts = _ISO_LAYOUTS if fmt in (None, "ISO8601") else (fmt,)
    return [layout for f in fmts if (layout := _Layout.compile(f)) is not None]


_PIECE_ROWS = 1 << 16  # numpy temporaries this small are reused, not fresh pages each time


def _pieces(cells: pa.Array | pa.ChunkedArray):
    """Contiguous Arrow arrays of at most ``_PIECE_ROWS`` cells, in order (slices, not copies)."""
    for chunk in cells.chunks if isinstance(cells, pa.ChunkedArray) else [cells]:
        for start in range(0, len(chunk), _PIECE_ROWS):
            yield chunk.slice(start, _PIECE_ROWS)


def _byte_grid(cells: pa.Array, rows: np.ndarray, width: int) -> np.ndarray:
    """The bytes of the cells at ``rows`` (all ``width`` bytes long) as a (len(rows), width) array."""
    picked = cells.take(pa.array(rows)) if len(rows) != len(cells) else cells
    start = picked.offset
    offsets = np.frombuffer(picked.buffers()[1], dtype=np.int64)[start:start + len(picked) + 1]
    data = np.frombuffer(picked.buffers()[2], dtype=np.uint8)
    return data[offsets[0]:offsets[0] + len(rows) * width].reshape(len(rows), width)


def _fixed_width_dates(s: pd.Series, fmt: str | None, tz: str | None) -> tuple[pd.Series, np.ndarray] | None:
    """UTC times of the cells that fit one of ``fmt``'s zero-padded layouts, and which cells did.

    None when ``fmt`` has no such layout (names of months, am/pm...).
    """
    layouts = _layouts(fmt)
    if not layouts or s.dtype != "str":
        return None
    micros = np.zeros(len(s), dtype=np.int64)
    done = np.zeros(len(s), dtype=bool)
    naive = np.zeros(len(s), dtype=bool)
    at = 0
    for part in _pieces(arrow_cells(s)):
        offsets = np.frombuffer(part.buffers()[1], dtype=np.int64)[part.offset:part.offset + len(part) + 1]
        todo = np.asarray(part.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
        lengths = np.diff(offsets)
        for layout in layouts:
            rows = np.flatnonzero(todo & (lengths == layout.width))
            if not len(rows):
                continue
            value, ok = layout.read(_byte_grid(part, rows, layout.width))
            hit = rows[ok]
            micros[at + hit], done[at + hit], naive[at + hit] = value[ok], True, not layout.aware
            todo[hit] = False
        at += len(part)
    times = pd.Series(micros.view("datetime64[us]"), index=s.index).where(done)
    if tz not in (None, "UTC") and naive.any():
        local = _to_utc(times[naive], tz)
        times = times.dt.tz_localize("UTC")
        times[naive] = local
        done &= times.notna().to_numpy()
        return times, done
    return times.dt.tz_localize("UTC"), done


def _parse_one_format(s: pd.Series, fmt: str | None, dayfirst: bool, tz: str | None) -> pd.Series:
    """Parse ``s`` with one format, returning UTC (NaT where it does not fit)."""
    out = pd.Series(pd.NaT, index=s.index, dtype="datetime64[us, UTC]")
    if not len(s):
        return out
    fast = _fixed_width_dates(s, fmt, tz)
    if fast is not None:
        times, done = fast
        if done.all():
            return times.astype(out.dtype)
        out[done] = times[done]
        s = s[~done]
    aware = regex_mask(s, _HAS_OFFSET, anywhere=True, ignore_case=True)
    if fmt is not None and ("%z" in fmt or "%Z" in fmt):
        aware[:] = True
    for part, is_aware in ((s[aware], True), (s[~aware], False)):
        if not len(part):
            continue
        kw = {"format": fmt} if fmt else {"format": "ISO8601"}
        try:
            p = pd.to_datetime(part, errors="coerce", utc=is_aware, **kw)
        except (ValueError, TypeError, OverflowError):
            p = pd.Series(pd.NaT, index=part.index, dtype="datetime64[us, UTC]" if is_aware else "datetime64[us]")
        if fmt is None:
            # Not ISO: let pandas guess element by element (slower; leftovers only).
            rest = p.isna()
            if rest.any():
                try:
                    p2 = pd.to_datetime(part[rest], errors="coerce", utc=is_aware,
                                        format="mixed", dayfirst=dayfirst)
                    p = p.astype(p2.dtype) if p2.dtype != p.dtype else p
                    p[rest] = p2
                except (ValueError, TypeError, OverflowError):
                    pass
        p = _to_utc(p.astype("datetime64[us, UTC]" if is_aware else "datetime64[us]"), tz)
        out[part.index] = p
    return out


def parse_datetimes(series: pd.Series, formats: Sequence[str] | None = None, *,
                    dayfirst: bool = False, tz: str | None = None) -> tuple[pd.Series, pd.Series]:
    """Cells -> UTC timestamps (``datetime64[ns, UTC]``) and a mask of unreadable cells.

    ``formats`` are ``strftime`` patterns tried in order, each on the cells
    the earlier ones could not read, then strict ISO 8601 (spreadsheets hand
    real date cells over as ISO text whatever the export's own format).
    Without formats ISO 8601 is tried, then pandas' guess (``dayfirst``
    decides ``03/04``). Naive values are in ``tz`` (an IANA name; UTC by
    default).
    """
    s = _text(series)
    present = s.notna().to_numpy()
    nat = np.iinfo(np.int64).min
    micros = np.full(len(s), nat, dtype=np.int64)  # UTC microseconds, positionally
    todo = present.copy()
    for fmt in (list(formats) + ["ISO8601"] if formats else [None]):
        if not todo.any():
            break
        got = _parse_one_format(s if todo.all() else s[todo], fmt, dayfirst, tz)
        micros[todo] = _utc_micros(got)
        todo = present & (micros == nat)
    return _finish(micros, present, s.index)


def _utc_micros(times: pd.Series) -> np.ndarray:
    return times.dt.tz_convert(None).to_numpy().astype("datetime64[us]").view(np.int64)


def _finish(micros: np.ndarray, present: np.ndarray, index: pd.Index) -> tuple[pd.Series, pd.Series]:
    """UTC microseconds (NaT = int64 min) -> the canonical times, dropping years outside the range, and bad cells."""
    stamps = micros.view("datetime64[us]")
    years = stamps.astype("datetime64[Y]").astype(np.int64) + 1970
    stamps[~np.isnat(stamps) & ((years < _MIN_YEAR) | (years > _MAX_YEAR))] = np.datetime64("NaT")
    bad = present & np.isnat(stamps)
    result = pd.Series(stamps, index=index).dt.tz_localize("UTC").astype(UTC_TIME)
    return result, pd.Series(bad, index=index)


finish_micros = _finish  # for readers that build UTC microseconds themselves (people.forms_timestamps)


def parse_iso_dates(series: pd.Series) -> tuple[pd.Series, pd.Series] | None:
    """What ``parse_datetimes`` gives when every filled cell is a zero-padded ISO 8601 time; else None.

    The common case of the templates' Date column, without first asking a
    regular expression which cells are year-first (every such layout is).
    """
    s = _text(series)
    fast = _fixed_width_dates(s, "ISO8601", None)
    present = s.notna().to_numpy()
    if fast is None or (present & ~fast[1]).any():
        return None
    micros = np.where(fast[1], _utc_micros(fast[0]), np.iinfo(np.int64).min)
    return _finish(micros, present, s.index)


def infer_years(series: pd.Series, fmt: str = "%B %d", *,
                reference: pd.Timestamp | None = None) -> tuple[pd.Series, pd.Series]:
    """Year-less dates in file order (``"August 18"``) -> UTC midnights.

    Rows are a run of days in order (ascending or descending). A jump of more
    than half a year between neighbours is a New Year crossing. The latest
    date gets the latest year that does not put it after ``reference``
    (today by default): exports describe the past.
    """
    s = _text(series)
    ref = pd.Timestamp(reference) if reference is not None else pd.Timestamp.now(tz="UTC")
    if ref.tzinfo is None:
        ref = ref.tz_localize("UTC")
    # 2000 is a leap year, so "February 29" parses.
    leap = pd.to_datetime("2000 " + s, format="%Y " + fmt, errors="coerce")
    ok = leap.notna().to_numpy()
    result = pd.Series(pd.NaT, index=s.index, dtype=UTC_TIME)
    if not ok.any():
        return result, s.notna().astype(bool)
    doy = leap.dt.day_of_year.to_numpy(dtype="float64", na_value=np.nan)[ok]
    step = np.diff(doy, prepend=doy[0])
    offset = np.cumsum(np.where(step < -183, 1, np.where(step > 183, -1, 0)))
    latest = int(np.lexsort((doy, offset))[-1])
    latest_date = leap[ok].iloc[latest]
    year = ref.year if (latest_date.month, latest_date.day) <= (ref.month, ref.day) else ref.year - 1
    years = year + offset - offset[latest]
    good_idx = s.index[ok]
    month = leap[ok].dt.month.to_numpy()
    day = leap[ok].dt.day.to_numpy()
    # The export's own span decides too: a 29 February needs a leap year, so go back to the latest
    # year that has one (at most 7 years back), rather than reading that day as unreadable.
    feb29 = (month == 2) & (day == 29)
    for _ in range(8):
        y = years[feb29]
        if not len(y) or ((y % 4 == 0) & ((y % 100 != 0) | (y % 400 == 0))).all():
            break
        years = years - 1
    stamps = pd.to_datetime(
        pd.DataFrame({"year": years, "month": month, "day": day}), errors="coerce"
    )
    result[good_idx] = stamps.dt.tz_localize("UTC").astype(UTC_TIME).to_numpy()
    bad = s.notna() & result.isna()
    return result, bad.astype(bool)


# --------------------------------------------------------------------------- booleans

_TRUE = frozenset({"yes", "y", "true", "t", "1", "x", "✓", "✔", "☑", "ja", "oui", "si", "sí"})
_FALSE = frozenset({"no", "n", "false", "f", "0", "✗", "✘", "☐", "nein", "non"})


def parse_bools(series: pd.Series) -> tuple[pd.Series, pd.Series]:
    """yes/no, true/false, 1/0, y/n, x/✓ -> ``boolean``; blank -> null."""
    s = pd.Series(series, copy=False)
    codes, uniques = pd.factorize(str_series(_clean(arrow_cells(s)), s.index))
    # Answers repeat: read each distinct one once (in Arrow, as the column-wide version would).
    low = pc.replace_substring_regex(pc.utf8_lower(pa.array(uniques, pa.large_string())), r"\.0+$", "")
    present = codes >= 0
    true = present & np.append(_mask(pc.is_in(low, value_set=_TRUE_SET)), False)[codes]
    false = present & np.append(_mask(pc.is_in(low, value_set=_FALSE_SET)), False)[codes]
    known = true | false
    out = pd.Series(pd.arrays.BooleanArray(true, ~known), index=s.index)
    return out, pd.Series(present & ~known, index=s.index)


_TRUE_SET = pa.array(sorted(_TRUE), pa.large_string())
_FALSE_SET = pa.array(sorted(_FALSE), pa.large_string())


# --------------------------------------------------------------------------- record ids

_SEP = "\x1f"
# SipHash-2-4 keys (16 bytes each) of the two halves of a record id. Changing them changes every id.
ID_KEYS = ("harnessing-rid-1", "harnessing-rid-2")


def row_hash(*parts: object) -> str:
    """The id ``hash_rows`` gives a row with these parts (32 hex characters).

    ``None``/NA and ``""`` hash the same; numbers hash by their text.
    """
    text = _SEP.join("" if (p is None or p is pd.NA or (isinstance(p, float) and np.isnan(p)))
                     else str(p) for p in parts)
    h1, h2 = _siphash_pair(np.array([text.encode("utf-8")], dtype=object))
    return str(hex_ids(h1, h2, "")[0])


def _siphash_pair(data: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Two 64-bit SipHash-2-4 digests (keys ``ID_KEYS``) of every bytes object in ``data``.

    ``pandas.util.hash_array`` runs SipHash in C and then applies a fixed
    bijective mix (splitmix64's finaliser): equal bytes give equal digests on
    every run and machine. tests/test_values.py pins an id and recomputes it
    with an independent SipHash, so a library change that moved ids fails there.
    """
    return tuple(pd.util.hash_array(data, hash_key=k, categorize=False) for k in ID_KEYS)


# The two hex digits of every byte value, as one uint16 each (so a lookup copies two bytes at once).
_HEX = np.frombuffer(b"".join(f"{i:02x}".encode("ascii") for i in range(256)), dtype=np.uint16)


def hex_ids(h1: np.ndarray, h2: np.ndarray, prefix: str) -> pa.Array:
    """``prefix`` + 32 lower-case hex digits (h1 then h2, big-endian) per row, built as one buffer."""
    n = len(h1)
    head = prefix.encode("utf-8")
    width = len(head) + 32
    buf = np.empty((n, width), dtype=np.uint8)
    buf[:, :len(head)] = np.frombuffer(head, dtype=np.uint8)
    for start in range(0, n, _PIECE_ROWS):
        stop = min(start + _PIECE_ROWS, n)
        digests = np.empty((stop - start, 2), dtype=">u8")
        digests[:, 0], digests[:, 1] = h1[start:stop], h2[start:stop]
        buf[start:stop, len(head):] = _HEX[digests.view(np.uint8).reshape(-1, 16)].view(np.uint8).reshape(-1, 32)
    offsets = np.arange(0, (n + 1) * width, width, dtype=np.int64)
    return pa.Array.from_buffers(pa.large_string(), n, [None, pa.py_buffer(offsets), pa.py_buffer(buf)])


def _row_bytes(frame: pd.DataFrame) -> np.ndarray:
    """Each row's cells as text joined by U+001F (null as ""), as UTF-8 bytes objects."""
    cols = [pc.fill_null(arrow_cells(frame[c]), "") for c in frame.columns]
    joined = pc.binary_join_element_wise(*cols, pa.scalar(_SEP, pa.large_string()))
    return joined.cast(pa.large_binary()).to_numpy(zero_copy_only=False)


def row_digests(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """The two 64-bit halves of every row's id (see ``hash_rows``)."""
    return _siphash_pair(_row_bytes(frame))


def fold_numbers(h1: np.ndarray, h2: np.ndarray, *numbers: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Digests with int64 columns folded in, as numbers (no text, no Python object per row).

    ``hash_array`` on uint64 is splitmix64's finaliser, a bijection: per number ``s = mix(n)``, then
    ``h1 = mix(h1 ^ s)`` and ``h2 = mix(h2 ^ s * golden)``. Rows with the same text and different numbers
    therefore never share an id; different texts differ as their SipHash digests do.
    """
    mix = lambda a: pd.util.hash_array(a, categorize=False)  # noqa: E731
    for num in numbers:
        s = mix(np.ascontiguousarray(num, dtype=np.int64).view(np.uint64))
        h1, h2 = mix(h1 ^ s), mix(h2 ^ (s * np.uint64(0x9E3779B97F4A7C15)))
    return h1, h2


def hash_rows(frame: pd.DataFrame, prefix: str = "") -> pd.Series:
    """A stable id for every row of ``frame`` (all columns, in order), with ``prefix``.

    The id is ``prefix`` + 32 hex digits: two SipHash-2-4 digests (keys
    ``ID_KEYS``) of the row's cells as text joined by U+001F, null as "".
    Ids only need to be the same for the same row content on every run,
    machine and version of the release (they are recomputed from the stored
    file bytes at every ingest) and different for different rows: 128 bits
    make an accidental collision among millions of rows vanishingly unlikely.
    """
    if not len(frame):
        return pd.Series([], index=frame.index, dtype="str")
    h1, h2 = row_digests(frame)
    return ids_series(h1, h2, prefix, frame.index)


def ids_series(h1: np.ndarray, h2: np.ndarray, prefix: str, index: pd.Index) -> pd.Series:
    return hex_ids(h1, h2, prefix).to_pandas(types_mapper=_STR_MAPPER.get).set_axis(index)


def regex_mask(s: pd.Series, pattern: str | re.Pattern, *, anywhere: bool = False,
               ignore_case: bool = False) -> pd.Series:
    """Cells matching ``pattern`` at their start (or ``anywhere``), as a bool Series (NA -> False).

    Runs in Arrow (RE2) on str columns: pandas sends many patterns (``\\s``,
    compiled ones) cell by cell through Python's ``re``, 30x slower on big
    files. The patterns used here mean the same in both engines for the
    ASCII digits, separators and spaces they look for.
    """
    pat = pattern.pattern if isinstance(pattern, re.Pattern) else pattern
    if not anywhere and not pat.startswith("^"):
        pat = f"^(?:{pat})"
    if s.dtype == "str":
        try:
            hit = pc.match_substring_regex(arrow_cells(s), pat, ignore_case=ignore_case)
            return pd.Series(_mask(hit), index=s.index, dtype=bool)
        except pa.ArrowException:
            pass
    flags = re.IGNORECASE if ignore_case else 0
    return s.astype("str").str.contains(re.compile(pat, flags), na=False).astype(bool)


# --------------------------------------------------------------------------- month names in other languages

# Month names (and Meta/TikTok's short forms) in the languages the exports are written in; English is
# what pandas already reads. Used to turn "8 de marzo" / "8. März" / "8 mars" into "March 08".
LOCAL_MONTHS = {
    1: ("enero", "ene", "janvier", "janv", "januar", "jan", "jänner", "gennaio", "gen", "januari", "janeiro"),
    2: ("febrero", "feb", "février", "fevrier", "févr", "fevr", "februar", "febbraio", "februari", "fevereiro", "fev"),
    3: ("marzo", "mar", "mars", "märz", "marz", "maart", "mrt", "março", "marco"),
    4: ("abril", "abr", "avril", "avr", "april", "apr", "aprile"),
    5: ("mayo", "may", "mai", "maggio", "mag", "mei", "maio"),
    6: ("junio", "jun", "juin", "juni", "giugno", "giu", "junho"),
    7: ("julio", "jul", "juillet", "juil", "juli", "luglio", "lug", "julho"),
    8: ("agosto", "ago", "août", "aout", "august", "aug", "augustus"),
    9: ("septiembre", "sept", "sep", "setiembre", "septembre", "september", "settembre", "set", "setembro"),
    10: ("octubre", "oct", "octobre", "oktober", "okt", "ottobre", "ott", "outubro", "out"),
    11: ("noviembre", "nov", "novembre", "november", "novembro"),
    12: ("diciembre", "dic", "décembre", "decembre", "déc", "dec", "dezember", "dez", "dicembre", "december",
         "dezembro"),
}
# Greek (genitive, as TikTok Studio writes "17 Μαρτίου").
_GREEK_MONTHS = ("ιανουαρίου", "φεβρουαρίου", "μαρτίου", "απριλίου", "μαΐου", "ιουνίου", "ιουλίου", "αυγούστου",
                 "σεπτεμβρίου", "οκτωβρίου", "νοεμβρίου", "δεκεμβρίου")
_MONTH_NUMBER = {w: m for m, words in LOCAL_MONTHS.items() for w in words}
# English too, for day-first English ("28 May", "9 July": TikTok Studio outside the US).
_MONTH_NUMBER.update({w.lower(): i + 1 for i, w in enumerate(("January", "February", "March", "April", "May",
                                                              "June", "July", "August", "September", "October",
                                                              "November", "December"))})
_MONTH_NUMBER.update({w: i + 1 for i, w in enumerate(_GREEK_MONTHS)})
_ENGLISH_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                   "October", "November", "December")
# "8 de marzo", "8. März", "8 mars", "8 maart", "marzo 8": a day and a month word, in either order.
_DAY_MONTH = r"^\s*(?P<d>\d{1,2})\.?\s*(?:de\s+)?(?P<m>\pL+)\.?\s*$"  # RE2 syntax (Arrow)
_MONTH_DAY = r"^\s*(?P<m>\pL+)\.?\s+(?P<d>\d{1,2})\s*$"


def english_month_days(series: pd.Series) -> tuple[pd.Series, str | None]:
    """Year-less day-and-month cells in another language as English ``"March 08"`` (else null).

    Returns the converted cells and which language it looked like (None when not known). One Arrow
    regular-expression pass per order (day-month, month-day) and one dictionary lookup per column.
    """
    s = clean_text(series)
    low = pc.utf8_lower(arrow_cells(s))
    day_first = pc.extract_regex(low, _DAY_MONTH)
    month_first = pc.extract_regex(low, _MONTH_DAY)
    use_first = day_first.is_valid()
    day = pc.if_else(use_first, pc.struct_field(day_first, ["d"]), pc.struct_field(month_first, ["d"]))
    word = pc.if_else(use_first, pc.struct_field(day_first, ["m"]), pc.struct_field(month_first, ["m"]))
    keys = pa.array(list(_MONTH_NUMBER), pa.large_string())
    numbers = np.array(list(_MONTH_NUMBER.values()), dtype=np.int64)
    where = pc.index_in(word, value_set=keys)
    ok = np.asarray(where.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
    out = pd.Series(pd.NA, index=s.index, dtype="str")
    if not ok.any():
        return out, None
    month = numbers[np.asarray(pc.fill_null(where, 0).to_numpy(zero_copy_only=False))]
    names = pa.array(("",) + _ENGLISH_MONTHS, pa.large_string()).take(pa.array(month))
    padded = pc.utf8_lpad(pc.fill_null(day, ""), width=2, padding="0")
    text = pc.binary_join_element_wise(names, padded, pa.scalar(" ", pa.large_string()))
    out = str_series(pc.if_else(pa.array(ok), text, pa.scalar(None, pa.large_string())), s.index)
    words = set(pc.unique(word.filter(pa.array(ok))).to_pylist()[:40])
    return out, _language_of(words, pd.Series(low.filter(pa.array(ok))[:20].to_pylist(), dtype="str"))


_LANGUAGE_HINTS = (
    ("Spanish", ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
                 "setiembre", "octubre", "noviembre", "diciembre")),
    ("Portuguese", ("janeiro", "fevereiro", "março", "maio", "junho", "julho", "setembro", "outubro",
                    "novembro", "dezembro")),
    ("French", ("janvier", "février", "fevrier", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
                "octobre", "novembre", "décembre")),
    ("German", ("januar", "jänner", "februar", "märz", "juni", "juli", "oktober", "dezember")),
    ("Italian", ("gennaio", "febbraio", "aprile", "maggio", "giugno", "luglio", "settembre", "ottobre",
                 "dicembre")),
    ("Dutch", ("januari", "februari", "maart", "mei", "augustus")),
)


def _language_of(words: set, cells: pd.Series) -> str | None:
    if words & set(_GREEK_MONTHS):
        return "Greek"
    if cells.str.contains(" de ", regex=False).any():
        return "Portuguese" if words & {"março", "maio", "junho", "julho", "setembro", "outubro"} else "Spanish"
    for language, names in _LANGUAGE_HINTS:
        if words & set(names):
            return language
    return None


def extract_first(series: pd.Series, pattern: str) -> pd.Series:
    """The first group of ``pattern`` in every cell (null where it does not match), in one Arrow pass.

    pandas' ``str.extract`` runs Python's ``re`` cell by cell; Arrow's RE2 does the column at once.
    ``pattern`` needs exactly one group (RE2 syntax: no look-arounds or back-references).
    """
    cells = arrow_cells(series)
    named = re.sub(r"\((?!\?)", "(?P<g>", pattern, count=1)
    found = pc.extract_regex(cells, named)
    out = pc.if_else(found.is_valid(), pc.struct_field(found, [0]), pa.scalar(None, pa.large_string()))
    return str_series(out, series.index)
