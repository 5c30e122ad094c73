r"""A circuit compiler: decomposition to a basis, peephole optimisation and routing.

Passes (each takes and returns a :class:`Circuit`, keeping the exact unitary including the
global phase, except routing, which also permutes qubits):

* :func:`decompose` rewrites every gate with :math:`\ge 2` qubits into CNOTs and one-qubit gates
  (textbook identities: CZ = H CX H, controlled-U by the ABC construction, Toffoli with six CNOTs,
  multi-controlled X and controlled unitaries by Qiskit's ancilla-free syntheses; arbitrary unitaries
  on two or more qubits by ``qiskit.synthesis``).
* :func:`cancel_and_merge` walks the circuit once, looks back past gates that commute (checked on
  their matrices) and removes pairs whose product is the identity (up to a phase) and merges
  rotations about the same axis.
* :func:`consolidate_2q` re-synthesises runs of gates on one pair of qubits with at most three
  CNOTs (KAK) when that saves CNOTs without making the run deeper.
* :func:`optimize_1q` fuses every run of one-qubit gates into one unitary and re-synthesises it:
  :math:`U = e^{i\alpha} R_z(\phi) R_y(\theta) R_z(\lambda)`, written as one ``u`` or as
  ``rz sx rz sx rz`` (fewer gates when :math:`\theta` is 0 or :math:`\pi/2`).
* :func:`route` maps logical to physical qubits on a coupling graph and inserts SWAPs (SABRE:
  Li, Ding & Xie, ASPLOS 2019, with a layered lookahead and dependencies taken up to the commutation
  of diagonal gates), with a layout found by forward and backward passes.

:func:`transpile` chains them; :func:`equivalent` checks a result by simulation.
"""

from __future__ import annotations

import networkx as nx
import numpy as np

from ..errors import Int, check, make_rng
from .circuit import Circuit, QuantumError
from .passes import cancel_and_merge, consolidate_2q, elide_swaps, optimize_1q
from .routing import Routed, _physical, coupling_map, route
from .synthesis import BASES, decompose, euler_zyz, synth_1q

__all__ = [
    "BASES",
    "decompose",
    "elide_swaps",
    "consolidate_2q",
    "cancel_and_merge",
    "optimize_1q",
    "route",
    "transpile",
    "equivalent",
    "coupling_map",
    "euler_zyz",
    "synth_1q",
    "Routed",
]


# --- the pipeline and its check --------------------------------------------------------------


