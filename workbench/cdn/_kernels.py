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


# ---------------------------------------------------------------------------------------
# frequency and adaptive policies


@njit(cache=True, fastmath=STRICT)
def lfu(ids, sizes, n_obj, capacity):
    """Least frequently used (in-cache counts; an evicted object starts again at 1).

    One FIFO list per frequency: ties go to the object that reached that count first.
    """
    n = ids.shape[0]
    prv, nxt, qh, qt = _lists(n_obj, n + 2)
    freq = np.zeros(n_obj, np.int64)  # 0 = not cached
    osz = np.zeros(n_obj, np.int64)
    hit = np.zeros(n, np.uint8)
    used = 0
    min_f = 1
    max_f = 1
    for i in range(n):
        x = ids[i]
        f = freq[x]
        if f > 0:
            hit[i] = 1
            _unlink(prv, nxt, qh, qt, f, x)
            freq[x] = f + 1
            _push_head(prv, nxt, qh, qt, f + 1, x)
            if f + 1 > max_f:
                max_f = f + 1
            if min_f == f and qh[f] < 0:
                min_f = f + 1
            continue
        s = sizes[i]
        if s > capacity:
            continue
        while used + s > capacity:
            v = qt[min_f]
            _unlink(prv, nxt, qh, qt, min_f, v)
            freq[v] = 0
            used -= osz[v]
            if qh[min_f] < 0:  # that count is empty: find the next one up
                g = min_f + 1
                while g <= max_f and qh[g] < 0:
                    g += 1
                min_f = g
        _push_head(prv, nxt, qh, qt, 1, x)
        freq[x] = 1
        min_f = 1
        osz[x] = s
        used += s
    return hit


_AIN, _AM, _AOUT = 0, 1, 2


@njit(cache=True, fastmath=STRICT)
def twoq(ids, sizes, n_obj, capacity, in_ratio, out_ratio):
    """2Q (Johnson & Shasha, VLDB 1994), as libCacheSim's TwoQ.

    New objects enter the FIFO A1in (``in_ratio`` of the cache); its evictions leave ids in
    the ghost FIFO A1out (``out_ratio`` of the cache). A miss found in A1out enters Am, an
    LRU holding the rest of the cache. Hits in A1in change nothing.
    """
    in_cap = np.int64(capacity * in_ratio)
    out_cap = np.int64(capacity * out_ratio)
    am_cap = capacity - in_cap
    prv, nxt, qh, qt = _lists(n_obj, 3)
    loc = np.full(n_obj, NONE, np.int8)
    osz = np.zeros(n_obj, np.int64)
    used = np.zeros(3, np.int64)
    hit = np.zeros(ids.shape[0], np.uint8)
    for i in range(ids.shape[0]):
        x = ids[i]
        q = loc[x]
        if q == _AIN:
            hit[i] = 1
            continue
        if q == _AM:
            hit[i] = 1
            _unlink(prv, nxt, qh, qt, _AM, x)
            _push_head(prv, nxt, qh, qt, _AM, x)
            continue
        on_ghost = q == _AOUT
        if on_ghost:
            _unlink(prv, nxt, qh, qt, _AOUT, x)
            used[_AOUT] -= osz[x]
            loc[x] = NONE
        s = sizes[i]
        if s > in_cap:
            continue
        while used[_AIN] + used[_AM] + s > capacity:
            if used[_AIN] > in_cap:
                v = qt[_AIN]
                _unlink(prv, nxt, qh, qt, _AIN, v)
                used[_AIN] -= osz[v]
                loc[v] = NONE
                if osz[v] <= out_cap:
                    while used[_AOUT] + osz[v] > out_cap:
                        g = qt[_AOUT]
                        _unlink(prv, nxt, qh, qt, _AOUT, g)
                        used[_AOUT] -= osz[g]
                        loc[g] = NONE
                    _push_head(prv, nxt, qh, qt, _AOUT, v)
                    loc[v] = _AOUT
                    used[_AOUT] += osz[v]
            else:
                v = qt[_AM]
                _unlink(prv, nxt, qh, qt, _AM, v)
                used[_AM] -= osz[v]
                loc[v] = NONE
        osz[x] = s
        if on_ghost:  # Am is an LRU with its own size: it may evict once more
            if s <= am_cap:
                while used[_AM] + s > am_cap:
                    v = qt[_AM]
                    _unlink(prv, nxt, qh, qt, _AM, v)
                    used[_AM] -= osz[v]
                    loc[v] = NONE
                _push_head(prv, nxt, qh, qt, _AM, x)
                loc[x] = _AM
                used[_AM] += s
        else:
            _push_head(prv, nxt, qh, qt, _AIN, x)
            loc[x] = _AIN
            used[_AIN] += s
    return hit


