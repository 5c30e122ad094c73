"""Shortest-path kernels over CSR arrays (no validation here; see :mod:`workbench.net.routing`).

Graph layout: ``indptr`` int64 (n+1), ``indices`` int32 (m), ``weights`` float64 (m); the
out-edges of node ``u`` are ``indices[indptr[u]:indptr[u+1]]``. Weights must be finite and
``>= 0`` (checked by the caller). Unreached nodes keep distance ``inf`` and predecessor -1.

The priority queue is a 4-ary min-heap with lazy deletion (shallower than a binary heap,
and its four children share a cache line): a node is pushed each time its
tentative distance strictly improves, and stale entries (key > current distance) are
skipped when popped. A node is therefore settled exactly once, when it is popped with
``key == dist[node]``.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from .._config import STRICT
from .._kernels import heap_pop as _heap_pop
from .._kernels import heap_push as _heap_push

# ---------------------------------------------------------------------------------------
# the one Dijkstra loop every public kernel uses


@njit(cache=True, fastmath=STRICT)
def _dijkstra_run(
    indptr,
    indices,
    weights,
    sources,
    dist,
    pred,
    origin,
    hk,
    hv,
    limit,
    max_settled,
    target_mark,
    n_targets,
    touched,
    n_touched,
    settled_order,
):
    """Run Dijkstra from ``sources`` (all at distance 0) into pre-initialised arrays.

    ``dist`` must be ``inf`` and ``pred``/``origin`` -1 at every node not listed in
    ``touched[:n_touched]``. ``origin`` (index of the source a node was reached from) and
    ``touched`` (nodes whose distance left ``inf``, for a cheap reset) are maintained only
    when non-empty. Stops early when ``max_settled`` nodes are settled (if > 0)
    or when ``n_targets`` nodes with ``target_mark[v] != 0`` are settled (if > 0).
    Relaxations beyond ``limit`` are ignored. Returns ``(n_touched, n_settled)``; the
    settled nodes are written in order to ``settled_order`` when it is non-empty.

    Optional int32 arrays are passed as zero-length views (``pred[:0]``), which cost no
    allocation; that keeps a call on a small graph at a few microseconds.
    """
    size = 0
    record = settled_order.shape[0] > 0
    track_origin = origin.shape[0] > 0
    track_touched = touched.shape[0] > 0
    for k in range(sources.shape[0]):
        s = sources[k]
        if dist[s] > 0.0:
            if track_touched and dist[s] == np.inf:
                touched[n_touched] = s
                n_touched += 1
            dist[s] = 0.0
            pred[s] = -1
            if track_origin:
                origin[s] = k
            size = _heap_push(hk, hv, size, 0.0, s)
    n_settled = 0
    while size > 0:
        d = hk[0]
        u = hv[0]
        size = _heap_pop(hk, hv, size)
        if d > dist[u]:
            continue  # stale entry
        if record:
            settled_order[n_settled] = u
        n_settled += 1
        if n_targets > 0 and target_mark[u] != 0:
            n_targets -= 1
            if n_targets == 0:
                break
        if max_settled > 0 and n_settled >= max_settled:
            break
        for e in range(indptr[u], indptr[u + 1]):
            v = indices[e]
            nd = d + weights[e]
            if nd < dist[v] and nd <= limit:
                if track_touched and dist[v] == np.inf:
                    touched[n_touched] = v
                    n_touched += 1
                dist[v] = nd
                pred[v] = u
                if track_origin:
                    origin[v] = origin[u]
                size = _heap_push(hk, hv, size, nd, v)
    return n_touched, n_settled


@njit(cache=True, fastmath=STRICT)
def _heap(n, m):
    """Heap storage: at most one push per source plus one per successful relaxation."""
    return np.empty(m + n + 1, np.float64), np.empty(m + n + 1, np.int32)


@njit(cache=True, fastmath=STRICT)
def _expand(indptr, indices, weights, u, d, dist, dist_other, pred, hk, hv, size, touched, n_touched, mu, meet):
    """Relax the arcs of ``u`` (settled at ``d``) for one side of a bidirectional search and
    update the best meeting length ``mu`` through each neighbour the other side has reached."""
    for e in range(indptr[u], indptr[u + 1]):
        v = indices[e]
        nd = d + weights[e]
        if nd < dist[v]:
            if dist[v] == np.inf:
                touched[n_touched] = v
                n_touched += 1
            dist[v] = nd
            pred[v] = u
            size = _heap_push(hk, hv, size, nd, v)
        if dist_other[v] < np.inf and nd + dist_other[v] < mu:
            mu = nd + dist_other[v]
            meet = v
    return size, n_touched, mu, meet


@njit(cache=True, fastmath=STRICT)
def _bidirectional(
    indptr,
    indices,
    weights,
    rindptr,
    rindices,
    rweights,
    s,
    t,
    df,
    db,
    pf,
    pb,
    hkf,
    hvf,
    hkb,
    hvb,
    touched_f,
    touched_b,
):
    """Bidirectional Dijkstra from ``s`` (forward arcs) and ``t`` (reverse arcs).

    Always expands the side whose smallest tentative distance is smaller; stops when
    ``top_forward + top_backward >= mu``, the best ``s``-``t`` length seen so far, which is
    then optimal. Returns ``(mu, meet, n_touched_f, n_touched_b)``; ``meet`` is a node on a
    shortest path (-1 if unreachable), with ``pf`` leading back to ``s`` and ``pb`` forward to
    ``t``. Work arrays must be clean (``inf`` / -1); touched nodes are listed for the reset.
    """
    df[s] = 0.0
    db[t] = 0.0
    touched_f[0] = s
    touched_b[0] = t
    ntf = 1
    ntb = 1
    if s == t:
        return 0.0, s, ntf, ntb
    hkf[0] = 0.0
    hvf[0] = s
    hkb[0] = 0.0
    hvb[0] = t
    sf = 1
    sb = 1
    mu = np.inf
    meet = -1
    while True:
        while sf > 0 and hkf[0] > df[hvf[0]]:
            sf = _heap_pop(hkf, hvf, sf)
        while sb > 0 and hkb[0] > db[hvb[0]]:
            sb = _heap_pop(hkb, hvb, sb)
        if sf == 0 or sb == 0 or hkf[0] + hkb[0] >= mu:
            break
        if hkf[0] <= hkb[0]:
            d = hkf[0]
            u = hvf[0]
            sf = _heap_pop(hkf, hvf, sf)
            sf, ntf, mu, meet = _expand(
                indptr, indices, weights, u, d, df, db, pf, hkf, hvf, sf, touched_f, ntf, mu, meet
            )
        else:
            d = hkb[0]
            u = hvb[0]
            sb = _heap_pop(hkb, hvb, sb)
            sb, ntb, mu, meet = _expand(
                rindptr, rindices, rweights, u, d, db, df, pb, hkb, hvb, sb, touched_b, ntb, mu, meet
            )
    return mu, meet, ntf, ntb


@njit(cache=True, fastmath=STRICT)
def _bidirectional_workspace(n, m):
    """Clean arrays for :func:`_bidirectional`: distances, predecessors, heaps and touched lists per side."""
    df = np.full(n, np.inf)
    db = np.full(n, np.inf)
    pf = np.full(n, -1, np.int32)
    pb = np.full(n, -1, np.int32)
    hkf, hvf = _heap(n, m)
    hkb, hvb = _heap(n, m)
    return df, db, pf, pb, hkf, hvf, hkb, hvb, np.empty(n, np.int32), np.empty(n, np.int32)


# ---------------------------------------------------------------------------------------
# public kernels


@njit(cache=True, fastmath=STRICT)
def sssp(indptr, indices, weights, source, limit):
    """Single-source distances and predecessors from one node."""
    n = indptr.shape[0] - 1
    m = indices.shape[0]
    dist = np.full(n, np.inf)
    pred = np.full(n, -1, np.int32)
    hk, hv = _heap(n, m)
    sources = np.empty(1, np.int32)
    sources[0] = source
    none = pred[:0]
    _dijkstra_run(indptr, indices, weights, sources, dist, pred, none, hk, hv, limit, 0, none, 0, none, 0, none)
    return dist, pred


@njit(cache=True, fastmath=STRICT)
def nearest_source(indptr, indices, weights, sources, limit):
    """Distance from the nearest of ``sources`` to every node, its index in ``sources``, and predecessors."""
    n = indptr.shape[0] - 1
    m = indices.shape[0]
    dist = np.full(n, np.inf)
    pred = np.full(n, -1, np.int32)
    origin = np.full(n, -1, np.int32)
    hk, hv = _heap(n, m)
    none = pred[:0]
    _dijkstra_run(indptr, indices, weights, sources, dist, pred, origin, hk, hv, limit, 0, none, 0, none, 0, none)
    return dist, origin, pred


@njit(cache=True, fastmath=STRICT)
def k_nearest(indptr, indices, weights, source, k, limit):
    """The ``k`` closest nodes to ``source`` (itself first), in settling order, with distances and predecessors."""
    n = indptr.shape[0] - 1
    m = indices.shape[0]
    dist = np.full(n, np.inf)
    pred = np.full(n, -1, np.int32)
    hk, hv = _heap(n, m)
    sources = np.empty(1, np.int32)
    sources[0] = source
    order = np.empty(n, np.int32)
    none = pred[:0]
    _, n_settled = _dijkstra_run(
        indptr, indices, weights, sources, dist, pred, none, hk, hv, limit, k, none, 0, none, 0, order
    )
    nodes = order[:n_settled].copy()
    return nodes, dist[nodes], pred[nodes]


@njit(cache=True, fastmath=STRICT)
def multi_source_rows(indptr, indices, weights, sources, limit, out, pred_out):
    """One Dijkstra per source, run directly in row ``i`` of ``out`` (float64) for ``sources[i]``.

    ``pred_out`` is an int32 array of the same shape as ``out``, or of shape (0, 0) to skip
    predecessors. The heap is reused across rows.
    """
    n = indptr.shape[0] - 1
    m = indices.shape[0]
    hk, hv = _heap(n, m)
    src = np.empty(1, np.int32)
    want_pred = pred_out.shape[0] > 0
    scratch = np.empty(n, np.int32)
    none = scratch[:0]
    for i in range(sources.shape[0]):
        src[0] = sources[i]
        row = out[i]
        row[:] = np.inf
        pred = pred_out[i] if want_pred else scratch
        pred[:] = -1
        _dijkstra_run(indptr, indices, weights, src, row, pred, none, hk, hv, limit, 0, none, 0, none, 0, none)


@njit(cache=True, fastmath=STRICT)
def point_to_point(indptr, indices, weights, rindptr, rindices, rweights, sources, targets, group_start):
    """Distances for many (source, target) pairs, each search stopped early.

    Pairs must be sorted by source; ``group_start`` (length groups+1) delimits runs of
    equal sources. A run with one target uses bidirectional search (``r*`` arrays are the
    reverse graph; pass the forward arrays again for undirected graphs); a run with several
    targets uses one forward search that stops once all of them are settled.
    """
    n = indptr.shape[0] - 1
    m = indices.shape[0]
    out = np.empty(sources.shape[0])
    df, db, pf, pb, hkf, hvf, hkb, hvb, tf, tb = _bidirectional_workspace(n, m)
    mark = np.zeros(n, np.int32)
    src = np.empty(1, np.int32)
    none = pf[:0]
    for g in range(group_start.shape[0] - 1):
        a = group_start[g]
        b = group_start[g + 1]
        ntb = 0
        if b - a == 1:
            mu, _, ntf, ntb = _bidirectional(
                indptr,
                indices,
                weights,
                rindptr,
                rindices,
                rweights,
                sources[a],
                targets[a],
                df,
                db,
                pf,
                pb,
                hkf,
                hvf,
                hkb,
                hvb,
                tf,
                tb,
            )
            out[a] = mu
        else:
            src[0] = sources[a]
            n_targets = 0
            for i in range(a, b):
                t = targets[i]
                if not mark[t]:
                    mark[t] = True
                    n_targets += 1
            ntf, _ = _dijkstra_run(
                indptr, indices, weights, src, df, pf, none, hkf, hvf, np.inf, 0, mark, n_targets, tf, 0, none
            )
            for i in range(a, b):
                out[i] = df[targets[i]]
                mark[targets[i]] = 0
        for j in range(ntf):
            df[tf[j]] = np.inf
            pf[tf[j]] = -1
        for j in range(ntb):
            db[tb[j]] = np.inf
            pb[tb[j]] = -1
    return out


@njit(cache=True, fastmath=STRICT)
def path_to(pred, target):
    """Node indices of the path ending at ``target``, following predecessors back to a root."""
    length = 1
    v = target
    while pred[v] >= 0:
        v = pred[v]
        length += 1
    path = np.empty(length, np.int64)
    v = target
    for i in range(length - 1, -1, -1):
        path[i] = v
        v = pred[v]
    return path


@njit(cache=True, fastmath=STRICT)
def single_pair(indptr, indices, weights, rindptr, rindices, rweights, source, target):
    """Distance and node path from ``source`` to ``target`` by bidirectional search.

    Returns ``(inf, empty path)`` when the target is unreachable.
    """
    n = indptr.shape[0] - 1
    m = indices.shape[0]
    df, db, pf, pb, hkf, hvf, hkb, hvb, tf, tb = _bidirectional_workspace(n, m)
    mu, meet, _, _ = _bidirectional(
        indptr,
        indices,
        weights,
        rindptr,
        rindices,
        rweights,
        source,
        target,
        df,
        db,
        pf,
        pb,
        hkf,
        hvf,
        hkb,
        hvb,
        tf,
        tb,
    )
    if meet < 0:
        return np.inf, np.empty(0, np.int64)
    head = path_to(pf, meet)
    length = head.shape[0]
    v = meet
    while pb[v] >= 0:
        v = pb[v]
        length += 1
    path = np.empty(length, np.int64)
    path[: head.shape[0]] = head
    i = head.shape[0]
    v = meet
    while pb[v] >= 0:
        v = pb[v]
        path[i] = v
        i += 1
    return mu, path
