"""A plain breadth-first pass over the referral forest: the lower bound for the network metrics.

Same inputs and the same parent rule as ``harness.network`` (people
normalised, self-referrals dropped, a person's earliest referral is their
parent), then depths level by level from the people nobody referred. It
does no cycle breaking (the benchmark data has no cycles) and none of the
other metrics, so it bounds what the depth part can cost.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from harness import schema


def depths(referrals: pd.DataFrame, involvement: pd.DataFrame) -> np.ndarray:
    """Depth (1 = reached directly) of everyone in the two tables."""
    linked = involvement[involvement["referred_by"].notna() & involvement["person"].notna()]
    src = pd.concat([referrals["referrer"], linked["referred_by"]], ignore_index=True)
    dst = pd.concat([referrals["referred"], linked["person"]], ignore_index=True)
    when = pd.concat([referrals["occurred_at"], linked["occurred_at"]], ignore_index=True)
    names = schema.normalise_person(pd.concat([src, dst, involvement["person"]], ignore_index=True))
    codes, people = pd.factorize(names)
    m, n = len(src), len(people)
    s, d = codes[:m], codes[m:2 * m]
    ok = (s >= 0) & (d >= 0) & (s != d)
    order = np.argsort(when.to_numpy()[ok], kind="stable")
    s, d = s[ok][order], d[ok][order]
    _, first = np.unique(d, return_index=True)
    parent = np.full(n, -1, dtype=np.int64)
    parent[d[first]] = s[first]
    # Children grouped by parent (CSR), then one frontier per level.
    child = np.argsort(parent, kind="stable")
    child = child[parent[child] >= 0]
    starts = np.searchsorted(parent[child], np.arange(n + 1))
    depth = np.zeros(n, dtype=np.int64)
    frontier, level = np.flatnonzero(parent < 0), 1
    while len(frontier):
        depth[frontier] = level
        lo, hi = starts[frontier], starts[frontier + 1]
        sizes = hi - lo
        if not sizes.sum():
            break
        # Concatenate the child ranges [lo, hi) of the whole frontier without a Python loop.
        offs = np.repeat(lo - np.concatenate([[0], np.cumsum(sizes)[:-1]]), sizes)
        frontier = child[np.arange(sizes.sum()) + offs]
        level += 1
    return depth
