"""Form timestamps in one vectorised pass per column: ``2026/01/01 8:00:00 AM GMT+1`` and kin.

:func:`parse_timestamps` reads the layouts form tools write, whatever the language of the form:

* year first, Google Forms' CSV download: ``2025/09/14 10:31:22 AM GMT+1``, ``2025/09/14 22:31:22 GMT``,
  ``2025/09/14 10:31:22 p. m. GMT-5``, ``2025/09/14 10:31:22 MEZ``, ``2025/09/14 10:31:22 UTC+1``;
* Sheets and Excel re-saves, month or day first: ``9/14/2025 10:31:22``, ``14/09/2025 10:31``,
  ``14.09.2025 10:31:22``, ``9/14/2025 10:31:22 PM`` (no zone: UTC).

How it reads, and the rules that change numbers:

* The layout is detected once per column: which of the two orders, and for the second, whether the day
  comes first - the part that is more often above 12 is the day; a tie is month first (as
  ``people.infer_dayfirst`` decides it for the whole file, counting every ``dd/mm/yy`` cell).
* Every cell is split by one Arrow (RE2) regular expression and its fields turned to numbers with Arrow
  and numpy; no Python runs per cell.
* Offsets: ``GMT``/``UTC``/``UT`` with an optional ``+h``, ``+hh``, ``+hhmm`` or ``+hh:mm``; the named zones of ``ZONES`` (``MEZ`` = CET = UTC+1, ``MESZ`` = CEST
  = UTC+2, ``BST`` = UTC+1, US ``EST``/``EDT``...). A bare ``+0100`` with no zone name is left to the ISO
  readers. Ambiguous abbreviations (``IST``, ``CST`` is kept as US
  Central since that is what US forms write) are not guessed beyond that table.
* 12-hour clocks: ``AM``/``PM`` in any case, ``a.m.``, ``a. m.`` (Spanish, with the no-break space Google
  writes inside it), ``p. m.``, Dutch ``p.m.``; 12 AM is midnight. Italian sheets write the time with dots
  (``20/09/2026 18.01.22``).
* A zone name not in ``ZONES`` makes the cell unreadable; :func:`unknown_zones` says which cells, so the
  reader can name the zone. :func:`dotted_dates`: a column of ``28.10.2024`` dates (an Excel re-save) is
  day-first when no day above 12 decides it - nobody writes month.day.year.
* A cell is taken only when every field is in range (hour 1-12 with am/pm, 0-23 without; minutes and
  seconds 0-59; the day within its month, leap years included; offsets up to 14 hours). Anything else is
  NaT here: the caller decides (``people.forms_timestamps`` hands those few cells to the slow readers).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from harness.ingest.values import _MONTH_DAYS, _days_from_civil, arrow_cells

# Fixed offsets in minutes of the zone names forms write (German and French forms name their zones).
ZONES = {
    "GMT": 0, "UTC": 0, "Z": 0, "UT": 0, "WET": 0, "WEZ": 0,
    "BST": 60, "CET": 60, "MEZ": 60, "WEST": 60, "WESZ": 60, "HNEC": 60,
    "CEST": 120, "MESZ": 120, "EET": 120, "OEZ": 120, "HAEC": 120,
    "EEST": 180, "OESZ": 180, "MSK": 180,
    "EST": -300, "EDT": -240, "CST": -360, "CDT": -300, "MST": -420, "MDT": -360, "PST": -480, "PDT": -420,
    "AKST": -540, "AKDT": -480, "HST": -600,
    "AEST": 600, "AEDT": 660, "ACST": 570, "AWST": 480, "NZST": 720, "NZDT": 780, "JST": 540, "KST": 540,
    "SGT": 480, "HKT": 480,
    # Africa, India and Latin America (Google writes Ireland's summer time as GMT+1, so IST is India's).
    "WAT": 60, "CAT": 120, "SAST": 120, "EAT": 180, "IST": 330,
    "BRT": -180, "ART": -180, "CLT": -240, "COT": -300, "PET": -300, "AST": -240, "ADT": -180,
}
# Zone names that may carry a further ``+h`` offset (``GMT+1``, ``UTC-5``).
_BASE_ZONES = ("GMT", "UTC", "UT")

_TIME = (r"\s+(?P<H>\d{1,2})[:.](?P<M>\d{2})(?:[:.](?P<S>\d{2}))?"  # Italian sheets: 18.01.22
         r"(?:(?P<sp>\s*)(?P<ap>[AaPp])\.?\s?[Mm]\.?)?"
         r"(?:\s*(?P<zone>[A-Za-z]{1,5}))?"
         r"(?:\s*(?P<sign>[+-])\s*(?P<oh>\d{1,2})(?::?(?P<om>\d{2}))?)?\s*$")
YEAR_FIRST = r"^\s*(?P<a>\d{4})/(?P<b>\d{1,2})/(?P<c>\d{1,2})" + _TIME
SLASHED = r"^\s*(?P<a>\d{1,2})(?P<s1>[/.-])(?P<b>\d{1,2})(?P<s2>[/.-])(?P<c>\d{4})" + _TIME
# What people.infer_dayfirst counts: every ``dd/mm/yy[yy]`` cell, with or without a time.
_DMY_PARTS = r"^\s*(?P<p>\d{1,2})[/.-](?P<q>\d{1,2})[/.-]\d{2,4}\b"

NAT = np.iinfo(np.int64).min


def arrow_strings(series) -> pa.ChunkedArray:
    """The cells as Arrow strings: the column's own buffers when it is a pyarrow-backed str column."""
    if isinstance(series, (pa.Array, pa.ChunkedArray)):
        arr = series
    elif series.dtype == "str":
        arr = arrow_cells(series)
    else:
        arr = pa.array(series.astype("object").where(series.notna(), None).array, type=pa.large_string())
    if isinstance(arr, pa.Array):
        arr = pa.chunked_array([arr])
    if arr.type != pa.large_string():
        arr = arr.cast(pa.large_string())
    if len(arr) and pc.any(pc.match_substring_regex(arr, "[\u00a0\u202f]")).as_py():
        arr = pc.replace_substring_regex(arr, "[\u00a0\u202f]", " ")  # Spanish "p.\u00a0m.": a plain space
    return arr


