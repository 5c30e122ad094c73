"""The discrete-event engine: arrivals, dispatch, queues, service, failures, link outages, mobility and
workflow jobs, advanced event by event until done, paused or waiting for a decision.

Every function takes the state as named records (:mod:`.layout`: ``g`` globals, ``dev`` devices,
``nodes``, ``backbone``, ``evq`` the event queue, ``tasks``, ``stats``, ``wf`` the workflow, ``jobs``) and
unpacks the arrays it uses into local names on its first lines.

The engine's functions allocate nothing and are compiled without numba's reference counting
(``_nrt=False``): with branches in the event loop numba cannot prune the atomic incref/decref pairs of
the arrays each helper receives, and they cost more than the simulation itself (measured with the
records: 0.54 vs 6.7 M customers/s on M/M/4; ``tests/test_edge_sim.py`` checks the compiled code has no
reference counting). ``error_model='numpy'`` drops the division-by-zero checks.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from ..._config import STRICT
from ..._kernels import heap_pop, heap_push
from .layout import (
    ARR_PERIODIC,
    ARR_POISSON,
    B_BUSY,
    B_CREATED,
    B_DONE,
    B_DROPPED,
    B_MISSED,
    B_RESP,
    B_RETRIED,
    DF_ACC,
    DF_DEADLINE,
    DF_DIN,
    DF_DOUT,
    DF_DWELL,
    DF_INV_DOWN,
    DF_INV_UP,
    DF_MEM,
    DF_OFF,
    DF_ON,
    DF_PCPU,
    DF_PTX,
    DF_RATE,
    DF_SIZE,
    DF_SPEED,
    DI_AP,
    DI_ARR,
    DI_SDIST,
    DS_FREE,
    DS_ON,
    DS_PHASE_END,
    E_ARR,
    E_DEP,
    E_DETECT,
    E_FAIL,
    E_LINK_FAIL,
    E_LINK_REPAIR,
    E_MOVE,
    E_NODE,
    E_REPAIR,
    E_RETRY,
    EV_A,
    EV_B,
    EV_TYPE,
    FR_AFFECTED,
    FR_DUR,
    FR_LAST,
    FR_NODE,
    FR_OUT,
    FR_TIME,
    H_BINS,
    H_GAMMA,
    H_MIN,
    J_CREATED,
    J_DEAD,
    J_LAST,
    J_LEFT,
    J_LIVE,
    J_NEXT,
    N_FEATURES,
    NF_ACC,
    NF_INV_BW,
    NF_INV_CAP,
    NF_INV_SPEED,
    NF_MEM,
    NF_MTBF,
    NF_MTTR,
    NF_SPEED,
    NI_AP,
    NI_CORES,
    NI_DISC,
    NI_QCAP,
    NI_TIER,
    NS_BUSY,
    NS_DROPPED,
    NS_FAILS,
    NS_FID,
    NS_KNOWN_UP,
    NS_MAXQ,
    NS_QHEAD,
    NS_QLEN,
    NS_QTAIL,
    NS_RES,
    NS_SERVED,
    NS_UP,
    NT_BUSY_T,
    NT_DOWN_SINCE,
    NT_DOWN_T,
    NT_LAST,
    NT_MEM,
    NT_RESP,
    NT_WORK,
    P_POLICY,
    P_RECOVERY,
    P_TRIES,
    POL_EXTERNAL,
    POL_LEAST,
    POL_NEAREST,
    POL_OFFLOAD,
    POL_RANDOM,
    POL_RR,
    POL_SCORE,
    Q_EDF,
    Q_FCFS,
    SD_DET,
    SD_UNIF,
    SF_BUCKET,
    SF_CKPT,
    SF_DETECT,
    SF_EDEV,
    SF_LMTBF,
    SF_LMTTR,
    SF_NOW,
    SF_RESP_SQ,
    SF_RESP_SUM,
    SF_WAIT_N,
    SF_WAIT_SQ,
    SF_WAIT_SUM,
    SF_WARM,
    SI_DONE,
    SI_DROPPED,
    SI_EV_FREE,
    SI_EV_N,
    SI_EVENTS,
    SI_GEN,
    SI_HEAP,
    SI_J_FREE,
    SI_J_N,
    SI_LOCAL,
    SI_MEASURED,
    SI_MISSED,
    SI_MOVES,
    SI_NFAIL,
    SI_NLINKFAIL,
    SI_PENDING,
    SI_RETRIED,
    SI_RNG,
    SI_RR,
    SI_STATUS,
    SI_T_FREE,
    SI_T_N,
    ST_DECIDE,
    ST_DONE,
    ST_GROW_BUCKETS,
    ST_GROW_EVENTS,
    ST_GROW_FAILS,
    ST_GROW_JOBS,
    ST_GROW_TASKS,
    ST_PAUSE,
    ST_TOPOLOGY,
    TF_ARRIVE,
    TF_CREATED,
    TF_DEADLINE,
    TF_FULL,
    TF_MEM,
    TF_RET,
    TF_SIZE,
    TF_START,
    TI_DEV,
    TI_FAIL,
    TI_GEN,
    TI_JOB,
    TI_NEXT,
    TI_NODE,
    TI_RNEXT,
    TI_RPREV,
    TI_TRIES,
    TI_WT,
    Devices,
    Globals,
    Jobs,
    Network,
    Nodes,
    Queue,
    Stats,
    Tasks,
    Workflow,
)


@njit(cache=True, fastmath=STRICT, error_model="numpy", _nrt=False)
def _rand(g):
    """SplitMix64 (Steele, Lea & Flood 2014) on the state's RNG word: a uniform in [0, 1)."""
    si = g.si
    z = np.uint64(si[SI_RNG]) + np.uint64(0x9E3779B97F4A7C15)
    si[SI_RNG] = np.int64(z)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    z = z ^ (z >> np.uint64(31))
    return np.float64(np.int64(z >> np.uint64(11))) * (1.0 / 9007199254740992.0)  # signed: one instruction


