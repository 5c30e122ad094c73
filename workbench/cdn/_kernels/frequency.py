"""Frequency-based policies: LFU (FIFO among ties) and W-TinyLFU with its counting Bloom filter."""

from __future__ import annotations

import numpy as np
from numba import njit

from ..._config import STRICT
from .structures import (
    NONE,
    _implicit_oldest,
    _lazy_push,
    _lists,
    _max_objects,
    _push_head,
    _ring,
    _ring_live,
    _ring_pop,
    _unlink,
)


@njit(cache=True, fastmath=STRICT)
def lfu(ids, sizes, n_obj, capacity):
    """Least frequently used (in-cache counts; an evicted object starts again at 1).

    One FIFO list per frequency: ties go to the object that reached that count first.
    """
    n = ids.shape[0]
    unit = sizes.shape[0] == 0
    prv, nxt, qh, qt = _lists(n_obj, n + 2)
    freq = np.zeros(n_obj, np.int64)  # 0 = not cached
    osz = np.zeros(0 if unit else n_obj, np.int64)
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
        s = 1 if unit else sizes[i]
        if s > capacity:
            continue
        while used + s > capacity:
            v = qt[min_f]
            _unlink(prv, nxt, qh, qt, min_f, v)
            freq[v] = 0
            used -= 1 if unit else osz[v]
            if qh[min_f] < 0:  # that count is empty: find the next one up
                g = min_f + 1
                while g <= max_f and qh[g] < 0:
                    g += 1
                min_f = g
        _push_head(prv, nxt, qh, qt, 1, x)
        freq[x] = 1
        min_f = 1
        if not unit:
            osz[x] = s
        used += s
    return hit


# ---------------------------------------------------------------------------------------
# W-TinyLFU


_WIN, _PROB, _PROT = 0, 1, 2


@njit(cache=True, fastmath=STRICT, inline="always")
def _cbf_index(a, b, i, m, inv):
    """Double hashing ``(a + i*b) mod m`` in 32-bit unsigned arithmetic.

    The remainder uses a float64 reciprocal (``v`` < 2**32, so the quotient is off by at
    most one and one correction step makes it exact): a hardware divide per counter was the
    kernel's bottleneck.
    """
    v = np.int64((np.uint64(a) + np.uint64(i) * np.uint64(b)) & np.uint64(0xFFFFFFFF))
    r = v - np.int64(v * inv) * m
    if r < 0:
        r += m
    elif r >= m:
        r -= m
    return r


@njit(cache=True, fastmath=STRICT, inline="always")
def _cbf_estimate(bf, a, b, hashes, inv):
    best = np.uint32(0xFFFFFFFF)
    m = bf.shape[0]
    for i in range(hashes):
        c = bf[_cbf_index(a, b, i, m, inv)]
        if c < best:
            best = c
    return best


@njit(cache=True, fastmath=STRICT, inline="always")
def _cbf_add(bf, a, b, hashes, inv):
    m = bf.shape[0]
    for i in range(hashes):
        bf[_cbf_index(a, b, i, m, inv)] += 1


