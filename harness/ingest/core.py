"""From uploaded bytes to ``FileReport``s: format sniffing, zips, limits, routing.

The file's *content* decides how it is opened (zip and xlsx start with
``PK``, legacy xls with the OLE signature, anything else is text); the name
only breaks ties. Each table-like piece (a CSV, or a worksheet) becomes a
``Raw`` and goes to the most confident registered source. Every problem
becomes a message on the report; nothing here raises for bad input.
"""

from __future__ import annotations

import contextvars
import hashlib
import importlib
import io
import re
import struct
import zipfile
import zlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path, PurePosixPath

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from harness import schema
from harness.format import a_or_an
from harness.schema import cells_with_bytes, edge_bytes
from harness.ingest import decode, registry, tabular
from harness.ingest import values as V
from harness.ingest.limits import DEFAULT_LIMITS, Budget, LimitExceeded, Limits, human_bytes
from harness.ingest.registry import Parsed, Raw
from harness.ingest.report import FileReport

ZIP_MAGIC = b"PK\x03\x04"
EMPTY_ZIP_MAGIC = b"PK\x05\x06"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# What the zipfile module raises for damaged archives (an unknown "version" is NotImplementedError).
ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError,
              struct.error, zlib.error)
DATA_EXTENSIONS = {".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".xls", ".zip"}
SOURCE_MODULES = ("social", "people", "templates", "events", "stories")

# Magic numbers of files people upload by mistake, for a precise message.
KNOWN_BINARIES = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"{\\rtf", "an RTF document"),
)


def load_sources() -> None:
    """Import the source modules so they register themselves (once)."""
    for mod in SOURCE_MODULES:
        importlib.import_module(f"harness.ingest.{mod}")


def supported_kinds() -> str:
    load_sources()
    labels = [s.label for s in registry.SOURCES]
    return "; ".join(dict.fromkeys(labels))


# --------------------------------------------------------------------------- public API

# The day the file being read was uploaded (``ingest_bytes(uploaded=...)``), for year-less dates.
_UPLOADED: contextvars.ContextVar = contextvars.ContextVar("uploaded", default=None)


def ingest_bytes(file_name: str, data: bytes, *, mapping: dict | None = None,
                 limits: Limits | None = None, uploaded=None) -> list[FileReport]:
    """Read one uploaded file (CSV, XLSX, XLS or ZIP); a zip gives one report per inner file.

    ``uploaded`` (a date or timestamp; default today) is when the file was uploaded: dates
    written without a year are read as the latest year that does not put them after it.
    """
    limits = limits or DEFAULT_LIMITS
    load_sources()
    token = _UPLOADED.set(_UPLOADED.get() if uploaded is None else pd.Timestamp(uploaded))
    try:
        return _ingest_guarded(file_name, data, mapping, limits)
    finally:
        _UPLOADED.reset(token)


def _ingest_guarded(file_name: str, data: bytes, mapping, limits: Limits) -> list[FileReport]:
    try:
        return _ingest(file_name, bytes(data), mapping, limits, Budget(limits), depth=0)
    except LimitExceeded as exc:
        return [_failed(file_name, data, f"{file_name}: {exc}")]
    except Exception as exc:  # last line of defence: a message, never a traceback
        return [_failed(file_name, data, f"{file_name}: could not be read (unexpected problem: "
                                         f"{type(exc).__name__}: {str(exc)[:200]})")]


def ingest_path(path, *, mapping: dict | None = None, limits: Limits | None = None,
                uploaded=None) -> list[FileReport]:
    """Read a file, every data file in a folder (recursively), or a zip on disk."""
    limits = limits or DEFAULT_LIMITS
    if uploaded is not None:
        token = _UPLOADED.set(pd.Timestamp(uploaded))
        try:
            return ingest_path(path, mapping=mapping, limits=limits)
        finally:
            _UPLOADED.reset(token)
    p = Path(path)
    if p.is_dir():
        reports = []
        files = sorted(f for f in p.rglob("*") if f.is_file() and not _hidden(f.relative_to(p)))
        for f in files:
            if f.suffix.lower() in DATA_EXTENSIONS:
                reports += _ingest_file(f, f.relative_to(p).as_posix(), mapping, limits)
        if not reports:
            reports.append(FileReport(file_name=str(path), error=f"{path}: the folder has no CSV, Excel or zip files"))
        return reports
    return _ingest_file(p, p.name, mapping, limits)


