"""Per-key token buckets."""

from __future__ import annotations

import numpy as np
from numba import njit

from ..._config import STRICT


@njit(cache=True, fastmath=STRICT)
def token_bucket(times, keys, n_keys, rate, burst):
    """Per-key token buckets: a request is allowed if its key's bucket holds a token.

    Buckets start full (``burst`` tokens) and refill at ``rate`` tokens per second, capped at
    ``burst``. ``times`` must be non-decreasing.
    """
    tokens = np.full(n_keys, burst)
    last = np.full(n_keys, -np.inf)
    allowed = np.zeros(times.shape[0], np.bool_)
    for i in range(times.shape[0]):
        k = keys[i]
        if last[k] > -np.inf:
            tokens[k] = min(burst, tokens[k] + (times[i] - last[k]) * rate)
        last[k] = times[i]
        if tokens[k] >= 1.0:
            tokens[k] -= 1.0
            allowed[i] = True
    return allowed
