"""Cache replacement kernels over dense integer request arrays (no validation here).

Every policy kernel has the same shape::

    policy(ids, sizes, n_obj, capacity, ...) -> hit   (uint8 per request, 1 = hit)

``ids`` are dense object ids ``0..n_obj-1`` (int32, see :func:`densify`), ``sizes`` the
object size of each request (int64; all ones in unit-size mode) and ``capacity`` the cache
size in the same unit. A request whose object is larger than the cache is a miss and is
not admitted. Objects keep the size they had when admitted.

Queues are doubly linked lists over object ids: ``prv[x]`` points toward the head (newer),
``nxt[x]`` toward the tail (older); ``qh[q]``/``qt[q]`` are the head and tail of queue
``q``. An object is in at most one queue at a time.

Semantics follow libCacheSim's implementations (https://github.com/1a1a11a/libCacheSim),
against which the tests compare miss counts request by request.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from .._config import STRICT

NONE = -1

# ---------------------------------------------------------------------------------------
# ids


@njit(cache=True, fastmath=STRICT)
def _hash(key, mask):
    # Fibonacci hashing of the 64-bit key (the product wraps modulo 2**64 by design)
    h = np.uint64(key) * np.uint64(0x9E3779B97F4A7C15)
    return np.int64(h >> np.uint64(33)) & mask


@njit(cache=True, fastmath=STRICT)
def densify(keys):
    """Map arbitrary int64 keys to dense ids in order of first appearance.

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


# ---------------------------------------------------------------------------------------
# linked-list queues


@njit(cache=True, fastmath=STRICT)
def _push_head(prv, nxt, qh, qt, q, x):
    h = qh[q]
    nxt[x] = h
    prv[x] = NONE
    if h >= 0:
        prv[h] = x
    else:
        qt[q] = x
    qh[q] = x


@njit(cache=True, fastmath=STRICT)
def _unlink(prv, nxt, qh, qt, q, x):
    p = prv[x]
    n = nxt[x]
    if p >= 0:
        nxt[p] = n
    else:
        qh[q] = n
    if n >= 0:
        prv[n] = p
    else:
        qt[q] = p
    prv[x] = NONE
    nxt[x] = NONE


@njit(cache=True, fastmath=STRICT)
def _lists(n_obj, n_queues):
    return (np.full(n_obj, NONE, np.int32), np.full(n_obj, NONE, np.int32),
            np.full(n_queues, NONE, np.int32), np.full(n_queues, NONE, np.int32))


# ---------------------------------------------------------------------------------------
# queue policies


@njit(cache=True, fastmath=STRICT)
def fifo(ids, sizes, n_obj, capacity):
    """First in, first out: hits change nothing."""
    prv, nxt, qh, qt = _lists(n_obj, 1)
    inc = np.zeros(n_obj, np.bool_)
    osz = np.zeros(n_obj, np.int64)
    hit = np.zeros(ids.shape[0], np.uint8)
    used = 0
    for i in range(ids.shape[0]):
        x = ids[i]
        if inc[x]:
            hit[i] = 1
            continue
        s = sizes[i]
        if s > capacity:
            continue
        while used + s > capacity:
            v = qt[0]
            _unlink(prv, nxt, qh, qt, 0, v)
            inc[v] = False
            used -= osz[v]
        _push_head(prv, nxt, qh, qt, 0, x)
        inc[x] = True
        osz[x] = s
        used += s
    return hit


@njit(cache=True, fastmath=STRICT)
def lru(ids, sizes, n_obj, capacity):
    """Least recently used: a hit moves the object to the head."""
    prv, nxt, qh, qt = _lists(n_obj, 1)
    inc = np.zeros(n_obj, np.bool_)
    osz = np.zeros(n_obj, np.int64)
    hit = np.zeros(ids.shape[0], np.uint8)
    used = 0
    for i in range(ids.shape[0]):
        x = ids[i]
        if inc[x]:
            hit[i] = 1
            if qh[0] != x:
                _unlink(prv, nxt, qh, qt, 0, x)
                _push_head(prv, nxt, qh, qt, 0, x)
            continue
        s = sizes[i]
        if s > capacity:
            continue
        while used + s > capacity:
            v = qt[0]
            _unlink(prv, nxt, qh, qt, 0, v)
            inc[v] = False
            used -= osz[v]
        _push_head(prv, nxt, qh, qt, 0, x)
        inc[x] = True
        osz[x] = s
        used += s
    return hit