def _ingest_file(p: Path, name: str, mapping, limits: Limits) -> list[FileReport]:
    try:
        size = p.stat().st_size
        if size > limits.max_file_bytes:
            return [FileReport(file_name=name, error=f"{name}: the file is {human_bytes(size)}, larger than the "
                                                     f"{human_bytes(limits.max_file_bytes)} we read")]
        data = p.read_bytes()
    except OSError as exc:
        return [FileReport(file_name=name, error=f"{name}: could not be opened ({exc.strerror or exc})")]
    return ingest_bytes(name, data, mapping=mapping, limits=limits)


def read_raws(file_name: str, data: bytes, *, limits: Limits | None = None) -> list[Raw]:
    """The tables in one CSV or workbook as ``Raw``s, without choosing a source.

    For the upload view's mapping step: it shows the file's own column names.
    Returns [] (never raises) when the file is not a readable table.
    """
    limits = limits or DEFAULT_LIMITS
    try:
        if len(data) > limits.max_file_bytes or _blank(data):
            return []
        head = bytes(data[:8])
        if head.startswith(ZIP_MAGIC):
            if not _is_ooxml(data):
                return []
            _check_ooxml(file_name, data, limits)
            return tabular.read_workbook(file_name, data, ("calamine", "openpyxl"), limits)
        if head.startswith(OLE_MAGIC):
            return tabular.read_workbook(file_name, data, ("calamine", "xlrd"), limits)
        text, _enc = decode.decode_bytes(data)
        return [tabular.csv_raw(file_name, decode.repair_text(text)[0], limits)]
    except Exception:  # the caller shows "no table found"; ingest_bytes gives the precise reason
        return []


# --------------------------------------------------------------------------- dispatch

def _failed(file_name: str, data, message: str) -> FileReport:
    digest = hashlib.sha256(data).hexdigest() if isinstance(data, (bytes, bytearray, memoryview)) else ""
    return FileReport(file_name=file_name, error=message, sha256=digest)


_NOT_SPACE = re.compile(rb"[^ \t\n\r\x0b\x0c]")


def _blank(data: bytes) -> bool:
    """``not data.strip()`` without copying the data (270 ms for a 270 MB file)."""
    return _NOT_SPACE.search(data) is None


def _digest_later(data: bytes):
    """sha256 of ``data`` on another thread (hashlib releases the GIL), overlapping the parse."""
    if len(data) < 1 << 20:
        digest = hashlib.sha256(data).hexdigest()
        return lambda: digest
    pool = ThreadPoolExecutor(max_workers=1)
    future = pool.submit(lambda: hashlib.sha256(data).hexdigest())
    pool.shutdown(wait=False)
    return future.result


def _hidden(rel: PurePosixPath | Path) -> bool:
    return any(part.startswith(".") or part == "__MACOSX" for part in rel.parts)


def _ingest(file_name: str, data: bytes, mapping, limits: Limits, budget: Budget, depth: int) -> list[FileReport]:
    if len(data) > limits.max_file_bytes:
        raise LimitExceeded(f"the file is {human_bytes(len(data))}, larger than the "
                            f"{human_bytes(limits.max_file_bytes)} we read")
    if _blank(data):
        return [_failed(file_name, data, f"{file_name}: the file is empty")]
    head = data[:8]
    ext = PurePosixPath(file_name).suffix.lower()
    if head.startswith(ZIP_MAGIC) or head.startswith(EMPTY_ZIP_MAGIC):
        if ext in (".xlsx", ".xlsm") or _is_ooxml(data):
            return [_spreadsheet(file_name, data, ("calamine", "openpyxl"), mapping, limits)]
        return _zip(file_name, data, mapping, limits, budget, depth)
    if head.startswith(OLE_MAGIC):
        return [_spreadsheet(file_name, data, ("calamine", "xlrd"), mapping, limits)]
    for magic, what in KNOWN_BINARIES:
        if data.startswith(magic):
            return [_failed(file_name, data, f"{file_name}: this is {what}, not a CSV or Excel export. "
                                             f"{_supported_hint()}")]
    return [_text(file_name, data, mapping, limits)]


