"""Edge-lab kernels: list scheduling (HEFT, CPOP), independent-task mapping heuristics, and the
discrete-event engine. Pure array functions, no validation (the public API validates).

DAGs arrive in CSR form: task ``i``'s predecessors are ``pred_src[pred_ptr[i]:pred_ptr[i+1]]``
with data volumes ``pred_data[...]`` (successors likewise), tasks ``0..n-1``.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from .._config import STRICT
from .._heaps import heap_pop, heap_push

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
def _argmin(x):
    b = 0
    for k in range(1, x.shape[0]):
        if x[k] < x[b]:
            b = k
    return b


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
            q = _argmin(ready)
        elif method == MET:
            q = _argmin(etc[t])
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


# ---------------------------------------------------------------------------------------
# discrete-event engine
#
# All state lives in arrays, so a run can stop (to grow a pool, update a progress bar, or ask
# an outside agent for a dispatch decision) and resume exactly where it was. Times in seconds.
#
# The engine's functions allocate nothing and are compiled without numba's reference counting
# (``_nrt=False``): with branches in the event loop numba cannot prune the atomic incref/decref
# pairs of the ~20 arrays each helper receives, and they cost more than the simulation itself
# (2.0 -> 5.5 M customers/s on M/M/4). ``error_model='numpy'`` drops the division-by-zero checks.

# device parameters (float / int columns)
DF_RATE, DF_SIZE, DF_DIN, DF_DOUT, DF_DEADLINE, DF_ACC, DF_UP, DF_DOWN, DF_SPEED, DF_PTX, DF_PCPU, DF_ON, DF_OFF = (
    range(13)
)
DF_INV_UP, DF_INV_DOWN = 13, 14  # 8 / uplink, 8 / downlink: seconds per MB
DF_MEM = 15  # memory each task needs, MB
DF_DWELL = 16  # mobile devices: mean time at one attach point before moving to a neighbouring one (0: static)
N_DF = 17
DI_AP, DI_ARR, DI_SDIST = range(3)
N_DI = 3
ARR_POISSON, ARR_PERIODIC, ARR_BURSTY = 0, 1, 2
SD_EXP, SD_DET, SD_UNIF = 0, 1, 2
# device state (float): next-arrival bookkeeping, local CPU free time, bursty on/off phase end
DS_FREE, DS_PHASE_END, DS_ON = range(3)
N_DS = 3
# node parameters
NF_SPEED, NF_ACC, NF_BW, NF_PIDLE, NF_PBUSY, NF_MTBF, NF_MTTR = range(7)
NF_INV_BW, NF_INV_SPEED, NF_INV_CAP = 7, 8, 9  # 8 / bandwidth, 1 / speed, 1 / (cores x speed)
NF_MEM = 10  # memory, MB
N_NF = 11
NI_CORES, NI_AP, NI_QCAP, NI_TIER, NI_DISC = range(5)
N_NI = 5
Q_FCFS, Q_EDF, Q_SJF = 0, 1, 2  # queue disciplines: arrival order, earliest deadline, shortest task
# node state
NS_BUSY, NS_QHEAD, NS_QTAIL, NS_QLEN, NS_UP, NS_KNOWN_UP, NS_SERVED, NS_MAXQ, NS_FAILS, NS_RES, NS_DROPPED, NS_FID = (
    range(12)
)
N_NS = 12
NT_WORK, NT_BUSY_T, NT_LAST, NT_DOWN_T, NT_DOWN_SINCE, NT_RESP, NT_MEM = range(7)
N_NT = 7
# tasks
TF_CREATED, TF_SIZE, TF_DEADLINE, TF_ARRIVE, TF_START, TF_RET, TF_FULL, TF_MEM = range(8)
N_TF = 8
TI_DEV, TI_NODE, TI_GEN, TI_NEXT, TI_TRIES, TI_FAIL, TI_RPREV, TI_RNEXT, TI_JOB, TI_WT = range(10)
N_TI = 10
# workflow jobs (a DAG of tasks per arrival): float and int columns, and per job x workflow task
J_CREATED, J_LAST = range(2)
N_JF = 2
J_LEFT, J_LIVE, J_DEAD, J_NEXT = range(4)
N_JI = 4
# events
E_ARR, E_NODE, E_DEP, E_FAIL, E_REPAIR, E_DETECT, E_RETRY, E_LINK_FAIL, E_LINK_REPAIR, E_MOVE = range(10)
EV_TYPE, EV_A, EV_B = range(3)
# global integer state
(
    SI_HEAP,
    SI_EV_FREE,
    SI_EV_N,
    SI_T_FREE,
    SI_T_N,
    SI_RR,
    SI_GEN,
    SI_DONE,
    SI_MISSED,
    SI_DROPPED,
    SI_RETRIED,
    SI_STATUS,
    SI_PENDING,
    SI_EVENTS,
    SI_NFAIL,
    SI_RNG,
    SI_LOCAL,
    SI_MEASURED,
    SI_NLINKFAIL,
    SI_J_FREE,
    SI_J_N,
    SI_MOVES,
) = range(22)
N_SI = 22
# global float state
(
    SF_NOW,
    SF_WARM,
    SF_RESP_SUM,
    SF_RESP_SQ,
    SF_WAIT_SUM,
    SF_WAIT_N,
    SF_EDEV,
    SF_BUCKET,
    SF_DETECT,
    SF_CKPT,
    SF_WAIT_SQ,
    SF_LMTBF,
    SF_LMTTR,
) = range(13)
N_SF = 13
# run parameters (int): policy, max tries, recovery mode (0 restart, 1 checkpoint)
P_POLICY, P_TRIES, P_RECOVERY = range(3)
POL_RANDOM, POL_RR, POL_LEAST, POL_NEAREST, POL_MCT, POL_OFFLOAD, POL_SCORE, POL_EXTERNAL = range(8)
N_FEATURES = 6  # network latency s, load per core, estimated wait s, execution s, cloud tier flag, transfer s
# per-bucket columns
B_CREATED, B_DONE, B_MISSED, B_RESP, B_DROPPED, B_BUSY, B_RETRIED = range(7)
N_B = 7
# failure record columns
FR_TIME, FR_NODE, FR_AFFECTED, FR_OUT, FR_LAST, FR_DUR = range(6)
N_FR = 6
# status codes
(
    ST_DONE,
    ST_GROW_TASKS,
    ST_GROW_EVENTS,
    ST_GROW_BUCKETS,
    ST_GROW_FAILS,
    ST_PAUSE,
    ST_DECIDE,
    ST_TOPOLOGY,
    ST_GROW_JOBS,
) = range(9)
# quantile sketch: log-spaced bins, relative accuracy ~1% over 1 us .. 1e7 s
H_GAMMA = 1.02
H_MIN = 1e-6
H_BINS = 1630


@njit(cache=True, fastmath=STRICT, error_model="numpy", _nrt=False)
def _rand(si):
    """SplitMix64 (Steele, Lea & Flood 2014) on the state's RNG word: a uniform in [0, 1)."""
    z = np.uint64(si[SI_RNG]) + np.uint64(0x9E3779B97F4A7C15)
    si[SI_RNG] = np.int64(z)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    z = z ^ (z >> np.uint64(31))
    return np.float64(np.int64(z >> np.uint64(11))) * (1.0 / 9007199254740992.0)  # signed: one instruction


