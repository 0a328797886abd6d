"""Load a Dataset from paths on disk, or the bundled sample school."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from harness.dataset import Dataset, combine

SAMPLE_DIR = Path(__file__).resolve().parents[1] / "sample_data"
# The generator script and README live beside the data; only these hold data.
SAMPLE_PARTS = ("exports", "logs")


def sample_paths() -> list[Path]:
    return [SAMPLE_DIR / part for part in SAMPLE_PARTS if (SAMPLE_DIR / part).exists()]


# Files up to this size are read on a second thread while the biggest is read on the first.
BESIDE_MAX_BYTES = 64 * 1024 * 1024


def read_paths(paths) -> list:
    """Ingest reports for every file under ``paths`` (files, folders or zips), in order.

    Most of ingest is Arrow and numpy work, which runs outside the GIL, so the smaller files are read on
    a second thread while the biggest is read: on two cores that hides them. Memory stays bounded: the
    biggest file and at most one other of up to ``BESIDE_MAX_BYTES`` are in flight at once.
    """
    from harness.ingest import ingest_path

    paths = [Path(p) for p in paths]
    sizes = [p.stat().st_size if p.is_file() else -1 for p in paths]
    beside = [i for i in sorted(range(len(paths)), key=lambda i: -sizes[i])[1:] if 0 <= sizes[i] <= BESIDE_MAX_BYTES]
    results: dict[int, list] = {}
    pool = ThreadPoolExecutor(max_workers=1) if beside else None
    later = pool.submit(lambda: {i: ingest_path(paths[i]) for i in beside}) if pool else None
    try:
        for i, p in enumerate(paths):
            if i not in beside:
                results[i] = ingest_path(p)
        if later is not None:
            results.update(later.result())
    finally:
        if pool is not None:
            pool.shutdown(wait=True)
    return [r for i in range(len(paths)) for r in results[i]]


def load_paths(paths) -> tuple[Dataset, list]:
    reports = read_paths(paths)
    return combine([r for r in reports if r.ok]), reports


def load_sample() -> tuple[Dataset, list]:
    return load_paths(sample_paths())
