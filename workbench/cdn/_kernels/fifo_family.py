"""FIFO-based policies: FIFO, CLOCK (n-bit), SIEVE and S3-FIFO, as libCacheSim implements them."""

from __future__ import annotations

import numpy as np
from numba import njit

from ..._config import STRICT
from .structures import NONE, _max_objects, _ring, _ring_pop, _ring_push, _scaled


@njit(cache=True, fastmath=STRICT)
def fifo(ids, sizes, n_obj, capacity):
    """First in, first out: hits change nothing (a ring of cached objects and a 1-byte flag each)."""
    n = ids.shape[0]
    unit = sizes.shape[0] == 0
    inc = np.zeros(n_obj, np.bool_)
    osz = np.zeros(0 if unit else n_obj, np.int64)
    r_obj, r_st, r_state = _ring(_max_objects(n_obj, capacity))
    no_stamps = np.empty(0, np.int32)
    hit = np.zeros(n, np.uint8)
    used = 0
    for i in range(n):
        x = ids[i]
        if inc[x]:
            hit[i] = 1
            continue
        s = 1 if unit else sizes[i]
        if s > capacity:
            continue
        while used + s > capacity:
            v = _ring_pop(r_obj, r_state)
            inc[v] = False
            used -= 1 if unit else osz[v]
        _ring_push(r_obj, r_st, r_state, x, no_stamps)
        inc[x] = True
        if not unit:
            osz[x] = s
        used += s
    return hit


@njit(cache=True, fastmath=STRICT)
def clock(ids, sizes, n_obj, capacity, max_freq):
    """CLOCK (second chance) with an n-bit counter saturating at ``max_freq``.

    A hit increments the counter; eviction looks at the oldest object and, while its
    counter is positive, decrements it and moves it to the head (a ring: the hand).
    """
    n = ids.shape[0]
    unit = sizes.shape[0] == 0
    inc = np.zeros(n_obj, np.bool_)
    freq = np.zeros(n_obj, np.int32)
    osz = np.zeros(0 if unit else n_obj, np.int64)
    r_obj, r_st, r_state = _ring(_max_objects(n_obj, capacity))
    no_stamps = np.empty(0, np.int32)
    hit = np.zeros(n, np.uint8)
    used = 0
    for i in range(n):
        x = ids[i]
        if inc[x]:
            hit[i] = 1
            if freq[x] < max_freq:
                freq[x] += 1
            continue
        s = 1 if unit else sizes[i]
        if s > capacity:
            continue
        while used + s > capacity:
            v = _ring_pop(r_obj, r_state)
            while freq[v] >= 1:
                freq[v] -= 1
                _ring_push(r_obj, r_st, r_state, v, no_stamps)
                v = _ring_pop(r_obj, r_state)
            inc[v] = False
            used -= 1 if unit else osz[v]
        _ring_push(r_obj, r_st, r_state, x, no_stamps)
        inc[x] = True
        freq[x] = 0
        if not unit:
            osz[x] = s
        used += s
    return hit


@njit(cache=True, fastmath=STRICT)
def _sieve_first(arr, j, end):
    """First live slot at or after ``j`` (``end`` if none)."""
    while j < end and arr[j] < 0:
        j += 1
    return j


@njit(cache=True, fastmath=STRICT)
def sieve(ids, sizes, n_obj, capacity):
    """SIEVE (Zhang et al., NSDI 2024): FIFO order, a visited bit and a hand that keeps
    its place between evictions, moving from old to new and wrapping around.

    Objects sit in an array in insertion order; evictions leave holes, and the array is
    compacted (order kept) when new objects reach its end.
    """
    n = ids.shape[0]
    unit = sizes.shape[0] == 0
    slots = 2 * _max_objects(n_obj, capacity) + 2
    arr = np.full(slots, NONE, np.int32)
    inc = np.zeros(n_obj, np.bool_)
    visited = np.zeros(n_obj, np.bool_)
    osz = np.zeros(0 if unit else n_obj, np.int64)
    hit = np.zeros(n, np.uint8)
    used = 0
    start = 0  # every slot before start is a hole
    end = 0  # next free slot
    hand = NONE  # slot the next eviction starts from (NONE: the oldest object)
    for i in range(n):
        x = ids[i]
        if inc[x]:
            hit[i] = 1
            visited[x] = True
            continue
        s = 1 if unit else sizes[i]
        if s > capacity:
            continue
        while used + s > capacity:
            start = _sieve_first(arr, start, end)
            j = hand if hand >= 0 else start
            while visited[arr[j]]:
                visited[arr[j]] = False
                j = _sieve_first(arr, j + 1, end)
                if j == end:
                    j = _sieve_first(arr, start, end)
            v = arr[j]
            arr[j] = NONE
            inc[v] = False
            used -= 1 if unit else osz[v]
            nxt_live = _sieve_first(arr, j + 1, end)
            hand = nxt_live if nxt_live < end else NONE
        if end == slots:  # compact: keep order, move the hand with its object
            k = 0
            new_hand = NONE
            for j in range(start, end):
                if arr[j] >= 0:
                    if j == hand:
                        new_hand = k
                    arr[k] = arr[j]
                    k += 1
            arr[k:end] = NONE
            start = 0
            end = k
            hand = new_hand
        arr[end] = x
        end += 1
        inc[x] = True
        visited[x] = False
        if not unit:
            osz[x] = s
        used += s
    return hit


@njit(cache=True, fastmath=STRICT)
def _s3_ghost_pop(g_obj, g_st, g_state, meta, gstamp):
    """Pop the oldest live entry of S3-FIFO's ghost ring (dead entries are skipped)."""
    n = g_obj.shape[0]
    while True:
        i = g_state[0]
        g = g_obj[i]
        live = (meta[g] & 3) == 3 and gstamp[g] == g_st[i]
        g_state[0] = 0 if i + 1 == n else i + 1
        g_state[1] -= 1
        if live:
            return g


