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
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import Iterable, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

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
    if s.dtype != "str":
        s = s.astype("object").where(s.notna(), None).astype("str")
    s = s.str.strip()
    return s.mask(s.str.lower().isin(NULL_TOKENS))


_text = clean_text


# --------------------------------------------------------------------------- headers

_HEADER_JUNK = re.compile(r"[\W_]+", re.UNICODE)


def norm_header(s: object) -> str:
    """Normalise a column name for matching: ``' "Post_ID" '`` -> ``'post id'``.

    Lower-cased, BOM and quotes removed, accents kept (``'año'`` stays),
    every run of whitespace/underscore/punctuation becomes one space.
    """
    if s is None or (isinstance(s, float) and np.isnan(s)):
        return ""
    text = unicodedata.normalize("NFKC", str(s)).replace("\ufeff", "")
    return _HEADER_JUNK.sub(" ", text.lower()).strip()


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


def parse_numbers(series: pd.Series, *, decimal: str = ".") -> tuple[pd.Series, pd.Series]:
    """Cells -> ``Float64`` numbers and a mask of unreadable cells."""
    s = clean_text(series)
    present = s.notna()
    nums = pd.Series(pd.NA, index=s.index, dtype="Float64")
    # Most cells are plain numbers: parse those in one go, clean up only the rest.
    plain = s.str.fullmatch(_PLAIN_NUMBER, na=False)
    if decimal == ",":
        plain &= ~s.str.contains(".", regex=False, na=False)
    if plain.any():
        nums[plain] = _plain_to_float(s[plain])
    rest = present & ~plain
    if rest.any():
        nums[rest] = _parse_messy_numbers(s[rest], decimal)
    nums = nums.mask(~np.isfinite(nums.to_numpy(dtype="float64", na_value=np.nan)))
    bad = present & nums.isna()
    return nums, bad.astype(bool)


def _plain_to_float(s: pd.Series) -> pd.Series:
    """Cells that all match ``_PLAIN_NUMBER`` as floats; Arrow's cast is correctly rounded like ``float()``."""
    try:
        values = pc.cast(pa.array(s.array), pa.float64())
    except (pa.ArrowException, TypeError):
        return pd.to_numeric(s, errors="coerce").astype("Float64")
    return pd.Series(values.to_numpy(zero_copy_only=False), index=s.index).astype("Float64")


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
    nums, bad = parse_numbers(series, decimal=decimal)
    frac = nums.notna() & ((nums % 1) != 0).fillna(False)
    too_big = nums.notna() & (nums.abs() >= 2**63).fillna(False)
    wrong = (frac | too_big).astype(bool)
    ints = nums.mask(wrong).round().astype("Int64")
    return ints, (bad | wrong).astype(bool)


# --------------------------------------------------------------------------- ids

_SCI = re.compile(r"^[+-]?\d+(\.\d+)?[eE][+-]?\d+$")


