"""LIRS (Jiang & Zhang, SIGMETRICS 2002): LIR blocks by inter-reference recency and a small queue of
resident HIR blocks, as libCacheSim implements it.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from ..._config import STRICT
from .structures import NONE, _push_head, _unlink

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