@njit(cache=True, fastmath=STRICT)
def _s3_ghost_compact(g_obj, g_st, g_state, meta, gstamp):
    """Keep only the live ghost entries, in order, from slot 0."""
    n = g_obj.shape[0]
    tmp_o = np.empty(g_state[1], np.int32)
    tmp_s = np.empty(g_state[1], np.int32)
    k = 0
    for j in range(g_state[1]):
        i = (g_state[0] + j) % n
        y = g_obj[i]
        if (meta[y] & 3) == 3 and gstamp[y] == g_st[i]:
            tmp_o[k] = y
            tmp_s[k] = g_st[i]
            k += 1
    g_obj[:k] = tmp_o[:k]
    g_st[:k] = tmp_s[:k]
    g_state[0] = 0
    g_state[1] = k


@njit(cache=True, fastmath=STRICT)
def s3fifo(ids, sizes, n_obj, capacity, small_ratio, ghost_ratio, move_threshold):
    """S3-FIFO (Yang et al., SOSP 2023), libCacheSim's current variant.

    A small FIFO (``small_ratio`` of the cache) admits new objects; those hit at least
    ``move_threshold`` times while there move to the main FIFO, the others leave a
    ghost entry (a FIFO of ids sized ``ghost_ratio`` of the cache). A miss on a ghost
    entry goes straight to main. Main reinserts objects with a 2-bit counter. Before the
    first eviction, new objects overflow from a full small FIFO into main.

    Each object's state is one byte: where it is (bits 0-1: 0 nowhere, 1 small, 2 main,
    3 ghost) and its hit counter (bits 2-7, saturating at 63; thresholds are <= 63). The
    small and main FIFOs are rings indexed by local variables (kept in registers).
    """
    n = ids.shape[0]
    unit = sizes.shape[0] == 0
    small_cap = np.int64(capacity * small_ratio)
    main_cap = capacity - small_cap
    ghost_cap = _scaled(capacity, ghost_ratio)
    most = _max_objects(n_obj, capacity)
    s_ring = np.empty(most, np.int32)
    m_ring = np.empty(most, np.int32)
    s_tail = 0
    s_count = 0
    m_tail = 0
    m_count = 0
    g_obj, g_st, g_state = _ring(2 * _max_objects(n_obj, ghost_cap) + 2)
    g_n = g_obj.shape[0]
    gstamp = np.zeros(n_obj, np.int32)
    meta = np.zeros(n_obj, np.uint8)
    osz = np.zeros(0 if unit else n_obj, np.int64)
    used_s = 0
    used_m = 0
    used_g = 0
    hit = np.zeros(n, np.uint8)
    has_evicted = False
    for i in range(n):
        x = ids[i]
        mx = np.int64(meta[x])
        where = mx & 3
        if where == 1 or where == 2:
            hit[i] = 1
            if mx < 252:
                meta[x] = np.uint8(mx + 4)
            continue
        on_ghost = where == 3
        if on_ghost:  # lazily deleted from the ghost ring
            meta[x] = 0
            used_g -= 1 if unit else osz[x]
        s = 1 if unit else sizes[i]
        if s > small_cap:  # libCacheSim admits nothing larger than the small FIFO
            continue
        while used_s + used_m + s > capacity:
            has_evicted = True
            if used_m > main_cap or used_s == 0:
                # main: reinsert objects with a positive counter (decremented), evict the first without
                while used_m > 0:
                    v = m_ring[m_tail]
                    m_tail += 1
                    if m_tail == most:
                        m_tail = 0
                    f = np.int64(meta[v]) >> 2
                    if f >= 1:
                        meta[v] = np.uint8(2 | ((min(f, 3) - 1) << 2))
                        j = m_tail + m_count - 1
                        if j >= most:
                            j -= most
                        m_ring[j] = v
                    else:
                        m_count -= 1
                        used_m -= 1 if unit else osz[v]
                        meta[v] = 0
                        break
            else:
                # small: promote objects hit often enough, evict the first other one to the ghost
                while used_s > 0:
                    v = s_ring[s_tail]
                    s_tail += 1
                    if s_tail == most:
                        s_tail = 0
                    s_count -= 1
                    sv = 1 if unit else osz[v]
                    used_s -= sv
                    if (np.int64(meta[v]) >> 2) >= move_threshold:
                        meta[v] = 2
                        j = m_tail + m_count
                        if j >= most:
                            j -= most
                        m_ring[j] = v
                        m_count += 1
                        used_m += sv
                    else:
                        meta[v] = 0
                        if sv <= ghost_cap:
                            while used_g + sv > ghost_cap:  # drop the oldest live ghost entry
                                g = _s3_ghost_pop(g_obj, g_st, g_state, meta, gstamp)
                                meta[g] = 0
                                used_g -= 1 if unit else osz[g]
                            if g_state[1] == g_n:
                                _s3_ghost_compact(g_obj, g_st, g_state, meta, gstamp)
                            _ring_push(g_obj, g_st, g_state, v, gstamp)
                            meta[v] = 3
                            used_g += sv
                        break
        if not on_ghost and s >= small_cap:  # as libCacheSim: room was made, but the object is not admitted
            continue
        if on_ghost or (not has_evicted and used_s >= small_cap):
            j = m_tail + m_count
            if j >= most:
                j -= most
            m_ring[j] = x
            m_count += 1
            meta[x] = 2
            used_m += s
        else:
            j = s_tail + s_count
            if j >= most:
                j -= most
            s_ring[j] = x
            s_count += 1
            meta[x] = 1
            used_s += s
        if not unit:
            osz[x] = s
    return hit
