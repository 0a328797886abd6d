"""Bytes -> text, and text -> delimiter.

Encoding rules: a byte-order mark decides (UTF-8, UTF-16 LE/BE, UTF-32);
without one, text full of NUL bytes in alternate positions is UTF-16 without
a BOM; otherwise strict UTF-8, then Windows-1252 (what Excel on Windows
writes), then Latin-1 (which accepts any byte). Line endings become ``\\n``.

Delimiter rules: a first line ``sep=X`` (Excel's hint, written by Meta
Business Suite) decides. Otherwise each of ``,`` ``;`` tab ``|`` is tried on
the first records and the one giving the most rows with the same number
(> 1) of fields wins; ties go in that order.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections import Counter

import numpy as np
import pyarrow as pa

BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8 with BOM"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16 LE"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16 BE"),
)

DELIMITERS = (",", ";", "\t", "|")
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}


class NotText(Exception):
    """The bytes are not a text file (binary, or an unsupported format)."""


def _looks_utf16(head: bytes) -> str | None:
    if len(head) < 4:
        return None
    even, odd = head[0::2], head[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode a text file; returns ``(text, encoding description)``.

    Raises ``NotText`` for binary data (NUL bytes or many control characters).
    """
    body, enc, label = data, None, ""
    for bom, codec, name in BOMS:
        if data.startswith(bom):
            body, enc, label = data[len(bom):], codec, name
            break
    if enc is None:
        enc = _looks_utf16(data[:4096])
        label = "UTF-16 without BOM" if enc else ""
    if enc is not None:
        try:
            text = body.decode(enc)
        except UnicodeDecodeError:
            # A truncated UTF-16 file ends in half a character; keep the rest.
            text = body.decode(enc, errors="replace")
    else:
        text, label = _decode_8bit(body)
    _reject_binary(text)
    return text.replace("\r\n", "\n").replace("\r", "\n"), label


# Files at least this big that are valid UTF-8 stay bytes all the way to the CSV parser:
# a Python str of text with emoji takes four bytes a character (1 GB for a 270 MB export).
BYTES_PATH_MIN = 1 << 20
HEAD_BYTES = 4 * 256 * 1024 + 8  # always more than sample_records' 256k characters


_LONE_CR = re.compile(rb"\r(?!\n)")


def utf8_body(data: bytes) -> bytes | None:
    """A large UTF-8 file as bytes with ``\\n`` or ``\\r\\n`` line ends (a UTF-8 BOM may stay), else None.

    None means: use ``decode_bytes``. For the files it accepts the result
    means the same as ``decode_bytes``' text (``body_text`` gives it back)
    without building it: Arrow checks the bytes are UTF-8, and the bytes are
    not copied unless the file has lone ``\\r`` line ends. Raises ``NotText`` for binary data.
    """
    if len(data) < BYTES_PATH_MIN:
        return None
    skip = 0
    for bom, codec, _name in BOMS:
        if data.startswith(bom):
            if codec != "utf-8":
                return None
            skip = len(bom)
            break
    else:
        if _looks_utf16(data[:4096]):
            return None
    try:
        offsets = pa.py_buffer(np.array([0, len(data) - skip], dtype=np.int64))
        chars = pa.py_buffer(memoryview(data)[skip:])
        pa.Array.from_buffers(pa.large_string(), 1, [None, offsets, chars]).validate(full=True)
    except pa.ArrowInvalid:
        return None  # not UTF-8 (or cut mid-character): the text path decides
    _reject_binary(head_text(data))
    # CRLF line ends (Google Forms, Eventbrite) stay: the CSV parser reads them as line ends, and the
    # cells that hold a line break are fixed after parsing (``lf_cells``), instead of copying the file.
    if b"\r" in data and _LONE_CR.search(data):  # lone CRs (old Macs): rare
        body = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        return body[skip:] if skip else body
    return data


def body_text(body: bytes) -> str:
    """The text of ``utf8_body`` bytes (for the rare paths that need all of it as str), with ``\\n`` line ends."""
    text = body.decode("utf-8-sig")
    return text.replace("\r\n", "\n") if "\r" in text else text


def head_text(body: str | bytes) -> str:
    """The start of a text or of ``utf8_body`` bytes, long enough for sniffing and sampling."""
    if isinstance(body, str):
        return body
    head = body[:HEAD_BYTES].decode("utf-8-sig", errors="ignore")
    return head.replace("\r\n", "\n") if "\r" in head else head


def _decode_8bit(body: bytes) -> tuple[str, str]:
    try:
        return body.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError as exc:
        # A file cut off mid-character is still UTF-8.
        if exc.start >= len(body) - 3 and exc.reason.startswith("unexpected end"):
            return body[:exc.start].decode("utf-8"), "UTF-8 (truncated)"
    try:
        return body.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        return body.decode("latin-1"), "Latin-1"


