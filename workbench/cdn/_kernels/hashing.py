"""Load balancing by hashing: jump consistent hash and the power of d choices."""

from __future__ import annotations

import numpy as np
from numba import njit

from ..._config import STRICT

# ---------------------------------------------------------------------------------------
# load balancing


@njit(cache=True, fastmath=STRICT)
def jump_hash(keys, n_buckets):
    """Jump consistent hash (Lamping & Veach 2014) of each key into ``0..n_buckets-1``."""
    out = np.empty(keys.shape[0], np.int32)
    for i in range(keys.shape[0]):
        key = np.uint64(keys[i])
        b = np.int64(-1)
        j = np.int64(0)
        while j < n_buckets:
            b = j
            key = key * np.uint64(2862933555777941757) + np.uint64(1)
            j = np.int64((b + 1) * (2147483648.0 / np.float64((key >> np.uint64(33)) + np.uint64(1))))
        out[i] = b
    return out


@njit(cache=True, fastmath=STRICT)
def balls_into_bins(n_balls, n_bins, d, choices):
    """Each ball goes to the least loaded of its ``d`` pre-drawn candidate bins (first on ties)."""
    load = np.zeros(n_bins, np.int64)
    for i in range(n_balls):
        best = choices[i, 0]
        for j in range(1, d):
            c = choices[i, j]
            if load[c] < load[best]:
                best = c
        load[best] += 1
    return load