@njit(cache=True, fastmath=STRICT, error_model="numpy", _nrt=False)
def _expo(g, mean):
    return -mean * np.log(1.0 - _rand(g))


@njit(cache=True, fastmath=STRICT, error_model="numpy", _nrt=False)
def hist_bin(x):
    if x <= H_MIN:
        return 0
    if not x < 1e300:  # inf or NaN: the overflow bin, never out of bounds
        return H_BINS - 1
    b = np.int64(np.log(x / H_MIN) / np.log(H_GAMMA)) + 1
    return min(b, H_BINS - 1)


@njit(cache=True, fastmath=STRICT, error_model="numpy", _nrt=False)
def _take(g, free, high, pool, link):
    """A slot from a pool: the head of its free list (linked through column ``link``), else a new one."""
    si = g.si
    x = si[free]
    if x >= 0:
        si[free] = pool[x, link]
    else:
        x = si[high]
        si[high] += 1
    return x


@njit(cache=True, fastmath=STRICT, error_model="numpy", _nrt=False)
def _push_event(g, evq, t, typ, a, b):
    si = g.si
    ev, hk, hv = evq.ev, evq.hk, evq.hv
    e = _take(g, SI_EV_FREE, SI_EV_N, ev, EV_A)
    ev[e, EV_TYPE] = typ
    ev[e, EV_A] = a
    ev[e, EV_B] = b
    si[SI_HEAP] = heap_push(hk, hv, si[SI_HEAP], t, e)


@njit(cache=True, fastmath=STRICT, error_model="numpy", _nrt=False)
def _new_task(g, tasks):
    ti = tasks.i
    return _take(g, SI_T_FREE, SI_T_N, ti, TI_NEXT)


@njit(cache=True, fastmath=STRICT, error_model="numpy", _nrt=False)
def _free_task(g, tasks, s):
    si = g.si
    ti = tasks.i
    ti[s, TI_GEN] += 1
    ti[s, TI_NEXT] = si[SI_T_FREE]
    si[SI_T_FREE] = s


@njit(cache=True, fastmath=STRICT, error_model="numpy", _nrt=False)
def _net_s(dev, nodes, backbone, d, k):
    """One-way network latency device -> node in seconds (access + backbone + access)."""
    dev_f, dev_i = dev.f, dev.i
    node_f, node_i = nodes.f, nodes.i
    lat = backbone.lat
    return (dev_f[d, DF_ACC] + lat[0, dev_i[d, DI_AP], node_i[k, NI_AP]] + node_f[k, NF_ACC]) * 1e-3


@njit(cache=True, fastmath=STRICT, error_model="numpy", _nrt=False)
def _usable(dev, nodes, backbone, d, k):
    """Node k is believed up and reachable from device d over the backbone (links can fail)."""
    dev_i = dev.i
    node_i, node_s = nodes.i, nodes.s
    lat = backbone.lat
    return node_s[k, NS_KNOWN_UP] == 1 and lat[0, dev_i[d, DI_AP], node_i[k, NI_AP]] < np.inf


@njit(cache=True, fastmath=STRICT, error_model="numpy", _nrt=False)
def _xfer(dev, nodes, backbone, d, k, col_mb, col_inv):
    """Seconds to move the device's input (DF_DIN, DF_INV_UP) or output (DF_DOUT, DF_INV_DOWN) to or
    from node k: the slowest of the device link, the node link and the backbone path's bottleneck."""
    dev_f, dev_i = dev.f, dev.i
    node_f, node_i = nodes.f, nodes.i
    lat = backbone.lat
    return dev_f[d, col_mb] * max(dev_f[d, col_inv], node_f[k, NF_INV_BW], lat[1, dev_i[d, DI_AP], node_i[k, NI_AP]])