def transpile(
    circuit: Circuit,
    coupling: nx.Graph | None = None,
    *,
    basis: str = "rz_sx",
    seed=None,
    trials: int = 5,
    route_trials: int | None = None,
    elide: bool = True,
) -> Routed:
    """Decompose, optimise, route (if a coupling graph is given) and optimise again.

    With ``elide`` (default) SWAP gates of the input become a relabelling: the result's
    ``final_layout`` says where each logical qubit ends (check with :func:`equivalent`).
    Routing is cheap and the final optimisation is not: ``route_trials`` (``4 * trials`` when ``None``)
    SABRE routings from random layouts are made, the ``trials`` with the fewest SWAPs are
    optimised, and the one with the fewest CNOTs, then the smallest depth, is returned.
    Two ordered layouts (qubit ``i`` on physical qubit ``i``, and along a depth-first walk of the
    graph) are routed besides the random ones.

    Parameters
    ----------
    circuit : Circuit
        The circuit to compile, every parameter bound and no gate classically conditioned.
    coupling : networkx.Graph or None, default None
        The device's connected coupling graph (see :func:`coupling_map`); ``None`` compiles without routing.
    basis : {"rz_sx", "u"}, default "rz_sx"
        A key of :data:`BASES`: the result uses ``rz``, ``sx``, ``x`` and ``cx``, or ``u`` and ``cx``.
    seed : int, numpy.random.Generator or None, default None
        Seed of the routing's random layouts (used with ``coupling`` only); the same seed gives the same result.
    trials : int, default 5
        Routings, those with the fewest SWAPs, that are optimised to the end; 1 to 10_000 (checked with
        ``coupling`` only).
    route_trials : int or None, default None
        Routings from random layouts, 1 to 100_000; ``None`` makes ``4 * trials``, and fewer than
        ``trials`` are raised to ``trials``.
    elide : bool, default True
        Turn the input's SWAP gates into a relabelling of the qubits (see :func:`elide_swaps`).

    Returns
    -------
    Routed
        The compiled ``circuit`` (on the coupling graph's physical qubits, relabelled 0..m-1 in sorted
        order, when one is given), the ``initial_layout`` and ``final_layout`` of the logical qubits, and
        the ``swaps`` routing inserted (0 without a coupling graph).

    Raises
    ------
    QuantumError
        If ``basis`` is unknown, ``circuit`` is not a :class:`Circuit`, ``coupling`` is not a networkx
        graph or is disconnected or too small, ``trials`` or ``route_trials`` is out of range, or a gate
        is classically conditioned or has unbound parameters.
    QubitError
        If an operation of the circuit uses a qubit or classical bit out of range.
    QuantumError
        If ``seed`` is not a valid seed.

    Examples
    --------
    >>> from workbench.quantum import qft
    >>> r = transpile(qft(4), coupling_map("line", 4), seed=1)
    >>> set(r.circuit.count_ops()) <= {"rz", "sx", "x", "cx"}
    True
    """
    if basis not in BASES:
        raise QuantumError(f"basis must be one of {sorted(BASES)}, got {basis!r}")
    if not isinstance(circuit, Circuit):
        raise QuantumError(
            f"transpile needs a workbench Circuit (from_qiskit converts one), got {type(circuit).__name__}"
        )
    circuit.check()
    if coupling is not None and not isinstance(coupling, nx.Graph):
        raise QuantumError(
            f"coupling must be a networkx Graph of physical qubits (see coupling_map), got {type(coupling).__name__}"
        )
    c, perm = elide_swaps(decompose(circuit, min_qubits=3)) if elide else (decompose(circuit, min_qubits=3), None)
    c = cancel_and_merge(c)
    n = circuit.n_qubits
    if coupling is None:
        c = _finish(decompose(c), basis)
        return Routed(c, list(range(n)), perm or list(range(n)), 0)
    # each routing trial is finished (decomposed, optimised) and the one with the fewest CNOTs,
    # then the smallest depth, wins: SWAPs next to other gates on the same pair partly cancel
    rng = make_rng(seed, error=QuantumError)
    trials = check("trials", trials, Int(1, 10_000), QuantumError)
    route_trials = max(
        trials,
        4 * trials if route_trials is None else check("route_trials", route_trials, Int(1, 100_000), QuantumError),
    )
    # besides random layouts, two ordered ones: qubit i on the i-th physical qubit, and along a
    # depth-first walk from a most peripheral qubit (on a line both are the path in order, where
    # SABRE finds the classic nearest-neighbour patterns for QFT-like circuits)
    g = _physical(coupling)
    ecc = nx.eccentricity(g)
    start = max(g.nodes, key=lambda v: (ecc[v], -v))
    ordered = [list(range(n)), list(nx.dfs_preorder_nodes(g, start))[:n]] if g.number_of_nodes() >= n else []
    routed = [route(c, coupling, seed=rng, initial_layout=lay) for lay in ordered]
    routed += [route(c, coupling, seed=rng, trials=1) for _ in range(route_trials)]
    best = None
    for i in sorted(range(len(routed)), key=lambda i: routed[i].swaps)[:trials]:
        r_t = routed[i]
        c_t = _finish(decompose(r_t.circuit), basis)
        key = (c_t.count_ops().get("cx", 0), c_t.depth())
        if best is None or key < best[0]:
            best = (key, r_t, c_t)
    _, r, c = best
    final = r.final_layout if perm is None else [r.final_layout[perm[i]] for i in range(n)]
    return Routed(c, r.initial_layout, final, r.swaps)