_T1, _T2, _B1, _B2 = 0, 1, 2, 3


@njit(cache=True, fastmath=STRICT)
def _arc_replace(prv, nxt, qh, qt, loc, osz, used, p, in_b2):
    """ARC's REPLACE: demote the LRU of T1 (if T1 exceeds its target p, or T2 is empty) or
    of T2 to its ghost list."""
    t1 = used[_T1]
    if (t1 > 0 and (t1 > p or (t1 == p and in_b2))) or used[_T2] == 0:
        src = _T1
        dst = _B1
    else:
        src = _T2
        dst = _B2
    v = qt[src]
    _unlink(prv, nxt, qh, qt, src, v)
    _push_head(prv, nxt, qh, qt, dst, v)
    loc[v] = dst
    used[src] -= osz[v]
    used[dst] += osz[v]


@njit(cache=True, fastmath=STRICT)
def _arc_drop_tail(prv, nxt, qh, qt, loc, osz, used, q):
    v = qt[q]
    _unlink(prv, nxt, qh, qt, q, v)
    used[q] -= osz[v]
    loc[v] = NONE


@njit(cache=True, fastmath=STRICT)
def arc(ids, sizes, n_obj, capacity):
    """ARC (Megiddo & Modha, FAST 2003): recency list T1 and frequency list T2 whose target
    split ``p`` adapts on hits in their ghost lists B1 and B2, as libCacheSim's ARC
    (real-valued ``p``; on a ghost hit the object leaves its ghost list and REPLACE runs only
    when the cache must make room)."""
    prv, nxt, qh, qt = _lists(n_obj, 4)
    loc = np.full(n_obj, NONE, np.int8)
    osz = np.zeros(n_obj, np.int64)
    used = np.zeros(4, np.int64)
    hit = np.zeros(ids.shape[0], np.uint8)
    p = 0.0
    for i in range(ids.shape[0]):
        x = ids[i]
        q = loc[x]
        if q == _T1 or q == _T2:
            hit[i] = 1
            _unlink(prv, nxt, qh, qt, q, x)
            _push_head(prv, nxt, qh, qt, _T2, x)
            loc[x] = _T2
            used[q] -= osz[x]
            used[_T2] += osz[x]
            continue
        if q == _B1:
            p = min(p + max(used[_B2] / used[_B1], 1.0), float(capacity))
        elif q == _B2:
            p = max(p - max(used[_B1] / used[_B2], 1.0), 0.0)
        ghost = q == _B1 or q == _B2
        if ghost:
            _unlink(prv, nxt, qh, qt, q, x)
            used[q] -= osz[x]
            loc[x] = NONE
        s = sizes[i]
        if s > capacity:
            continue
        while used[_T1] + used[_T2] + s > capacity:
            if ghost:
                _arc_replace(prv, nxt, qh, qt, loc, osz, used, p, q == _B2)
            elif used[_T1] + used[_B1] + s > capacity:  # case IV.A: T1 and B1 hold a full cache
                if used[_B1] > 0:
                    _arc_drop_tail(prv, nxt, qh, qt, loc, osz, used, _B1)
                    _arc_replace(prv, nxt, qh, qt, loc, osz, used, p, False)
                else:
                    _arc_drop_tail(prv, nxt, qh, qt, loc, osz, used, _T1)
            else:  # case IV.B
                if used[_T1] + used[_B1] + used[_T2] + used[_B2] >= 2 * capacity and used[_B2] > 0:
                    _arc_drop_tail(prv, nxt, qh, qt, loc, osz, used, _B2)
                _arc_replace(prv, nxt, qh, qt, loc, osz, used, p, False)
        target = _T2 if ghost else _T1
        _push_head(prv, nxt, qh, qt, target, x)
        loc[x] = target
        osz[x] = s
        used[target] += s
    return hit