@njit(cache=True, fastmath=STRICT, error_model="numpy", _nrt=False)
def node_features(dev, nodes, backbone, d, size, out):
    """The per-node features a scoring scheduler sees for a task of ``size`` MI from device d:
    [latency s, load per core, estimated wait s, execution s, cloud flag, transfer s]."""
    node_f, node_i, node_s, node_t = nodes.f, nodes.i, nodes.s, nodes.t
    for k in range(node_f.shape[0]):
        cores = node_i[k, NI_CORES]
        sp = node_f[k, NF_SPEED]
        out[k, 0] = _net_s(dev, nodes, backbone, d, k)
        out[k, 1] = (node_s[k, NS_BUSY] + node_s[k, NS_QLEN]) / cores
        out[k, 2] = node_t[k, NT_WORK] / (cores * sp)
        out[k, 3] = size / sp
        out[k, 4] = 1.0 if node_i[k, NI_TIER] == 1 else 0.0
        out[k, 5] = _xfer(dev, nodes, backbone, d, k, DF_DIN, DF_INV_UP)


@njit(cache=True, fastmath=STRICT, error_model="numpy", _nrt=False)
def _est_done(dev, nodes, backbone, d, k, size):
    """Estimated completion: there and back, input and output transfers, backlog, execution.
    Multiplications by stored inverses only (it runs for every node on every task)."""
    node_f, node_t = nodes.f, nodes.t
    net = _net_s(dev, nodes, backbone, d, k)
    return (
        2.0 * net
        + _xfer(dev, nodes, backbone, d, k, DF_DIN, DF_INV_UP)
        + _xfer(dev, nodes, backbone, d, k, DF_DOUT, DF_INV_DOWN)
        + node_t[k, NT_WORK] * node_f[k, NF_INV_CAP]
        + size * node_f[k, NF_INV_SPEED]
    )


@njit(cache=True, fastmath=STRICT, error_model="numpy", _nrt=False)
def _choose(g, dev, nodes, backbone, stats, d, size, now, deadline):
    """The scheduler: a node index, -1 to run on the device itself, -2 if no node is known up."""
    prm, si, weights = g.prm, g.si, g.weights
    dev_f, dev_s = dev.f, dev.s
    node_f, node_i, node_s = nodes.f, nodes.i, nodes.s
    feats = stats.feats
    k_n = node_f.shape[0]
    pol = prm[P_POLICY]
    if pol == POL_RANDOM:
        k0 = min(np.int64(_rand(g) * k_n), k_n - 1)
        for j in range(k_n):
            k = k0 + j
            if k >= k_n:
                k -= k_n
            if _usable(dev, nodes, backbone, d, k):
                return k
        return -2
    if pol == POL_RR:
        for _ in range(k_n):
            k = si[SI_RR] % k_n
            si[SI_RR] += 1
            if _usable(dev, nodes, backbone, d, k):
                return k
        return -2
    best = -2
    best_v = np.inf
    if pol == POL_SCORE:
        node_features(dev, nodes, backbone, d, size, feats)
        for k in range(k_n):
            if _usable(dev, nodes, backbone, d, k):
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
                if node_i[k, NI_TIER] == tier and _usable(dev, nodes, backbone, d, k):
                    v = _est_done(dev, nodes, backbone, d, k, size)
                    if v < tt:
                        tt = v
                        kt = k
            if kt >= 0:
                e = dev_f[d, DF_PTX] * _xfer(dev, nodes, backbone, d, kt, DF_DIN, DF_INV_UP)
                if tt <= deadline and e < best_e:
                    best_e = e
                    best = kt
                if tt < fast_t:
                    fast_t = tt
                    fast = kt
        return best if best != -2 else fast
    for k in range(k_n):
        if not _usable(dev, nodes, backbone, d, k):
            continue
        if pol == POL_LEAST:
            v = (node_s[k, NS_BUSY] + node_s[k, NS_QLEN]) / node_i[k, NI_CORES]
        elif pol == POL_NEAREST:
            v = _net_s(dev, nodes, backbone, d, k)
        else:  # POL_MCT
            v = _est_done(dev, nodes, backbone, d, k, size)
        if v < best_v:
            best_v = v
            best = k
    return best


@njit(cache=True, fastmath=STRICT, error_model="numpy", _nrt=False)
def _next_arrival(g, dev, d, now):
    dev_f, dev_i, dev_s = dev.f, dev.i, dev.s
    kind = dev_i[d, DI_ARR]
    rate = dev_f[d, DF_RATE]
    if kind == ARR_PERIODIC:
        return now + 1.0 / rate
    if kind == ARR_POISSON:
        return now + _expo(g, 1.0 / rate)
    # bursty: on/off Markov-modulated Poisson; rate_on keeps the long-run mean at ``rate``
    on, off = dev_f[d, DF_ON], dev_f[d, DF_OFF]
    rate_on = rate * (on + off) / on
    t = now
    while True:
        if dev_s[d, DS_ON] == 0.0:  # off: jump to the next on phase
            t = dev_s[d, DS_PHASE_END]
            dev_s[d, DS_ON] = 1.0
            dev_s[d, DS_PHASE_END] = t + _expo(g, on)
        cand = t + _expo(g, 1.0 / rate_on)
        if cand <= dev_s[d, DS_PHASE_END]:
            return cand
        t = dev_s[d, DS_PHASE_END]
        dev_s[d, DS_ON] = 0.0
        dev_s[d, DS_PHASE_END] = t + _expo(g, off)