def parse_ids(series: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Ids as strings; the mask flags Excel-mangled ids (``1.22158E+17``).

    Mangled ids are kept as given (their digits are lost for good) so the
    caller can warn; they are not "bad" enough to reject the row.
    """
    s = _text(series)
    # Quote prefixes (="123", '123) are how people stop Excel mangling ids.
    s = s.str.replace(r'^=?"(.*)"$', r"\1", regex=True).str.replace(r"^'", "", regex=True)
    s = s.str.replace(r"^(\d+)\.0+$", r"\1", regex=True)
    lossy = s.str.match(_SCI.pattern, na=False)
    return s, lossy.astype(bool)


# --------------------------------------------------------------------------- dates

# An offset only counts after a time ("09-01-2025" ends in "-2025" but has none).
_HAS_OFFSET = re.compile(r"\d:\d{2}(?::\d{2})?(?:\.\d+)?\s*(?:Z|[+-]\d{2}:?\d{2}|UTC|GMT)$", re.IGNORECASE)


def _to_utc(parsed: pd.Series, tz: str | None) -> pd.Series:
    if isinstance(parsed.dtype, pd.DatetimeTZDtype):
        return parsed.dt.tz_convert("UTC")
    return parsed.dt.tz_localize(tz or "UTC", ambiguous="NaT", nonexistent="shift_forward").dt.tz_convert("UTC")


_FAST_DIRECTIVES = re.compile(r"%[YmdHMSz]")


def _fast_strptime(part: pd.Series, fmt: str | None, aware: bool) -> pd.Series | None:
    """Arrow's strptime for numeric formats, kept only where it reproduces the cell exactly.

    A cell is accepted when formatting the parsed time with ``fmt`` gives the
    cell back (Arrow is lenient: it reads "02/29/2023" as 1 March); every
    other cell is NaT here and goes to pandas, so results never differ from
    pandas alone. None when the format is not one Arrow can be trusted with.
    """
    if fmt is None or fmt == "ISO8601" or part.dtype != "str" or "%" in _FAST_DIRECTIVES.sub("", fmt) \
            or ("%z" in fmt) != aware:
        return None
    try:
        cells = _arrow_text(part)
        parsed = pc.strptime(cells, format=fmt, unit="s", error_is_null=True)
        same = pc.fill_null(pc.equal(pc.strftime(parsed, format=fmt), cells.cast(pa.string())), False)
        parsed = pc.if_else(same, parsed, pa.scalar(None, parsed.type))
    except (pa.ArrowException, ValueError):
        return None
    dtype = "datetime64[us, UTC]" if aware else "datetime64[us]"
    return parsed.to_pandas().set_axis(part.index).astype(dtype)


def _parse_one_format(s: pd.Series, fmt: str | None, dayfirst: bool, tz: str | None) -> pd.Series:
    """Parse ``s`` with one format, returning UTC (NaT where it does not fit)."""
    out = pd.Series(pd.NaT, index=s.index, dtype="datetime64[us, UTC]")
    if not len(s):
        return out
    aware = regex_mask(s, _HAS_OFFSET, anywhere=True, ignore_case=True)
    if fmt is not None and ("%z" in fmt or "%Z" in fmt):
        aware[:] = True
    for part, is_aware in ((s[aware], True), (s[~aware], False)):
        if not len(part):
            continue
        kw = {"format": fmt} if fmt else {"format": "ISO8601"}
        fast = _fast_strptime(part, fmt, is_aware)
        slow = part if fast is None else part[fast.isna()]
        try:
            p = pd.to_datetime(slow, errors="coerce", utc=is_aware, **kw)
        except (ValueError, TypeError, OverflowError):
            p = pd.Series(pd.NaT, index=slow.index, dtype="datetime64[us, UTC]" if is_aware else "datetime64[us]")
        if fast is not None:
            p = fast.mask(fast.isna(), p.astype(fast.dtype).reindex(part.index)) if len(slow) else fast
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
    result = pd.Series(pd.NaT, index=s.index, dtype="datetime64[us, UTC]")
    todo = s.notna()
    for fmt in (list(formats) + ["ISO8601"] if formats else [None]):
        if not todo.any():
            break
        got = _parse_one_format(s[todo], fmt, dayfirst, tz)
        result[got.index] = got
        todo = s.notna() & result.isna()
    years = result.dt.year
    out_of_range = result.notna() & ((years < _MIN_YEAR) | (years > _MAX_YEAR)).fillna(False)
    result = result.mask(out_of_range)
    bad = s.notna() & result.isna()
    return result.astype(UTC_TIME), bad.astype(bool)


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
    s = _text(series)
    low = s.str.lower().str.replace(r"\.0+$", "", regex=True)
    out = pd.Series(pd.NA, index=s.index, dtype="boolean")
    out[low.isin(_TRUE).to_numpy()] = True
    out[low.isin(_FALSE).to_numpy()] = False
    bad = s.notna() & out.isna()
    return out, bad.astype(bool)


# --------------------------------------------------------------------------- record ids

_SEP = "\x1f"


def row_hash(*parts: object) -> str:
    """A stable id from a row's identifying parts (sha256, 20 hex chars).

    ``None``/NA and ``""`` hash the same; numbers hash by their text.
    """
    text = _SEP.join("" if (p is None or p is pd.NA or (isinstance(p, float) and np.isnan(p)))
                     else str(p) for p in parts)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


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
            hit = pc.match_substring_regex(_arrow_text(s), pat, ignore_case=ignore_case)
            return pd.Series(pc.fill_null(hit, False).to_numpy(zero_copy_only=False), index=s.index, dtype=bool)
        except pa.ArrowException:
            pass
    flags = re.IGNORECASE if ignore_case else 0
    return s.astype("str").str.contains(re.compile(pat, flags), na=False).astype(bool)


def _arrow_text(s: pd.Series) -> pa.Array:
    """A str Series as one contiguous Arrow string array (no copy for Arrow-backed str)."""
    arr = pa.array(s.array)
    arr = arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr
    return arr.cast(pa.large_string())  # one type for all (pandas holds both string and large_string)


def time_text(times: pd.Series) -> pd.Series:
    """``times.astype("str")`` for UTC timestamps, ~5x faster when no value has a fraction of a second.

    pandas writes every value with the finest sub-second precision present in
    the column, so any fraction sends the column through pandas itself.
    """
    dtype = times.dtype
    if not (isinstance(dtype, pd.DatetimeTZDtype) and str(dtype.tz) == "UTC" and dtype.unit == "ns") \
            or not len(times):
        return times.astype("str")
    # Nanosecond timestamps lie in 1677-2262, so every year has four digits.
    ns = times.dt.tz_localize(None).to_numpy().view("int64")
    if (ns[ns != np.iinfo(np.int64).min] % 10**9).any():
        return times.astype("str")
    arr = pa.array(times.array)
    arr = arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr

    def pad(values, width=2):
        return pc.utf8_lpad(pc.cast(values, pa.string()), width, "0")

    text = pc.binary_join_element_wise(
        pad(pc.year(arr), 4), "-", pad(pc.month(arr)), "-", pad(pc.day(arr)), " ", pad(pc.hour(arr)), ":",
        pad(pc.minute(arr)), ":", pad(pc.second(arr)), "+00:00", "")
    return text.to_pandas(types_mapper=_STR_MAPPER.get).set_axis(times.index)


_STR_MAPPER = {pa.string(): pd.StringDtype("pyarrow", na_value=np.nan)}


def hash_rows(frame: pd.DataFrame, prefix: str = "") -> pd.Series:
    """``row_hash`` of every row of ``frame`` (all columns, in order), with ``prefix``."""
    if not len(frame):
        return pd.Series([], index=frame.index, dtype="str")
    cols = []
    for c in frame.columns:
        col = frame[c] if frame[c].dtype == "str" else frame[c].astype("object").where(frame[c].notna(), "")
        cols.append(pc.fill_null(_arrow_text(col.astype("str")), ""))
    joined = pc.binary_join_element_wise(*cols, pa.scalar(_SEP, pa.large_string()))
    # UTF-8 bytes straight from Arrow (no str objects to encode); sha256 itself has no vectorised form.
    data = joined.cast(pa.binary()).to_pylist()
    sha = hashlib.sha256
    digests = [prefix + sha(b).hexdigest()[:20] for b in data]
    return pd.Series(digests, index=frame.index, dtype="str")
