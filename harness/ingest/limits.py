"""Size limits that keep a hostile or accidental upload from exhausting memory.

The defaults allow several years of daily exports from a busy page (tens of
thousands of rows) with a wide margin, and stop zip bombs early: sizes are
checked from the zip directory *and* while reading, because a zip's
directory can lie about sizes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Mapping

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

# Settings a deployment may change: name in ``[limits]`` of Streamlit secrets (or ``HC_<NAME>`` in the
# environment, upper case) -> (Limits field, multiplier, smallest allowed value).
SETTINGS = {
    "max_file_mb": ("max_file_bytes", MB, 1),
    "max_rows": ("max_rows", 1, 1),
    "max_columns": ("max_columns", 1, 1),
    "max_total_uncompressed_mb": ("max_total_uncompressed", MB, 1),
    "max_zip_members": ("max_zip_members", 1, 1),
    "max_compression_ratio": ("max_compression_ratio", 1, 1),
    "max_zip_depth": ("max_zip_depth", 1, 0),
    "max_sheets": ("max_sheets", 1, 1),
}


class LimitsError(ValueError):
    """A configured limit that cannot be used; the message names the setting."""


def limits_from(config: Mapping | None = None, environ: Mapping | None = None) -> Limits:
    """The defaults, overridden by ``HC_MAX_...`` environment variables, overridden by ``config``.

    ``config`` is the ``[limits]`` section of Streamlit secrets, e.g. ``{"max_file_mb": 500}``.
    Unknown names and values that are not positive numbers raise :class:`LimitsError`.
    """
    chosen: dict = {}
    for name in SETTINGS:
        value = (environ or {}).get(f"HC_{name.upper()}")
        if value not in (None, ""):
            chosen[name] = value
    unknown = sorted(set(config or {}) - set(SETTINGS))
    if unknown:
        raise LimitsError(f"unknown upload limit {', '.join(unknown)}; known: {', '.join(SETTINGS)}")
    chosen.update(config or {})
    changes = {}
    for name, value in chosen.items():
        field, scale, smallest = SETTINGS[name]
        kind = float if field == "max_compression_ratio" else int
        if isinstance(value, bool):
            raise LimitsError(f"upload limit {name} must be a number, not {value!r}")
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = math.nan
        if not math.isfinite(number):
            raise LimitsError(f"upload limit {name} must be a number, not {value!r}")
        if kind is int:
            if not number.is_integer():
                raise LimitsError(f"upload limit {name} must be a whole number, not {value!r}")
            number = int(number)
        if number < smallest:
            raise LimitsError(f"upload limit {name} must be at least {smallest}, not {value!r}")
        changes[field] = number * scale
    return replace(DEFAULT_LIMITS, **changes)


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