@njit(cache=True, fastmath=STRICT, error_model="numpy", _nrt=False)
def _size(g, dev, d):
    dev_f, dev_i = dev.f, dev.i
    m = dev_f[d, DF_SIZE]
    k = dev_i[d, DI_SDIST]
    if k == SD_DET:
        return m
    if k == SD_UNIF:
        return m * (0.5 + _rand(g))
    return _expo(g, m)


@njit(cache=True, fastmath=STRICT, error_model="numpy", _nrt=False)
def _busy_update(nodes, k, now):
    node_t, node_s = nodes.t, nodes.s
    node_t[k, NT_BUSY_T] += node_s[k, NS_BUSY] * (now - node_t[k, NT_LAST])
    node_t[k, NT_LAST] = now


@njit(cache=True, fastmath=STRICT, error_model="numpy", _nrt=False, inline="always")
def _bucket(t, g, stats):
    """The timeline bucket of time ``t``, clamped into the array (the run loop grows the array before
    any time beyond it is recorded; the clamp keeps a float-to-int conversion from ever indexing out)."""
    sf = g.sf
    buckets = stats.buckets
    x = t / sf[SF_BUCKET]
    if not x < buckets.shape[0] - 1.0:  # also NaN
        return buckets.shape[0] - 1
    if x < 0.0:
        return 0
    return np.int64(x)


@njit(cache=True, fastmath=STRICT, error_model="numpy", _nrt=False)
def _record(g, stats, created, resp, deadline, fid, now):
    """A finished task: response time ``resp`` (created -> result back at the device)."""
    si, sf = g.si, g.sf
    hist, buckets, fails = stats.hist, stats.buckets, stats.fails
    si[SI_DONE] += 1
    b = _bucket(created, g, stats)
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
def _start_service(g, evq, tasks, nodes, s, k, now):
    sf = g.sf
    tf, ti = tasks.f, tasks.i
    node_f, node_s, node_t = nodes.f, nodes.s, nodes.t
    _busy_update(nodes, k, now)
    node_s[k, NS_BUSY] += 1
    node_t[k, NT_MEM] += tf[s, TF_MEM]
    tf[s, TF_START] = now
    w = now - tf[s, TF_ARRIVE]
    if tf[s, TF_CREATED] >= sf[SF_WARM]:
        sf[SF_WAIT_SUM] += w
        sf[SF_WAIT_SQ] += w * w
        sf[SF_WAIT_N] += 1
    _push_event(g, evq, now + tf[s, TF_SIZE] / node_f[k, NF_SPEED], E_DEP, s, ti[s, TI_GEN])


@njit(cache=True, fastmath=STRICT, error_model="numpy", _nrt=False)
def _enqueue(tasks, nodes, s, k):
    """Queue task s at node k in its discipline's order (ties keep arrival order)."""
    tf, ti = tasks.f, tasks.i
    node_i, node_s = nodes.i, nodes.s
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
def _start_queued(g, evq, tasks, nodes, k, now):
    """Start queued tasks from the head while a core is free and the head's memory fits."""
    tf, ti = tasks.f, tasks.i
    node_f, node_i, node_s, node_t = nodes.f, nodes.i, nodes.s, nodes.t
    while node_s[k, NS_QLEN] > 0 and node_s[k, NS_BUSY] < node_i[k, NI_CORES]:
        q = node_s[k, NS_QHEAD]
        if node_t[k, NT_MEM] + tf[q, TF_MEM] > node_f[k, NF_MEM]:
            break  # head-of-line blocking: it waits for memory
        node_s[k, NS_QHEAD] = ti[q, TI_NEXT]
        node_s[k, NS_QLEN] -= 1
        _start_service(g, evq, tasks, nodes, q, k, now)


@njit(cache=True, fastmath=STRICT, error_model="numpy", _nrt=False)
def _res_unlink(tasks, nodes, s, k):
    ti = tasks.i
    node_s = nodes.s
    p = ti[s, TI_RPREV]
    n = ti[s, TI_RNEXT]
    if p >= 0:
        ti[p, TI_RNEXT] = n
    else:
        node_s[k, NS_RES] = n
    if n >= 0:
        ti[n, TI_RPREV] = p


@njit(cache=True, fastmath=STRICT, error_model="numpy", _nrt=False)
def _job_task_gone(g, jobs, j):
    """One task of job j finished or was dropped; free the job once none is left."""
    si = g.si
    job_i = jobs.i
    job_i[j, J_LIVE] -= 1
    if job_i[j, J_LIVE] == 0 and (job_i[j, J_LEFT] == 0 or job_i[j, J_DEAD] == 1):
        job_i[j, J_NEXT] = si[SI_J_FREE]
        si[SI_J_FREE] = j