@njit(cache=True, fastmath=STRICT)
def clock(ids, sizes, n_obj, capacity, max_freq):
    """CLOCK (second chance) with an n-bit counter saturating at ``max_freq``.

    A hit increments the counter; eviction looks at the oldest object and, while its
    counter is positive, decrements it and moves it to the head.
    """
    prv, nxt, qh, qt = _lists(n_obj, 1)
    inc = np.zeros(n_obj, np.bool_)
    freq = np.zeros(n_obj, np.int32)
    osz = np.zeros(n_obj, np.int64)
    hit = np.zeros(ids.shape[0], np.uint8)
    used = 0
    for i in range(ids.shape[0]):
        x = ids[i]
        if inc[x]:
            hit[i] = 1
            if freq[x] < max_freq:
                freq[x] += 1
            continue
        s = sizes[i]
        if s > capacity:
            continue
        while used + s > capacity:
            v = qt[0]
            while freq[v] >= 1:
                freq[v] -= 1
                _unlink(prv, nxt, qh, qt, 0, v)
                _push_head(prv, nxt, qh, qt, 0, v)
                v = qt[0]
            _unlink(prv, nxt, qh, qt, 0, v)
            inc[v] = False
            used -= osz[v]
        _push_head(prv, nxt, qh, qt, 0, x)
        inc[x] = True
        freq[x] = 0
        osz[x] = s
        used += s
    return hit


@njit(cache=True, fastmath=STRICT)
def sieve(ids, sizes, n_obj, capacity):
    """SIEVE (Zhang et al., NSDI 2024): FIFO order, a visited bit and a hand that keeps
    its place between evictions, moving from old to new and wrapping around."""
    prv, nxt, qh, qt = _lists(n_obj, 1)
    inc = np.zeros(n_obj, np.bool_)
    visited = np.zeros(n_obj, np.bool_)
    osz = np.zeros(n_obj, np.int64)
    hit = np.zeros(ids.shape[0], np.uint8)
    used = 0
    hand = NONE
    for i in range(ids.shape[0]):
        x = ids[i]
        if inc[x]:
            hit[i] = 1
            visited[x] = True
            continue
        s = sizes[i]
        if s > capacity:
            continue
        while used + s > capacity:
            v = hand if hand >= 0 else qt[0]
            while visited[v]:
                visited[v] = False
                v = prv[v] if prv[v] >= 0 else qt[0]
            hand = prv[v]
            _unlink(prv, nxt, qh, qt, 0, v)
            inc[v] = False
            used -= osz[v]
        _push_head(prv, nxt, qh, qt, 0, x)
        inc[x] = True
        visited[x] = False
        osz[x] = s
        used += s
    return hit


# S3-FIFO queue ids and object locations
_SMALL, _MAIN, _GHOST = 0, 1, 2


