"""Load a Dataset from paths on disk, or the bundled sample school."""

from __future__ import annotations

from pathlib import Path

from harness.dataset import Dataset, combine

SAMPLE_DIR = Path(__file__).resolve().parents[1] / "sample_data"
# The generator script and README live beside the data; only these hold data.
SAMPLE_PARTS = ("exports", "logs")


def sample_paths() -> list[Path]:
    return [SAMPLE_DIR / part for part in SAMPLE_PARTS if (SAMPLE_DIR / part).exists()]


def read_paths(paths) -> list:
    """Ingest reports for every file under ``paths`` (files, folders or zips), in order."""
    from harness.ingest import ingest_path

    reports = []
    for p in paths:
        reports.extend(ingest_path(Path(p)))
    return reports


def load_paths(paths) -> tuple[Dataset, list]:
    reports = read_paths(paths)
    return combine([r for r in reports if r.ok]), reports


def load_sample() -> tuple[Dataset, list]:
    return load_paths(sample_paths())