@njit(cache=True, fastmath=STRICT, error_model="numpy", _nrt=False)
def _expo(si, mean):
    return -mean * np.log(1.0 - _rand(si))


@njit(cache=True, fastmath=STRICT, error_model="numpy", _nrt=False)
def hist_bin(x):
    if x <= H_MIN:
        return 0
    if not x < 1e300:  # inf or NaN: the overflow bin, never out of bounds
        return H_BINS - 1
    b = np.int64(np.log(x / H_MIN) / np.log(H_GAMMA)) + 1
    return min(b, H_BINS - 1)


@njit(cache=True, fastmath=STRICT, error_model="numpy", _nrt=False)
def _take(si, free, high, pool, link):
    """A slot from a pool: the head of its free list (linked through column ``link``), else a new one."""
    x = si[free]
    if x >= 0:
        si[free] = pool[x, link]
    else:
        x = si[high]
        si[high] += 1
    return x


@njit(cache=True, fastmath=STRICT, error_model="numpy", _nrt=False)
def _push_event(si, sf, ev, hk, hv, t, typ, a, b):
    e = _take(si, SI_EV_FREE, SI_EV_N, ev, EV_A)
    ev[e, EV_TYPE] = typ
    ev[e, EV_A] = a
    ev[e, EV_B] = b
    si[SI_HEAP] = heap_push(hk, hv, si[SI_HEAP], t, e)


@njit(cache=True, fastmath=STRICT, error_model="numpy", _nrt=False)
def _new_task(si, ti):
    return _take(si, SI_T_FREE, SI_T_N, ti, TI_NEXT)


@njit(cache=True, fastmath=STRICT, error_model="numpy", _nrt=False)
def _free_task(si, ti, s):
    ti[s, TI_GEN] += 1
    ti[s, TI_NEXT] = si[SI_T_FREE]
    si[SI_T_FREE] = s


@njit(cache=True, fastmath=STRICT, error_model="numpy", _nrt=False)
def _net_s(dev_f, dev_i, node_f, node_i, lat, d, k):
    """One-way network latency device -> node in seconds (access + backbone + access)."""
    return (dev_f[d, DF_ACC] + lat[0, dev_i[d, DI_AP], node_i[k, NI_AP]] + node_f[k, NF_ACC]) * 1e-3


@njit(cache=True, fastmath=STRICT, error_model="numpy", _nrt=False)
def _usable(dev_i, node_i, node_s, lat, d, k):
    """Node k is believed up and reachable from device d over the backbone (links can fail)."""
    return node_s[k, NS_KNOWN_UP] == 1 and lat[0, dev_i[d, DI_AP], node_i[k, NI_AP]] < np.inf


@njit(cache=True, fastmath=STRICT, error_model="numpy", _nrt=False)
def _xfer(dev_f, dev_i, node_f, node_i, lat, d, k, col_mb, col_inv):
    """Seconds to move the device's input (DF_DIN, DF_INV_UP) or output (DF_DOUT, DF_INV_DOWN) to or
    from node k: the slowest of the device link, the node link and the backbone path's bottleneck."""
    return dev_f[d, col_mb] * max(dev_f[d, col_inv], node_f[k, NF_INV_BW], lat[1, dev_i[d, DI_AP], node_i[k, NI_AP]])


@njit(cache=True, fastmath=STRICT, error_model="numpy", _nrt=False)
def node_features(dev_f, dev_i, node_f, node_i, node_s, node_t, lat, d, size, out):
    """The per-node features a scoring scheduler sees for a task of ``size`` MI from device d:
    [latency s, load per core, estimated wait s, execution s, cloud flag, transfer s]."""
    for k in range(node_f.shape[0]):
        cores = node_i[k, NI_CORES]
        sp = node_f[k, NF_SPEED]
        out[k, 0] = _net_s(dev_f, dev_i, node_f, node_i, lat, d, k)
        out[k, 1] = (node_s[k, NS_BUSY] + node_s[k, NS_QLEN]) / cores
        out[k, 2] = node_t[k, NT_WORK] / (cores * sp)
        out[k, 3] = size / sp
        out[k, 4] = 1.0 if node_i[k, NI_TIER] == 1 else 0.0
        out[k, 5] = _xfer(dev_f, dev_i, node_f, node_i, lat, d, k, DF_DIN, DF_INV_UP)


@njit(cache=True, fastmath=STRICT, error_model="numpy", _nrt=False)
def _est_done(dev_f, dev_i, node_f, node_i, node_t, lat, d, k, size):
    """Estimated completion: there and back, input and output transfers, backlog, execution.
    Multiplications by stored inverses only (it runs for every node on every task)."""
    net = _net_s(dev_f, dev_i, node_f, node_i, lat, d, k)
    return (
        2.0 * net
        + _xfer(dev_f, dev_i, node_f, node_i, lat, d, k, DF_DIN, DF_INV_UP)
        + _xfer(dev_f, dev_i, node_f, node_i, lat, d, k, DF_DOUT, DF_INV_DOWN)
        + node_t[k, NT_WORK] * node_f[k, NF_INV_CAP]
        + size * node_f[k, NF_INV_SPEED]
    )


