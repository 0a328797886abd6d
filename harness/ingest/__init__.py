"""Read the exports staff download into canonical tables (see ``harness.schema``).

Public API (stable; callers use only this):

``ingest_bytes(file_name, data, *, mapping=None, limits=None) -> list[FileReport]``
    Detect the source of one uploaded file (CSV, XLSX, XLS or ZIP) and read
    it. A zip gives one report per inner file. Never raises for bad input:
    problems are reported in ``FileReport.error`` / ``.rejected``.

``ingest_path(path, **kw) -> list[FileReport]``
    The same for a file, a folder (recursively) or a zip on disk.

``describe(report) -> dict``
    A JSON-able summary of one report (for ``python -m harness inspect``).

``Limits``
    Size limits (file bytes, rows, columns, unpacked bytes, zip members,
    compression ratio, zip depth); pass ``limits=Limits(...)`` to change them.
"""

import pyarrow as _pa

# Arrow's default allocator (mimalloc) keeps the pages of a big file's temporary columns: reading 1M form
# responses peaked at 1.15 GB with it and at 0.97 GB with jemalloc (benchmarks/README.md, "End to end").
try:
    _pa.set_memory_pool(_pa.jemalloc_memory_pool())
except (NotImplementedError, AttributeError):  # a pyarrow built without jemalloc keeps its default
    pass

from harness.ingest.core import describe, ingest_bytes, ingest_path, read_raws, supported_kinds
from harness.ingest.limits import DEFAULT_LIMITS, Limits
from harness.ingest.report import FileReport, RowProblem

__all__ = ["ingest_bytes", "ingest_path", "read_raws", "describe", "supported_kinds", "Limits", "DEFAULT_LIMITS",
           "FileReport", "RowProblem"]