@njit(cache=True, fastmath=STRICT, error_model="numpy", _nrt=False)
def _drop(g, tasks, stats, jobs, s, now):
    """Give task s up; a workflow task takes its whole job down with it (counted once)."""
    si = g.si
    tf, ti = tasks.f, tasks.i
    buckets, fails = stats.buckets, stats.fails
    job_i = jobs.i
    j = ti[s, TI_JOB]
    if j < 0 or job_i[j, J_DEAD] == 0:
        si[SI_DROPPED] += 1
        buckets[_bucket(tf[s, TF_CREATED], g, stats), B_DROPPED] += 1
    if j >= 0:
        job_i[j, J_DEAD] = 1
        _job_task_gone(g, jobs, j)
    f = ti[s, TI_FAIL]
    if f >= 0:
        fails[f, FR_OUT] -= 1
        if now > fails[f, FR_LAST]:
            fails[f, FR_LAST] = now
    _free_task(g, tasks, s)


@njit(cache=True, fastmath=STRICT, error_model="numpy", _nrt=False, inline="always")
def _dispatch(
    g,
    dev,
    nodes,
    backbone,
    evq,
    tasks,
    stats,
    jobs,
    s,
    k,
    now,
):
    """Send task s to node k (or run it locally for k = -1, drop it for k = -2)."""
    si, sf = g.si, g.sf
    dev_f, dev_s = dev.f, dev.s
    node_t = nodes.t
    tf, ti = tasks.f, tasks.i
    d = ti[s, TI_DEV]
    if k == -2:
        _drop(g, tasks, stats, jobs, s, now)
        return
    if k == -1:
        ex = tf[s, TF_SIZE] / dev_f[d, DF_SPEED]
        st = max(dev_s[d, DS_FREE], now)
        dev_s[d, DS_FREE] = st + ex
        sf[SF_EDEV] += dev_f[d, DF_PCPU] * ex
        si[SI_LOCAL] += 1
        _record(
            g,
            stats,
            tf[s, TF_CREATED],
            st + ex - tf[s, TF_CREATED],
            tf[s, TF_DEADLINE] - tf[s, TF_CREATED],
            ti[s, TI_FAIL],
            now,
        )
        _free_task(g, tasks, s)
        return
    up = _xfer(dev, nodes, backbone, d, k, DF_DIN, DF_INV_UP)
    net = _net_s(dev, nodes, backbone, d, k)
    sf[SF_EDEV] += dev_f[d, DF_PTX] * up
    tf[s, TF_RET] = net + _xfer(dev, nodes, backbone, d, k, DF_DOUT, DF_INV_DOWN)
    ti[s, TI_NODE] = k
    node_t[k, NT_WORK] += tf[s, TF_SIZE]
    if net + up > 0.0:
        _push_event(g, evq, now + net + up, E_NODE, s, ti[s, TI_GEN])
    else:
        _node_arrive(
            g,
            dev,
            nodes,
            backbone,
            evq,
            tasks,
            stats,
            jobs,
            s,
            now,
        )


@njit(cache=True, fastmath=STRICT, error_model="numpy", _nrt=False)
def _release(g, tasks, dev, jobs, wf, j, i, d, created, deadline):
    """Create the task for workflow task i of job j (all its inputs are done)."""
    tf, ti = tasks.f, tasks.i
    dev_f = dev.f
    job_i = jobs.i
    w_size = wf.size
    s = _new_task(g, tasks)
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
    g,
    dev,
    nodes,
    backbone,
    evq,
    tasks,
    stats,
    jobs,
    wf,
    s,
    k,
    now,
):
    """Send a workflow task with predecessors to node k: it arrives when the last of its inputs does.
    Inputs leave the predecessors' nodes now (when the task becomes ready); none move within a node."""
    node_f, node_i, node_t = nodes.f, nodes.i, nodes.t
    lat = backbone.lat
    tf, ti = tasks.f, tasks.i
    jt_i = jobs.t
    w_pptr, w_psrc, w_pdata = wf.pptr, wf.psrc, wf.pdata
    if k < 0:
        _drop(g, tasks, stats, jobs, s, now)
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
        _drop(g, tasks, stats, jobs, s, now)
        return
    d = ti[s, TI_DEV]
    tf[s, TF_RET] = _net_s(dev, nodes, backbone, d, k) + _xfer(dev, nodes, backbone, d, k, DF_DOUT, DF_INV_DOWN)
    ti[s, TI_NODE] = k
    node_t[k, NT_WORK] += tf[s, TF_SIZE]
    if dly > 0.0:
        _push_event(g, evq, now + dly, E_NODE, s, ti[s, TI_GEN])
    else:
        _node_arrive(
            g,
            dev,
            nodes,
            backbone,
            evq,
            tasks,
            stats,
            jobs,
            s,
            now,
        )


@njit(cache=True, fastmath=STRICT, error_model="numpy", _nrt=False)
def _lose(g, evq, tasks, stats, s, fid, now, when):
    """Task s was lost with a failed node: retry after the detection delay (or give up)."""
    si = g.si
    tf, ti = tasks.f, tasks.i
    buckets, fails = stats.buckets, stats.fails
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
    buckets[_bucket(tf[s, TF_CREATED], g, stats), B_RETRIED] += 1
    _push_event(g, evq, when, E_RETRY, s, ti[s, TI_GEN])