@njit(cache=True, fastmath=STRICT)
def wtinylfu(ids, sizes, n_obj, capacity, hash_a, hash_b, window_ratio, mean_size):
    """W-TinyLFU (Einziger, Friedman & Manes, ACM ToS 2017), as libCacheSim's WTinyLFU.

    A window LRU (``window_ratio`` of the cache) admits every new object; its victims enter
    the main cache -- a segmented LRU, 20% probation and 80% protected -- only when their
    estimated frequency beats the main cache's victim. Frequencies come from a counting Bloom
    filter (10 hash functions, ~14.4 counters per main-cache entry, error 0.001) that is
    halved every 32 x main-size hits in the main cache. ``hash_a``/``hash_b`` are each
    object's two 32-bit XXH64 hashes (double hashing picks the counters).
    The filter and its sample are sized in objects, as the paper sizes them: for sized traces
    the main cache's bytes over ``mean_size`` (libCacheSim sizes them per byte of cache, which
    needs gigabytes of counters for a cache of a few hundred megabytes).
    The window is an implicit queue; the two segments are lazily deleted rings.
    """
    n = ids.shape[0]
    unit = sizes.shape[0] == 0
    win_cap = np.int64(capacity * window_ratio)
    main_cap = capacity - win_cap
    seg0 = np.int64(1.0 / 5.0 * main_cap)
    seg1 = np.int64(4.0 / 5.0 * main_cap)
    bpe = -np.log(0.001) / 0.480453013918201
    hashes = np.int64(np.ceil(0.693147180559945 * bpe))
    main_entries = main_cap if unit else max(np.int64(1), min(np.int64(n_obj), np.int64(main_cap / mean_size)))
    n_counters = max(np.int64(np.ceil(bpe * main_entries)), 2 * hashes)
    bf = np.zeros(n_counters, np.uint32)
    inv = 1.0 / n_counters
    max_requests = 32 * main_entries
    counter = 0
    loc = np.full(n_obj, NONE, np.int8)
    stamp = np.zeros(n_obj, np.int32)
    osz = np.zeros(0 if unit else n_obj, np.int64)
    most = 2 * _max_objects(n_obj, capacity) + 2
    pb_obj, pb_st, pb_state = _ring(most)
    pt_obj, pt_st, pt_state = _ring(most)
    used = np.zeros(3, np.int64)
    w_tail = 0
    hit = np.zeros(n, np.uint8)
    for i in range(n):
        x = ids[i]
        q = loc[x]
        if q == _WIN:
            hit[i] = 1
            stamp[x] = i
            continue
        if q == _PROB or q == _PROT:
            hit[i] = 1
            sx = 1 if unit else osz[x]
            used[q] -= sx
            used[_PROT] += sx
            loc[x] = _PROT
            _lazy_push(pt_obj, pt_st, pt_state, loc, stamp, _PROT, x)
            # an overfull protected segment cools into probation; an overfull probation evicts
            while used[_PROT] > seg1:
                v = _ring_live(pt_obj, pt_st, pt_state, loc, stamp, _PROT)
                _ring_pop(pt_obj, pt_state)
                sv = 1 if unit else osz[v]
                used[_PROT] -= sv
                used[_PROB] += sv
                loc[v] = _PROB
                _lazy_push(pb_obj, pb_st, pb_state, loc, stamp, _PROB, v)
                while used[_PROB] > seg0:
                    g = _ring_live(pb_obj, pb_st, pb_state, loc, stamp, _PROB)
                    _ring_pop(pb_obj, pb_state)
                    loc[g] = NONE
                    used[_PROB] -= 1 if unit else osz[g]
            _cbf_add(bf, hash_a[x], hash_b[x], hashes, inv)
            counter += 1
            if counter >= max_requests:
                counter = 0
                for j in range(n_counters):
                    bf[j] >>= 1
            continue
        s = 1 if unit else sizes[i]
        if s > capacity or s > win_cap or s > seg0:
            continue
        while used[_WIN] + used[_PROB] + used[_PROT] + s > capacity:
            evicted = False
            while not evicted:
                if used[_WIN] > 0:
                    j = _implicit_oldest(ids, loc, stamp, _WIN, w_tail)
                    w = ids[j]
                    sw = 1 if unit else osz[w]
                    admit = used[_PROB] + used[_PROT] + sw <= main_cap
                    if not admit:
                        m = (
                            _ring_live(pb_obj, pb_st, pb_state, loc, stamp, _PROB)
                            if used[_PROB] > 0
                            else _ring_live(pt_obj, pt_st, pt_state, loc, stamp, _PROT)
                        )
                        if _cbf_estimate(bf, hash_a[w], hash_b[w], hashes, inv) > _cbf_estimate(
                            bf, hash_a[m], hash_b[m], hashes, inv
                        ):
                            # evict the main victim, then the window victim moves in
                            if used[_PROB] > 0:
                                _ring_pop(pb_obj, pb_state)
                                used[_PROB] -= 1 if unit else osz[m]
                            else:
                                _ring_pop(pt_obj, pt_state)
                                used[_PROT] -= 1 if unit else osz[m]
                            loc[m] = NONE
                            admit = True
                        evicted = True
                    w_tail = j + 1
                    used[_WIN] -= sw
                    loc[w] = NONE
                    if admit:  # SLRU insert: the lowest segment with room, else make room
                        if used[_PROB] + sw <= seg0:
                            seg = _PROB
                        elif used[_PROT] + sw <= seg1:
                            seg = _PROT
                        else:
                            while used[_PROB] + used[_PROT] + sw > main_cap:
                                if used[_PROB] > 0:
                                    g = _ring_live(pb_obj, pb_st, pb_state, loc, stamp, _PROB)
                                    _ring_pop(pb_obj, pb_state)
                                    used[_PROB] -= 1 if unit else osz[g]
                                else:
                                    g = _ring_live(pt_obj, pt_st, pt_state, loc, stamp, _PROT)
                                    _ring_pop(pt_obj, pt_state)
                                    used[_PROT] -= 1 if unit else osz[g]
                                loc[g] = NONE
                            seg = _PROB
                        loc[w] = seg
                        used[seg] += sw
                        if seg == _PROB:
                            _lazy_push(pb_obj, pb_st, pb_state, loc, stamp, _PROB, w)
                        else:
                            _lazy_push(pt_obj, pt_st, pt_state, loc, stamp, _PROT, w)
                    _cbf_add(bf, hash_a[w], hash_b[w], hashes, inv)
                else:
                    if used[_PROB] > 0:
                        g = _ring_live(pb_obj, pb_st, pb_state, loc, stamp, _PROB)
                        _ring_pop(pb_obj, pb_state)
                        used[_PROB] -= 1 if unit else osz[g]
                    else:
                        g = _ring_live(pt_obj, pt_st, pt_state, loc, stamp, _PROT)
                        _ring_pop(pt_obj, pt_state)
                        used[_PROT] -= 1 if unit else osz[g]
                    loc[g] = NONE
                    evicted = True
        if not unit:
            osz[x] = s
        loc[x] = _WIN
        stamp[x] = i
        used[_WIN] += s
        _cbf_add(bf, hash_a[x], hash_b[x], hashes, inv)
    return hit
