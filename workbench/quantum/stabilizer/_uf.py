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


@njit(cache=True)
def _find(parent, x):
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


@njit(cache=True)
def uf_decode_one(defects, n_def, n_nodes, adj_ptr, adj_edge, eu, ev, ew, eobs, ws):
    """Observable mask predicted for one shot. ``ws`` is the workspace tuple from :func:`workspace`."""
    (parent, size, parity, touches, vnext, vtail, growth, estamp, vstamp, defect, grown, touched_v, touched_e,
     queue, order, tree_edge, cand) = ws
    boundary = n_nodes - 1
    nv = 0
    ne = 0
    # initialise the defects
    for k in range(n_def):
        v = defects[k]
        defect[v] = 1
        if vstamp[v] == 0:
            vstamp[v] = 1
            touched_v[nv] = v
            nv += 1
            parent[v] = v
            size[v] = 1
            parity[v] = 1
            touches[v] = 0
            vnext[v] = -1
            vtail[v] = v
    n_grown = 0
    step = 0
    while True:
        step += 1
        # candidate edges: incident to a vertex of an odd cluster, joining two different clusters
        n_cand = 0
        best = 1 << 60
        for k in range(nv):
            v = touched_v[k]
            r = _find(parent, v)
            if parity[r] == 0 or touches[r]:
                continue
            for j in range(adj_ptr[v], adj_ptr[v + 1]):
                e = adj_edge[j]
                if growth[e] >= ew[e]:
                    continue
                w = ev[e] if eu[e] == v else eu[e]
                if vstamp[w] and _find(parent, w) == r:
                    continue
                if estamp[e] != step:
                    if estamp[e] == 0:
                        touched_e[ne] = e
                        ne += 1
                    estamp[e] = step
                    cand[n_cand] = e
                    n_cand += 1
        if n_cand == 0:
            break
        # the rate of each candidate: 1 per odd side
        for c in range(n_cand):
            e = cand[c]
            rate = 0
            for x in (eu[e], ev[e]):
                if vstamp[x]:
                    rx = _find(parent, x)
                    if parity[rx] == 1 and touches[rx] == 0:
                        rate += 1
            need = (ew[e] - growth[e] + rate - 1) // rate
            if need < best:
                best = need
        for c in range(n_cand):
            e = cand[c]
            rate = 0
            for x in (eu[e], ev[e]):
                if vstamp[x]:
                    rx = _find(parent, x)
                    if parity[rx] == 1 and touches[rx] == 0:
                        rate += 1
            growth[e] += best * rate
        for c in range(n_cand):
            e = cand[c]
            if growth[e] < ew[e]:
                continue
            grown[n_grown] = e
            n_grown += 1
            a = eu[e]
            b = ev[e]
            for x in (a, b):
                if vstamp[x] == 0:
                    vstamp[x] = 1
                    touched_v[nv] = x
                    nv += 1
                    parent[x] = x
                    size[x] = 1
                    parity[x] = 0
                    touches[x] = 1 if x == boundary else 0
                    vnext[x] = -1
                    vtail[x] = x
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
    # peeling on a spanning forest of the grown edges
    # adjacency of the grown edges: reuse queue/order arrays; BFS from the boundary first
    obs = np.uint64(0)
    head = 0
    tail = 0
    # mark vertices unvisited: vstamp 1 -> 2 when visited
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
            for j in range(adj_ptr[v], adj_ptr[v + 1]):
                e = adj_edge[j]
                if estamp[e] == 0 or growth[e] < ew[e]:
                    continue
                w = ev[e] if eu[e] == v else eu[e]
                if vstamp[w] != 1:
                    continue
                vstamp[w] = 2
                tree_edge[w] = e
                queue[tail] = w
                tail += 1
        # next unvisited vertex starts a new tree
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
        defect[v] = 0
        w = ev[e] if eu[e] == v else eu[e]
        defect[w] ^= 1
    # reset the workspace
    for k2 in range(nv):
        v = touched_v[k2]
        vstamp[v] = 0
        defect[v] = 0
    for k2 in range(ne):
        e = touched_e[k2]
        estamp[e] = 0
        growth[e] = 0
    return obs


@njit(cache=True)
def workspace(n_nodes, n_edges):
    i64 = np.int64
    return (np.zeros(n_nodes, i64), np.zeros(n_nodes, i64), np.zeros(n_nodes, i64), np.zeros(n_nodes, i64),
            np.zeros(n_nodes, i64), np.zeros(n_nodes, i64), np.zeros(n_edges, i64), np.zeros(n_edges, i64),
            np.zeros(n_nodes, i64), np.zeros(n_nodes, i64), np.zeros(n_edges, i64), np.zeros(n_nodes, i64),
            np.zeros(n_edges, i64), np.zeros(n_nodes, i64), np.zeros(n_nodes, i64), np.zeros(n_nodes, i64),
            np.zeros(n_edges, i64))


@njit(cache=True)
def shot_defects(det_words, n_shots):
    """Sparse detection events of bit-packed shots: (ptr [n_shots + 1], detectors) grouped by shot."""
    n_det, n_words = det_words.shape
    counts = np.zeros(n_shots + 1, dtype=np.int64)
    for d in range(n_det):
        for w in range(n_words):
            x = det_words[d, w]
            while x:
                low = x & (~x + np.uint64(1))
                b = 0
                y = low
                while y > np.uint64(1):
                    y >>= np.uint64(1)
                    b += 1
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
                b = 0
                y = low
                while y > np.uint64(1):
                    y >>= np.uint64(1)
                    b += 1
                s = w * 64 + b
                if s < n_shots:
                    out[fill[s]] = d
                    fill[s] += 1
                x ^= low
    return counts, out


@njit(cache=True)
def uf_decode_batch(ptr, dets, n_shots, n_nodes, adj_ptr, adj_edge, eu, ev, ew, eobs):
    """Predicted observable masks of every shot (``uint64 [n_shots]``)."""
    ws = workspace(n_nodes, len(eu))
    out = np.zeros(n_shots, dtype=np.uint64)
    for s in range(n_shots):
        n = ptr[s + 1] - ptr[s]
        if n == 0:
            continue
        out[s] = uf_decode_one(dets[ptr[s]:ptr[s + 1]], n, n_nodes, adj_ptr, adj_edge, eu, ev, ew, eobs, ws)
    return out
