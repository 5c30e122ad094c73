"""List scheduling on DAGs (HEFT, CPOP: ranks, insertion-based earliest finish) and the mapping heuristics for
independent tasks (OLB, MET, MCT, Min-Min, Max-Min, Sufferage, round robin, random).

DAGs arrive in CSR form: task ``i``'s predecessors are ``pred_src[pred_ptr[i]:pred_ptr[i+1]]`` with data volumes
``pred_data[...]`` (successors likewise), tasks ``0..n-1``.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from ..._config import STRICT
from ..._kernels import argmin, heap_pop, heap_push

NONE = -1


# ---------------------------------------------------------------------------------------
# DAG helpers


@njit(cache=True, fastmath=STRICT)
def topo_order(n, pred_ptr, succ_ptr, succ_dst):
    """Kahn's algorithm, smallest ready index first; returns fewer than ``n`` tasks on a cycle."""
    indeg = np.empty(n, np.int64)
    for i in range(n):
        indeg[i] = pred_ptr[i + 1] - pred_ptr[i]
    hk = np.empty(n, np.float64)
    hv = np.empty(n, np.int32)
    size = 0
    for i in range(n):
        if indeg[i] == 0:
            size = heap_push(hk, hv, size, float(i), i)
    order = np.empty(n, np.int64)
    k = 0
    while size > 0:
        i = hv[0]
        size = heap_pop(hk, hv, size)
        order[k] = i
        k += 1
        for e in range(succ_ptr[i], succ_ptr[i + 1]):
            j = succ_dst[e]
            indeg[j] -= 1
            if indeg[j] == 0:
                size = heap_push(hk, hv, size, float(j), j)
    return order[:k]


@njit(cache=True, fastmath=STRICT)
def upward_rank(order, wbar, succ_ptr, succ_dst, succ_cbar):
    """rank_u(i) = wbar(i) + max over successors j of (cbar(i, j) + rank_u(j))."""
    n = wbar.shape[0]
    r = np.zeros(n)
    for k in range(order.shape[0] - 1, -1, -1):
        i = order[k]
        best = 0.0
        for e in range(succ_ptr[i], succ_ptr[i + 1]):
            v = succ_cbar[e] + r[succ_dst[e]]
            if v > best:
                best = v
        r[i] = wbar[i] + best
    return r


@njit(cache=True, fastmath=STRICT)
def downward_rank(order, wbar, pred_ptr, pred_src, pred_cbar):
    """rank_d(i) = max over predecessors j of (rank_d(j) + wbar(j) + cbar(j, i))."""
    n = wbar.shape[0]
    r = np.zeros(n)
    for k in range(order.shape[0]):
        i = order[k]
        best = 0.0
        for e in range(pred_ptr[i], pred_ptr[i + 1]):
            j = pred_src[e]
            v = r[j] + wbar[j] + pred_cbar[e]
            if v > best:
                best = v
        r[i] = best
    return r


@njit(cache=True, fastmath=STRICT)
def _comm(data, a, b, startup, bw):
    if a == b:
        return 0.0
    return startup[a] + data / bw[a, b]


@njit(cache=True, fastmath=STRICT)
def _insertion_start(slot_s, slot_f, cnt, q, ready, dur):
    """Earliest start >= ready on processor q with an idle gap of length dur (insertion policy)."""
    prev = 0.0
    for k in range(cnt[q]):
        cand = ready if ready > prev else prev
        if cand + dur <= slot_s[q, k]:
            return cand, k
        if slot_f[q, k] > prev:
            prev = slot_f[q, k]
    return (ready if ready > prev else prev), cnt[q]


@njit(cache=True, fastmath=STRICT)
def list_schedule(comp, pred_ptr, pred_src, pred_data, succ_ptr, succ_dst, priority, fixed_proc, startup, bw):
    """Insertion-based list scheduling (the processor-selection phase of HEFT and CPOP).

    Repeatedly takes the ready task with the highest ``priority`` (ties: lowest index) and puts
    it on the processor giving the earliest finish time (ties: lowest processor), using idle
    gaps between already scheduled tasks; tasks with ``fixed_proc >= 0`` go to that processor.
    Returns (processor, start, finish) per task.
    """
    n, p = comp.shape
    proc = np.full(n, NONE, np.int64)
    start = np.zeros(n)
    finish = np.zeros(n)
    slot_s = np.empty((p, n))
    slot_f = np.empty((p, n))
    slot_t = np.empty((p, n), np.int64)
    cnt = np.zeros(p, np.int64)
    missing = np.empty(n, np.int64)
    ready = np.empty(n, np.int64)
    n_ready = 0
    for i in range(n):
        missing[i] = pred_ptr[i + 1] - pred_ptr[i]
        if missing[i] == 0:
            ready[n_ready] = i
            n_ready += 1
    for _ in range(n):
        bi = 0
        for k in range(1, n_ready):
            a = ready[k]
            b = ready[bi]
            if priority[a] > priority[b] or (priority[a] == priority[b] and a < b):
                bi = k
        i = ready[bi]
        n_ready -= 1
        ready[bi] = ready[n_ready]
        best_f = np.inf
        best_s = 0.0
        best_q = 0
        best_k = 0
        q0 = 0
        q1 = p
        if fixed_proc[i] >= 0:
            q0 = fixed_proc[i]
            q1 = q0 + 1
        for q in range(q0, q1):
            drt = 0.0
            for e in range(pred_ptr[i], pred_ptr[i + 1]):
                j = pred_src[e]
                t = finish[j] + _comm(pred_data[e], proc[j], q, startup, bw)
                if t > drt:
                    drt = t
            s, k = _insertion_start(slot_s, slot_f, cnt, q, drt, comp[i, q])
            f = s + comp[i, q]
            if f < best_f:
                best_f = f
                best_s = s
                best_q = q
                best_k = k
        # insert into the processor's slot list, kept sorted by start
        q = best_q
        for k in range(cnt[q], best_k, -1):
            slot_s[q, k] = slot_s[q, k - 1]
            slot_f[q, k] = slot_f[q, k - 1]
            slot_t[q, k] = slot_t[q, k - 1]
        slot_s[q, best_k] = best_s
        slot_f[q, best_k] = best_f
        slot_t[q, best_k] = i
        cnt[q] += 1
        proc[i] = q
        start[i] = best_s
        finish[i] = best_f
        for e in range(succ_ptr[i], succ_ptr[i + 1]):
            j = succ_dst[e]
            missing[j] -= 1
            if missing[j] == 0:
                ready[n_ready] = j
                n_ready += 1
    return proc, start, finish


