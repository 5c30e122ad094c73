"""Numba helpers shared by the labs' kernels: a priority queue and an argmin.

A 4-ary min-heap stored in two arrays, ``hk`` (float64 keys) and ``hv`` (int32 values), of
which the first ``size`` entries are live. Callers keep ``size`` and pass it in; each
function returns the new size. Four children per node make the heap shallower than a
binary heap, and the four sibling keys share a cache line. Push ``-key`` for a max-heap.
"""

from __future__ import annotations

from numba import njit

from ._config import STRICT

__all__ = ["heap_push", "heap_pop", "argmin"]


@njit(cache=True, fastmath=STRICT)
def heap_push(hk, hv, size, key, val):
    """Sift ``(key, val)`` up a 4-ary min-heap held in ``hk`` (keys) and ``hv`` (values)."""
    i = size
    while i > 0:
        parent = (i - 1) >> 2
        if hk[parent] <= key:
            break
        hk[i] = hk[parent]
        hv[i] = hv[parent]
        i = parent
    hk[i] = key
    hv[i] = val
    return size + 1


@njit(cache=True, fastmath=STRICT)
def heap_pop(hk, hv, size):
    """Remove the top of the 4-ary heap (the caller reads ``hk[0]``, ``hv[0]`` first)."""
    size -= 1
    key = hk[size]
    val = hv[size]
    i = 0
    while True:
        c = 4 * i + 1
        if c >= size:
            break
        best = c
        best_key = hk[c]
        end = min(c + 4, size)
        for j in range(c + 1, end):
            if hk[j] < best_key:
                best_key = hk[j]
                best = j
        if best_key >= key:
            break
        hk[i] = best_key
        hv[i] = hv[best]
        i = best
    hk[i] = key
    hv[i] = val
    return size


@njit(cache=True, fastmath=STRICT)
def argmin(a, n):
    """Index of the smallest of the first ``n`` entries of ``a`` (the first one on ties)."""
    b = 0
    for i in range(1, n):
        if a[i] < a[b]:
            b = i
    return b