@njit(cache=True, fastmath=STRICT)
def s3fifo(ids, sizes, n_obj, capacity, small_ratio, ghost_ratio, move_threshold):
    """S3-FIFO (Yang et al., SOSP 2023), libCacheSim's current variant.

    A small FIFO (``small_ratio`` of the cache) admits new objects; those hit at least
    ``move_threshold`` times while there move to the main FIFO, the others leave a
    ghost entry (a FIFO of ids sized ``ghost_ratio`` of the cache). A miss on a ghost
    entry goes straight to main. Main reinserts objects with a 2-bit counter. Before the
    first eviction, new objects overflow from a full small FIFO into main.
    """
    small_cap = np.int64(capacity * small_ratio)
    main_cap = capacity - small_cap
    ghost_cap = np.int64(capacity * ghost_ratio)
    prv, nxt, qh, qt = _lists(n_obj, 3)
    loc = np.full(n_obj, NONE, np.int8)
    freq = np.zeros(n_obj, np.int32)
    osz = np.zeros(n_obj, np.int64)
    used = np.zeros(3, np.int64)
    hit = np.zeros(ids.shape[0], np.uint8)
    has_evicted = False
    for i in range(ids.shape[0]):
        x = ids[i]
        q = loc[x]
        if q == _SMALL or q == _MAIN:
            hit[i] = 1
            freq[x] += 1
            continue
        on_ghost = False
        if q == _GHOST:
            _unlink(prv, nxt, qh, qt, _GHOST, x)
            used[_GHOST] -= osz[x]
            loc[x] = NONE
            on_ghost = True
        s = sizes[i]
        if s > small_cap:  # libCacheSim admits nothing larger than the small FIFO
            continue
        while used[_SMALL] + used[_MAIN] + s > capacity:
            has_evicted = True
            if used[_MAIN] > main_cap or used[_SMALL] == 0:
                # main: reinsert objects with a positive counter (decremented), evict the first without
                while used[_MAIN] > 0:
                    v = qt[_MAIN]
                    _unlink(prv, nxt, qh, qt, _MAIN, v)
                    if freq[v] >= 1:
                        freq[v] = min(freq[v], 3) - 1
                        _push_head(prv, nxt, qh, qt, _MAIN, v)
                    else:
                        used[_MAIN] -= osz[v]
                        loc[v] = NONE
                        break
            else:
                # small: promote objects hit often enough, evict the first other one to the ghost
                while used[_SMALL] > 0:
                    v = qt[_SMALL]
                    _unlink(prv, nxt, qh, qt, _SMALL, v)
                    used[_SMALL] -= osz[v]
                    if freq[v] >= move_threshold:
                        freq[v] = 0
                        _push_head(prv, nxt, qh, qt, _MAIN, v)
                        loc[v] = _MAIN
                        used[_MAIN] += osz[v]
                    else:
                        loc[v] = NONE
                        if osz[v] <= ghost_cap:
                            while used[_GHOST] + osz[v] > ghost_cap:
                                g = qt[_GHOST]
                                _unlink(prv, nxt, qh, qt, _GHOST, g)
                                used[_GHOST] -= osz[g]
                                loc[g] = NONE
                            _push_head(prv, nxt, qh, qt, _GHOST, v)
                            loc[v] = _GHOST
                            used[_GHOST] += osz[v]
                        break
        if on_ghost:
            target = _MAIN
        elif not has_evicted and used[_SMALL] >= small_cap:
            target = _MAIN
        else:
            target = _SMALL
            if s >= small_cap:  # as libCacheSim: room was made, but the object is not admitted
                continue
        _push_head(prv, nxt, qh, qt, target, x)
        loc[x] = target
        freq[x] = 0
        osz[x] = s
        used[target] += s
    return hit


# ---------------------------------------------------------------------------------------
# Belady


@njit(cache=True, fastmath=STRICT)
def _sift_up(key, heap, pos, i):
    x = heap[i]
    k = key[x]
    while i > 0:
        p = (i - 1) >> 1
        y = heap[p]
        if key[y] >= k:
            break
        heap[i] = y
        pos[y] = i
        i = p
    heap[i] = x
    pos[x] = i


@njit(cache=True, fastmath=STRICT)
def _sift_down(key, heap, pos, i, size):
    x = heap[i]
    k = key[x]
    while True:
        c = 2 * i + 1
        if c >= size:
            break
        if c + 1 < size and key[heap[c + 1]] > key[heap[c]]:
            c += 1
        y = heap[c]
        if key[y] <= k:
            break
        heap[i] = y
        pos[y] = i
        i = c
    heap[i] = x
    pos[x] = i


@njit(cache=True, fastmath=STRICT)
def belady(ids, sizes, n_obj, capacity, bypass):
    """Belady's MIN: evict the cached object whose next request is farthest away.

    With ``bypass`` false this is demand paging (every miss is admitted), as libCacheSim's
    Belady; with ``bypass`` true a missed object is not admitted when its own next request
    is at least as far as every cached object's, which is the optimum for unit sizes.
    A max-heap on next-use keeps the cached objects; hits move their key.
    """
    n = ids.shape[0]
    nu = next_use(ids, n_obj)
    key = np.zeros(n_obj, np.int64)
    heap = np.empty(n_obj, np.int32)
    pos = np.full(n_obj, NONE, np.int32)
    osz = np.zeros(n_obj, np.int64)
    hit = np.zeros(n, np.uint8)
    size = 0
    used = 0
    for i in range(n):
        x = ids[i]
        if pos[x] >= 0:
            hit[i] = 1
            key[x] = nu[i]  # a later next use: the key grows, so it moves up the max-heap
            _sift_up(key, heap, pos, pos[x])
            continue
        s = sizes[i]
        if s > capacity:
            continue
        if bypass and used + s > capacity and size > 0 and nu[i] >= key[heap[0]]:
            continue
        while used + s > capacity:
            v = heap[0]
            size -= 1
            pos[v] = NONE
            used -= osz[v]
            if size > 0:
                heap[0] = heap[size]
                pos[heap[0]] = 0
                _sift_down(key, heap, pos, 0, size)
        key[x] = nu[i]
        heap[size] = x
        pos[x] = size
        size += 1
        _sift_up(key, heap, pos, size - 1)
        osz[x] = s
        used += s
    return hit
