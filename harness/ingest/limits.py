"""Size limits that keep a hostile or accidental upload from exhausting memory.

The defaults allow several years of daily exports from a busy page (tens of
thousands of rows) with a wide margin, and stop zip bombs early: sizes are
checked from the zip directory *and* while reading, because a zip's
directory can lie about sizes.
"""

from __future__ import annotations

from dataclasses import dataclass

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 200 * MB  # one uploaded file, or one file inside a zip
    max_rows: int = 2_000_000  # data rows in one file or sheet
    max_columns: int = 1_000
    max_total_uncompressed: int = 1024 * MB  # everything read out of one upload (zips included)
    max_zip_members: int = 1_000
    max_compression_ratio: float = 200.0  # uncompressed / compressed, per zip member
    max_zip_depth: int = 3  # zips inside zips inside ...
    max_sheets: int = 50


DEFAULT_LIMITS = Limits()


class LimitExceeded(Exception):
    """A limit was hit; the message is plain language and names the limit."""


def human_bytes(n: float) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} GB"


class Budget:
    """Bytes still allowed to be read out of one upload (shared by nested zips)."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.left = limits.max_total_uncompressed

    def take(self, n: int, what: str) -> None:
        self.left -= n
        if self.left < 0:
            raise LimitExceeded(
                f"{what}: the upload unpacks to more than "
                f"{human_bytes(self.limits.max_total_uncompressed)}, the most we read from one upload"
            )
