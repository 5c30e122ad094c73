"""Placement and routing on a coupling graph: SABRE (Li, Ding & Xie, ASPLOS 2019) with a layered lookahead,
layouts refined by forward and backward passes, and the coupling maps of common devices.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import numpy as np

from ..errors import Int, check, checked, make_rng
from .circuit import MAX_GENERATED_QUBITS, Circuit, Op, QuantumError
from .passes import _refuse_conditions

# --- routing ---------------------------------------------------------------------------------


def coupling_map(kind: str, n: int | None = None, **kw) -> nx.Graph:
    """Coupling graphs: "line", "ring", "grid" (rows x cols), "heavy_hex" (distance d, IBM's lattice).

    Parameters
    ----------
    kind : {"line", "ring", "grid", "heavy_hex"}
        The shape of the device.
    n : int or None, default None
        Qubits of a "line" (2 to ``MAX_GENERATED_QUBITS`` = 1024) or a "ring" (3 to 1024); required by
        those two, not used by "grid" and "heavy_hex".
    **kw
        ``rows=`` and ``cols=`` for a "grid" (both required, each 1 to 1024); ``d=`` for a "heavy_hex",
        an odd code distance from 3 to 51 (3 when not given). A "line" or "ring" takes none.

    Returns
    -------
    networkx.Graph
        Undirected graph on integer nodes: ``0..n-1`` along the line or ring; ``r * cols + c`` for grid
        row ``r``, column ``c``; Qiskit's ``CouplingMap.from_heavy_hex(d)`` numbering for "heavy_hex"
        (``(5 d**2 - 2 d - 1) / 2`` qubits, which needs Qiskit).

    Raises
    ------
    QuantumError
        If ``kind`` is unknown, ``n``, ``rows``, ``cols`` or ``d`` is out of range (or ``d`` even), or the
        keywords do not match the kind.

    Examples
    --------
    >>> coupling_map("ring", 5).number_of_edges(), coupling_map("grid", rows=2, cols=3).number_of_nodes()
    (5, 6)
    """
    size = Int(1, MAX_GENERATED_QUBITS)
    if kind in ("line", "ring"):
        n = check("n", n, Int(2 if kind == "line" else 3, MAX_GENERATED_QUBITS), QuantumError)
        if set(kw):
            raise QuantumError(f"a {kind} coupling map takes n only, got {sorted(kw)}")
        return nx.path_graph(n) if kind == "line" else nx.cycle_graph(n)
    if kind == "grid":
        if set(kw) != {"rows", "cols"}:
            raise QuantumError("a grid coupling map takes rows= and cols=")
        g = nx.grid_2d_graph(
            check("rows", kw["rows"], size, QuantumError), check("cols", kw["cols"], size, QuantumError)
        )
        return nx.convert_node_labels_to_integers(g, ordering="sorted")
    if kind == "heavy_hex":
        from qiskit.transpiler import CouplingMap

        d = check("d", kw.get("d", 3), Int(3, 51), QuantumError)
        if d % 2 == 0:
            raise QuantumError(f"heavy-hex distance d must be odd, got {d}")
        cm = CouplingMap.from_heavy_hex(d)
        return nx.Graph(list(cm.get_edges()))
    raise QuantumError(f"unknown coupling map {kind!r}; choose line, ring, grid or heavy_hex")


@dataclass
class Routed:
    """A routed circuit on physical qubits and where each logical qubit starts and ends.

    Returned by :func:`route` and :func:`~workbench.quantum.transpile`; check it with
    ``equivalent(original, r.circuit, r.initial_layout, r.final_layout)``.

    Parameters
    ----------
    circuit : Circuit
        The circuit on physical qubits (one per node of the coupling graph).
    initial_layout : list of int
        Physical qubit on which each logical qubit starts (entry ``i`` for logical qubit ``i``).
    final_layout : list of int
        Physical qubit on which each logical qubit's state ends.
    swaps : int, default 0
        SWAP gates inserted by routing.

    Examples
    --------
    >>> from workbench.quantum import Circuit, coupling_map
    >>> from workbench.quantum.compiler import route
    >>> r = route(Circuit(3).cx(0, 2), coupling_map("line", 3), seed=0, initial_layout=[0, 1, 2])
    >>> r.swaps, r.initial_layout, r.final_layout
    (1, [0, 1, 2], [0, 2, 1])
    """

    circuit: Circuit
    initial_layout: list  # logical -> physical
    final_layout: list
    swaps: int = 0


def _lookahead_layers(front, succ, preds, ops2, depth):
    """The next ``depth`` layers of two-qubit gates after the front layer (one-qubit gates pass through)."""
    layers, p2, cur = [], {}, list(front)
    while cur and len(layers) < depth:
        layer, stack = [], []
        for i in cur:
            for s in succ[i]:
                p2[s] = p2.get(s, preds[s]) - 1
                if p2[s] == 0:
                    stack.append(s)
        while stack:
            s = stack.pop()
            if len(ops2[s].qubits) == 2:
                layer.append(s)
            else:
                for t in succ[s]:
                    p2[t] = p2.get(t, preds[t]) - 1
                    if p2[t] == 0:
                        stack.append(t)
        if not layer:
            break
        layers.append(layer)
        cur = layer
    return layers


def _sabre_pass(ops2, n_phys, dist, nbrs, layout, rng, weights=(0.5, 0.25, 0.125, 0.0625), decay=0.001, decay_reset=5):
    """One SABRE sweep over gate list ``ops2``; returns (physical op list, final layout, swaps).

    A swap's score is the summed distance of the front layer's gates after it, plus a weighted
    mean distance over each of the next layers (``weights``), times a decay factor that
    discourages moving the same qubits again and again (reset every ``decay_reset`` swaps and
    whenever a gate is routed)."""
    n = len(ops2)
    preds = [0] * n
    succ: list[list] = [[] for _ in range(n)]
    # dependencies up to commutation: diagonal gates (phases, CZ, CP, RZZ) commute with each
    # other, so a diagonal gate waits only for the last non-diagonal gate on its qubits
    last_nd: dict = {}
    diag_since: dict = {}
    for i, op in enumerate(ops2):
        dg = op.kind == "gate" and op.diagonal
        deps = set()
        for q in op.qubits:
            if dg:
                if q in last_nd:
                    deps.add(last_nd[q])
            else:
                ds = diag_since.get(q)
                if ds:
                    deps.update(ds)
                elif q in last_nd:
                    deps.add(last_nd[q])
        preds[i] = len(deps)
        for d in deps:
            succ[d].append(i)
        for q in op.qubits:
            if dg:
                diag_since.setdefault(q, []).append(i)
            else:
                last_nd[q] = i
                diag_since[q] = []
    front = [i for i in range(n) if preds[i] == 0]
    phys_of = list(layout)  # logical -> physical
    log_of = [-1] * n_phys
    for lq, pq in enumerate(phys_of):
        log_of[pq] = lq
    out = []
    swaps = 0
    decay_f = np.ones(n_phys)
    steps = 0
    stall = 0
    while front:
        ready = [
            i
            for i in front
            if len(ops2[i].qubits) < 2 or dist[phys_of[ops2[i].qubits[0]], phys_of[ops2[i].qubits[1]]] == 1
        ]
        if ready:
            for i in ready:
                op = ops2[i]
                out.append(
                    Op(
                        op.kind,
                        op.name,
                        tuple(phys_of[q] for q in op.qubits),
                        op.params,
                        op.clbits,
                        op.n_controls,
                        op.base,
                    )
                )
                front.remove(i)
                for s in succ[i]:
                    preds[s] -= 1
                    if preds[s] == 0:
                        front.append(s)
            decay_f[:] = 1
            steps = stall = 0
            continue
        layers = _lookahead_layers(front, succ, preds, ops2, len(weights))
        cands = set()
        for i in front:
            for q in ops2[i].qubits:
                p = phys_of[q]
                for r in nbrs[p]:
                    cands.add((min(p, r), max(p, r)))
        best, best_score = [], np.inf
        for a, b in sorted(cands):
            la, lb = log_of[a], log_of[b]
            tmp = {}
            if la >= 0:
                tmp[la] = b
            if lb >= 0:
                tmp[lb] = a

            def pos(q):
                return tmp.get(q, phys_of[q])  # noqa: B023 - called in this iteration only

            score = sum(dist[pos(ops2[i].qubits[0]), pos(ops2[i].qubits[1])] for i in front)
            for w, layer in zip(weights, layers):
                score += w * sum(dist[pos(ops2[i].qubits[0]), pos(ops2[i].qubits[1])] for i in layer) / len(layer)
            score *= max(decay_f[a], decay_f[b])
            if score < best_score - 1e-10:
                best, best_score = [(a, b)], score
            elif abs(score - best_score) <= 1e-10:
                best.append((a, b))
        stall += 1
        if stall > 10 * n_phys:  # escape a livelock: walk the first gate's qubits together
            i = front[0]
            pa, pb = phys_of[ops2[i].qubits[0]], phys_of[ops2[i].qubits[1]]
            path = nx.shortest_path(nx.Graph([(u, v) for u, vs in enumerate(nbrs) for v in vs]), pa, pb)
            a, b = path[0], path[1]
            stall = 0
        else:
            a, b = best[int(rng.integers(len(best)))]
        out.append(Op("gate", "swap", (a, b)))
        swaps += 1
        la, lb = log_of[a], log_of[b]
        log_of[a], log_of[b] = lb, la
        if la >= 0:
            phys_of[la] = b
        if lb >= 0:
            phys_of[lb] = a
        steps += 1
        if steps >= decay_reset:
            decay_f[:] = 1
            steps = 0
        else:
            decay_f[a] += decay
            decay_f[b] += decay
    return out, phys_of, swaps


def _physical(coupling: nx.Graph) -> nx.Graph:
    """The coupling graph relabelled 0..m-1 in sorted node order (named error if disconnected)."""
    g = nx.convert_node_labels_to_integers(coupling, ordering="sorted")
    if not nx.is_connected(g):
        raise QuantumError("the coupling graph must be connected")
    return g


@checked(QuantumError, trials=Int(1, 10**6), layout_iterations=Int(0, 10**6))
def route(
    circuit: Circuit, coupling: nx.Graph, *, seed=None, trials: int = 5, layout_iterations: int = 2, initial_layout=None
) -> Routed:
    """Place and route a circuit of gates on at most two qubits onto a coupling graph (SABRE).

    Each trial starts from a random layout, refines it by routing forward and backward
    ``layout_iterations`` times, then routes forward; the trial with the fewest SWAPs wins.
    With ``initial_layout`` (physical qubit of each logical one, in 0..m-1) a single trial routes
    from that layout as given. The result acts on ``coupling``'s nodes (relabelled 0..m-1 in
    sorted order).

    Parameters
    ----------
    circuit : Circuit
        Gates on at most two qubits (``decompose(circuit, min_qubits=3)`` makes them), measurements and
        resets, without classically conditioned gates; barriers are dropped.
    coupling : networkx.Graph
        The device's connected coupling graph, with at least ``circuit.n_qubits`` nodes.
    seed : int, numpy.random.Generator or None, default None
        Seed of the random layouts and of the choice between equally good SWAPs; the same seed gives
        the same result.
    trials : int, default 5
        Random layouts tried (at least 1).
    layout_iterations : int, default 2
        Forward and backward routing passes that refine each trial's layout.
    initial_layout : sequence of int or None, default None
        Distinct physical qubits in ``0..m-1``, one per logical qubit; given, it is used as is in a single
        trial (``trials`` and ``layout_iterations`` are then not used).

    Returns
    -------
    Routed
        ``circuit`` on the ``m`` physical qubits with SWAPs inserted, the ``initial_layout`` and
        ``final_layout`` of the logical qubits and the number of ``swaps``.

    Raises
    ------
    QuantumError
        If the circuit has a classically conditioned gate (this pass would lose the condition).
    QuantumError
        If ``circuit`` is not a :class:`Circuit`, the coupling graph is disconnected or too small, a gate
        acts on three or more qubits, ``initial_layout`` is invalid, or ``trials`` < 1 or
        ``layout_iterations`` < 0.
    QubitError
        If an operation of the circuit uses a qubit or classical bit out of range.
    QuantumError
        If ``seed`` is not a valid seed.

    Examples
    --------
    >>> from workbench.quantum import Circuit, coupling_map
    >>> from workbench.quantum.compiler import route
    >>> r = route(Circuit(3).cx(0, 2).cx(0, 1).cx(1, 2), coupling_map("ring", 4), seed=1)
    >>> r.swaps, r.circuit.n_qubits
    (1, 4)
    """
    _refuse_conditions(circuit, "route")
    if not isinstance(circuit, Circuit):
        raise QuantumError(f"route needs a workbench Circuit, got {type(circuit).__name__}")
    circuit.check()
    g = _physical(coupling)
    m = g.number_of_nodes()
    if circuit.n_qubits > m:
        raise QuantumError(f"a {circuit.n_qubits}-qubit circuit does not fit on {m} physical qubits")
    if any(op.kind == "gate" and len(op.qubits) > 2 for op in circuit.ops):
        raise QuantumError("route() needs gates on at most two qubits; decompose() first")
    ops2 = [op for op in circuit.ops if op.kind != "barrier"]
    dist = np.asarray(nx.floyd_warshall_numpy(g, nodelist=range(m)), dtype=int)
    nbrs = [sorted(g.neighbors(v)) for v in range(m)]
    rng = make_rng(seed, error=QuantumError)
    rev = list(reversed(ops2))
    best = None
    if initial_layout is not None:
        layout = [int(p) for p in initial_layout]
        if len(layout) != circuit.n_qubits or len(set(layout)) != len(layout) or not all(0 <= p < m for p in layout):
            raise QuantumError(f"initial_layout must give {circuit.n_qubits} distinct physical qubits in 0..{m - 1}")
        trials, layout_iterations = 1, 0
    for _ in range(trials):
        if initial_layout is None:
            layout = list(rng.permutation(m)[: circuit.n_qubits])
        padded = layout + [p for p in range(m) if p not in layout]
        for _ in range(layout_iterations):
            _, fin, _ = _sabre_pass(ops2, m, dist, nbrs, padded, rng)
            _, back, _ = _sabre_pass(rev, m, dist, nbrs, fin, rng)
            padded = back
        out, final, swaps = _sabre_pass(ops2, m, dist, nbrs, padded, rng)
        if best is None or swaps < best[2]:
            best = (out, final, swaps, padded)
    out, final, swaps, init = best
    res = Circuit(m, circuit.n_clbits, circuit.name)
    res.global_phase = circuit.global_phase
    res.ops = out
    return Routed(res, list(init[: circuit.n_qubits]), list(final[: circuit.n_qubits]), swaps)
