"""The quantum designs: compiler options -> CNOTs, depth, compile time; QAOA depth and shots -> ratio vs shot cost."""

from __future__ import annotations

import functools
import time

import networkx as nx
import numpy as np

from ._shared import DesignError

# ============================================================================================
# 2. Quantum compiler: options -> CNOT count, depth, compile time
# ============================================================================================


@functools.lru_cache(maxsize=32)
def _qasm_circuit(name: str):
    from ..._data import data_path
    from ...quantum import from_qasm

    return from_qasm(data_path("qasm", f"{name}.qasm")).without_measurements()


@functools.lru_cache(maxsize=32)
def _coupling(spec: str) -> nx.Graph:
    """ "heavy_hex" / "heavy_hex:5" (IBM's lattice, distance d), "grid:RxC", "line:N", "ring:N"."""
    from ...quantum import coupling_map

    kind, _, arg = spec.partition(":")
    if kind == "heavy_hex":
        return coupling_map("heavy_hex", d=int(arg or 3))
    if kind == "grid":
        rows, cols = (int(x) for x in arg.lower().split("x"))
        return coupling_map("grid", rows=rows, cols=cols)
    return coupling_map(kind, int(arg))


#: routing-equivalents of optimising one routed candidate to the end (see compiler_design)
FINISH_COST = 4

_BASIS = {True: "u", False: "rz_sx", "u": "u", "rz_sx": "rz_sx", "fused": "u", "native": "rz_sx"}


def compiler_design(
    fusion="u",
    layout_candidates: int = 2,
    routing_trials: int = 8,
    *,
    circuit="bv_n14",
    coupling="heavy_hex",
    seed: int = 0,
    elide: bool = True,
    report=None,
) -> dict:
    """Compile a QASMBench circuit onto a device with ``workbench.quantum.transpile``.

    Parameters
    ----------
    fusion : bool or {"u", "rz_sx"}
        The one-qubit fusion target, transpile's ``basis``. ``transpile`` always fuses each run of
        one-qubit gates into one unitary (``optimize_1q``); ``"u"`` (True) keeps every fused run as
        one ``u`` gate, ``"rz_sx"`` (False) writes it in IBM's native ``rz sx rz sx rz`` (up to 5 gates).
        The lab's compiler has no other fusion switch.
    layout_candidates : int
        transpile's ``trials``: the routings with the fewest SWAPs that are optimised to the end
        (the one with the fewest CNOTs, then least depth, wins), 1..10000.
    routing_trials : int
        transpile's ``route_trials``: SABRE routings from random layouts (plus two ordered layouts);
        raised to ``layout_candidates`` when smaller.
    circuit : str or Circuit
        A file stem of ``data/qasm`` (QASMBench, measurements dropped), or a workbench Circuit.
    coupling : str or networkx.Graph
        ``"heavy_hex"`` (IBM's heavy-hex lattice, d = 3: 19 qubits, 20 couplers, Falcon-sized),
        ``"heavy_hex:5"``, ``"grid:4x5"``, ``"line:N"``, ``"ring:N"``, or a graph.
    seed : int
        Seed of transpile's random layouts.
    elide : bool
        transpile's ``elide`` (input SWAPs become a relabelling).
    report : ignored
        Accepted for a uniform interface; one compilation has no intermediate steps.

    Returns
    -------
    dict
        ``cnot_count`` (cx gates), ``depth``, ``compile_s`` (wall time of transpile, measured, noisy),
        ``swaps`` (SWAPs routing inserted), ``gates`` (all gates), ``one_qubit_gates``,
        ``routings`` (SABRE routings made: ``max(trials, route_trials) + 2``) and ``compile_work``
        (``routings + FINISH_COST * layout_candidates``: a deterministic proxy of ``compile_s`` in
        routing-equivalents, since finishing one candidate costs about 4 routings; fitted on
        bv_n14 / heavy-hex: compile_s ~ 5.9 ms x routings + 21.6 ms x candidates).

    Examples
    --------
    >>> from workbench.tune.designs import compiler_design
    >>> r = compiler_design("u", 1, 2, circuit="qec_en_n5")
    >>> r["cnot_count"] > 0, r["compile_work"]
    (True, 8)
    """
    from ...quantum import transpile

    qc = _qasm_circuit(circuit) if isinstance(circuit, str) else circuit
    g = _coupling(coupling) if isinstance(coupling, str) else coupling
    basis = _BASIS[fusion if isinstance(fusion, str) else bool(fusion)]
    trials, route_trials = int(layout_candidates), int(routing_trials)
    t0 = time.perf_counter()
    r = transpile(qc.copy(), g, basis=basis, seed=int(seed), trials=trials, route_trials=route_trials, elide=elide)
    dt = time.perf_counter() - t0
    ops = r.circuit.count_ops()
    cx = int(ops.get("cx", 0))
    gates = int(sum(v for k, v in ops.items() if k not in ("measure", "reset")))
    return {
        "cnot_count": cx,
        "depth": int(r.circuit.depth()),
        "compile_s": float(dt),
        "swaps": int(r.swaps),
        "gates": gates,
        "one_qubit_gates": gates - cx,
        "routings": max(trials, route_trials) + 2,
        "compile_work": max(trials, route_trials) + 2 + FINISH_COST * trials,
    }


