"""Trace preparation: dense ids in order of first appearance, each request's next use (for Belady), grouping
requests by key, and object versions under a TTL.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from ..._config import STRICT

# ---------------------------------------------------------------------------------------
# ids


@njit(cache=True, fastmath=STRICT)
def _hash(key, mask):
    # Fibonacci hashing of the 64-bit key (the product wraps modulo 2**64 by design)
    h = np.uint64(key) * np.uint64(0x9E3779B97F4A7C15)
    return np.int64(h >> np.uint64(33)) & mask


@njit(cache=True, fastmath=STRICT)
def densify(keys):
    """Map integer keys (int64 or int32) to dense ids in order of first appearance.

    Returns ``(ids int32, uniques int64)`` with ``uniques[ids] == keys``. Open addressing
    with linear probing; the table doubles when half full.
    """
    n = keys.shape[0]
    cap = 1024
    table_k = np.empty(cap, np.int64)
    table_v = np.full(cap, -1, np.int32)
    mask = cap - 1
    uniques = np.empty(max(n, 1), np.int64)
    ids = np.empty(n, np.int32)
    count = 0
    for i in range(n):
        k = keys[i]
        j = _hash(k, mask)
        while table_v[j] >= 0 and table_k[j] != k:
            j = (j + 1) & mask
        if table_v[j] >= 0:
            ids[i] = table_v[j]
            continue
        table_k[j] = k
        table_v[j] = count
        uniques[count] = k
        ids[i] = count
        count += 1
        if 2 * count > cap:  # grow and rehash
            cap *= 2
            mask = cap - 1
            nk = np.empty(cap, np.int64)
            nv = np.full(cap, -1, np.int32)
            for u in range(count):
                key = uniques[u]
                jj = _hash(key, mask)
                while nv[jj] >= 0:
                    jj = (jj + 1) & mask
                nk[jj] = key
                nv[jj] = u
            table_k = nk
            table_v = nv
    return ids, uniques[:count].copy()


@njit(cache=True, fastmath=STRICT)
def next_use(ids, n_obj):
    """Index of the next request for the same object (``len(ids)`` if none)."""
    n = ids.shape[0]
    out = np.empty(n, np.int64)
    last = np.full(n_obj, n, np.int64)
    for i in range(n - 1, -1, -1):
        x = ids[i]
        out[i] = last[x]
        last[x] = i
    return out


@njit(cache=True, fastmath=STRICT)
def group_order(group, n_groups):
    """Counting sort: request indices ordered by group (stable) and each group's start offset."""
    counts = np.zeros(n_groups + 1, np.int64)
    for i in range(group.shape[0]):
        counts[group[i] + 1] += 1
    for g in range(n_groups):
        counts[g + 1] += counts[g]
    fill = counts[:-1].copy()
    order = np.empty(group.shape[0], np.int64)
    for i in range(group.shape[0]):
        g = group[i]
        order[fill[g]] = i
        fill[g] += 1
    return order, counts


@njit(cache=True, fastmath=STRICT)
def ttl_versions(ids, times, n_obj, ttl):
    """Version number of every request: a request more than ``ttl`` after the first request of
    its object's current version starts a new version (the cached copy has expired)."""
    start = np.full(n_obj, -np.inf)
    version = np.full(n_obj, -1, np.int64)
    out = np.empty(ids.shape[0], np.int64)
    for i in range(ids.shape[0]):
        x = ids[i]
        if times[i] - start[x] > ttl:
            start[x] = times[i]
            version[x] += 1
        out[i] = version[x]
    return out
