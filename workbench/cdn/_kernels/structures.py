"""The data structures the policies share: rings with lazy deletion, the implicit queue, tagged rings and
intrusive doubly linked lists, all over preallocated arrays.

The *implicit queue* keeps a FIFO of (object, stamp) pairs and treats an entry whose stamp no longer matches
the object's as deleted: O(1) removal without searching, compacted when the ring fills.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from ..._config import STRICT

NONE = -1


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