def _reject_binary(text: str) -> None:
    head = text[:8192]
    if "\x00" in head:
        raise NotText("it contains binary data (NUL bytes), so it is not a text/CSV file")
    control = sum(1 for ch in head if ord(ch) < 32 and ch not in "\t\n\r\f\v\x1a")
    if head and control > 0.05 * len(head):
        raise NotText("it contains binary data, so it is not a text/CSV file")


# Text that was UTF-8, read as Windows-1252 and saved again ("MISERICÃ“RDIA" for "MISERICÓRDIA"): a
# UTF-8 lead byte's cp1252 letter followed by continuation bytes' letters.
_CP1252_CONT = "".join(bytes([b]).decode("cp1252", errors="ignore") or bytes([b]).decode("latin-1")
                       for b in range(0x80, 0xC0))
_MOJIBAKE = re.compile("(?:[\u00c2-\u00df][" + re.escape(_CP1252_CONT) + "]|[\u00e0-\u00ef]["
                       + re.escape(_CP1252_CONT) + "]{2})+")


def _undo_one(m: re.Match) -> str:
    run = m.group(0)
    try:
        return run.encode("cp1252").decode("utf-8")
    except UnicodeError:
        try:
            return run.encode("latin-1").decode("utf-8")
        except UnicodeError:
            return run


def repair_text(text: str) -> tuple[str, list[str]]:
    """Soft hyphens out (YouTube Studio in German puts one in every header word) and double-encoded
    text repaired; returns the text and a note for each repair. Scans only when a marker is present."""
    notes = []
    if "\u00ad" in text:
        text = text.replace("\u00ad", "")
    if "\u00c3" in text or "\u00c2" in text:
        try:  # the whole file saved twice: one C-speed round trip, no per-piece work
            whole = text.encode("cp1252").decode("utf-8")
        except UnicodeError:
            whole = None
        if whole is not None and whole != text:
            return whole, notes + ["the text had been saved twice in the wrong encoding (like 'Ã“' for 'Ó') "
                                   "and was repaired"]
        # Only some cells broken (a re-save of a column): repair each broken run.
        fixed, n = _MOJIBAKE.subn(_undo_one, text)
        if n and fixed != text:
            text = fixed
            notes.append(f"{n:,} piece(s) of text had been saved twice in the wrong encoding (like 'Ã“' for 'Ó') "
                         "and were repaired")
    return text, notes


_MARKERS = re.compile(b"\xc2\xad|\xc3[\x82\x83]")


def repair_bytes(data: bytes) -> tuple[bytes, list[str]]:
    """``repair_text`` for ``utf8_body`` bytes (large files), decoded only when the head shows a marker.

    Only the head is searched: soft hyphens matter in headers, and a re-save that double-encoded text
    did it from the first row on. Scanning a 50 MB export for them costs more than reading it.
    """
    if _MARKERS.search(data, 0, HEAD_BYTES) is None:
        return data, []
    text, notes = repair_text(body_text(data))
    return text.encode("utf-8"), notes


def split_sep_line(text: str) -> tuple[str | None, str, int]:
    """Strip Excel's ``sep=X`` first line: ``(delimiter or None, rest, lines removed)``."""
    end = text.find("\n")  # the rest is copied only when the hint is there (texts can be 1 GB)
    first = text[:end] if end >= 0 else text
    # Not .strip(): Excel writes "sep=<TAB>" for tab-separated files, and the tab is the answer.
    stripped = first.strip(" \r\n\ufeff").strip('"')
    if stripped.lower().startswith("sep=") and len(stripped) in (4, 5):
        sep = stripped[4:] or ","
        return ("\t" if sep == "\\t" else sep), (text[end + 1:] if end >= 0 else ""), 1
    return None, text, 0


def sample_records(text: str, delimiter: str, max_records: int = 60, max_chars: int = 256 * 1024) -> list[list[str]]:
    """The first records of ``text`` parsed as CSV (the last, maybe cut off, dropped)."""
    sample = text[:max_chars]
    cut = len(sample) < len(text)
    reader = csv.reader(io.StringIO(sample), delimiter=delimiter, quotechar='"', doublequote=True, strict=False)
    rows, stopped = [], False
    try:
        for row in reader:
            rows.append(row)
            if len(rows) > max_records:
                break
    except csv.Error:  # e.g. a cell over the csv module's 128 KB limit: the rows before it are whole
        stopped = True
    if cut and not stopped and len(rows) > 1:
        rows = rows[:-1]  # cut off by the sample window
    # A single record longer than the window (a 100k-column header) is kept: its width still counts.
    return rows[:max_records]


def sniff_delimiter(text: str) -> str:
    best, best_score = ",", (-1.0, 0)
    for d in DELIMITERS:
        rows = [r for r in sample_records(text, d, max_records=40) if any(c.strip() for c in r)]
        if not rows:
            continue
        widths = Counter(len(r) for r in rows)
        width, count = widths.most_common(1)[0]
        if width < 2:
            continue
        score = (count / len(rows), width)
        if score > best_score:
            best, best_score = d, score
    return best
