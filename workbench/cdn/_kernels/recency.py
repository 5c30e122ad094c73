"""Recency-based policies: LRU, 2Q and ARC, as libCacheSim implements them."""

from __future__ import annotations

import numpy as np
from numba import njit

from ..._config import STRICT
from .structures import (
    NONE,
    _implicit_oldest,
    _lazy_push,
    _max_objects,
    _ring,
    _ring_live,
    _ring_pop,
    _scaled,
    _tag,
    _tag_ring_pop_live,
    _tag_ring_push,
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


_AIN, _AM, _AOUT = 0, 1, 2


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