# ---------------------------------------------------------------------------------------
# W-TinyLFU


_WIN, _PROB, _PROT = 0, 1, 2


@njit(cache=True, fastmath=STRICT)
def _cbf_index(a, b, i, m):
    """Double hashing ``(a + i*b) mod m`` in 32-bit unsigned arithmetic (numba would widen it)."""
    return ((np.uint64(a) + np.uint64(i) * np.uint64(b)) & np.uint64(0xFFFFFFFF)) % np.uint64(m)


@njit(cache=True, fastmath=STRICT)
def _cbf_estimate(bf, a, b, hashes):
    best = np.uint32(0xFFFFFFFF)
    for i in range(hashes):
        c = bf[_cbf_index(a, b, i, bf.shape[0])]
        if c < best:
            best = c
    return best


@njit(cache=True, fastmath=STRICT)
def _cbf_add(bf, a, b, hashes):
    for i in range(hashes):
        bf[_cbf_index(a, b, i, bf.shape[0])] += 1


@njit(cache=True, fastmath=STRICT)
def _slru_evict(prv, nxt, qh, qt, loc, osz, used):
    """Evict the tail of the lowest non-empty segment of the main SLRU."""
    q = _PROB if used[_PROB] > 0 else _PROT
    v = qt[q]
    _unlink(prv, nxt, qh, qt, q, v)
    used[q] -= osz[v]
    loc[v] = NONE


@njit(cache=True, fastmath=STRICT)
def _slru_insert(prv, nxt, qh, qt, loc, osz, used, seg_cap, main_cap, x):
    """Insert into the lowest segment with room (making room in the whole SLRU if none has)."""
    s = osz[x]
    if used[_PROB] + s <= seg_cap[0]:
        q = _PROB
    elif used[_PROT] + s <= seg_cap[1]:
        q = _PROT
    else:
        while used[_PROB] + used[_PROT] + s > main_cap:
            _slru_evict(prv, nxt, qh, qt, loc, osz, used)
        q = _PROB
    _push_head(prv, nxt, qh, qt, q, x)
    loc[x] = q
    used[q] += s