@njit(cache=True, fastmath=STRICT, error_model="numpy", _nrt=False)
def _choose(prm, si, dev_f, dev_i, dev_s, node_f, node_i, node_s, node_t, lat, weights, feats, d, size, now, deadline):
    """The scheduler: a node index, -1 to run on the device itself, -2 if no node is known up."""
    k_n = node_f.shape[0]
    pol = prm[P_POLICY]
    if pol == POL_RANDOM:
        k0 = min(np.int64(_rand(si) * k_n), k_n - 1)
        for j in range(k_n):
            k = k0 + j
            if k >= k_n:
                k -= k_n
            if _usable(dev_i, node_i, node_s, lat, d, k):
                return k
        return -2
    if pol == POL_RR:
        for _ in range(k_n):
            k = si[SI_RR] % k_n
            si[SI_RR] += 1
            if _usable(dev_i, node_i, node_s, lat, d, k):
                return k
        return -2
    best = -2
    best_v = np.inf
    if pol == POL_SCORE:
        node_features(dev_f, dev_i, node_f, node_i, node_s, node_t, lat, d, size, feats)
        for k in range(k_n):
            if _usable(dev_i, node_i, node_s, lat, d, k):
                v = 0.0
                for j in range(N_FEATURES):
                    v += weights[j] * feats[k, j]
                if v < best_v:
                    best_v = v
                    best = k
        return best
    if pol == POL_OFFLOAD:
        # cheapest energy option that meets the deadline; else the fastest
        best_e = np.inf
        fast = -2
        fast_t = np.inf
        if dev_f[d, DF_SPEED] > 0:
            t_loc = max(dev_s[d, DS_FREE] - now, 0.0) + size / dev_f[d, DF_SPEED]
            fast = -1
            fast_t = t_loc
            if t_loc <= deadline:
                best = -1
                best_e = dev_f[d, DF_PCPU] * size / dev_f[d, DF_SPEED]
        for tier in range(2):
            kt = -2
            tt = np.inf
            for k in range(k_n):
                if node_i[k, NI_TIER] == tier and _usable(dev_i, node_i, node_s, lat, d, k):
                    v = _est_done(dev_f, dev_i, node_f, node_i, node_t, lat, d, k, size)
                    if v < tt:
                        tt = v
                        kt = k
            if kt >= 0:
                e = dev_f[d, DF_PTX] * _xfer(dev_f, dev_i, node_f, node_i, lat, d, kt, DF_DIN, DF_INV_UP)
                if tt <= deadline and e < best_e:
                    best_e = e
                    best = kt
                if tt < fast_t:
                    fast_t = tt
                    fast = kt
        return best if best != -2 else fast
    for k in range(k_n):
        if not _usable(dev_i, node_i, node_s, lat, d, k):
            continue
        if pol == POL_LEAST:
            v = (node_s[k, NS_BUSY] + node_s[k, NS_QLEN]) / node_i[k, NI_CORES]
        elif pol == POL_NEAREST:
            v = _net_s(dev_f, dev_i, node_f, node_i, lat, d, k)
        else:  # POL_MCT
            v = _est_done(dev_f, dev_i, node_f, node_i, node_t, lat, d, k, size)
        if v < best_v:
            best_v = v
            best = k
    return best


@njit(cache=True, fastmath=STRICT, error_model="numpy", _nrt=False)
def _next_arrival(si, dev_f, dev_i, dev_s, d, now):
    kind = dev_i[d, DI_ARR]
    rate = dev_f[d, DF_RATE]
    if kind == ARR_PERIODIC:
        return now + 1.0 / rate
    if kind == ARR_POISSON:
        return now + _expo(si, 1.0 / rate)
    # bursty: on/off Markov-modulated Poisson; rate_on keeps the long-run mean at ``rate``
    on, off = dev_f[d, DF_ON], dev_f[d, DF_OFF]
    rate_on = rate * (on + off) / on
    t = now
    while True:
        if dev_s[d, DS_ON] == 0.0:  # off: jump to the next on phase
            t = dev_s[d, DS_PHASE_END]
            dev_s[d, DS_ON] = 1.0
            dev_s[d, DS_PHASE_END] = t + _expo(si, on)
        cand = t + _expo(si, 1.0 / rate_on)
        if cand <= dev_s[d, DS_PHASE_END]:
            return cand
        t = dev_s[d, DS_PHASE_END]
        dev_s[d, DS_ON] = 0.0
        dev_s[d, DS_PHASE_END] = t + _expo(si, off)


@njit(cache=True, fastmath=STRICT, error_model="numpy", _nrt=False)
def _size(si, dev_f, dev_i, d):
    m = dev_f[d, DF_SIZE]
    k = dev_i[d, DI_SDIST]
    if k == SD_DET:
        return m
    if k == SD_UNIF:
        return m * (0.5 + _rand(si))
    return _expo(si, m)


@njit(cache=True, fastmath=STRICT, error_model="numpy", _nrt=False)
def _busy_update(node_t, node_s, k, now):
    node_t[k, NT_BUSY_T] += node_s[k, NS_BUSY] * (now - node_t[k, NT_LAST])
    node_t[k, NT_LAST] = now


@njit(cache=True, fastmath=STRICT, error_model="numpy", _nrt=False, inline="always")
def _bucket(t, sf, buckets):
    """The timeline bucket of time ``t``, clamped into the array (the run loop grows the array before
    any time beyond it is recorded; the clamp keeps a float-to-int conversion from ever indexing out)."""
    x = t / sf[SF_BUCKET]
    if not x < buckets.shape[0] - 1.0:  # also NaN
        return buckets.shape[0] - 1
    if x < 0.0:
        return 0
    return np.int64(x)


@njit(cache=True, fastmath=STRICT, error_model="numpy", _nrt=False)
def _record(si, sf, hist, buckets, fails, created, resp, deadline, fid, now):
    """A finished task: response time ``resp`` (created -> result back at the device)."""
    si[SI_DONE] += 1
    b = _bucket(created, sf, buckets)
    buckets[b, B_DONE] += 1
    buckets[b, B_RESP] += resp
    miss = resp > deadline
    if miss:
        buckets[b, B_MISSED] += 1
    if created >= sf[SF_WARM]:
        si[SI_MEASURED] += 1
        sf[SF_RESP_SUM] += resp
        sf[SF_RESP_SQ] += resp * resp
        hist[hist_bin(resp)] += 1
        if miss:
            si[SI_MISSED] += 1
    if fid >= 0:
        fails[fid, FR_OUT] -= 1
        if now > fails[fid, FR_LAST]:
            fails[fid, FR_LAST] = now


@njit(cache=True, fastmath=STRICT, error_model="numpy", _nrt=False)
def _start_service(si, sf, ev, hk, hv, tf, ti, node_f, node_s, node_t, s, k, now):
    _busy_update(node_t, node_s, k, now)
    node_s[k, NS_BUSY] += 1
    node_t[k, NT_MEM] += tf[s, TF_MEM]
    tf[s, TF_START] = now
    w = now - tf[s, TF_ARRIVE]
    if tf[s, TF_CREATED] >= sf[SF_WARM]:
        sf[SF_WAIT_SUM] += w
        sf[SF_WAIT_SQ] += w * w
        sf[SF_WAIT_N] += 1
    _push_event(si, sf, ev, hk, hv, now + tf[s, TF_SIZE] / node_f[k, NF_SPEED], E_DEP, s, ti[s, TI_GEN])