# ---------------------------------------------------------------------------------------
# independent tasks on heterogeneous machines (Braun et al. 2001); ties: lowest index

OLB, MET, MCT, MIN_MIN, MAX_MIN, SUFFERAGE, ROUND_ROBIN, RANDOM = 0, 1, 2, 3, 4, 5, 6, 7


@njit(cache=True, fastmath=STRICT)
def _best_ct(etc, ready, t):
    """(best machine, best completion time, second-best completion time) of task t."""
    m = etc.shape[1]
    b = 0
    c1 = ready[0] + etc[t, 0]
    c2 = np.inf
    for k in range(1, m):
        c = ready[k] + etc[t, k]
        if c < c1:
            c2 = c1
            c1 = c
            b = k
        elif c < c2:
            c2 = c
    return b, c1, c2


@njit(cache=True, fastmath=STRICT)
def map_tasks(etc, ready0, method, draws):
    """Map independent tasks (rows of the ETC matrix) onto machines; returns (machine, finish).

    ``ready0`` are the machines' initial ready times; ``draws`` are uniform [0, 1) numbers
    used by RANDOM (one per task).
    """
    t_n, m = etc.shape
    ready = ready0.copy()
    mach = np.full(t_n, NONE, np.int64)
    fin = np.zeros(t_n)
    if method == MIN_MIN or method == MAX_MIN:
        # keep each unmapped task's best machine; only tasks whose best was the machine
        # that just grew need a rescan (others' completion times did not change)
        bm = np.empty(t_n, np.int64)
        bc = np.empty(t_n)
        for t in range(t_n):
            b, c1, _ = _best_ct(etc, ready, t)
            bm[t] = b
            bc[t] = c1
        left = np.arange(t_n)
        n_left = t_n
        for _ in range(t_n):
            bi = 0
            for k in range(1, n_left):
                a = left[k]
                cur = left[bi]
                if method == MIN_MIN:
                    better = bc[a] < bc[cur] or (bc[a] == bc[cur] and a < cur)
                else:
                    better = bc[a] > bc[cur] or (bc[a] == bc[cur] and a < cur)
                if better:
                    bi = k
            t = left[bi]
            # remove, keeping the others in index order (ties are broken by index anyway)
            n_left -= 1
            left[bi] = left[n_left]
            q = bm[t]
            ready[q] += etc[t, q]
            mach[t] = q
            fin[t] = ready[q]
            for k in range(n_left):
                a = left[k]
                if bm[a] == q:
                    b, c1, _ = _best_ct(etc, ready, a)
                    bm[a] = b
                    bc[a] = c1
        return mach, fin
    if method == SUFFERAGE:
        # Maheswaran et al. 1999: per pass, each machine takes the task that would suffer most
        left = np.arange(t_n)
        n_left = t_n
        holder = np.empty(m, np.int64)
        holder_suf = np.empty(m)
        while n_left > 0:
            holder[:] = NONE
            for k in range(n_left):
                t = left[k]
                b, c1, c2 = _best_ct(etc, ready, t)
                suf = c2 - c1
                if holder[b] == NONE or holder_suf[b] < suf:
                    holder[b] = t
                    holder_suf[b] = suf
            for q in range(m):
                t = holder[q]
                if t != NONE:
                    ready[q] += etc[t, q]
                    mach[t] = q
                    fin[t] = ready[q]
            k2 = 0
            for k in range(n_left):
                if mach[left[k]] == NONE:
                    left[k2] = left[k]
                    k2 += 1
            n_left = k2
        return mach, fin
    for t in range(t_n):
        if method == OLB:
            q = argmin(ready, ready.shape[0])
        elif method == MET:
            q = argmin(etc[t], etc.shape[1])
        elif method == MCT:
            q, _, _ = _best_ct(etc, ready, t)
        elif method == ROUND_ROBIN:
            q = t % m
        else:
            q = min(np.int64(draws[t] * m), m - 1)
        ready[q] += etc[t, q]
        mach[t] = q
        fin[t] = ready[q]
    return mach, fin
