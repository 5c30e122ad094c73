"""Cache replacement kernels over dense integer request arrays (no validation here).

Every policy kernel has the same shape::

    policy(ids, sizes, n_obj, capacity, ...) -> hit   (uint8 per request, 1 = hit)

``ids`` are dense object ids ``0..n_obj-1`` (int32, see :func:`densify`), ``sizes`` the
object size of each request (int64), or an empty array for unit-size objects, and
``capacity`` the cache size in the same unit. A request whose object is larger than the
cache is a miss and is not admitted. Objects keep the size they had when admitted.
Request indices are stored in int32/int64 stamps: traces up to 2**31 - 1 requests.

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


# ---------------------------------------------------------------------------------------
# shared pieces
#
# Unit-size mode: ``sizes`` is an empty array and every object counts 1.
#
# Implicit queues. When an object can only enter a list as the object of the current request
# ``i`` (FIFO, LRU, ARC's T1/T2, 2Q's A1in/Am, W-TinyLFU's window), the list needs no storage of
# its own: the request array *is* the queue. The object stores the index of the request that
# placed it (``stamp[x] = i``, refreshed on a hit for LRU-like lists); request ``j`` is a live
# entry of list ``L`` iff ``loc[ids[j]] == L and stamp[ids[j]] == j``. The oldest live entry
# is found by moving a per-list tail pointer forward over the requests. Every request is passed
# at most once per list, so eviction is amortised O(1), and a hit costs one read and one write.
#
# Rings. Lists that receive objects at other times (ghost lists, reinsertion, segments) use a
# circular array of object ids. Rings whose objects may leave from the middle carry a stamp per
# entry (lazy deletion) and are compacted in place when full.


@njit(cache=True, fastmath=STRICT)
def _ring(n):
    """A ring of ``n`` slots: (objects, entry stamps, state = [tail, count, next stamp])."""
    return np.empty(max(n, 1), np.int32), np.empty(max(n, 1), np.int32), np.zeros(3, np.int64)


@njit(cache=True, fastmath=STRICT)
def _ring_push(obj, st, state, x, stamp_of):
    """Append ``x`` at the head; stamps it (``stamp_of[x]``) for lazy deletion if given."""
    n = obj.shape[0]
    i = state[0] + state[1]
    if i >= n:
        i -= n
    obj[i] = x
    st[i] = state[2]
    if stamp_of.shape[0] > 0:
        stamp_of[x] = state[2]
    state[2] += 1
    state[1] += 1


@njit(cache=True, fastmath=STRICT)
def _ring_pop(obj, state):
    """Remove and return the entry at the tail (no liveness check)."""
    t = state[0]
    x = obj[t]
    t += 1
    state[0] = 0 if t == obj.shape[0] else t
    state[1] -= 1
    return x


@njit(cache=True, fastmath=STRICT)
def _ring_live(obj, st, state, loc, stamp_of, which):
    """Drop dead entries at the tail; return the live object there (-1 if the ring is empty)."""
    n = obj.shape[0]
    while state[1] > 0:
        x = obj[state[0]]
        if loc[x] == which and stamp_of[x] == st[state[0]]:
            return x
        t = state[0] + 1
        state[0] = 0 if t == n else t
        state[1] -= 1
    return NONE


@njit(cache=True, fastmath=STRICT)
def _ring_compact(obj, st, state, loc, stamp_of, which):
    """Keep only live entries, in order, starting at slot 0."""
    n = obj.shape[0]
    k = 0
    tmp_o = np.empty(state[1], np.int32)
    tmp_s = np.empty(state[1], np.int32)
    for j in range(state[1]):
        i = (state[0] + j) % n
        x = obj[i]
        if loc[x] == which and stamp_of[x] == st[i]:
            tmp_o[k] = x
            tmp_s[k] = st[i]
            k += 1
    obj[:k] = tmp_o[:k]
    st[:k] = tmp_s[:k]
    state[0] = 0
    state[1] = k


@njit(cache=True, fastmath=STRICT)
def _lazy_push(obj, st, state, loc, stamp_of, which, x):
    """Push onto a lazily-deleted ring, compacting it first when it is full."""
    if state[1] == obj.shape[0]:
        _ring_compact(obj, st, state, loc, stamp_of, which)
    _ring_push(obj, st, state, x, stamp_of)


@njit(cache=True, fastmath=STRICT)
def _scaled(capacity, ratio):
    """``capacity * ratio`` as an int64, saturating at 2**62 (no float-to-int overflow)."""
    v = capacity * ratio
    return np.int64(v) if v < 4.0e18 else np.int64(2**62)


@njit(cache=True, fastmath=STRICT)
def _max_objects(n_obj, capacity):
    return min(n_obj, capacity) + 1


# ---------------------------------------------------------------------------------------
# linked lists (LFU's frequency buckets)


@njit(cache=True, fastmath=STRICT, inline="always")
def _push_head(prv, nxt, qh, qt, q, x):
    h = qh[q]
    nxt[x] = h
    prv[x] = NONE
    if h >= 0:
        prv[h] = x
    else:
        qt[q] = x
    qh[q] = x


@njit(cache=True, fastmath=STRICT, inline="always")
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
    return (
        np.full(n_obj, NONE, np.int32),
        np.full(n_obj, NONE, np.int32),
        np.full(n_queues, NONE, np.int32),
        np.full(n_queues, NONE, np.int32),
    )


# ---------------------------------------------------------------------------------------
# queue policies


@njit(cache=True, fastmath=STRICT)
def lru(ids, sizes, n_obj, capacity):
    """Least recently used over an implicit queue (``stamp[x] >= 0`` = cached): a hit makes the
    object the newest by stamping it with the request index."""
    n = ids.shape[0]
    unit = sizes.shape[0] == 0
    stamp = np.full(n_obj, NONE, np.int32)
    osz = np.zeros(0 if unit else n_obj, np.int64)
    hit = np.zeros(n, np.uint8)
    used = 0
    tail = 0
    for i in range(n):
        x = ids[i]
        if stamp[x] >= 0:
            hit[i] = 1
            stamp[x] = i
            continue
        s = 1 if unit else sizes[i]
        if s > capacity:
            continue
        while used + s > capacity:
            while stamp[ids[tail]] != tail:
                tail += 1
            v = ids[tail]
            stamp[v] = NONE
            used -= 1 if unit else osz[v]
            tail += 1
        stamp[x] = i
        if not unit:
            osz[x] = s
        used += s
    return hit


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


_AIN, _AM, _AOUT = 0, 1, 2


@njit(cache=True, fastmath=STRICT)
def _implicit_oldest(ids, loc, stamp, which, tail):
    """Index of the oldest live request entry of implicit list ``which`` at or after ``tail``."""
    while not (loc[ids[tail]] == which and stamp[ids[tail]] == tail):
        tail += 1
    return tail


@njit(cache=True, fastmath=STRICT)
def _tag(where, stamp):
    return (np.int64(where) << 32) | np.int64(stamp)


@njit(cache=True, fastmath=STRICT)
def _tag_ring_pop_live(obj, st, state, tag, which):
    """Pop the oldest live entry of a tag-checked ring (dead entries are skipped)."""
    n = obj.shape[0]
    while True:
        i = state[0]
        g = obj[i]
        live = tag[g] == _tag(which, st[i])
        state[0] = 0 if i + 1 == n else i + 1
        state[1] -= 1
        if live:
            return g


@njit(cache=True, fastmath=STRICT)
def _tag_ring_push(obj, st, state, tag, which, x):
    """Push onto a tag-checked ring (compacting it first when full); sets ``tag[x]``."""
    n = obj.shape[0]
    if state[1] == n:
        tmp_o = np.empty(state[1], np.int32)
        tmp_s = np.empty(state[1], np.int32)
        k = 0
        for j in range(state[1]):
            i = (state[0] + j) % n
            y = obj[i]
            if tag[y] == _tag(which, st[i]):
                tmp_o[k] = y
                tmp_s[k] = st[i]
                k += 1
        obj[:k] = tmp_o[:k]
        st[:k] = tmp_s[:k]
        state[0] = 0
        state[1] = k
    i = state[0] + state[1]
    if i >= n:
        i -= n
    obj[i] = x
    st[i] = state[2]
    tag[x] = _tag(which, state[2])
    state[2] += 1
    state[1] += 1


@njit(cache=True, fastmath=STRICT)
def twoq(ids, sizes, n_obj, capacity, in_ratio, out_ratio):
    """2Q (Johnson & Shasha, VLDB 1994), as libCacheSim's TwoQ.

    New objects enter the FIFO A1in (``in_ratio`` of the cache); its evictions leave ids in
    the ghost FIFO A1out (``out_ratio`` of the cache). A miss found in A1out enters Am, an
    LRU holding the rest of the cache. Hits in A1in change nothing.

    Each object has one int64 tag, ``where << 32 | stamp``: A1in and Am are implicit queues
    (stamp = the request that placed or last hit the object), A1out a ring with lazy deletion.
    """
    n = ids.shape[0]
    unit = sizes.shape[0] == 0
    in_cap = np.int64(capacity * in_ratio)
    out_cap = _scaled(capacity, out_ratio)
    am_cap = capacity - in_cap
    nowhere = _tag(3, 0)
    tag = np.full(n_obj, nowhere, np.int64)
    osz = np.zeros(0 if unit else n_obj, np.int64)
    g_obj, g_st, g_state = _ring(2 * _max_objects(n_obj, out_cap) + 2)
    used_in = 0
    used_am = 0
    used_out = 0
    tail_in = 0
    tail_am = 0
    hit = np.zeros(n, np.uint8)
    for i in range(n):
        x = ids[i]
        where = tag[x] >> 32
        if where == _AIN:
            hit[i] = 1
            continue
        if where == _AM:
            hit[i] = 1
            tag[x] = _tag(_AM, i)
            continue
        on_ghost = where == _AOUT
        if on_ghost:
            tag[x] = nowhere
            used_out -= 1 if unit else osz[x]
        s = 1 if unit else sizes[i]
        if s > in_cap:
            continue
        while used_in + used_am + s > capacity:
            if used_in > in_cap:
                while tag[ids[tail_in]] != _tag(_AIN, tail_in):
                    tail_in += 1
                v = ids[tail_in]
                tail_in += 1
                sv = 1 if unit else osz[v]
                used_in -= sv
                tag[v] = nowhere
                if sv <= out_cap:  # into the ghost FIFO, dropping its oldest entries
                    while used_out + sv > out_cap:
                        g = _tag_ring_pop_live(g_obj, g_st, g_state, tag, _AOUT)
                        tag[g] = nowhere
                        used_out -= 1 if unit else osz[g]
                    _tag_ring_push(g_obj, g_st, g_state, tag, _AOUT, v)
                    used_out += sv
            else:
                while tag[ids[tail_am]] != _tag(_AM, tail_am):
                    tail_am += 1
                v = ids[tail_am]
                tail_am += 1
                tag[v] = nowhere
                used_am -= 1 if unit else osz[v]
        if not unit:
            osz[x] = s
        if on_ghost:  # Am is an LRU with its own size: it may evict once more
            if s <= am_cap:
                while used_am + s > am_cap:
                    while tag[ids[tail_am]] != _tag(_AM, tail_am):
                        tail_am += 1
                    v = ids[tail_am]
                    tail_am += 1
                    tag[v] = nowhere
                    used_am -= 1 if unit else osz[v]
                tag[x] = _tag(_AM, i)
                used_am += s
        else:
            tag[x] = _tag(_AIN, i)
            used_in += s
    return hit


_T1, _T2, _B1, _B2 = 0, 1, 2, 3


@njit(cache=True, fastmath=STRICT)
def arc(ids, sizes, n_obj, capacity):
    """ARC (Megiddo & Modha, FAST 2003): recency list T1 and frequency list T2 whose target
    split ``p`` adapts on hits in their ghost lists B1 and B2, as libCacheSim's ARC
    (real-valued ``p``; on a ghost hit the object leaves its ghost list and REPLACE runs only
    when the cache must make room). T1 and T2 are implicit queues, B1 and B2 rings."""
    n = ids.shape[0]
    unit = sizes.shape[0] == 0
    loc = np.full(n_obj, NONE, np.int8)
    stamp = np.zeros(n_obj, np.int32)
    osz = np.zeros(0 if unit else n_obj, np.int64)
    most = 2 * _max_objects(n_obj, capacity) + 2
    b1_obj, b1_st, b1_state = _ring(most)
    b2_obj, b2_st, b2_state = _ring(most)
    used = np.zeros(4, np.int64)
    tails = np.zeros(2, np.int64)
    hit = np.zeros(n, np.uint8)
    p = 0.0
    for i in range(n):
        x = ids[i]
        q = loc[x]
        if q == _T1 or q == _T2:
            hit[i] = 1
            if q == _T1:
                sx = 1 if unit else osz[x]
                used[_T1] -= sx
                used[_T2] += sx
                loc[x] = _T2
            stamp[x] = i
            continue
        if q == _B1:
            p = min(p + max(used[_B2] / used[_B1], 1.0), float(capacity))
        elif q == _B2:
            p = max(p - max(used[_B1] / used[_B2], 1.0), 0.0)
        ghost = q == _B1 or q == _B2
        if ghost:
            loc[x] = NONE
            used[q] -= 1 if unit else osz[x]
        s = 1 if unit else sizes[i]
        if s > capacity:
            continue
        while used[_T1] + used[_T2] + s > capacity:
            replace = True
            in_b2 = q == _B2
            if not ghost:
                if used[_T1] + used[_B1] + s > capacity:  # case IV.A: T1 and B1 hold a full cache
                    if used[_B1] > 0:
                        g = _ring_live(b1_obj, b1_st, b1_state, loc, stamp, _B1)
                        _ring_pop(b1_obj, b1_state)
                        loc[g] = NONE
                        used[_B1] -= 1 if unit else osz[g]
                    else:
                        j = _implicit_oldest(ids, loc, stamp, _T1, tails[_T1])
                        tails[_T1] = j + 1
                        v = ids[j]
                        loc[v] = NONE
                        used[_T1] -= 1 if unit else osz[v]
                        replace = False
                elif used[_T1] + used[_B1] + used[_T2] + used[_B2] >= 2 * capacity and used[_B2] > 0:
                    g = _ring_live(b2_obj, b2_st, b2_state, loc, stamp, _B2)
                    _ring_pop(b2_obj, b2_state)
                    loc[g] = NONE
                    used[_B2] -= 1 if unit else osz[g]
                in_b2 = False
            if replace:  # REPLACE: demote the LRU object of T1 or T2 to its ghost list
                t1 = used[_T1]
                src = _T1 if (t1 > 0 and (t1 > p or (t1 == p and in_b2))) or used[_T2] == 0 else _T2
                j = _implicit_oldest(ids, loc, stamp, src, tails[src])
                tails[src] = j + 1
                v = ids[j]
                sv = 1 if unit else osz[v]
                used[src] -= sv
                if src == _T1:
                    _lazy_push(b1_obj, b1_st, b1_state, loc, stamp, _B1, v)
                    loc[v] = _B1
                    used[_B1] += sv
                else:
                    _lazy_push(b2_obj, b2_st, b2_state, loc, stamp, _B2, v)
                    loc[v] = _B2
                    used[_B2] += sv
        target = _T2 if ghost else _T1
        loc[x] = target
        stamp[x] = i
        if not unit:
            osz[x] = s
        used[target] += s
    return hit


# ---------------------------------------------------------------------------------------
# LIRS

# one doubly linked list per stack; object x is node x + k * n_obj of list k
_LS, _LQ, _LNH = 0, 1, 2
# flags of an object's entry in stack S, and list membership (cleared with 0xFF ^ flag: uint8-safe)
_F_S, _F_LIR, _F_RES, _F_Q, _F_NH = 1, 2, 4, 8, 16
# counters: LIR bytes, resident-HIR bytes, cached bytes, bytes in stack S
_C_LIR, _C_HIR, _C_OCC, _C_S = 0, 1, 2, 3


@njit(cache=True, fastmath=STRICT, inline="always")
def _lirs_size(osz, unit, x):
    return 1 if unit else osz[x]


@njit(cache=True, fastmath=STRICT, inline="always")
def _lirs_to_head(prv, nxt, qh, qt, k, node):
    _unlink(prv, nxt, qh, qt, k, node)
    _push_head(prv, nxt, qh, qt, k, node)


@njit(cache=True, fastmath=STRICT, inline="always")
def _lirs_drop_s(prv, nxt, qh, qt, flag, cnt, osz, unit, x):
    _unlink(prv, nxt, qh, qt, _LS, x)
    flag[x] &= 0xFF ^ (_F_S | _F_LIR | _F_RES)
    cnt[_C_S] -= _lirs_size(osz, unit, x)


@njit(cache=True, fastmath=STRICT, inline="always")
def _lirs_prune(prv, nxt, qh, qt, flag, cnt, osz, unit, n_obj):
    """Pop HIR entries off the bottom of S until an LIR block (or the top) is there."""
    while True:
        t = qt[_LS]
        if t == NONE or t == qh[_LS] or flag[t] & _F_LIR:
            break
        if flag[t] & _F_NH:
            _unlink(prv, nxt, qh, qt, _LNH, t + 2 * n_obj)
            flag[t] &= 0xFF ^ _F_NH
        _lirs_drop_s(prv, nxt, qh, qt, flag, cnt, osz, unit, t)


@njit(cache=True, fastmath=STRICT, inline="always")
def _lirs_evict_hir(prv, nxt, qh, qt, flag, cnt, osz, unit, n_obj):
    """Evict the bottom of Q; its S entry (if any) turns non-resident and joins NH."""
    node = qt[_LQ]
    if node == NONE:
        return
    t = node - n_obj
    sz = _lirs_size(osz, unit, t)
    cnt[_C_HIR] -= sz
    cnt[_C_OCC] -= sz
    _unlink(prv, nxt, qh, qt, _LQ, node)
    flag[t] &= 0xFF ^ _F_Q
    if flag[t] & _F_S:
        flag[t] &= 0xFF ^ _F_RES
        if flag[t] & _F_NH:
            _unlink(prv, nxt, qh, qt, _LNH, t + 2 * n_obj)
        _push_head(prv, nxt, qh, qt, _LNH, t + 2 * n_obj)
        flag[t] |= _F_NH


@njit(cache=True, fastmath=STRICT, inline="always")
def _lirs_evict_lir(prv, nxt, qh, qt, flag, cnt, osz, unit, n_obj, hirs_limit):
    """Demote the LIR block at the bottom of S to a resident HIR block in Q, then prune S."""
    t = qt[_LS]
    if t == NONE:
        return
    sz = _lirs_size(osz, unit, t)
    cnt[_C_LIR] -= sz
    cnt[_C_OCC] -= sz
    _lirs_drop_s(prv, nxt, qh, qt, flag, cnt, osz, unit, t)
    if sz <= hirs_limit:
        while cnt[_C_HIR] + sz > hirs_limit and qt[_LQ] != NONE:
            _lirs_evict_hir(prv, nxt, qh, qt, flag, cnt, osz, unit, n_obj)
        _push_head(prv, nxt, qh, qt, _LQ, t + n_obj)
        flag[t] |= _F_Q
        cnt[_C_HIR] += sz
        cnt[_C_OCC] += sz
    _lirs_prune(prv, nxt, qh, qt, flag, cnt, osz, unit, n_obj)


@njit(cache=True, fastmath=STRICT)
def lirs(ids, sizes, n_obj, capacity, hirs_ratio):
    """LIRS (Jiang & Zhang, SIGMETRICS 2002), as libCacheSim's LIRS.

    Blocks with a low inter-reference recency (LIR, ``1 - hirs_ratio`` of the cache) stay
    cached; the rest hold resident HIR blocks in a small LRU queue Q. Stack S keeps the
    recency order of LIR blocks and of recently seen HIR blocks, resident or not (a
    non-resident HIR block found in S is re-referenced soon enough to become LIR). S is
    pruned so that its bottom is LIR, and bounded to twice the cache size by dropping the
    oldest non-resident entries (list NH). As in libCacheSim, a hit on a resident HIR block
    that is in Q but no longer in S demotes an LIR block when the LIR set is full.
    """
    n = ids.shape[0]
    unit = sizes.shape[0] == 0
    hirs_limit = max(np.int64(1), np.int64(hirs_ratio * capacity))
    lirs_limit = capacity - hirs_limit
    links = np.full((3 * n_obj, 2), NONE, np.int32)  # previous and next node side by side
    prv = links[:, 0]
    nxt = links[:, 1]
    qh = np.full(3, NONE, np.int32)
    qt = np.full(3, NONE, np.int32)
    flag = np.zeros(n_obj, np.uint8)
    osz = np.zeros(0 if unit else n_obj, np.int64)
    cnt = np.zeros(4, np.int64)
    hit = np.zeros(n, np.uint8)
    for i in range(n):
        x = ids[i]
        f = flag[x]
        in_s = f & _F_S != 0
        in_q = f & _F_Q != 0
        if in_s:
            _lirs_to_head(prv, nxt, qh, qt, _LS, x)
        if in_q:
            _lirs_to_head(prv, nxt, qh, qt, _LQ, x + n_obj)
        if in_s and f & _F_LIR:
            hit[i] = 1
            _lirs_prune(prv, nxt, qh, qt, flag, cnt, osz, unit, n_obj)
        elif in_s and f & _F_RES:  # resident HIR block in S: it becomes LIR
            hit[i] = 1
            sx = _lirs_size(osz, unit, x)
            if in_q:
                _unlink(prv, nxt, qh, qt, _LQ, x + n_obj)
                flag[x] &= 0xFF ^ _F_Q
                cnt[_C_HIR] -= sx
                cnt[_C_OCC] -= sx
            while cnt[_C_LIR] + sx > lirs_limit and qt[_LS] != NONE:
                _lirs_evict_lir(prv, nxt, qh, qt, flag, cnt, osz, unit, n_obj, hirs_limit)
            flag[x] |= _F_LIR
            cnt[_C_LIR] += sx
            cnt[_C_OCC] += sx
        elif in_q:  # resident HIR block only in Q: back on top of S, still HIR
            hit[i] = 1
            sx = _lirs_size(osz, unit, x)
            while cnt[_C_LIR] + sx > lirs_limit and qt[_LS] != NONE:
                _lirs_evict_lir(prv, nxt, qh, qt, flag, cnt, osz, unit, n_obj, hirs_limit)
            if flag[x] & _F_S == 0:
                _push_head(prv, nxt, qh, qt, _LS, x)
                flag[x] |= _F_S
                cnt[_C_S] += sx
            flag[x] = (flag[x] & (0xFF ^ _F_LIR)) | _F_RES
        else:
            s = 1 if unit else sizes[i]
            if s > capacity:
                pass
            elif in_s:  # non-resident HIR block in S: it comes back as LIR
                sx = _lirs_size(osz, unit, x)
                while cnt[_C_LIR] + sx > lirs_limit and qt[_LS] != NONE:
                    _lirs_evict_lir(prv, nxt, qh, qt, flag, cnt, osz, unit, n_obj, hirs_limit)
                if flag[x] & _F_NH:
                    _unlink(prv, nxt, qh, qt, _LNH, x + 2 * n_obj)
                    flag[x] &= 0xFF ^ _F_NH
                while cnt[_C_OCC] + s > capacity and qt[_LS] != NONE:
                    while cnt[_C_HIR] >= hirs_limit and qt[_LQ] != NONE:
                        _lirs_evict_hir(prv, nxt, qh, qt, flag, cnt, osz, unit, n_obj)
                    _lirs_evict_lir(prv, nxt, qh, qt, flag, cnt, osz, unit, n_obj, hirs_limit)
                flag[x] |= _F_LIR | _F_RES
                cnt[_C_LIR] += sx
                cnt[_C_OCC] += sx
            elif s <= lirs_limit and s <= hirs_limit:  # a new block
                if cnt[_C_LIR] + s > lirs_limit and cnt[_C_HIR] + s > hirs_limit:
                    while cnt[_C_HIR] + s > hirs_limit and qt[_LQ] != NONE:
                        _lirs_evict_hir(prv, nxt, qh, qt, flag, cnt, osz, unit, n_obj)
                if not unit:
                    osz[x] = s
                _push_head(prv, nxt, qh, qt, _LS, x)
                cnt[_C_S] += s
                cnt[_C_OCC] += s
                if cnt[_C_LIR] + s <= lirs_limit:  # the LIR set is not full yet
                    flag[x] = _F_S | _F_LIR | _F_RES
                    cnt[_C_LIR] += s
                else:
                    flag[x] = _F_S | _F_RES | _F_Q
                    _push_head(prv, nxt, qh, qt, _LQ, x + n_obj)
                    cnt[_C_HIR] += s
        # bound S to twice the cache size by dropping the oldest non-resident entries
        while cnt[_C_S] > 2 * capacity and qt[_LNH] != NONE:
            t = qt[_LNH] - 2 * n_obj
            _unlink(prv, nxt, qh, qt, _LNH, t + 2 * n_obj)
            flag[t] &= 0xFF ^ _F_NH
            _lirs_drop_s(prv, nxt, qh, qt, flag, cnt, osz, unit, t)
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
