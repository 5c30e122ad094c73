"""Compiled union-find decoder (Delfosse and Nickerson 2021, weighted growth) with a peeling decoder.

Pure array functions. The matching graph is in CSR form: ``adj_ptr``/``adj_edge`` list each node's edges;
edge ``e`` joins ``eu[e]`` and ``ev[e]`` (the boundary is node ``n_det``), needs ``ew[e]`` growth units to be
fully grown and flips the observables in the bit mask ``eobs[e]``.

Per shot: every defect starts an odd cluster. While odd clusters remain, each grows along all its incident
edges at once; the step is as long as it takes the nearest such edge to be fully grown (an edge between two odd
clusters grows from both sides, at twice the rate); fully grown edges merge their clusters (union by size, path
halving). A cluster becomes even when it holds an even number of defects or touches the boundary. Then the
peeling decoder walks a spanning forest of the grown edges (rooted at the boundary where a cluster touches it)
from the leaves in, keeping the edge above every vertex that still holds a defect.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from ..._config import STRICT
from ._kernels import bit_index


@njit(cache=True, fastmath=STRICT)
def _find(parent, x):
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


@njit(cache=True, fastmath=STRICT, inline="always")
def _add_vertex(x, boundary, vstamp, touched_v, nv, parent, size, parity, touches, odd):
    vstamp[x] = 1
    touched_v[nv] = x
    parent[x] = x
    size[x] = 1
    parity[x] = odd
    touches[x] = 1 if x == boundary else 0
    return nv + 1


@njit(cache=True, fastmath=STRICT)
def uf_decode_one(defects, n_def, n_nodes, adj_ptr, adj_edge, eu, ev, ew, eobs, ws, out_edges):
    """Observable mask predicted for one shot. ``ws`` is the workspace tuple from :func:`workspace`.

    With ``out_edges`` longer than one, the correction's edges are written to ``out_edges[1:]`` and their number
    to ``out_edges[0]`` (which the caller sets to 0).
    """
    (
        parent,
        size,
        parity,
        touches,
        ghead,
        gnext,
        growth,
        estamp,
        vstamp,
        defect,
        grown,
        touched_v,
        touched_e,
        queue,
        rate,
        tree_edge,
        cand,
    ) = ws
    boundary = n_nodes - 1
    nv = 0
    ne = 0
    for k in range(n_def):
        v = defects[k]
        defect[v] = 1
        if vstamp[v] == 0:
            nv = _add_vertex(v, boundary, vstamp, touched_v, nv, parent, size, parity, touches, 1)
    n_grown = 0
    step = 0
    while True:
        step += 1
        # candidate edges: incident to a vertex of a growing cluster, leading out of it
        n_cand = 0
        for k in range(nv):
            v = touched_v[k]
            r = _find(parent, v)
            if parity[r] == 0 or touches[r]:
                continue
            for j in range(adj_ptr[v], adj_ptr[v + 1]):
                e = adj_edge[j]
                if growth[e] >= ew[e] or estamp[e] == step:
                    continue
                w = ev[e] if eu[e] == v else eu[e]
                if vstamp[w] and _find(parent, w) == r:
                    continue
                if estamp[e] == 0:
                    touched_e[ne] = e
                    ne += 1
                estamp[e] = step
                cand[n_cand] = e
                n_cand += 1
        if n_cand == 0:
            break
        # each candidate grows from every growing side; the step ends when the nearest one is fully grown
        best = 1 << 60
        for c in range(n_cand):
            e = cand[c]
            rt = 0
            for x in (eu[e], ev[e]):
                if vstamp[x]:
                    rx = _find(parent, x)
                    if parity[rx] == 1 and touches[rx] == 0:
                        rt += 1
            rate[c] = rt
            need = (ew[e] - growth[e] + rt - 1) // rt
            if need < best:
                best = need
        for c in range(n_cand):
            e = cand[c]
            growth[e] += best * rate[c]
        for c in range(n_cand):
            e = cand[c]
            if growth[e] < ew[e]:
                continue
            a = eu[e]
            b = ev[e]
            if vstamp[a] == 0:
                nv = _add_vertex(a, boundary, vstamp, touched_v, nv, parent, size, parity, touches, 0)
            if vstamp[b] == 0:
                nv = _add_vertex(b, boundary, vstamp, touched_v, nv, parent, size, parity, touches, 0)
            grown[n_grown] = e
            n_grown += 1
            ra = _find(parent, a)
            rb = _find(parent, b)
            if ra == rb:
                continue
            if size[ra] < size[rb]:
                ra, rb = rb, ra
            parent[rb] = ra
            size[ra] += size[rb]
            parity[ra] ^= parity[rb]
            touches[ra] |= touches[rb]
    # adjacency lists of the grown edges only (head per vertex, next per edge end)
    for k in range(nv):
        ghead[touched_v[k]] = -1
    for g in range(n_grown):
        e = grown[g]
        gnext[2 * g] = ghead[eu[e]]
        ghead[eu[e]] = 2 * g
        gnext[2 * g + 1] = ghead[ev[e]]
        ghead[ev[e]] = 2 * g + 1
    # spanning forest by breadth-first search, the boundary's tree first; then peel from the leaves in
    obs = np.uint64(0)
    head = 0
    tail = 0
    if vstamp[boundary] == 1:
        vstamp[boundary] = 2
        queue[tail] = boundary
        tree_edge[boundary] = -1
        tail += 1
    k = 0
    while True:
        while head < tail:
            v = queue[head]
            head += 1
            j = ghead[v]
            while j >= 0:
                e = grown[j >> 1]
                w = ev[e] if eu[e] == v else eu[e]
                if vstamp[w] == 1:
                    vstamp[w] = 2
                    tree_edge[w] = e
                    queue[tail] = w
                    tail += 1
                j = gnext[j]
        while k < nv and vstamp[touched_v[k]] != 1:
            k += 1
        if k >= nv:
            break
        v = touched_v[k]
        vstamp[v] = 2
        tree_edge[v] = -1
        queue[tail] = v
        tail += 1
    for idx in range(tail - 1, -1, -1):
        v = queue[idx]
        e = tree_edge[v]
        if e < 0 or defect[v] == 0:
            continue
        obs ^= eobs[e]
        if len(out_edges) > 1:
            out_edges[0] += 1
            out_edges[out_edges[0]] = e
        defect[v] = 0
        w = ev[e] if eu[e] == v else eu[e]
        defect[w] ^= 1
    for k2 in range(nv):
        v = touched_v[k2]
        vstamp[v] = 0
        defect[v] = 0
    for k2 in range(ne):
        e = touched_e[k2]
        estamp[e] = 0
        growth[e] = 0
    return obs


@njit(cache=True, fastmath=STRICT)
def workspace(n_nodes, n_edges):
    """Per-decoder scratch arrays, reset after every shot (only the entries a shot touched)."""
    i64 = np.int64
    return (
        np.zeros(n_nodes, i64),
        np.zeros(n_nodes, i64),
        np.zeros(n_nodes, i64),
        np.zeros(n_nodes, i64),
        np.full(n_nodes, -1, i64),
        np.zeros(2 * n_edges, i64),
        np.zeros(n_edges, i64),
        np.zeros(n_edges, i64),
        np.zeros(n_nodes, i64),
        np.zeros(n_nodes, i64),
        np.zeros(n_edges, i64),
        np.zeros(n_nodes, i64),
        np.zeros(n_edges, i64),
        np.zeros(n_nodes, i64),
        np.zeros(n_edges, i64),
        np.zeros(n_nodes, i64),
        np.zeros(n_edges, i64),
    )


@njit(cache=True, fastmath=STRICT)
def shot_defects(det_words, n_shots):
    """Sparse detection events of bit-packed shots: (ptr [n_shots + 1], detectors) grouped by shot."""
    n_det, n_words = det_words.shape
    counts = np.zeros(n_shots + 1, dtype=np.int64)
    for d in range(n_det):
        for w in range(n_words):
            x = det_words[d, w]
            while x:
                low = x & (~x + np.uint64(1))
                b = bit_index(low)
                s = w * 64 + b
                if s < n_shots:
                    counts[s + 1] += 1
                x ^= low
    for s in range(n_shots):
        counts[s + 1] += counts[s]
    fill = counts[:-1].copy()
    out = np.zeros(counts[n_shots], dtype=np.int64)
    for d in range(n_det):
        for w in range(n_words):
            x = det_words[d, w]
            while x:
                low = x & (~x + np.uint64(1))
                b = bit_index(low)
                s = w * 64 + b
                if s < n_shots:
                    out[fill[s]] = d
                    fill[s] += 1
                x ^= low
    return counts, out


@njit(cache=True, fastmath=STRICT)
def uf_decode_batch(ptr, dets, n_shots, n_nodes, adj_ptr, adj_edge, eu, ev, ew, eobs):
    """Predicted observable masks of every shot (``uint64 [n_shots]``)."""
    ws = workspace(n_nodes, len(eu))
    none = np.zeros(1, dtype=np.int64)
    out = np.zeros(n_shots, dtype=np.uint64)
    for s in range(n_shots):
        n = ptr[s + 1] - ptr[s]
        if n == 0:
            continue
        out[s] = uf_decode_one(dets[ptr[s] : ptr[s + 1]], n, n_nodes, adj_ptr, adj_edge, eu, ev, ew, eobs, ws, none)
    return out


@njit(cache=True, fastmath=STRICT)
def uf_decode_edges(defects, n_nodes, adj_ptr, adj_edge, eu, ev, ew, eobs):
    """One shot's prediction and the edges of its correction: ``(observable mask, edges)``."""
    ws = workspace(n_nodes, len(eu))
    out = np.zeros(len(eu) + 1, dtype=np.int64)
    obs = uf_decode_one(defects, len(defects), n_nodes, adj_ptr, adj_edge, eu, ev, ew, eobs, ws, out)
    return obs, out[1 : out[0] + 1].copy()