def _ints(field: pa.ChunkedArray) -> np.ndarray:
    """Digit strings -> int64; "" (a group that did not take part) and null -> -1."""
    empty = pc.equal(pc.binary_length(field), 0)
    filled = pc.if_else(pc.or_kleene(empty, pc.is_null(field)), pa.scalar("-1", field.type), field)
    return np.asarray(pc.cast(filled, pa.int64()).to_numpy(zero_copy_only=False), dtype=np.int64)


def dmy_parts(cells) -> tuple[np.ndarray, np.ndarray]:
    """The first two numbers of every ``dd/mm/yy[yy]`` cell (as ``people.DMY_LIKE`` finds them), in one pass."""
    arr = arrow_strings(cells)
    if not len(arr):
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    parts = pc.extract_regex(arr, _DMY_PARTS)
    ok = np.asarray(parts.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
    return _ints(pc.struct_field(parts, "p"))[ok], _ints(pc.struct_field(parts, "q"))[ok]


def infer_dayfirst(cells, default: bool = False) -> bool:
    """Whether ``dd/mm/yyyy`` cells are day-first: the part more often above 12 is the day, else ``default``."""
    p, q = dmy_parts(cells)
    if not len(p):
        return default
    day_first, month_first = int((p > 12).sum()), int((q > 12).sum())
    if day_first != month_first:  # a typo in one row must not flip the whole file
        return day_first > month_first
    return default


_DOTTED = r"^\s*\d{1,2}\.\d{1,2}\.\d{2,4}\b"


def dotted_dates(cells) -> bool:
    """Whether every ``dd/mm/yyyy``-style cell uses dots: nobody writes month.day.year, so those are day-first."""
    arr = arrow_strings(cells)
    if not len(arr):
        return False
    dotted = pc.sum(pc.match_substring_regex(arr, _DOTTED).cast(pa.int64())).as_py() or 0
    if not dotted:  # a download ("2025/09/14 ..."): the anchored pattern fails at the fifth byte of each cell
        return False
    return dotted == (pc.sum(pc.match_substring_regex(arr, _DMY_PARTS).cast(pa.int64())).as_py() or 0)


# A time, then whatever letters end the cell: the zone name, if any.
_ZONE_AFTER_TIME = (r"\d[:.]\d{2}(?:[:.]\d{2})?(?:\s*[AaPp]\.?\s?[Mm]\.?)?\s*(?P<zone>[A-Za-z]{1,5})"
                    r"(?:\s*[+-]\s*\d{1,2}(?::?\d{2})?)?\s*$")


def zone_minutes(zone: str) -> int | None:
    """``GMT-5``, ``UTC+1``, ``GMT+05:30``, ``MEZ``... -> minutes east of UTC; None if unknown."""
    z = re.sub(r"\s+", "", zone).upper()
    if z in ZONES:
        return ZONES[z]
    m = re.fullmatch(r"(GMT|UTC|UT)?([+-])(\d{1,2})(?::?(\d{2}))?", z)
    if not m or int(m.group(3)) > 14 or int(m.group(4) or 0) > 59:
        return None
    minutes = int(m.group(3)) * 60 + int(m.group(4) or 0)
    return -minutes if m.group(2) == "-" else minutes


def unknown_zones(cells) -> np.ndarray:
    """Which cells end in a zone name that is not in ``ZONES`` (each distinct name looked up once)."""
    arr = arrow_strings(cells)
    if not len(arr):
        return np.zeros(0, dtype=bool)
    zone = pc.utf8_upper(pc.struct_field(pc.extract_regex(arr, _ZONE_AFTER_TIME), "zone"))
    names = [z for z in pc.unique(zone).to_pylist() if z and z not in ZONES and z not in ("AM", "PM")]
    if not names:
        return np.zeros(len(arr), dtype=bool)
    return np.asarray(pc.is_in(zone, value_set=pa.array(names, zone.type)).fill_null(False)
                      .to_numpy(zero_copy_only=False), dtype=bool)


def _read(arr: pa.ChunkedArray, pattern: str, order: str) -> tuple[np.ndarray, np.ndarray]:
    """(UTC microseconds, cell read) for every cell, by one regular expression and numpy."""
    m = pc.extract_regex(arr, pattern)
    ok = np.asarray(m.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
    n = len(arr)
    if not ok.any():
        return np.full(n, NAT, dtype=np.int64), ok
    f = {name: pc.struct_field(m, name) for name in ("a", "b", "c", "H", "M", "S", "oh", "om")}
    a, b, c = _ints(f["a"]), _ints(f["b"]), _ints(f["c"])
    if order == "ymd":
        year, month, day = a, b, c
    elif order == "dmy":
        day, month, year = a, b, c
    else:
        month, day, year = a, b, c
    if order != "ymd":  # the same separator twice: 14/09.2025 is not a date
        ok &= np.asarray(pc.equal(pc.struct_field(m, "s1"), pc.struct_field(m, "s2"))
                         .fill_null(False).to_numpy(zero_copy_only=False), dtype=bool)
    hour, minute, second = _ints(f["H"]), _ints(f["M"]), _ints(f["S"])
    has_seconds = second >= 0
    second = np.where(has_seconds, second, 0)
    spaced = np.asarray(pc.greater(pc.binary_length(pc.struct_field(m, "sp")), 0).fill_null(False)
                        .to_numpy(zero_copy_only=False), dtype=bool)
    ap = pc.utf8_upper(pc.struct_field(m, "ap"))
    pm = np.asarray(pc.equal(ap, "P").fill_null(False).to_numpy(zero_copy_only=False), dtype=bool)
    twelve = pm | np.asarray(pc.equal(ap, "A").fill_null(False).to_numpy(zero_copy_only=False), dtype=bool)
    ok &= np.where(twelve, (hour >= 1) & (hour <= 12), (hour >= 0) & (hour <= 23))
    # As the strptime layouts the slow readers use: "10:31:22 PM" (a space), and year-first with seconds.
    ok &= ~(twelve & has_seconds) | spaced
    if order == "ymd":
        ok &= has_seconds
    hour = np.where(twelve, hour % 12 + np.where(pm, 12, 0), hour)
    ok &= (minute <= 59) & (second <= 59) & (year >= 1) & (month >= 1) & (month <= 12) & (day >= 1)
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    ok &= day <= _MONTH_DAYS[np.where(ok, month, 0)] + (leap & (month == 2))

    # The offset: a zone name (looked up once per distinct name), then an explicit +h[:mm].
    zone = pc.utf8_upper(pc.struct_field(m, "zone"))
    names = list(ZONES)
    code = np.asarray(pc.index_in(zone, pa.array(names, pa.large_string())).fill_null(-1)
                      .to_numpy(zero_copy_only=False), dtype=np.int64)
    no_zone = np.asarray(pc.equal(pc.binary_length(zone), 0).fill_null(True).to_numpy(zero_copy_only=False),
                         dtype=bool)
    minutes_of = np.array([ZONES[z] for z in names] + [0], dtype=np.int64)
    zone_min = minutes_of[np.where(code < 0, len(names), code)]
    ok &= no_zone | (code >= 0)
    sign = pc.struct_field(m, "sign")
    signed = np.asarray(pc.greater(pc.binary_length(sign), 0).fill_null(False).to_numpy(zero_copy_only=False),
                        dtype=bool)
    minus = np.asarray(pc.equal(sign, "-").fill_null(False).to_numpy(zero_copy_only=False), dtype=bool)
    oh, om = _ints(f["oh"]), _ints(f["om"])
    om = np.where(om < 0, 0, om)
    base = np.isin(code, [names.index(z) for z in _BASE_ZONES])
    # ``+hhmm`` with no zone name is an ISO offset: two digits each.
    ok &= ~signed | base  # a bare "+0100" is left to the ISO readers
    if order != "ymd":  # Sheets re-saves carry no zone
        ok &= no_zone & ~signed
    ok &= ~signed | ((oh <= 14) & (om <= 59))
    offset = zone_min + np.where(signed, np.where(minus, -1, 1) * (oh * 60 + om), 0)

    seconds = (_days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offset * 60)
    return np.where(ok, seconds * 1_000_000, NAT), ok


def _order_of(arr: pa.ChunkedArray, slashed_hits: int, dayfirst) -> str:
    """``dayfirst``: True, False, None (decide from ``arr``), or a function deciding it when asked."""
    if callable(dayfirst):
        dayfirst = dayfirst()
    if dayfirst is None:
        dayfirst = infer_dayfirst(arr) if slashed_hits else False
    return "dmy" if dayfirst else "mdy"


_NAMES = {"ymd": "YYYY/MM/DD h:mm:ss [AM|PM] [zone][±h]", "mdy": "M/D/YYYY h:mm[:ss] [AM|PM]",
          "dmy": "D/M/YYYY h:mm[:ss] [AM|PM]"}


# --------------------------------------------------------------------------- Google Forms' own layout, from bytes
#
# ``2025/09/14 10:31:22 AM GMT+1``: a zero-padded date, a 1- or 2-digit hour, then a short suffix (am/pm and
# zone) of which a column holds a handful of distinct values. Digits are read from the cells' bytes by
# position; each distinct suffix is read once (``_suffix_rule``), then mapped back to its rows. The rules
# are those of ``YEAR_FIRST``, which reads every other cell.

_SUFFIX_RX = re.compile(r"(?:(\s*)([AaPp])\.?\s?[Mm]\.?)?(?:\s*([A-Za-z]{1,5}))?"
                        r"(?:\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?)?\s*", re.ASCII)


def _suffix_rule(suffix: bytes) -> tuple[bool, int, int]:
    """(readable, 12-hour clock: 0 no / 1 am / 2 pm, offset in minutes) of what follows the seconds."""
    m = _SUFFIX_RX.fullmatch(suffix.decode("ascii", errors="replace"))
    if m is None:
        return False, 0, 0
    spaced, ap, zone, sign, oh, om = m.groups()
    clock = 0 if ap is None else (2 if ap.upper() == "P" else 1)
    if clock and not spaced:  # "10:31:22PM": not what the strptime layouts accept
        return False, 0, 0
    minutes = 0
    if zone is not None:
        if zone.upper() not in ZONES:
            return False, 0, 0
        minutes = ZONES[zone.upper()]
    if sign is not None:
        if zone is None or zone.upper() not in _BASE_ZONES or int(oh) > 14 or int(om or 0) > 59:
            return False, 0, 0
        minutes += (-1 if sign == "-" else 1) * (int(oh) * 60 + int(om or 0))
    return True, clock, minutes


_HEAD = 19  # "2025/09/14 10:31:22" - the bytes read by position (an hour of one digit leaves one to spare)


def _google_numbers(part: pa.Array) -> tuple[np.ndarray, ...]:
    """Date and clock fields of one contiguous string array, read by position from its bytes."""
    n = len(part)
    offsets = np.frombuffer(part.buffers()[1], dtype=np.int64)[part.offset:part.offset + n + 1]
    start, length = offsets[:-1], np.diff(offsets)
    data = np.frombuffer(part.buffers()[2], dtype=np.uint8) if n and part.buffers()[2] is not None \
        else np.zeros(0, np.uint8)
    data = np.concatenate([data[offsets[0]:offsets[-1]], np.zeros(_HEAD, np.uint8)])  # reads past the end hit 0
    g = data[(start - offsets[0])[:, None] + np.arange(_HEAD)]
    d = g - np.uint8(48)  # a non-digit wraps round to more than 9
    dig = d <= 9
    d = d.astype(np.int32)
    one = g[:, 12] == ord(":")  # an hour of one digit
    ok = (length >= 18) & dig[:, [0, 1, 2, 3, 5, 6, 8, 9, 11]].all(axis=1)
    ok &= (g[:, 4] == ord("/")) & (g[:, 7] == ord("/")) & (g[:, 10] == ord(" "))
    two = ~one & dig[:, 12] & (g[:, 13] == ord(":"))
    ok &= one | (two & (length >= 19))
    # The minutes and seconds sit one byte later after an hour of two digits.
    mm = np.where(one[:, None], g[:, 12:18], g[:, 13:19])  # ":MM:SS"
    md = mm - np.uint8(48)
    ok &= (mm[:, 0] == ord(":")) & (mm[:, 3] == ord(":")) & (md[:, [1, 2, 4, 5]] <= 9).all(axis=1)
    md = md.astype(np.int32)
    year = d[:, 0] * 1000 + d[:, 1] * 100 + d[:, 2] * 10 + d[:, 3]
    month, day = d[:, 5] * 10 + d[:, 6], d[:, 8] * 10 + d[:, 9]
    hour = np.where(one, d[:, 11], d[:, 11] * 10 + d[:, 12])
    return ok, one, year, month, day, hour, md[:, 1] * 10 + md[:, 2], md[:, 4] * 10 + md[:, 5]


def _google_layout(arr: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(UTC microseconds, cell read) of a contiguous Arrow string array in Google's download layout."""
    n = len(arr)
    parts = [_google_numbers(arr.slice(i, _PIECE)) for i in range(0, n, _PIECE)]
    ok, one, year, month, day, hour, minute, second = (np.concatenate(x) for x in zip(*parts))
    ok &= np.asarray(arr.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
    # What follows the seconds ("AM GMT+1"): a handful of distinct values, each read once.
    tail = pc.if_else(pa.array(one), pc.utf8_slice_codeunits(arr, 18), pc.utf8_slice_codeunits(arr, 19))
    enc = pc.dictionary_encode(tail)
    codes = np.asarray(enc.indices.fill_null(0).to_numpy(zero_copy_only=False), dtype=np.int64)
    # A column holds a handful; past _MAX_SUFFIXES the rest are left to the regular expression.
    rules = [_suffix_rule(v.as_py().encode()) for v in enc.dictionary[:_MAX_SUFFIXES]] + [(False, 0, 0)]
    codes = np.minimum(codes, len(rules) - 1)
    ok &= np.array([r[0] for r in rules], dtype=bool)[codes]
    clock = np.array([r[1] for r in rules], dtype=np.int64)[codes]
    minutes = np.array([r[2] for r in rules], dtype=np.int64)[codes]
    twelve, pm = clock > 0, clock == 2
    ok &= np.where(twelve, (hour >= 1) & (hour <= 12), hour <= 23)
    hour = np.where(twelve, hour % 12 + np.where(pm, 12, 0), hour).astype(np.int64)
    ok &= (minute <= 59) & (second <= 59) & (year >= 1) & (month >= 1) & (month <= 12) & (day >= 1)
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    ok &= day <= _MONTH_DAYS[np.where(ok, month, 0)] + (leap & (month == 2))
    seconds = (_days_from_civil(year.astype(np.int64), month.astype(np.int64), day.astype(np.int64)) * 86400
               + hour * 3600 + minute * 60 + second - minutes * 60)
    return np.where(ok, seconds * 1_000_000, NAT), ok


_PIECE = 1 << 16
_MAX_SUFFIXES = 2000


def _google_pass(arr: pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray]:
    if not len(arr):
        return np.zeros(0, np.int64), np.zeros(0, bool)
    return _google_layout(arr.combine_chunks())


def parse_micros(series: pd.Series, *, dayfirst=None) -> tuple[np.ndarray, str]:
    """UTC microseconds since the epoch per cell (int64 min = not read) and the layout detected.

    Google's own layout is read from the bytes; only the cells it does not take go through the regular
    expressions (``YEAR_FIRST``, then ``SLASHED``), so a Sheets re-save costs a regex pass and a download
    does not.
    """
    arr = arrow_strings(series)
    n = len(arr)
    if not n:
        return np.full(n, NAT, dtype=np.int64), "empty"
    micros, ok = _google_pass(arr)
    found = ["ymd"] if ok.any() else []
    present = np.asarray(arr.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
    left = np.flatnonzero(present & ~ok)
    if len(left):
        rest = arr.take(pa.array(left))
        got, hit = _read(rest, YEAR_FIRST, "ymd")
        micros[left[hit]] = got[hit]
        if hit.any() and "ymd" not in found:
            found.append("ymd")
        left, rest = left[~hit], rest.filter(pa.array(~hit))
    if len(left):
        slashed = np.asarray(pc.match_substring_regex(rest, r"^\s*\d{1,2}[/.-]\d{1,2}[/.-]\d{4}\s")
                             .fill_null(False).to_numpy(zero_copy_only=False), dtype=bool)
        if slashed.any():
            order = _order_of(arr, int(slashed.sum()), dayfirst)
            got, hit = _read(rest, SLASHED, order)
            micros[left[hit]] = got[hit]
            if hit.any():
                found.append(order)
    return micros, " + ".join(_NAMES[f] for f in found) or "unrecognised"


def parse_timestamps(series: pd.Series, *, dayfirst: bool | None = None) -> tuple[pd.Series, str]:
    """Cells -> (``datetime64[ns, UTC]`` Series, NaT where a cell is not one of the layouts; the layout detected).

    ``dayfirst`` fixes the order of ``14/09/2025``-style cells; None detects it from the column.
    """
    micros, fmt = parse_micros(series, dayfirst=dayfirst)
    stamps = micros.view("datetime64[us]")
    out = pd.Series(stamps, index=series.index).dt.tz_localize("UTC").astype("datetime64[ns, UTC]")
    return out, fmt