COMPILER_OBJECTIVES = {"cnot_count": "minimize", "depth": "minimize", "compile_s": "minimize"}
#: the deterministic objectives to enumerate the grid on: compile time is noisy, and without a
#: cost the (cnot_count, depth) front is one point (more routings never hurt)
COMPILER_GRID_OBJECTIVES = {"cnot_count": "minimize", "depth": "minimize", "compile_work": "minimize"}
# 2 x 6 x 15 = 180 points
COMPILER_GRID = {
    "fusion": ["u", "rz_sx"],
    "layout_candidates": [1, 2, 3, 4, 5, 6],
    "routing_trials": [1, 2, 3, 4, 5, 6, 8, 10, 12, 14, 16, 20, 24, 28, 32],
}
#: keyword settings for a fast (< 50 ms warm) evaluation in tests
COMPILER_SMALL = {"circuit": "qec_en_n5"}  # on heavy_hex: 9 ms at (u, 1, 1), <= ~100 ms at (u, 6, 32)


# ============================================================================================
# 3. QAOA: depth and shots -> approximation ratio vs simulation cost
# ============================================================================================


def _default_graph(graph):
    """None: the triangular prism (3-regular, 6 nodes, 9 edges, max cut 7); "prism:k" (circular
    ladder on 2k nodes), "3reg:N" (``random_regular_graph(3, N, seed=1)``), "ring:N",
    "complete:N"; or a networkx graph as is."""
    if graph is None:
        return nx.circular_ladder_graph(3)
    if isinstance(graph, str):
        kind, _, arg = graph.partition(":")
        n = int(arg)
        if kind == "prism":
            return nx.circular_ladder_graph(n)
        if kind == "3reg":
            return nx.random_regular_graph(3, n, seed=1)
        if kind == "ring":
            return nx.cycle_graph(n)
        if kind == "complete":
            return nx.complete_graph(n)
        raise DesignError(f"unknown graph spec {graph!r}")
    return graph


def _maxcut_hamiltonian(G):
    """-C as a Pauli sum: sum_w w/2 Z_i Z_j with offset -sum w / 2 (qubit q = q-th node)."""
    nodes = list(G.nodes)
    n = len(nodes)
    idx = {v: i for i, v in enumerate(nodes)}
    H = {}
    total = 0.0
    for u, v, d in G.edges(data=True):
        w = float(d.get("weight", 1.0))
        lab = ["I"] * n
        lab[n - 1 - idx[u]] = "Z"
        lab[n - 1 - idx[v]] = "Z"
        key = "".join(lab)
        H[key] = H.get(key, 0.0) + w / 2.0
        total += w
    return H, -total / 2.0