def _finish(c: Circuit, basis: str) -> Circuit:
    for _ in range(2):
        c = optimize_1q(consolidate_2q(cancel_and_merge(c), basis), basis)
    return c


def equivalent(
    original: Circuit,
    compiled: Circuit,
    initial_layout=None,
    final_layout=None,
    *,
    n_states: int = 3,
    seed=None,
    atol: float = 1e-8,
) -> bool:
    """True if ``compiled`` (on physical qubits) acts like ``original`` on random input states,
    with logical qubit i starting on ``initial_layout[i]`` and ending on ``final_layout[i]``
    (ancilla physical qubits start in |0> and must end there). Global phase included.

    Measurements are removed from both circuits before they are simulated.

    Parameters
    ----------
    original : Circuit
        The logical circuit on ``n`` qubits, every parameter bound.
    compiled : Circuit
        The compiled circuit on ``m >= n`` physical qubits, every parameter bound.
    initial_layout : sequence of int or None, default None
        Physical qubit on which each logical qubit starts (``None``: qubit ``i`` on ``i``).
    final_layout : sequence of int or None, default None
        Physical qubit on which each logical qubit ends (``None``: qubit ``i`` on ``i``).
    n_states : int, default 3
        Random input states tried (normalised complex Gaussian vectors).
    seed : int, numpy.random.Generator or None, default None
        Seed of the random input states; the same seed gives the same result.
    atol : float, default 1e-8
        Absolute tolerance on each amplitude of the output states.

    Returns
    -------
    bool
        ``True`` if every output state matches, global phase included.

    Raises
    ------
    QuantumError
        If ``seed`` is not a valid seed, or a circuit resets a qubit or has a classically
        conditioned gate (it is then not one unitary to compare).
    UnboundParameterError
        If a circuit still has unbound parameters.

    Examples
    --------
    >>> from workbench.quantum import Circuit, equivalent, transpile
    >>> qc = Circuit(2).h(0).cx(0, 1)
    >>> r = transpile(qc)
    >>> equivalent(qc, r.circuit, r.initial_layout, r.final_layout, seed=0)
    True
    >>> equivalent(Circuit(1).h(0), Circuit(1).x(0), seed=0)
    False
    """
    from .statevector import simulate

    for what, c in (("original", original), ("compiled", compiled)):
        if not isinstance(c, Circuit):
            raise QuantumError(f"equivalent needs workbench Circuits; {what} is a {type(c).__name__}")
        for i, op in enumerate(c.ops):
            if op.kind == "reset" or op.condition is not None:
                raise QuantumError(
                    f"{what} circuit: operation {i} ({op.name}) is not unitary; equivalent compares unitary circuits"
                )
    n, m = original.n_qubits, compiled.n_qubits
    init = list(range(n)) if initial_layout is None else list(initial_layout)
    fin = list(range(n)) if final_layout is None else list(final_layout)
    rng = make_rng(seed, error=QuantumError)
    for _ in range(n_states):
        psi = rng.normal(size=1 << n) + 1j * rng.normal(size=1 << n)
        psi /= np.linalg.norm(psi)
        want = simulate(original.without_measurements(), initial_state=psi).state
        big = _place(psi, init, m)
        got = simulate(compiled.without_measurements(), initial_state=big).state
        if not np.allclose(got, _place(want, fin, m), rtol=0.0, atol=atol):
            return False
    return True


def _place(psi: np.ndarray, layout: list, m: int) -> np.ndarray:
    """Embed an n-qubit state with logical qubit i on physical qubit layout[i] (others |0>)."""
    n = len(layout)
    idx = np.arange(1 << n)
    phys = np.zeros_like(idx)
    for i, p in enumerate(layout):
        phys |= ((idx >> i) & 1) << p
    out = np.zeros(1 << m, complex)
    out[phys] = psi
    return out