def _is_ooxml(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return "[Content_Types].xml" in z.namelist() and any(n.startswith("xl/") for n in z.namelist())
    except ZIP_ERRORS:
        return False


def _text(file_name: str, data: bytes, mapping, limits: Limits) -> FileReport:
    digest = _digest_later(data)
    try:
        text = decode.utf8_body(data)  # large UTF-8 files stay bytes: a third of the memory
        enc = "UTF-8"
        if text is None:
            text, enc = decode.decode_bytes(data)
    except decode.NotText as exc:
        return _failed(file_name, data, f"{file_name}: {exc}. {_supported_hint()}")
    if isinstance(text, str):
        text, repairs = decode.repair_text(text)
    else:
        text, repairs = decode.repair_bytes(text)
    low = decode.head_text(text).lstrip()[:200].lower()
    if low.startswith(("<!doctype html", "<html", "<table", "<?xml")):
        return _failed(file_name, data, f"{file_name}: this is a web page/XML file, not a CSV. If the platform "
                                        "offered a choice, download the CSV or Excel version.")
    try:
        raw = tabular.csv_raw(file_name, text, limits)
    except LimitExceeded:
        raise
    except (ValueError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        return _failed(file_name, data, f"{file_name}: could not be read as a table: {_short(exc)}")
    raw.warnings += repairs
    if enc in ("Windows-1252", "Latin-1"):
        raw.warnings.append(f"the file is not UTF-8; it was read as {enc}, so check accented letters")
    elif enc == "UTF-8 (truncated)":
        raw.warnings.append("the file ends in the middle of a character (was it cut off?)")
    report = _route(file_name, [raw], mapping)
    report.sha256 = digest()
    return report


def _spreadsheet(file_name: str, data: bytes, engines: tuple[str, ...], mapping, limits: Limits) -> FileReport:
    if data.startswith(ZIP_MAGIC):
        _check_ooxml(file_name, data, limits)
    try:
        raws = tabular.read_workbook(file_name, data, engines, limits)
    except LimitExceeded:
        raise
    except ValueError as exc:
        return _failed(file_name, data, f"{file_name}: {_short(exc)} - it may be damaged or password-protected; "
                                        "open it in Excel and save it again, or export CSV instead")
    if not raws:
        return _failed(file_name, data, f"{file_name}: every sheet of the workbook is empty")
    report = _route(file_name, raws, mapping)
    report.sha256 = hashlib.sha256(data).hexdigest()
    return report


def _check_ooxml(file_name: str, data: bytes, limits: Limits) -> None:
    """An xlsx is a zip: refuse one that would unpack into gigabytes."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
    except ZIP_ERRORS:
        return  # the Excel reader will give its own message
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    if total > limits.max_total_uncompressed or (total > 10 * 1024 * 1024 and total / packed > limits.max_compression_ratio):
        raise LimitExceeded(f"the workbook unpacks to {human_bytes(total)}, which is too large or too compressed "
                            "to be a real export (a 'zip bomb'?)")


# --------------------------------------------------------------------------- zips

def _zip(file_name: str, data: bytes, mapping, limits: Limits, budget: Budget, depth: int) -> list[FileReport]:
    if depth >= limits.max_zip_depth:
        raise LimitExceeded(f"zips are nested more than {limits.max_zip_depth} deep")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except ZIP_ERRORS as exc:
        return [_failed(file_name, data, f"{file_name}: the zip archive is damaged or incomplete ({_short(exc)})")]
    members = [i for i in infos if not i.is_dir() and not _hidden(PurePosixPath(i.filename))]
    if len(members) > limits.max_zip_members:
        raise LimitExceeded(f"the zip has {len(members):,} files; the most we open is {limits.max_zip_members:,}")
    _check_zip_sizes(members, limits)
    reports: list[FileReport] = []
    for info in sorted(members, key=lambda i: i.filename):
        inner = f"{file_name}/{info.filename}"
        if PurePosixPath(info.filename).suffix.lower() not in DATA_EXTENSIONS:
            continue
        if info.flag_bits & 0x1:
            reports.append(FileReport(file_name=inner, error=f"{inner}: the file is password-protected"))
            continue
        try:
            content = _read_member(zf, info, limits, budget)
        except ZIP_ERRORS as exc:
            reports.append(FileReport(file_name=inner, error=f"{inner}: could not be unpacked ({_short(exc)})"))
            continue
        reports += _ingest(inner, content, mapping, limits, budget, depth + 1)
    if not reports:
        names = ", ".join(i.filename for i in members[:8]) or "nothing"
        reports.append(_failed(file_name, data, f"{file_name}: the zip holds no CSV or Excel files (it holds: {names})"))
    return reports


def _check_zip_sizes(members: list[zipfile.ZipInfo], limits: Limits) -> None:
    total = sum(i.file_size for i in members)
    if total > limits.max_total_uncompressed:
        raise LimitExceeded(f"the zip unpacks to {human_bytes(total)}, more than the "
                            f"{human_bytes(limits.max_total_uncompressed)} we read")
    for i in members:
        if i.file_size > limits.max_file_bytes:
            raise LimitExceeded(f"'{i.filename}' in the zip is {human_bytes(i.file_size)}, larger than the "
                                f"{human_bytes(limits.max_file_bytes)} we read")
        if i.file_size > 1024 * 1024 and i.file_size / max(i.compress_size, 1) > limits.max_compression_ratio:
            raise LimitExceeded(f"'{i.filename}' in the zip is compressed {i.file_size / max(i.compress_size, 1):,.0f} "
                                "to 1, far more than any real export (a 'zip bomb'?)")


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits, budget: Budget) -> bytes:
    """Read a member in chunks, never trusting the sizes the zip's directory claims."""
    cap = limits.max_file_bytes
    chunks, got = [], 0
    with zf.open(info) as fh:
        while True:
            chunk = fh.read(1024 * 1024)
            if not chunk:
                break
            got += len(chunk)
            budget.take(len(chunk), f"'{info.filename}'")
            if got > cap:
                raise LimitExceeded(f"'{info.filename}' in the zip unpacks to more than {human_bytes(cap)}")
            if got > 1024 * 1024 and got / max(info.compress_size, 1) > limits.max_compression_ratio:
                raise LimitExceeded(f"'{info.filename}' in the zip is compressed far more than any real export "
                                    "(a 'zip bomb'?)")
            chunks.append(chunk)
    return b"".join(chunks)


# --------------------------------------------------------------------------- routing

def _apply_mapping(raw: Raw, mapping: dict) -> Parsed | None:
    from harness.ingest import templates  # here: importing it registers sources, which load_sources does in order

    return templates.apply_mapping(raw, mapping)


def _route(file_name: str, raws: list[Raw], mapping) -> FileReport:
    """Send each Raw to its source and merge the results into one report."""
    report = FileReport(file_name=file_name)
    pieces: list[tuple[Raw, Parsed, str, str]] = []
    ignored: list[Raw] = []
    errors: list[str] = []
    for raw in raws:
        report.warnings += raw.warnings
        raw.uploaded = _UPLOADED.get()
        if mapping:
            try:
                parsed = _apply_mapping(raw, mapping)
            except Exception as exc:  # a mapping that does not fit is the user's message, not a crash
                errors.append(f"the column mapping does not fit{_sheet(raw)}: {_short(exc)}")
                continue
            if parsed is not None:
                pieces.append((raw, parsed, "mapping", "Column mapping"))
                continue
        source, _conf = registry.best_source(raw)
        if source is None:
            ignored.append(raw)
            continue
        try:
            parsed = source.read(raw)
        except Exception as exc:  # a source's failure on a damaged file is a message, not a crash
            errors.append(f"this looks like {a_or_an(source.label)} file{_sheet(raw)}, but it could not be read: "
                          f"{_short(exc)}")
            continue
        parsed.warnings = list(parsed.warnings) + registry.derive(source.id, raw, parsed)
        pieces.append((raw, parsed, source.id, source.label))

    pieces_of: dict[str, int] = {}
    unique: set[str] = set()
    for raw, parsed, sid, label in pieces:
        for name in parsed.tables:
            pieces_of[name] = pieces_of.get(name, 0) + 1
        unique |= set(parsed.unique_keys)
        report.guessed_years = report.guessed_years or parsed.guessed_years
        report.source = report.source or sid
        report.source_label = report.source_label or label
        for name, df in parsed.tables.items():
            report.tables[name] = pd.concat([report.tables[name], df], ignore_index=True) if name in report.tables else df
        report.rows_read += len(raw.frame) + len(raw.rejected) - parsed.not_data_rows
        report.rejected += raw.rejected + parsed.rejected
        report.warnings += [_prefix(raw, w, len(raws)) for w in parsed.warnings]
        for k, v in parsed.mapping.items():
            report.mapping.setdefault(k, v)
        for k, n in parsed.derived.items():
            report.derived[k] = report.derived.get(k, 0) + n
    report.rejected.sort(key=lambda p: p.line)
    report.unique_tables = frozenset(n for n in report.tables if n in unique and pieces_of.get(n) == 1)
    for name, df in report.tables.items():
        if name in report.unique_tables:
            continue  # the source already kept one row per key
        dup = repeated_keys(df, schema.KEYS[name])
        if dup:
            report.warnings.append(f"{dup} row(s) repeat an earlier {' + '.join(schema.KEYS[name])} in this file; "
                                   "only one row per key is kept when files are combined (the later one wins)")

    if not pieces:
        report.tables = {}
        report.error = f"{file_name}: " + (errors[0] if errors else _unrecognised(raws))
        return report
    if not report.tables and report.rejected and len(report.rejected) >= report.rows_read:
        report.error = nothing_read(file_name, report)
        return report
    report.warnings += errors
    if ignored and len(raws) > 1:
        report.warnings.append("sheet(s) not recognised and skipped: " + ", ".join(repr(r.sheet) for r in ignored))
    if not report.tables and not report.rejected and report.rows_read == 0:
        report.warnings.append("the file has a header but no data rows")
    return report


def nothing_read(file_name: str, report: FileReport) -> str:
    """The message for a file whose every row failed: what it looks like, what went wrong, what to do."""
    first = report.rejected[0]
    label = report.source_label or "known"
    n = len(report.rejected)
    what = (f"this looks like {a_or_an(label)} file, but " +
            ("its only row could not be read" if n == 1 else f"none of its {n:,} rows could be read"))
    reason = first.reason
    advice = "Download it again from the platform; if it was opened and saved in Excel, use the original instead."
    if "is not a date" in reason:
        advice = ("Its dates are written in a way we do not read yet; download the export again with the "
                  "platform's language set to English, or tell us which platform and language wrote it.")
    elif "time zone" in reason:
        advice = ("Set the time zone of the sheet behind the form to one written like 'GMT+1' (in Google Sheets: "
                  "File, Settings) and download it again, or tell us which zone it is.")
    return f"{file_name}: {what}. On line {first.line}, {reason}. {advice}"


def repeated_keys(df: pd.DataFrame, keys: tuple[str, ...]) -> int:
    """How many rows repeat an earlier row's ``keys`` (``df.duplicated(keys).sum()``, faster on big files).

    A key column with one value throughout is left out; digit-only ids without
    leading zeros are compared as integers (the same ids, ~5x faster than text).
    """
    if len(df) < 2:
        return 0
    varying = [k for k in keys if not (df[k].notna().all() and (df[k] == df[k].iloc[0]).all())]
    if not varying:
        return len(df) - 1
    if len(varying) == 1:
        numbers = _digit_ids(df[varying[0]])
        if numbers is not None:
            return int(pd.Series(numbers).duplicated().sum())
    return int(df.duplicated(varying).sum())


_NOT_DIGITS = bytes(b for b in range(256) if not 0x30 <= b <= 0x39)


def _digit_ids(ids: pd.Series) -> np.ndarray | None:
    """Ids of 1-19 digits without a leading zero as uint64 (one number per id, so equal iff the text is)."""
    if ids.dtype != "str" or ids.isna().any():
        return None
    cells = V.arrow_cells(ids)
    lengths = pc.binary_length(cells)
    if pc.min(lengths).as_py() < 1 or pc.max(lengths).as_py() > 19 or cells_with_bytes(cells, _NOT_DIGITS).any():
        return None
    first, _last = edge_bytes(cells)
    if ((first == ord("0")) & (np.asarray(lengths.to_numpy(zero_copy_only=False)) > 1)).any():
        return None
    return np.asarray(pc.cast(cells, pa.uint64()).to_numpy(zero_copy_only=False))


def _sheet(raw: Raw) -> str:
    return f" (sheet '{raw.sheet}')" if raw.sheet else ""


def _prefix(raw: Raw, warning: str, n: int) -> str:
    return f"sheet '{raw.sheet}': {warning}" if raw.sheet and n > 1 else warning


def _unrecognised(raws: list[Raw]) -> str:
    parts = []
    for raw in raws[:3]:
        cols = [str(c) for c in raw.frame.columns[:8]]
        more = " ..." if len(raw.frame.columns) > 8 else ""
        parts.append(f"{_sheet(raw).strip() + ' ' if raw.sheet else ''}columns: {', '.join(cols)}{more}")
    return ("we do not recognise this file (" + "; ".join(parts) + "). " + _supported_hint()
            + " For any other table, say on the Data page which of its columns hold the dates and the numbers.")


def _supported_hint() -> str:
    return f"Supported exports: {supported_kinds()}."


def _short(exc: BaseException) -> str:
    msg = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return msg[:200]


# --------------------------------------------------------------------------- describe

def platforms(report: FileReport) -> list[str]:
    """The platforms a report's rows belong to (a two-section Meta file gives two)."""
    found: set[str] = set()
    for df in report.tables.values():
        if "platform" in df.columns:
            found |= {str(p) for p in df["platform"].dropna().unique()}
    return sorted(found)


def describe(report: FileReport, max_reasons: int = 5) -> dict:
    """A JSON-able summary of a report, for ``python -m harness inspect``."""
    span = report.date_range if report.ok else None
    return {
        "file": report.file_name,
        "source": report.source,
        "label": report.source_label,
        "ok": report.ok,
        "tables": {name: int(len(df)) for name, df in report.tables.items()},
        "platforms": platforms(report),
        "rows_read": int(report.rows_read),
        "rows_accepted": int(report.rows_accepted),
        "derived": {k: int(v) for k, v in report.derived.items()},  # events/stories found in the rows
        "rows_rejected": len(report.rejected),
        "first_reasons": [{"line": p.line, "reason": p.reason} for p in report.rejected[:max_reasons]],
        "rejected_reasons": [f"line {p.line}: {p.reason}" for p in report.rejected[:max_reasons]],
        "date_range": [span[0].isoformat(), span[1].isoformat()] if span else None,
        "start": span[0].isoformat() if span else None,
        "end": span[1].isoformat() if span else None,
        "mapping": dict(report.mapping),
        "warnings": list(report.warnings),
        "error": report.error,
        "sha256": report.sha256,
    }

