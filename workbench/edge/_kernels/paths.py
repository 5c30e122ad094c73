"""Shortest-path post-processing for the engine's network: the narrowest link along each path."""

from __future__ import annotations

import numpy as np
from numba import njit

from ..._config import STRICT


@njit(cache=True, fastmath=STRICT)
def path_bottleneck(dist, pred, link_mbps):
    """Narrowest link (Mbit/s) on each shortest path: rows of ``dist``/``pred`` are single-source
    results from source index ``r``; ``link_mbps[u, v]`` is the link's rate (inf: no limit)."""
    n_src, n = dist.shape
    out = np.full((n_src, n), np.inf)
    for r in range(n_src):
        for b in np.argsort(dist[r]):
            p = pred[r, b]
            if p >= 0:
                out[r, b] = min(out[r, p], link_mbps[p, b])
    return out