@njit(cache=True, fastmath=STRICT, error_model="numpy", _nrt=False, inline="always")
def _node_arrive(
    g,
    dev,
    nodes,
    backbone,
    evq,
    tasks,
    stats,
    jobs,
    s,
    now,
):
    """Task s reaches its node: lost if the node is down, dropped if the queue is full, else served or queued."""
    sf = g.sf
    node_f, node_i, node_s, node_t = nodes.f, nodes.i, nodes.s, nodes.t
    tf, ti = tasks.f, tasks.i
    k = ti[s, TI_NODE]
    if node_s[k, NS_UP] == 0:  # sent to a node that is down: found out by time-out
        node_t[k, NT_WORK] -= tf[s, TF_SIZE]
        _lose(g, evq, tasks, stats, s, node_s[k, NS_FID], now, now + sf[SF_DETECT])
        return
    if (node_s[k, NS_QLEN] >= node_i[k, NI_QCAP] and node_s[k, NS_BUSY] >= node_i[k, NI_CORES]) or tf[
        s, TF_MEM
    ] > node_f[k, NF_MEM]:  # full, or a task that can never fit in its memory
        node_t[k, NT_WORK] -= tf[s, TF_SIZE]
        node_s[k, NS_DROPPED] += 1
        _drop(g, tasks, stats, jobs, s, now)
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
        _start_service(g, evq, tasks, nodes, s, k, now)
    else:
        _enqueue(tasks, nodes, s, k)
        _start_queued(g, evq, tasks, nodes, k, now)


