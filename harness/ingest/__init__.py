"""Read the exports staff download into canonical tables (see ``harness.schema``).

Public API (stable; callers use only this):

``ingest_bytes(file_name, data, *, mapping=None, limits=None) -> list[FileReport]``
    Detect the source of one uploaded file (CSV, XLSX, XLS or ZIP) and read
    it. A zip gives one report per inner file. Never raises for bad input:
    problems are reported in ``FileReport.error`` / ``.rejected``.

``ingest_path(path, **kw) -> list[FileReport]``
    The same for a file, a folder (recursively) or a zip on disk.
"""