@njit(cache=True, fastmath=STRICT)
def wtinylfu(ids, sizes, n_obj, capacity, hash_a, hash_b, window_ratio):
    """W-TinyLFU (Einziger, Friedman & Manes, ACM ToS 2017), as libCacheSim's WTinyLFU.

    A window LRU (``window_ratio`` of the cache) admits every new object; its victims enter
    the main cache -- a segmented LRU, 20% probation and 80% protected -- only when their
    estimated frequency beats the main cache's victim. Frequencies come from a counting Bloom
    filter (10 hash functions, ~14.4 counters per main-cache entry, error 0.001) that is
    halved every 32 x main-size hits in the main cache. ``hash_a``/``hash_b`` are each
    object's two 32-bit XXH64 hashes (double hashing picks the counters).
    """
    win_cap = np.int64(capacity * window_ratio)
    main_cap = capacity - win_cap
    seg_cap = np.empty(2, np.int64)
    seg_cap[0] = np.int64(1.0 / 5.0 * main_cap)
    seg_cap[1] = np.int64(4.0 / 5.0 * main_cap)
    bpe = -np.log(0.001) / 0.480453013918201
    hashes = np.int64(np.ceil(0.693147180559945 * bpe))
    n_counters = max(np.int64(np.ceil(bpe * main_cap)), 2 * hashes)
    bf = np.zeros(n_counters, np.uint32)
    max_requests = 32 * main_cap
    counter = 0
    prv, nxt, qh, qt = _lists(n_obj, 3)
    loc = np.full(n_obj, NONE, np.int8)
    osz = np.zeros(n_obj, np.int64)
    used = np.zeros(3, np.int64)
    hit = np.zeros(ids.shape[0], np.uint8)
    for i in range(ids.shape[0]):
        x = ids[i]
        q = loc[x]
        if q == _WIN:
            hit[i] = 1
            _unlink(prv, nxt, qh, qt, _WIN, x)
            _push_head(prv, nxt, qh, qt, _WIN, x)
            continue
        if q == _PROB or q == _PROT:
            hit[i] = 1
            _unlink(prv, nxt, qh, qt, q, x)
            _push_head(prv, nxt, qh, qt, _PROT, x)
            loc[x] = _PROT
            used[q] -= osz[x]
            used[_PROT] += osz[x]
            # an overfull protected segment cools into probation; an overfull probation evicts
            while used[_PROT] > seg_cap[1]:
                v = qt[_PROT]
                _unlink(prv, nxt, qh, qt, _PROT, v)
                _push_head(prv, nxt, qh, qt, _PROB, v)
                loc[v] = _PROB
                used[_PROT] -= osz[v]
                used[_PROB] += osz[v]
                while used[_PROB] > seg_cap[0]:
                    _slru_evict(prv, nxt, qh, qt, loc, osz, used)
            _cbf_add(bf, hash_a[x], hash_b[x], hashes)
            counter += 1
            if counter >= max_requests:
                counter = 0
                for j in range(n_counters):
                    bf[j] >>= 1
            continue
        s = sizes[i]
        if s > capacity or s > win_cap or s > seg_cap[0]:
            continue
        while used[_WIN] + used[_PROB] + used[_PROT] + s > capacity:
            evicted = False
            while not evicted:
                if used[_WIN] > 0:
                    w = qt[_WIN]
                    if used[_PROB] + used[_PROT] + osz[w] <= main_cap:
                        _unlink(prv, nxt, qh, qt, _WIN, w)
                        used[_WIN] -= osz[w]
                        _slru_insert(prv, nxt, qh, qt, loc, osz, used, seg_cap, main_cap, w)
                    else:
                        m = qt[_PROB] if used[_PROB] > 0 else qt[_PROT]
                        if _cbf_estimate(bf, hash_a[w], hash_b[w], hashes) > _cbf_estimate(bf, hash_a[m], hash_b[m], hashes):
                            _slru_evict(prv, nxt, qh, qt, loc, osz, used)
                            _unlink(prv, nxt, qh, qt, _WIN, w)
                            used[_WIN] -= osz[w]
                            _slru_insert(prv, nxt, qh, qt, loc, osz, used, seg_cap, main_cap, w)
                        else:
                            _unlink(prv, nxt, qh, qt, _WIN, w)
                            used[_WIN] -= osz[w]
                            loc[w] = NONE
                        evicted = True
                    _cbf_add(bf, hash_a[w], hash_b[w], hashes)
                else:
                    _slru_evict(prv, nxt, qh, qt, loc, osz, used)
                    evicted = True
        osz[x] = s
        _push_head(prv, nxt, qh, qt, _WIN, x)
        loc[x] = _WIN
        used[_WIN] += s
        _cbf_add(bf, hash_a[x], hash_b[x], hashes)
    return hit


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


@njit(cache=True, fastmath=STRICT)
def assign_latency_aware(cand, rtt, rate, cap, service_ms, order):
    """Greedy assignment: each client (in ``order``) takes the candidate PoP with the lowest
    RTT plus M/M/1 sojourn time ``service_ms / (1 - rho)`` at the load placed so far."""
    n, k = cand.shape
    load = np.zeros(cap.shape[0])
    choice = np.empty(n, np.int64)
    latency = np.empty(n)
    for t in range(n):
        i = order[t]
        best = -1
        best_t = np.inf
        for j in range(k):
            p = cand[i, j]
            rho = (load[p] + rate[i]) / cap[p]
            if rho >= 1.0:
                continue
            tt = rtt[i, j] + service_ms / (1.0 - rho)
            if tt < best_t:
                best_t = tt
                best = j
        if best < 0:  # every candidate is saturated: take the least loaded relative to capacity
            best = 0
            for j in range(1, k):
                if load[cand[i, j]] / cap[cand[i, j]] < load[cand[i, best]] / cap[cand[i, best]]:
                    best = j
            best_t = np.inf
        p = cand[i, best]
        load[p] += rate[i]
        choice[i] = p
        latency[i] = best_t
    return choice, latency, load


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