@njit(cache=True, fastmath=STRICT, error_model="numpy", _nrt=False)
def _enqueue(tf, ti, node_i, node_s, s, k):
    """Queue task s at node k in its discipline's order (ties keep arrival order)."""
    disc = node_i[k, NI_DISC]
    ti[s, TI_NEXT] = -1
    if node_s[k, NS_QLEN] == 0:
        node_s[k, NS_QHEAD] = s
        node_s[k, NS_QTAIL] = s
    elif disc == Q_FCFS:
        ti[node_s[k, NS_QTAIL], TI_NEXT] = s
        node_s[k, NS_QTAIL] = s
    else:
        col = TF_DEADLINE if disc == Q_EDF else TF_SIZE
        key = tf[s, col]
        prev = -1
        q = node_s[k, NS_QHEAD]
        while q >= 0 and tf[q, col] <= key:
            prev = q
            q = ti[q, TI_NEXT]
        ti[s, TI_NEXT] = q
        if prev < 0:
            node_s[k, NS_QHEAD] = s
        else:
            ti[prev, TI_NEXT] = s
        if q < 0:
            node_s[k, NS_QTAIL] = s
    node_s[k, NS_QLEN] += 1
    if node_s[k, NS_QLEN] > node_s[k, NS_MAXQ]:
        node_s[k, NS_MAXQ] = node_s[k, NS_QLEN]


@njit(cache=True, fastmath=STRICT, error_model="numpy", _nrt=False, inline="always")
def _start_queued(si, sf, ev, hk, hv, tf, ti, node_f, node_i, node_s, node_t, k, now):
    """Start queued tasks from the head while a core is free and the head's memory fits."""
    while node_s[k, NS_QLEN] > 0 and node_s[k, NS_BUSY] < node_i[k, NI_CORES]:
        q = node_s[k, NS_QHEAD]
        if node_t[k, NT_MEM] + tf[q, TF_MEM] > node_f[k, NF_MEM]:
            break  # head-of-line blocking: it waits for memory
        node_s[k, NS_QHEAD] = ti[q, TI_NEXT]
        node_s[k, NS_QLEN] -= 1
        _start_service(si, sf, ev, hk, hv, tf, ti, node_f, node_s, node_t, q, k, now)


@njit(cache=True, fastmath=STRICT, error_model="numpy", _nrt=False)
def _res_unlink(ti, node_s, s, k):
    p = ti[s, TI_RPREV]
    n = ti[s, TI_RNEXT]
    if p >= 0:
        ti[p, TI_RNEXT] = n
    else:
        node_s[k, NS_RES] = n
    if n >= 0:
        ti[n, TI_RPREV] = p


@njit(cache=True, fastmath=STRICT, error_model="numpy", _nrt=False)
def _job_task_gone(si, job_i, j):
    """One task of job j finished or was dropped; free the job once none is left."""
    job_i[j, J_LIVE] -= 1
    if job_i[j, J_LIVE] == 0 and (job_i[j, J_LEFT] == 0 or job_i[j, J_DEAD] == 1):
        job_i[j, J_NEXT] = si[SI_J_FREE]
        si[SI_J_FREE] = j


@njit(cache=True, fastmath=STRICT, error_model="numpy", _nrt=False)
def _drop(si, sf, tf, ti, buckets, fails, job_i, s, now):
    """Give task s up; a workflow task takes its whole job down with it (counted once)."""
    j = ti[s, TI_JOB]
    if j < 0 or job_i[j, J_DEAD] == 0:
        si[SI_DROPPED] += 1
        buckets[_bucket(tf[s, TF_CREATED], sf, buckets), B_DROPPED] += 1
    if j >= 0:
        job_i[j, J_DEAD] = 1
        _job_task_gone(si, job_i, j)
    f = ti[s, TI_FAIL]
    if f >= 0:
        fails[f, FR_OUT] -= 1
        if now > fails[f, FR_LAST]:
            fails[f, FR_LAST] = now
    _free_task(si, ti, s)


@njit(cache=True, fastmath=STRICT, error_model="numpy", _nrt=False, inline="always")
def _dispatch(
    prm,
    si,
    sf,
    dev_f,
    dev_i,
    dev_s,
    node_f,
    node_i,
    node_s,
    node_t,
    lat,
    ev,
    hk,
    hv,
    tf,
    ti,
    hist,
    buckets,
    fails,
    job_i,
    s,
    k,
    now,
):
    """Send task s to node k (or run it locally for k = -1, drop it for k = -2)."""
    d = ti[s, TI_DEV]
    if k == -2:
        _drop(si, sf, tf, ti, buckets, fails, job_i, s, now)
        return
    if k == -1:
        ex = tf[s, TF_SIZE] / dev_f[d, DF_SPEED]
        st = max(dev_s[d, DS_FREE], now)
        dev_s[d, DS_FREE] = st + ex
        sf[SF_EDEV] += dev_f[d, DF_PCPU] * ex
        si[SI_LOCAL] += 1
        _record(
            si,
            sf,
            hist,
            buckets,
            fails,
            tf[s, TF_CREATED],
            st + ex - tf[s, TF_CREATED],
            tf[s, TF_DEADLINE] - tf[s, TF_CREATED],
            ti[s, TI_FAIL],
            now,
        )
        _free_task(si, ti, s)
        return
    up = _xfer(dev_f, dev_i, node_f, node_i, lat, d, k, DF_DIN, DF_INV_UP)
    net = _net_s(dev_f, dev_i, node_f, node_i, lat, d, k)
    sf[SF_EDEV] += dev_f[d, DF_PTX] * up
    tf[s, TF_RET] = net + _xfer(dev_f, dev_i, node_f, node_i, lat, d, k, DF_DOUT, DF_INV_DOWN)
    ti[s, TI_NODE] = k
    node_t[k, NT_WORK] += tf[s, TF_SIZE]
    if net + up > 0.0:
        _push_event(si, sf, ev, hk, hv, now + net + up, E_NODE, s, ti[s, TI_GEN])
    else:
        _node_arrive(
            prm,
            si,
            sf,
            dev_f,
            dev_i,
            dev_s,
            node_f,
            node_i,
            node_s,
            node_t,
            lat,
            ev,
            hk,
            hv,
            tf,
            ti,
            hist,
            buckets,
            fails,
            job_i,
            s,
            now,
        )


