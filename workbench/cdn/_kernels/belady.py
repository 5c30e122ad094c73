"""Belady's MIN: evict the object whose next use is farthest (a 4-ary max-heap on next-use times), with or
without bypass.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from ..._config import STRICT
from .structures import NONE, _max_objects
from .trace_ops import next_use

# ---------------------------------------------------------------------------------------
# Belady


@njit(cache=True, fastmath=STRICT)
def _max4_up(hk, hv, pos, i, k, x):
    """Place object ``x`` with key ``k`` at slot ``i`` of a 4-ary max-heap and sift it up."""
    while i > 0:
        p = (i - 1) >> 2
        if hk[p] >= k:
            break
        hk[i] = hk[p]
        hv[i] = hv[p]
        pos[hv[i]] = i
        i = p
    hk[i] = k
    hv[i] = x
    pos[x] = i


@njit(cache=True, fastmath=STRICT)
def _max4_down(hk, hv, pos, i, k, x, size):
    """Place object ``x`` with key ``k`` at slot ``i`` of a 4-ary max-heap and sift it down."""
    while True:
        c = 4 * i + 1
        if c >= size:
            break
        best = c
        bk = hk[c]
        end = min(c + 4, size)
        for j in range(c + 1, end):
            if hk[j] > bk:
                bk = hk[j]
                best = j
        if bk <= k:
            break
        hk[i] = bk
        hv[i] = hv[best]
        pos[hv[i]] = i
        i = best
    hk[i] = k
    hv[i] = x
    pos[x] = i


@njit(cache=True, fastmath=STRICT)
def belady(ids, sizes, n_obj, capacity, bypass):
    """Belady's MIN: evict the cached object whose next request is farthest away.

    With ``bypass`` false this is demand paging (every miss is admitted), as libCacheSim's
    Belady; with ``bypass`` true a missed object is not admitted when its own next request
    is at least as far as every cached object's, which is the optimum for unit sizes.
    A 4-ary max-heap on next use (keys stored in the heap) holds the cached objects; a hit
    raises its object's key.
    """
    n = ids.shape[0]
    unit = sizes.shape[0] == 0
    nu = next_use(ids, n_obj)
    most = _max_objects(n_obj, capacity)
    hk = np.empty(most, np.int64)
    hv = np.empty(most, np.int32)
    pos = np.full(n_obj, NONE, np.int32)
    osz = np.zeros(0 if unit else n_obj, np.int64)
    hit = np.zeros(n, np.uint8)
    size = 0
    used = 0
    for i in range(n):
        x = ids[i]
        px = pos[x]
        if px >= 0:
            hit[i] = 1
            _max4_up(hk, hv, pos, px, nu[i], x)  # a later next use: the key grows
            continue
        s = 1 if unit else sizes[i]
        if s > capacity:
            continue
        if bypass and used + s > capacity and size > 0 and nu[i] >= hk[0]:
            continue
        while used + s > capacity:
            v = hv[0]
            size -= 1
            pos[v] = NONE
            used -= 1 if unit else osz[v]
            if size > 0:
                _max4_down(hk, hv, pos, 0, hk[size], hv[size], size)
        _max4_up(hk, hv, pos, size, nu[i], x)
        size += 1
        if not unit:
            osz[x] = s
        used += s
    return hit