@njit(cache=True, fastmath=STRICT, error_model="numpy", _nrt=False)
def run_engine(
    g,
    dev,
    nodes,
    backbone,
    evq,
    tasks,
    stats,
    wf,
    jobs,
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
    prm, si, sf = g.prm, g.si, g.sf
    dev_f, dev_i = dev.f, dev.i
    node_f, node_s, node_t = nodes.f, nodes.s, nodes.t
    links, adj_ptr, adj_idx = backbone.links, backbone.adj_ptr, backbone.adj_idx
    ev, hk, hv = evq.ev, evq.hk, evq.hv
    tf, ti = tasks.f, tasks.i
    buckets, fails, feats = stats.buckets, stats.fails, stats.feats
    w_size, w_pptr, w_sptr, w_sdst = wf.size, wf.pptr, wf.sptr, wf.sdst
    job_f, job_i, jt_i = jobs.f, jobs.i, jobs.t
    n_ev = 0
    n_w = w_size.shape[0]
    if si[SI_PENDING] >= 0 and action >= -2:
        s = si[SI_PENDING]
        si[SI_PENDING] = -1
        k = action
        if k >= 0 and not _usable(dev, nodes, backbone, ti[s, TI_DEV], k):
            k = -2
        _dispatch(
            g,
            dev,
            nodes,
            backbone,
            evq,
            tasks,
            stats,
            jobs,
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
                j = _take(g, SI_J_FREE, SI_J_N, job_i, J_NEXT)
                job_f[j, J_CREATED] = now
                job_f[j, J_LAST] = now
                job_i[j, J_LEFT] = n_w
                job_i[j, J_LIVE] = 0
                job_i[j, J_DEAD] = 0
                for i in range(n_w):
                    jt_i[j, i] = -1
                    jt_i[j, n_w + i] = w_pptr[i + 1] - w_pptr[i]
                buckets[_bucket(now, g, stats), B_CREATED] += 1
                if si[SI_GEN] < max_tasks:
                    _push_event(g, evq, _next_arrival(g, dev, d, now), E_ARR, d, 0)
                dl = now + dev_f[d, DF_DEADLINE]
                for i in range(n_w):
                    if jt_i[j, n_w + i] == 0 and job_i[j, J_DEAD] == 0:
                        s = _release(g, tasks, dev, jobs, wf, j, i, d, now, dl)
                        k = _choose(
                            g,
                            dev,
                            nodes,
                            backbone,
                            stats,
                            d,
                            w_size[i],
                            now,
                            dev_f[d, DF_DEADLINE],
                        )
                        _dispatch(
                            g,
                            dev,
                            nodes,
                            backbone,
                            evq,
                            tasks,
                            stats,
                            jobs,
                            s,
                            k,
                            now,
                        )
                continue
            s = _new_task(g, tasks)
            ti[s, TI_JOB] = -1
            size = _size(g, dev, d)
            tf[s, TF_CREATED] = now
            tf[s, TF_SIZE] = size
            tf[s, TF_FULL] = size
            tf[s, TF_DEADLINE] = now + dev_f[d, DF_DEADLINE]
            tf[s, TF_MEM] = dev_f[d, DF_MEM]
            ti[s, TI_DEV] = d
            ti[s, TI_TRIES] = 0
            ti[s, TI_FAIL] = -1
            ti[s, TI_NODE] = -1
            buckets[_bucket(now, g, stats), B_CREATED] += 1
            if si[SI_GEN] < max_tasks:
                _push_event(g, evq, _next_arrival(g, dev, d, now), E_ARR, d, 0)
            if prm[P_POLICY] == POL_EXTERNAL:
                node_features(dev, nodes, backbone, d, size, feats)
                si[SI_PENDING] = s
                si[SI_STATUS] = ST_DECIDE
                return
            k = _choose(
                g,
                dev,
                nodes,
                backbone,
                stats,
                d,
                size,
                now,
                dev_f[d, DF_DEADLINE],
            )
            _dispatch(
                g,
                dev,
                nodes,
                backbone,
                evq,
                tasks,
                stats,
                jobs,
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
                    g,
                    dev,
                    nodes,
                    backbone,
                    stats,
                    d,
                    tf[s, TF_SIZE],
                    now,
                    tf[s, TF_DEADLINE] - now,
                )
            if j >= 0 and w_pptr[ti[s, TI_WT]] < w_pptr[ti[s, TI_WT] + 1]:
                _dispatch_w(
                    g,
                    dev,
                    nodes,
                    backbone,
                    evq,
                    tasks,
                    stats,
                    jobs,
                    wf,
                    s,
                    k,
                    now,
                )
                continue
            _dispatch(
                g,
                dev,
                nodes,
                backbone,
                evq,
                tasks,
                stats,
                jobs,
                s,
                k,
                now,
            )
        elif typ == E_NODE:
            s = a
            if ti[s, TI_GEN] != gb:
                continue
            _node_arrive(
                g,
                dev,
                nodes,
                backbone,
                evq,
                tasks,
                stats,
                jobs,
                s,
                now,
            )
        elif typ == E_DEP:
            s = a
            if ti[s, TI_GEN] != gb:
                continue
            k = ti[s, TI_NODE]
            _busy_update(nodes, k, now)
            node_s[k, NS_BUSY] -= 1
            node_t[k, NT_MEM] -= tf[s, TF_MEM]
            buckets[_bucket(now, g, stats), B_BUSY] += now - tf[s, TF_START]
            node_t[k, NT_WORK] -= tf[s, TF_SIZE]
            node_s[k, NS_SERVED] += 1
            _res_unlink(tasks, nodes, s, k)
            d = ti[s, TI_DEV]  # the result goes to where the device is now
            tf[s, TF_RET] = _net_s(dev, nodes, backbone, d, k) + _xfer(dev, nodes, backbone, d, k, DF_DOUT, DF_INV_DOWN)
            resp = now + tf[s, TF_RET] - tf[s, TF_CREATED]
            j = ti[s, TI_JOB]
            # a device cut off from the node (failed links) never gets the result: the task is lost
            lost = not tf[s, TF_RET] < np.inf and (j < 0 or w_sptr[ti[s, TI_WT]] == w_sptr[ti[s, TI_WT] + 1])
            if lost:
                _drop(g, tasks, stats, jobs, s, now)
            elif j < 0:
                node_t[k, NT_RESP] += resp
                _record(
                    g,
                    stats,
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
                            s2 = _release(g, tasks, dev, jobs, wf, j, w, d, tf[s, TF_CREATED], tf[s, TF_DEADLINE])
                            k2 = _choose(
                                g,
                                dev,
                                nodes,
                                backbone,
                                stats,
                                d,
                                w_size[w],
                                now,
                                tf[s, TF_DEADLINE] - now,
                            )
                            _dispatch_w(
                                g,
                                dev,
                                nodes,
                                backbone,
                                evq,
                                tasks,
                                stats,
                                jobs,
                                wf,
                                s2,
                                k2,
                                now,
                            )
                    if job_i[j, J_LEFT] == 0:
                        c = job_f[j, J_CREATED]
                        _record(
                            g,
                            stats,
                            c,
                            job_f[j, J_LAST] - c,
                            tf[s, TF_DEADLINE] - c,
                            -1,
                            job_f[j, J_LAST],
                        )
                _job_task_gone(g, jobs, j)
            if not lost:
                _free_task(g, tasks, s)
            _start_queued(g, evq, tasks, nodes, k, now)
        elif typ == E_FAIL:
            k = a
            if node_s[k, NS_UP] == 0:
                continue
            if si[SI_EV_N] + node_s[k, NS_BUSY] + node_s[k, NS_QLEN] + 4 > ev.shape[0]:
                _push_event(g, evq, now, E_FAIL, k, gb)  # put it back; grow first
                si[SI_STATUS] = ST_GROW_EVENTS
                return
            _busy_update(nodes, k, now)
            node_s[k, NS_UP] = 0
            node_s[k, NS_FAILS] += 1
            node_t[k, NT_DOWN_SINCE] = now
            fid = si[SI_NFAIL]
            si[SI_NFAIL] += 1
            node_s[k, NS_FID] = fid
            dur = gb * 1e-6 if gb > 0 else _expo(g, node_f[k, NF_MTTR])  # scheduled: given in us
            fails[fid, FR_TIME] = now
            fails[fid, FR_NODE] = k
            fails[fid, FR_AFFECTED] = 0
            fails[fid, FR_OUT] = 0
            fails[fid, FR_LAST] = now
            fails[fid, FR_DUR] = dur
            s = node_s[k, NS_RES]
            while s >= 0:
                nxt = ti[s, TI_RNEXT]
                if prm[P_RECOVERY] == 1 and _in_service(tasks, nodes, s, k):
                    # checkpoint restart: keep the work done up to the last checkpoint
                    done = (now - tf[s, TF_START]) * node_f[k, NF_SPEED]
                    step = sf[SF_CKPT] * node_f[k, NF_SPEED]
                    if step > 0:
                        tf[s, TF_SIZE] -= min(np.floor(done / step) * step, tf[s, TF_SIZE])
                _lose(g, evq, tasks, stats, s, fid, now, now + sf[SF_DETECT])
                s = nxt
            node_s[k, NS_RES] = -1
            node_s[k, NS_BUSY] = 0
            node_s[k, NS_QLEN] = 0
            node_t[k, NT_WORK] = 0.0
            node_t[k, NT_MEM] = 0.0
            _push_event(g, evq, now + sf[SF_DETECT], E_DETECT, k, node_s[k, NS_FAILS])
            _push_event(g, evq, now + dur, E_REPAIR, k, node_s[k, NS_FAILS])
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
                _push_event(g, evq, now + _expo(g, node_f[k, NF_MTBF]), E_FAIL, k, 0)
        elif typ == E_MOVE:
            deg = adj_ptr[dev_i[a, DI_AP] + 1] - adj_ptr[dev_i[a, DI_AP]]
            if deg > 0:
                dev_i[a, DI_AP] = adj_idx[adj_ptr[dev_i[a, DI_AP]] + min(np.int64(_rand(g) * deg), deg - 1)]
                si[SI_MOVES] += 1
            _push_event(g, evq, now + _expo(g, dev_f[a, DF_DWELL]), E_MOVE, a, 0)
        elif typ == E_LINK_FAIL:
            if links[a] == 0:
                continue
            links[a] = 0
            si[SI_NLINKFAIL] += 1
            dur = gb * 1e-6 if gb > 0 else _expo(g, sf[SF_LMTTR])  # scheduled: given in us
            _push_event(g, evq, now + dur, E_LINK_REPAIR, a, 0)
            si[SI_STATUS] = ST_TOPOLOGY
            return
        elif typ == E_LINK_REPAIR:
            links[a] = 1
            if sf[SF_LMTBF] > 0:
                _push_event(g, evq, now + _expo(g, sf[SF_LMTBF]), E_LINK_FAIL, a, 0)
            si[SI_STATUS] = ST_TOPOLOGY
            return
    si[SI_STATUS] = ST_DONE


#: The records :func:`run_engine` takes, in its order; :func:`run_engine_arrays` takes their fields one by one.
RECORDS = (Globals, Devices, Nodes, Network, Queue, Tasks, Stats, Workflow, Jobs)


@njit(cache=True, fastmath=STRICT, error_model="numpy", _nrt=False)
def run_engine_arrays(
    g_prm,
    g_weights,
    g_si,
    g_sf,
    dev_f,
    dev_i,
    dev_s,
    nodes_f,
    nodes_i,
    nodes_s,
    nodes_t,
    backbone_lat,
    backbone_links,
    backbone_adj_ptr,
    backbone_adj_idx,
    evq_ev,
    evq_hk,
    evq_hv,
    tasks_f,
    tasks_i,
    stats_hist,
    stats_buckets,
    stats_fails,
    stats_feats,
    wf_size,
    wf_pptr,
    wf_psrc,
    wf_pdata,
    wf_sptr,
    wf_sdst,
    jobs_f,
    jobs_i,
    jobs_t,
    max_tasks,
    t_end,
    max_events,
    action,
):
    """:func:`run_engine` with every record's arrays passed one by one, in :data:`RECORDS` order and each
    record's field order (``<record>_<field>``; tests/test_edge_sim.py checks the names against the records).

    The Python caller passes ``[a for record in records for a in record]``: numba types plain array arguments in
    its C dispatcher, a namedtuple argument in Python (about 7 us per call, the cost of a gymnasium step).
    """
    run_engine(
        Globals(g_prm, g_weights, g_si, g_sf),
        Devices(dev_f, dev_i, dev_s),
        Nodes(nodes_f, nodes_i, nodes_s, nodes_t),
        Network(backbone_lat, backbone_links, backbone_adj_ptr, backbone_adj_idx),
        Queue(evq_ev, evq_hk, evq_hv),
        Tasks(tasks_f, tasks_i),
        Stats(stats_hist, stats_buckets, stats_fails, stats_feats),
        Workflow(wf_size, wf_pptr, wf_psrc, wf_pdata, wf_sptr, wf_sdst),
        Jobs(jobs_f, jobs_i, jobs_t),
        max_tasks,
        t_end,
        max_events,
        action,
    )


@njit(cache=True, fastmath=STRICT, error_model="numpy", _nrt=False)
def _in_service(tasks, nodes, s, k):
    """Whether resident task s is being served (not waiting in the queue)."""
    ti = tasks.i
    node_s = nodes.s
    q = node_s[k, NS_QHEAD]
    for _ in range(node_s[k, NS_QLEN]):
        if q == s:
            return False
        q = ti[q, TI_NEXT]
    return True