@njit(cache=True, fastmath=STRICT, error_model="numpy", _nrt=False)
def _release(si, tf, ti, dev_f, job_i, w_size, j, i, d, created, deadline):
    """Create the task for workflow task i of job j (all its inputs are done)."""
    s = _new_task(si, ti)
    tf[s, TF_CREATED] = created
    tf[s, TF_SIZE] = w_size[i]
    tf[s, TF_FULL] = w_size[i]
    tf[s, TF_DEADLINE] = deadline
    tf[s, TF_MEM] = dev_f[d, DF_MEM]
    ti[s, TI_DEV] = d
    ti[s, TI_TRIES] = 0
    ti[s, TI_FAIL] = -1
    ti[s, TI_NODE] = -1
    ti[s, TI_JOB] = j
    ti[s, TI_WT] = i
    job_i[j, J_LIVE] += 1
    return s


@njit(cache=True, fastmath=STRICT, error_model="numpy", _nrt=False)
def _dispatch_w(
    prm,
    si,
    sf,
    dev_f,
    dev_i,
    dev_s,
    node_f,
    node_i,
    node_s,
    node_t,
    lat,
    ev,
    hk,
    hv,
    tf,
    ti,
    hist,
    buckets,
    fails,
    job_i,
    jt_i,
    w_pptr,
    w_psrc,
    w_pdata,
    s,
    k,
    now,
):
    """Send a workflow task with predecessors to node k: it arrives when the last of its inputs does.
    Inputs leave the predecessors' nodes now (when the task becomes ready); none move within a node."""
    if k < 0:
        _drop(si, sf, tf, ti, buckets, fails, job_i, s, now)
        return
    j = ti[s, TI_JOB]
    i = ti[s, TI_WT]
    dly = 0.0
    for e in range(w_pptr[i], w_pptr[i + 1]):
        kp = jt_i[j, w_psrc[e]]
        if kp != k:
            a, b = node_i[kp, NI_AP], node_i[k, NI_AP]
            t = (node_f[kp, NF_ACC] + lat[0, a, b] + node_f[k, NF_ACC]) * 1e-3 + w_pdata[e] * max(
                node_f[kp, NF_INV_BW], node_f[k, NF_INV_BW], lat[1, a, b]
            )
            if t > dly:
                dly = t
    if not dly < np.inf:  # an input's node is cut off from k
        _drop(si, sf, tf, ti, buckets, fails, job_i, s, now)
        return
    d = ti[s, TI_DEV]
    tf[s, TF_RET] = _net_s(dev_f, dev_i, node_f, node_i, lat, d, k) + _xfer(
        dev_f, dev_i, node_f, node_i, lat, d, k, DF_DOUT, DF_INV_DOWN
    )
    ti[s, TI_NODE] = k
    node_t[k, NT_WORK] += tf[s, TF_SIZE]
    if dly > 0.0:
        _push_event(si, sf, ev, hk, hv, now + dly, E_NODE, s, ti[s, TI_GEN])
    else:
        _node_arrive(
            prm,
            si,
            sf,
            dev_f,
            dev_i,
            dev_s,
            node_f,
            node_i,
            node_s,
            node_t,
            lat,
            ev,
            hk,
            hv,
            tf,
            ti,
            hist,
            buckets,
            fails,
            job_i,
            s,
            now,
        )


@njit(cache=True, fastmath=STRICT, error_model="numpy", _nrt=False)
def _lose(prm, si, sf, ev, hk, hv, tf, ti, buckets, fails, s, fid, now, when):
    """Task s was lost with a failed node: retry after the detection delay (or give up)."""
    old = ti[s, TI_FAIL]
    if old >= 0 and old != fid:
        fails[old, FR_OUT] -= 1
    if old != fid:
        fails[fid, FR_AFFECTED] += 1
        fails[fid, FR_OUT] += 1
    ti[s, TI_FAIL] = fid
    ti[s, TI_GEN] += 1
    ti[s, TI_TRIES] += 1
    si[SI_RETRIED] += 1
    buckets[_bucket(tf[s, TF_CREATED], sf, buckets), B_RETRIED] += 1
    _push_event(si, sf, ev, hk, hv, when, E_RETRY, s, ti[s, TI_GEN])


@njit(cache=True, fastmath=STRICT, error_model="numpy", _nrt=False, inline="always")
def _node_arrive(
    prm,
    si,
    sf,
    dev_f,
    dev_i,
    dev_s,
    node_f,
    node_i,
    node_s,
    node_t,
    lat,
    ev,
    hk,
    hv,
    tf,
    ti,
    hist,
    buckets,
    fails,
    job_i,
    s,
    now,
):
    """Task s reaches its node: lost if the node is down, dropped if the queue is full, else served or queued."""
    k = ti[s, TI_NODE]
    if node_s[k, NS_UP] == 0:  # sent to a node that is down: found out by time-out
        node_t[k, NT_WORK] -= tf[s, TF_SIZE]
        _lose(prm, si, sf, ev, hk, hv, tf, ti, buckets, fails, s, node_s[k, NS_FID], now, now + sf[SF_DETECT])
        return
    if (node_s[k, NS_QLEN] >= node_i[k, NI_QCAP] and node_s[k, NS_BUSY] >= node_i[k, NI_CORES]) or tf[
        s, TF_MEM
    ] > node_f[k, NF_MEM]:  # full, or a task that can never fit in its memory
        node_t[k, NT_WORK] -= tf[s, TF_SIZE]
        node_s[k, NS_DROPPED] += 1
        _drop(si, sf, tf, ti, buckets, fails, job_i, s, now)
        return
    tf[s, TF_ARRIVE] = now
    # resident list (queued or in service), for failures
    h = node_s[k, NS_RES]
    ti[s, TI_RPREV] = -1
    ti[s, TI_RNEXT] = h
    if h >= 0:
        ti[h, TI_RPREV] = s
    node_s[k, NS_RES] = s
    if (
        node_s[k, NS_BUSY] < node_i[k, NI_CORES]
        and node_s[k, NS_QLEN] == 0
        and node_t[k, NT_MEM] + tf[s, TF_MEM] <= node_f[k, NF_MEM]
    ):
        _start_service(si, sf, ev, hk, hv, tf, ti, node_f, node_s, node_t, s, k, now)
    else:
        _enqueue(tf, ti, node_i, node_s, s, k)
        _start_queued(si, sf, ev, hk, hv, tf, ti, node_f, node_i, node_s, node_t, k, now)


