"""Social-platform exports: importing this module registers every one of them.

One module per platform family; each registers its ``Source``s on import.
"""

from harness.ingest import linkedin, meta, tiktok, xtwitter, youtube  # noqa: F401