def qaoa_design(
    p: int = 1,
    shots: int = 256,
    *,
    graph=None,
    seed: int = 0,
    restarts: int = 1,
    estimator: str = "shots",
    report=None,
) -> dict:
    """MaxCut QAOA of depth ``p`` with ``shots`` samples per expectation estimate.

    ``estimator="shots"`` (default): the lab's shot-based variational optimizer ``vqe`` with the
    lab's QAOA circuit ``qaoa_circuit(G, p)`` as ansatz and the MaxCut Hamiltonian
    ``-C = sum_ij w_ij/2 Z_i Z_j - sum w / 2`` (COBYLA, as vqe's docstring advises with shots;
    each energy is estimated from ``shots`` samples per ZZ term), so shot noise degrades the
    angles found and both ``p`` and ``shots`` move ``approximation_ratio``.

    ``estimator="exact"``: the lab's QAOA optimizer ``optimize_qaoa(G, p)`` (L-BFGS-B on exact
    state-vector expectations). It has no shot option, so ``shots`` only affects the final
    readout columns (``sampled_ratio``, ``best_sampled_ratio``) and the costs.

    Either way the optimised circuit is sampled ``shots`` times with ``sample_counts``.
    Restarts are made one call at a time on one shared random stream, which gives exactly what
    one call with ``restarts=R`` gives (checked for optimize_qaoa), and lets ``report`` see them.

    Parameters
    ----------
    p : int
        QAOA layers (>= 1).
    shots : int
        Samples per expectation estimate and for the final readout (>= 1).
    graph : networkx.Graph, str or None
        None: the triangular prism (``nx.circular_ladder_graph(3)``: 3-regular, 6 nodes, 9 edges,
        max cut 7); "prism:k", "3reg:N", "ring:N", "complete:N"; or a graph (at most 12 nodes
        with the "shots" estimator, 24 with "exact").
    seed : int
        Seed of the random starts and the shots (two independent streams).
    restarts : int
        Random starts, the best kept (on the noisy estimate with "shots", as vqe does).
    estimator : {"shots", "exact"}
        How expectations are estimated (see above).
    report : callable or None
        ``report(approximation_ratio_of_best_restart_so_far, step)`` after each restart (step = 0, 1, ...).

    Returns
    -------
    dict
        ``approximation_ratio`` (exact <C> / max cut at the angles found: ``QAOAResult.ratio``, or
        ``VQEResult.energy / exact``), ``sampled_ratio`` (mean cut of the ``shots`` readout
        samples / max cut), ``best_sampled_ratio`` (best sampled cut / max cut; saturates at 1 on
        small graphs), ``optimal_probability`` (P(one sample is a maximum cut)), ``evaluations``
        (expectation evaluations by the optimizer), ``shot_cost`` (``(evaluations + 1) * shots``:
        circuit executions a device needs with ``shots`` per estimate, all ZZ terms measured
        together, plus the readout), ``samples_drawn`` (samples the lab's simulation drew: vqe
        samples each ZZ term separately, so ``evaluations * shots * |E| + shots``; just ``shots``
        with "exact"), ``gate_applications`` (``evaluations`` x gates of the depth-p circuit:
        the state-vector simulation work).

    Raises
    ------
    DesignError
        If ``estimator`` is neither "shots" nor "exact", or the graph specification is unknown.

    Examples
    --------
    >>> from workbench.tune.designs import qaoa_design
    >>> r = qaoa_design(1, 64, graph="ring:4", estimator="exact")
    >>> round(r["approximation_ratio"], 3), r["shot_cost"] > 64
    (0.75, True)
    """
    from ...quantum import cut_values, optimize_qaoa, qaoa_circuit, sample_counts, simulate, vqe

    G = _default_graph(graph)
    p, shots = int(p), int(shots)
    opt_seed, shot_seed = np.random.SeedSequence(int(seed)).spawn(2)
    rng = np.random.default_rng(opt_seed)  # one stream for all restarts: the same as restarts=R in one call
    cuts = cut_values(G)
    max_cut = float(cuts.max())
    evaluations = 0
    samples_drawn = 0  # samples the lab's simulation drew while optimising
    best = None  # (ratio, angles)
    if estimator == "exact":
        for k in range(1, int(restarts) + 1):
            r = optimize_qaoa(G, p, restarts=1, seed=rng)
            evaluations += len(r.history)
            if best is None or r.expected_cut > best[0] * max_cut:
                best = (r.ratio, np.asarray(r.gammas), np.asarray(r.betas))
            if report is not None:
                report(float(best[0]), k - 1)
        ratio, gammas, betas = best
    elif estimator == "shots":
        H, offset = _maxcut_hamiltonian(G)
        ansatz = qaoa_circuit(G, p)
        names = ansatz.parameters
        best_fun = None
        for k in range(1, int(restarts) + 1):
            r = vqe(H, ansatz, offset=offset, method="COBYLA", restarts=1, seed=rng, shots=shots)
            evaluations += len(r.history)
            samples_drawn += len(r.history) * shots * len(H)  # vqe samples every ZZ term separately
            est = float(r.history.energy.min())  # vqe keeps the start whose (noisy) optimum is lowest
            if best is None or est < best_fun:
                best_fun = est
                best = (float(r.energy / r.exact), r.parameters)
            if report is not None:
                report(float(best[0]), k - 1)
        vals = dict(zip(names, best[1]))
        ratio = best[0]
        gammas = np.array([vals[f"gamma_{l}"] for l in range(p)])
        betas = np.array([vals[f"beta_{l}"] for l in range(p)])
    else:
        raise DesignError(f"estimator must be 'exact' or 'shots', got {estimator!r}")
    final = qaoa_circuit(G, p, gammas, betas)
    n_gates = int(sum(final.count_ops().values()))
    probs = np.abs(simulate(final).state) ** 2  # before measure_all, which mutates the circuit
    counts = sample_counts(final.copy().measure_all(), shots, seed=np.random.default_rng(shot_seed))
    idx = np.array([int(key, 2) for key in counts])  # clbit q = qubit q = node q, clbit 0 rightmost
    cnt = np.array(list(counts.values()), float)
    sampled = cuts[idx]
    return {
        "approximation_ratio": float(ratio),
        "sampled_ratio": float((sampled * cnt).sum() / cnt.sum() / max_cut),
        "best_sampled_ratio": float(sampled.max() / max_cut),
        "optimal_probability": float(probs[np.isclose(cuts, max_cut)].sum()),
        "evaluations": int(evaluations),
        "shot_cost": int((evaluations + 1) * shots),
        "samples_drawn": int(samples_drawn + shots),
        "gate_applications": int(evaluations * n_gates),
    }


QAOA_OBJECTIVES = {"approximation_ratio": "maximize", "shot_cost": "minimize"}
#: keyword settings for a fast evaluation in tests: ~13 ms warm at p = 1 (<= 80 ms at p <= 3);
#: the "shots" estimator cannot go below ~40 ms (ring:4, p = 1)
QAOA_SMALL = {"graph": "ring:4", "estimator": "exact"}