@njit(cache=True, fastmath=STRICT, error_model="numpy", _nrt=False)
def run_engine(
    prm,
    si,
    sf,
    dev_f,
    dev_i,
    dev_s,
    node_f,
    node_i,
    node_s,
    node_t,
    lat,
    weights,
    ev,
    hk,
    hv,
    tf,
    ti,
    hist,
    buckets,
    fails,
    feats,
    links,
    w_size,
    w_pptr,
    w_psrc,
    w_pdata,
    w_sptr,
    w_sdst,
    job_f,
    job_i,
    jt_i,
    adj_ptr,
    adj_idx,
    max_tasks,
    t_end,
    max_events,
    action,
):
    """Advance the simulation until ``max_tasks`` tasks were generated and all finished, simulated
    time ``t_end``, ``max_events`` more events, or until a pool must grow (status in si[SI_STATUS]).

    ``action`` >= -2 answers a pending external decision (POL_EXTERNAL) before resuming; when the
    run stops for a decision, ``feats`` holds the pending task's per-node features. ``links`` holds
    each backbone link's state (1 up); after a link fails or is repaired the run stops with
    ST_TOPOLOGY so that the caller recomputes the latency matrix ``lat`` in place. Tasks already
    on the wire keep the delay they were sent with.

    With a workflow (``w_size`` non-empty: sizes of its tasks, ``w_*`` its DAG in CSR form) each
    arrival is a job: its entry tasks are dispatched from the device, every other task when its
    last predecessor finishes, and the job's response ends when its exit tasks' results are back.
    ``job_f``/``job_i`` hold per-job state, ``jt_i[j, :n_w]`` the node of each finished task and
    ``jt_i[j, n_w:]`` each task's unfinished predecessors.

    Mobile devices (``DF_DWELL`` > 0) hop to a random neighbouring attach point of the backbone
    (CSR ``adj_ptr``/``adj_idx``) after exponential dwell times (handovers); results are sent to
    wherever the device is when a task finishes.
    """
    n_ev = 0
    n_w = w_size.shape[0]
    if si[SI_PENDING] >= 0 and action >= -2:
        s = si[SI_PENDING]
        si[SI_PENDING] = -1
        k = action
        if k >= 0 and not _usable(dev_i, node_i, node_s, lat, ti[s, TI_DEV], k):
            k = -2
        _dispatch(
            prm,
            si,
            sf,
            dev_f,
            dev_i,
            dev_s,
            node_f,
            node_i,
            node_s,
            node_t,
            lat,
            ev,
            hk,
            hv,
            tf,
            ti,
            hist,
            buckets,
            fails,
            job_i,
            s,
            k,
            sf[SF_NOW],
        )
    while si[SI_HEAP] > 0:
        if si[SI_GEN] >= max_tasks and si[SI_GEN] == si[SI_DONE] + si[SI_DROPPED]:
            break  # every task generated has finished; only failure/repair events are left
        if n_ev >= max_events:
            si[SI_STATUS] = ST_PAUSE
            return
        if si[SI_T_N] + n_w + 2 > tf.shape[0]:
            si[SI_STATUS] = ST_GROW_TASKS
            return
        if n_w > 0 and si[SI_J_N] + 1 >= job_i.shape[0] and si[SI_J_FREE] < 0:
            si[SI_STATUS] = ST_GROW_JOBS
            return
        if si[SI_EV_N] + n_w + 4 > ev.shape[0]:
            si[SI_STATUS] = ST_GROW_EVENTS
            return
        if si[SI_NFAIL] + 1 >= fails.shape[0]:
            si[SI_STATUS] = ST_GROW_FAILS
            return
        now = hk[0]
        if now > t_end:
            sf[SF_NOW] = t_end
            si[SI_STATUS] = ST_DONE
            return
        if not now / sf[SF_BUCKET] < buckets.shape[0] - 1.0:  # also inf/NaN: no int64 conversion before this
            si[SI_STATUS] = ST_GROW_BUCKETS
            return
        e = hv[0]
        si[SI_HEAP] = heap_pop(hk, hv, si[SI_HEAP])
        typ = ev[e, EV_TYPE]
        a = ev[e, EV_A]
        gb = ev[e, EV_B]
        ev[e, EV_A] = si[SI_EV_FREE]
        si[SI_EV_FREE] = e
        sf[SF_NOW] = now
        n_ev += 1
        si[SI_EVENTS] += 1
        if typ == E_ARR:
            d = a
            if si[SI_GEN] >= max_tasks:
                continue
            si[SI_GEN] += 1
            if n_w > 0:
                j = _take(si, SI_J_FREE, SI_J_N, job_i, J_NEXT)
                job_f[j, J_CREATED] = now
                job_f[j, J_LAST] = now
                job_i[j, J_LEFT] = n_w
                job_i[j, J_LIVE] = 0
                job_i[j, J_DEAD] = 0
                for i in range(n_w):
                    jt_i[j, i] = -1
                    jt_i[j, n_w + i] = w_pptr[i + 1] - w_pptr[i]
                buckets[_bucket(now, sf, buckets), B_CREATED] += 1
                if si[SI_GEN] < max_tasks:
                    _push_event(si, sf, ev, hk, hv, _next_arrival(si, dev_f, dev_i, dev_s, d, now), E_ARR, d, 0)
                dl = now + dev_f[d, DF_DEADLINE]
                for i in range(n_w):
                    if jt_i[j, n_w + i] == 0 and job_i[j, J_DEAD] == 0:
                        s = _release(si, tf, ti, dev_f, job_i, w_size, j, i, d, now, dl)
                        k = _choose(
                            prm,
                            si,
                            dev_f,
                            dev_i,
                            dev_s,
                            node_f,
                            node_i,
                            node_s,
                            node_t,
                            lat,
                            weights,
                            feats,
                            d,
                            w_size[i],
                            now,
                            dev_f[d, DF_DEADLINE],
                        )
                        _dispatch(
                            prm,
                            si,
                            sf,
                            dev_f,
                            dev_i,
                            dev_s,
                            node_f,
                            node_i,
                            node_s,
                            node_t,
                            lat,
                            ev,
                            hk,
                            hv,
                            tf,
                            ti,
                            hist,
                            buckets,
                            fails,
                            job_i,
                            s,
                            k,
                            now,
                        )
                continue
            s = _new_task(si, ti)
            ti[s, TI_JOB] = -1
            size = _size(si, dev_f, dev_i, d)
            tf[s, TF_CREATED] = now
            tf[s, TF_SIZE] = size
            tf[s, TF_FULL] = size
            tf[s, TF_DEADLINE] = now + dev_f[d, DF_DEADLINE]
            tf[s, TF_MEM] = dev_f[d, DF_MEM]
            ti[s, TI_DEV] = d
            ti[s, TI_TRIES] = 0
            ti[s, TI_FAIL] = -1
            ti[s, TI_NODE] = -1
            buckets[_bucket(now, sf, buckets), B_CREATED] += 1
            if si[SI_GEN] < max_tasks:
                _push_event(si, sf, ev, hk, hv, _next_arrival(si, dev_f, dev_i, dev_s, d, now), E_ARR, d, 0)
            if prm[P_POLICY] == POL_EXTERNAL:
                node_features(dev_f, dev_i, node_f, node_i, node_s, node_t, lat, d, size, feats)
                si[SI_PENDING] = s
                si[SI_STATUS] = ST_DECIDE
                return
            k = _choose(
                prm,
                si,
                dev_f,
                dev_i,
                dev_s,
                node_f,
                node_i,
                node_s,
                node_t,
                lat,
                weights,
                feats,
                d,
                size,
                now,
                dev_f[d, DF_DEADLINE],
            )
            _dispatch(
                prm,
                si,
                sf,
                dev_f,
                dev_i,
                dev_s,
                node_f,
                node_i,
                node_s,
                node_t,
                lat,
                ev,
                hk,
                hv,
                tf,
                ti,
                hist,
                buckets,
                fails,
                job_i,
                s,
                k,
                now,
            )
        elif typ == E_RETRY:
            s = a
            if ti[s, TI_GEN] != gb:
                continue
            d = ti[s, TI_DEV]
            j = ti[s, TI_JOB]
            if ti[s, TI_TRIES] > prm[P_TRIES] or (j >= 0 and job_i[j, J_DEAD] == 1):
                k = -2
            else:
                k = _choose(
                    prm,
                    si,
                    dev_f,
                    dev_i,
                    dev_s,
                    node_f,
                    node_i,
                    node_s,
                    node_t,
                    lat,
                    weights,
                    feats,
                    d,
                    tf[s, TF_SIZE],
                    now,
                    tf[s, TF_DEADLINE] - now,
                )
            if j >= 0 and w_pptr[ti[s, TI_WT]] < w_pptr[ti[s, TI_WT] + 1]:
                _dispatch_w(
                    prm,
                    si,
                    sf,
                    dev_f,
                    dev_i,
                    dev_s,
                    node_f,
                    node_i,
                    node_s,
                    node_t,
                    lat,
                    ev,
                    hk,
                    hv,
                    tf,
                    ti,
                    hist,
                    buckets,
                    fails,
                    job_i,
                    jt_i,
                    w_pptr,
                    w_psrc,
                    w_pdata,
                    s,
                    k,
                    now,
                )
                continue
            _dispatch(
                prm,
                si,
                sf,
                dev_f,
                dev_i,
                dev_s,
                node_f,
                node_i,
                node_s,
                node_t,
                lat,
                ev,
                hk,
                hv,
                tf,
                ti,
                hist,
                buckets,
                fails,
                job_i,
                s,
                k,
                now,
            )
        elif typ == E_NODE:
            s = a
            if ti[s, TI_GEN] != gb:
                continue
            _node_arrive(
                prm,
                si,
                sf,
                dev_f,
                dev_i,
                dev_s,
                node_f,
                node_i,
                node_s,
                node_t,
                lat,
                ev,
                hk,
                hv,
                tf,
                ti,
                hist,
                buckets,
                fails,
                job_i,
                s,
                now,
            )
        elif typ == E_DEP:
            s = a
            if ti[s, TI_GEN] != gb:
                continue
            k = ti[s, TI_NODE]
            _busy_update(node_t, node_s, k, now)
            node_s[k, NS_BUSY] -= 1
            node_t[k, NT_MEM] -= tf[s, TF_MEM]
            buckets[_bucket(now, sf, buckets), B_BUSY] += now - tf[s, TF_START]
            node_t[k, NT_WORK] -= tf[s, TF_SIZE]
            node_s[k, NS_SERVED] += 1
            _res_unlink(ti, node_s, s, k)
            d = ti[s, TI_DEV]  # the result goes to where the device is now
            tf[s, TF_RET] = _net_s(dev_f, dev_i, node_f, node_i, lat, d, k) + _xfer(
                dev_f, dev_i, node_f, node_i, lat, d, k, DF_DOUT, DF_INV_DOWN
            )
            resp = now + tf[s, TF_RET] - tf[s, TF_CREATED]
            j = ti[s, TI_JOB]
            # a device cut off from the node (failed links) never gets the result: the task is lost
            lost = not tf[s, TF_RET] < np.inf and (j < 0 or w_sptr[ti[s, TI_WT]] == w_sptr[ti[s, TI_WT] + 1])
            if lost:
                _drop(si, sf, tf, ti, buckets, fails, job_i, s, now)
            elif j < 0:
                node_t[k, NT_RESP] += resp
                _record(
                    si,
                    sf,
                    hist,
                    buckets,
                    fails,
                    tf[s, TF_CREATED],
                    resp,
                    tf[s, TF_DEADLINE] - tf[s, TF_CREATED],
                    ti[s, TI_FAIL],
                    now + tf[s, TF_RET],
                )
            else:
                node_t[k, NT_RESP] += now - tf[s, TF_CREATED]
                fid = ti[s, TI_FAIL]
                if fid >= 0:
                    fails[fid, FR_OUT] -= 1
                    if now > fails[fid, FR_LAST]:
                        fails[fid, FR_LAST] = now
                if job_i[j, J_DEAD] == 0:
                    i = ti[s, TI_WT]
                    d = ti[s, TI_DEV]
                    jt_i[j, i] = k
                    job_i[j, J_LEFT] -= 1
                    if w_sptr[i] == w_sptr[i + 1] and now + tf[s, TF_RET] > job_f[j, J_LAST]:
                        job_f[j, J_LAST] = now + tf[s, TF_RET]
                    for e2 in range(w_sptr[i], w_sptr[i + 1]):
                        w = w_sdst[e2]
                        jt_i[j, n_w + w] -= 1
                        if jt_i[j, n_w + w] == 0 and job_i[j, J_DEAD] == 0:
                            s2 = _release(
                                si, tf, ti, dev_f, job_i, w_size, j, w, d, tf[s, TF_CREATED], tf[s, TF_DEADLINE]
                            )
                            k2 = _choose(
                                prm,
                                si,
                                dev_f,
                                dev_i,
                                dev_s,
                                node_f,
                                node_i,
                                node_s,
                                node_t,
                                lat,
                                weights,
                                feats,
                                d,
                                w_size[w],
                                now,
                                tf[s, TF_DEADLINE] - now,
                            )
                            _dispatch_w(
                                prm,
                                si,
                                sf,
                                dev_f,
                                dev_i,
                                dev_s,
                                node_f,
                                node_i,
                                node_s,
                                node_t,
                                lat,
                                ev,
                                hk,
                                hv,
                                tf,
                                ti,
                                hist,
                                buckets,
                                fails,
                                job_i,
                                jt_i,
                                w_pptr,
                                w_psrc,
                                w_pdata,
                                s2,
                                k2,
                                now,
                            )
                    if job_i[j, J_LEFT] == 0:
                        c = job_f[j, J_CREATED]
                        _record(
                            si,
                            sf,
                            hist,
                            buckets,
                            fails,
                            c,
                            job_f[j, J_LAST] - c,
                            tf[s, TF_DEADLINE] - c,
                            -1,
                            job_f[j, J_LAST],
                        )
                _job_task_gone(si, job_i, j)
            if not lost:
                _free_task(si, ti, s)
            _start_queued(si, sf, ev, hk, hv, tf, ti, node_f, node_i, node_s, node_t, k, now)
        elif typ == E_FAIL:
            k = a
            if node_s[k, NS_UP] == 0:
                continue
            if si[SI_EV_N] + node_s[k, NS_BUSY] + node_s[k, NS_QLEN] + 4 > ev.shape[0]:
                _push_event(si, sf, ev, hk, hv, now, E_FAIL, k, gb)  # put it back; grow first
                si[SI_STATUS] = ST_GROW_EVENTS
                return
            _busy_update(node_t, node_s, k, now)
            node_s[k, NS_UP] = 0
            node_s[k, NS_FAILS] += 1
            node_t[k, NT_DOWN_SINCE] = now
            fid = si[SI_NFAIL]
            si[SI_NFAIL] += 1
            node_s[k, NS_FID] = fid
            dur = gb * 1e-6 if gb > 0 else _expo(si, node_f[k, NF_MTTR])  # scheduled: given in us
            fails[fid, FR_TIME] = now
            fails[fid, FR_NODE] = k
            fails[fid, FR_AFFECTED] = 0
            fails[fid, FR_OUT] = 0
            fails[fid, FR_LAST] = now
            fails[fid, FR_DUR] = dur
            s = node_s[k, NS_RES]
            while s >= 0:
                nxt = ti[s, TI_RNEXT]
                if prm[P_RECOVERY] == 1 and _in_service(ti, node_s, s, k):
                    # checkpoint restart: keep the work done up to the last checkpoint
                    done = (now - tf[s, TF_START]) * node_f[k, NF_SPEED]
                    step = sf[SF_CKPT] * node_f[k, NF_SPEED]
                    if step > 0:
                        tf[s, TF_SIZE] -= min(np.floor(done / step) * step, tf[s, TF_SIZE])
                _lose(prm, si, sf, ev, hk, hv, tf, ti, buckets, fails, s, fid, now, now + sf[SF_DETECT])
                s = nxt
            node_s[k, NS_RES] = -1
            node_s[k, NS_BUSY] = 0
            node_s[k, NS_QLEN] = 0
            node_t[k, NT_WORK] = 0.0
            node_t[k, NT_MEM] = 0.0
            _push_event(si, sf, ev, hk, hv, now + sf[SF_DETECT], E_DETECT, k, node_s[k, NS_FAILS])
            _push_event(si, sf, ev, hk, hv, now + dur, E_REPAIR, k, node_s[k, NS_FAILS])
        elif typ == E_DETECT:
            k = a
            if node_s[k, NS_UP] == 0 and node_s[k, NS_FAILS] == gb:
                node_s[k, NS_KNOWN_UP] = 0
        elif typ == E_REPAIR:
            k = a
            node_s[k, NS_UP] = 1
            node_s[k, NS_KNOWN_UP] = 1
            node_t[k, NT_LAST] = now
            node_t[k, NT_DOWN_T] += now - node_t[k, NT_DOWN_SINCE]
            if node_f[k, NF_MTBF] > 0:
                _push_event(si, sf, ev, hk, hv, now + _expo(si, node_f[k, NF_MTBF]), E_FAIL, k, 0)
        elif typ == E_MOVE:
            deg = adj_ptr[dev_i[a, DI_AP] + 1] - adj_ptr[dev_i[a, DI_AP]]
            if deg > 0:
                dev_i[a, DI_AP] = adj_idx[adj_ptr[dev_i[a, DI_AP]] + min(np.int64(_rand(si) * deg), deg - 1)]
                si[SI_MOVES] += 1
            _push_event(si, sf, ev, hk, hv, now + _expo(si, dev_f[a, DF_DWELL]), E_MOVE, a, 0)
        elif typ == E_LINK_FAIL:
            if links[a] == 0:
                continue
            links[a] = 0
            si[SI_NLINKFAIL] += 1
            dur = gb * 1e-6 if gb > 0 else _expo(si, sf[SF_LMTTR])  # scheduled: given in us
            _push_event(si, sf, ev, hk, hv, now + dur, E_LINK_REPAIR, a, 0)
            si[SI_STATUS] = ST_TOPOLOGY
            return
        elif typ == E_LINK_REPAIR:
            links[a] = 1
            if sf[SF_LMTBF] > 0:
                _push_event(si, sf, ev, hk, hv, now + _expo(si, sf[SF_LMTBF]), E_LINK_FAIL, a, 0)
            si[SI_STATUS] = ST_TOPOLOGY
            return
    si[SI_STATUS] = ST_DONE


@njit(cache=True, fastmath=STRICT, error_model="numpy", _nrt=False)
def _in_service(ti, node_s, s, k):
    """Whether resident task s is being served (not waiting in the queue)."""
    q = node_s[k, NS_QHEAD]
    for _ in range(node_s[k, NS_QLEN]):
        if q == s:
            return False
        q = ti[q, TI_NEXT]
    return True


@njit(cache=True, fastmath=STRICT)
def path_bottleneck(dist, pred, link_mbps):
    """Narrowest link (Mbit/s) on each shortest path: rows of ``dist``/``pred`` are single-source
    results from source index ``r``; ``link_mbps[u, v]`` is the link's rate (inf: no limit)."""
    n_src, n = dist.shape
    out = np.full((n_src, n), np.inf)
    for r in range(n_src):
        for b in np.argsort(dist[r]):
            p = pred[r, b]
            if p >= 0:
                out[r, b] = min(out[r, p], link_mbps[p, b])
    return out
