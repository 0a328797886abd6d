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
from collections import Counter

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


def split_sep_line(text: str) -> tuple[str | None, str, int]:
    """Strip Excel's ``sep=X`` first line: ``(delimiter or None, rest, lines removed)``."""
    first, _, rest = text.partition("\n")
    stripped = first.strip().strip('"')
    if stripped.lower().startswith("sep=") and len(stripped) in (4, 5):
        sep = stripped[4:] or ","
        return ("\t" if sep == "\\t" else sep), rest, 1
    return None, text, 0


def sample_records(text: str, delimiter: str, max_records: int = 60, max_chars: int = 256 * 1024) -> list[list[str]]:
    """The first records of ``text`` parsed as CSV (the last, maybe cut off, dropped)."""
    sample = text[:max_chars]
    cut = len(sample) < len(text)
    reader = csv.reader(io.StringIO(sample), delimiter=delimiter, quotechar='"', doublequote=True, strict=False)
    rows = []
    try:
        for row in reader:
            rows.append(row)
            if len(rows) > max_records:
                break
    except csv.Error:
        pass
    if cut and rows:
        rows = rows[:-1]
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
