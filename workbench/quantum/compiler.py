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

from dataclasses import dataclass
from functools import lru_cache

import networkx as nx
import numpy as np

from ..errors import Int, check, make_rng
from .circuit import MAX_GENERATED_QUBITS, Circuit, Op, QuantumError
from .gates import GATES

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
    "Routed",
]

BASES = {"rz_sx": ("rz", "sx", "x", "cx"), "u": ("u", "cx")}
_ATOL = 1e-9


# --- one-qubit synthesis ---------------------------------------------------------------------


def euler_zyz(u: np.ndarray) -> tuple[float, float, float, float]:
    """(theta, phi, lam, alpha) with u = e^{i alpha} Rz(phi) Ry(theta) Rz(lam)."""
    u = np.asarray(u, complex)
    det = np.linalg.det(u)
    alpha = np.angle(det) / 2
    v = u / np.exp(1j * alpha)
    theta = 2 * np.arctan2(abs(v[1, 0]), abs(v[0, 0]))
    if abs(v[0, 0]) > 1e-12 and abs(v[1, 0]) > 1e-12:
        s, d = -2 * np.angle(v[0, 0]), 2 * np.angle(v[1, 0])
        phi, lam = (s + d) / 2, (s - d) / 2
    elif abs(v[1, 0]) <= 1e-12:  # diagonal
        phi, lam = -2 * np.angle(v[0, 0]), 0.0
    else:  # anti-diagonal
        phi, lam = 2 * np.angle(v[1, 0]), 0.0
    return float(theta), float(phi), float(lam), float(alpha)


def _rz(t):
    return GATES["rz"].matrix(t)


def _wrap(a: float) -> float:
    """Angle in (-pi, pi]."""
    a = (a + np.pi) % (2 * np.pi) - np.pi
    return np.pi if np.isclose(a, -np.pi) else float(a)


def _phase_between(target: np.ndarray, got: np.ndarray) -> float | None:
    """alpha with target = e^{i alpha} got, or None if they differ by more than a phase."""
    k = np.argmax(np.abs(got))
    ratio = target.flat[k] / got.flat[k]
    if abs(abs(ratio) - 1) > 1e-7 or not np.allclose(target, ratio * got, atol=1e-8):
        return None
    return float(np.angle(ratio))


def _candidates(u: np.ndarray, basis: str):
    theta, phi, lam, _ = euler_zyz(u)
    if basis == "u":
        yield [("u", (theta, phi, lam))]
        return
    # the short forms hold only for theta = 0, pi, pi/2; each is verified, so both signs are tried
    yield [("rz", (phi + lam,))]
    for s in (0.0, np.pi, -np.pi):
        yield [("x", ()), ("rz", (phi - lam + s,))]
    for s in (1, -1):
        yield [("rz", (lam - s * np.pi / 2,)), ("sx", ()), ("rz", (phi + s * np.pi / 2,))]
    yield [("rz", (lam,)), ("sx", ()), ("rz", (theta + np.pi,)), ("sx", ()), ("rz", (phi + np.pi,))]


def synth_1q(u: np.ndarray, basis: str = "rz_sx") -> tuple[list, float]:
    """The shortest gate list in ``basis`` equal to ``u`` up to a returned global phase."""
    if np.allclose(u, u[0, 0] * np.eye(2), atol=_ATOL):
        return [], float(np.angle(u[0, 0]))
    for gates in _candidates(u, basis):
        gates = [(n, tuple(_wrap(p) for p in ps)) for n, ps in gates]
        gates = [(n, ps) for n, ps in gates if not (n == "rz" and abs(ps[0]) < _ATOL)]
        m = np.eye(2, dtype=complex)
        for n, ps in gates:
            m = GATES[n].matrix(*ps) @ m
        a = _phase_between(u, m)
        if a is not None:
            return gates, a
    raise QuantumError("one-qubit synthesis failed")  # pragma: no cover - the last candidate is general


# --- decomposition into CX + one-qubit gates --------------------------------------------------


def _abc(qc: Circuit, u: np.ndarray, c: int, t: int):
    """Controlled-U from two CNOTs (Nielsen & Chuang 4.2): C-U = (P(alpha) on c) A CX B CX C."""
    theta, phi, lam, alpha = euler_zyz(u)
    # U = e^{i alpha} Rz(phi) Ry(theta) Rz(lam); A = Rz(phi) Ry(theta/2), B = Ry(-theta/2) Rz(-(phi+lam)/2),
    # C = Rz((lam-phi)/2); A B C = I and A X B X C = U e^{-i alpha}
    qc.rz((lam - phi) / 2, t)
    qc.cx(c, t)
    qc.rz(-(phi + lam) / 2, t).ry(-theta / 2, t)
    qc.cx(c, t)
    qc.ry(theta / 2, t).rz(phi, t)
    qc.p(alpha, c)


def _ccx(qc: Circuit, a: int, b: int, t: int):
    """Toffoli with six CNOTs (Nielsen & Chuang Fig. 4.9)."""
    qc.h(t).cx(b, t).tdg(t).cx(a, t).t(t).cx(b, t).tdg(t).cx(a, t).t(b).t(t).h(t).cx(a, b).t(a).tdg(b).cx(a, b)


def _decompose_op(op: Op, out: Circuit):
    name, q, p = op.name, op.qubits, op.params
    if len(q) == 1:
        out.ops.append(op)
        return
    if name == "cx":
        out.ops.append(op)
    elif name == "cz":
        out.h(q[1]).cx(q[0], q[1]).h(q[1])
    elif name == "cy":
        out.sdg(q[1]).cx(q[0], q[1]).s(q[1])
    elif name == "swap":
        out.cx(q[0], q[1]).cx(q[1], q[0]).cx(q[0], q[1])
    elif name in ("cp", "cu1"):
        out.p(p[0] / 2, q[0]).cx(q[0], q[1]).p(-p[0] / 2, q[1]).cx(q[0], q[1]).p(p[0] / 2, q[1])
    elif name == "crz":
        out.rz(p[0] / 2, q[1]).cx(q[0], q[1]).rz(-p[0] / 2, q[1]).cx(q[0], q[1])
    elif name == "rzz":
        out.cx(q[0], q[1]).rz(p[0], q[1]).cx(q[0], q[1])
    elif name == "rxx":
        out.h(q[0]).h(q[1]).cx(q[0], q[1]).rz(p[0], q[1]).cx(q[0], q[1]).h(q[0]).h(q[1])
    elif name == "ryy":
        out.rx(np.pi / 2, q[0]).rx(np.pi / 2, q[1]).cx(q[0], q[1]).rz(p[0], q[1]).cx(q[0], q[1])
        out.rx(-np.pi / 2, q[0]).rx(-np.pi / 2, q[1])
    elif name == "rzx":
        out.h(q[1]).cx(q[0], q[1]).rz(p[0], q[1]).cx(q[0], q[1]).h(q[1])
    elif name == "ccx":
        _ccx(out, q[0], q[1], q[2])
    elif name == "ccz":
        out.h(q[2])
        _ccx(out, q[0], q[1], q[2])
        out.h(q[2])
    elif name == "cswap":
        out.cx(q[2], q[1])
        _ccx(out, q[0], q[1], q[2])
        out.cx(q[2], q[1])
    elif op.n_controls == 1 and op.target_matrix().shape[0] == 2:
        _abc(out, op.target_matrix(), q[0], q[1])
    elif op.name == "mcx":
        _append_mapped(out, _mcx_circuit(op.n_controls), q)
    else:
        _synthesize(op, out)


@lru_cache(maxsize=16)
def _mcx_circuit(k: int) -> Circuit:
    """X with ``k`` controls in CX + one-qubit gates (qiskit's ancilla-free MCX synthesis)."""
    from qiskit import transpile as qtranspile
    from qiskit.circuit.library import MCXGate

    from .interop import from_qiskit

    q = MCXGate(k).definition
    return from_qiskit(qtranspile(q, basis_gates=["u", "cx"], optimization_level=1))


def _append_mapped(out: Circuit, sub: Circuit, qubits):
    out.global_phase += sub.global_phase
    for o in sub.ops:
        out.ops.append(Op(o.kind, o.name, tuple(qubits[i] for i in o.qubits), o.params, o.clbits, o.n_controls, o.base))


def _synthesize(op: Op, out: Circuit):
    """Any other unitary: qiskit's synthesis (two-qubit KAK, or the quantum Shannon decomposition)."""
    from qiskit import QuantumCircuit
    from qiskit.synthesis import qs_decomposition

    from .interop import from_qiskit

    if op.n_controls:
        from qiskit import transpile as qtranspile
        from qiskit.circuit.library import UnitaryGate

        sub = QuantumCircuit(len(op.qubits))
        sub.append(UnitaryGate(op.target_matrix()).control(op.n_controls), list(range(len(op.qubits))))
        sub = qtranspile(sub, basis_gates=["u", "cx"], optimization_level=1)
    else:
        sub = qs_decomposition(op.matrix())
    _append_mapped(out, decompose(from_qiskit(sub)), op.qubits)


def decompose(circuit: Circuit, min_qubits: int = 2) -> Circuit:
    """Every gate on ``min_qubits`` or more qubits rewritten as CX and one-qubit gates (same unitary,
    same phase). ``min_qubits=3`` keeps two-qubit gates whole (for routing)."""
    out = Circuit(circuit.n_qubits, circuit.n_clbits, circuit.name)
    out.global_phase = circuit.global_phase
    for op in circuit.ops:
        if op.kind == "gate" and op.condition is not None:
            raise QuantumError("the compiler does not handle classically conditioned gates")
        if op.kind != "gate" or len(op.qubits) < min_qubits:
            out.ops.append(op)
            continue
        if not op.bound:
            raise QuantumError("bind the circuit's parameters before compiling")
        _decompose_op(op, out)
    return out


def elide_swaps(circuit: Circuit) -> tuple[Circuit, list]:
    """Drop SWAP gates by relabelling the qubits after them; returns the circuit and where each
    qubit's state ends up (a final layout), as Qiskit's ElidePermutations does."""
    perm = list(range(circuit.n_qubits))  # logical qubit -> wire holding it
    out = Circuit(circuit.n_qubits, circuit.n_clbits, circuit.name)
    out.global_phase = circuit.global_phase
    for op in circuit.ops:
        if op.kind == "gate" and op.name == "swap":
            a, b = op.qubits
            ia, ib = perm.index(a), perm.index(b)
            perm[ia], perm[ib] = b, a
            continue
        wire_of = {w: i for i, w in enumerate(perm)}
        out.ops.append(
            Op(op.kind, op.name, tuple(wire_of[q] for q in op.qubits), op.params, op.clbits, op.n_controls, op.base)
        )
    final = [perm.index(i) for i in range(circuit.n_qubits)]
    return out, final


# --- peephole optimisation -------------------------------------------------------------------


@lru_cache(maxsize=20000)
def _commute_key(a_name, a_params, a_rel, b_name, b_params, b_rel, nq) -> bool:
    ma = _embed(GATES[a_name].matrix(*a_params) if a_name in GATES else None, a_rel, nq)
    mb = _embed(GATES[b_name].matrix(*b_params) if b_name in GATES else None, b_rel, nq)
    return bool(np.allclose(ma @ mb, mb @ ma, atol=1e-10))


def _embed(m, rel, nq):
    from .fusion import Block, block_matrix

    return block_matrix(Block(tuple(range(nq)), [Op("gate", "unitary", rel, base=m)]))


def _commute(a: Op, b: Op) -> bool:
    if not set(a.qubits) & set(b.qubits):
        return True
    if a.kind != "gate" or b.kind != "gate":
        return False
    if a.diagonal and b.diagonal:
        return True
    if a.name not in GATES or b.name not in GATES:
        return False
    qs = sorted(set(a.qubits) | set(b.qubits))
    if len(qs) > 3:
        return False
    rel = {q: i for i, q in enumerate(qs)}
    return _commute_key(
        a.name, a.params, tuple(rel[q] for q in a.qubits), b.name, b.params, tuple(rel[q] for q in b.qubits), len(qs)
    )


_MERGEABLE = {"rz", "rx", "ry", "p", "u1", "rzz", "rxx", "ryy", "cp", "crz", "crx", "cry"}


def cancel_and_merge(circuit: Circuit, *, window: int = 20) -> Circuit:
    """Remove gate pairs that multiply to the identity and merge same-axis rotations, looking
    back past up to ``window`` gates that commute with the new one."""
    out: list = []  # ops or None (removed)
    phase = circuit.global_phase
    last: dict[int, list] = {q: [] for q in range(circuit.n_qubits)}  # indices into out per qubit

    for op in circuit.ops:
        if op.kind != "gate":
            for q in op.qubits:
                last[q].append(len(out))
            out.append(op)
            continue
        done = False
        # candidates: earlier ops on these qubits, nearest first, while everything between commutes
        seen = 0
        cands = sorted({i for q in op.qubits for i in last[q]}, reverse=True)
        for i in cands:
            prev = out[i]
            if prev is None:
                continue
            seen += 1
            if seen > window:
                break
            if (
                prev.kind == "gate"
                and prev.qubits == op.qubits
                or (
                    prev.kind == "gate"
                    and set(prev.qubits) == set(op.qubits)
                    and prev.name == op.name
                    and op.name in ("cz", "swap", "rzz", "rxx", "ryy", "cp", "ccz")
                )
            ):
                merged, a = _combine(prev, op)
                if merged is not False:
                    phase += a
                    out[i] = merged
                    if merged is None:
                        for q in prev.qubits:
                            last[q].remove(i)
                    done = True
                    break
            if not _commute(prev, op):
                break
        if not done:
            for q in op.qubits:
                last[q].append(len(out))
            out.append(op)
    res = Circuit(circuit.n_qubits, circuit.n_clbits, circuit.name)
    res.global_phase = phase
    res.ops = [o for o in out if o is not None]
    return res


def _combine(a: Op, b: Op):
    """(merged op or None if the pair is the identity, phase) -- or (False, 0) if they don't combine."""
    if a.name == b.name and a.name in _MERGEABLE:
        t = a.params[0] + b.params[0]
        merged = Op("gate", a.name, a.qubits, (t,), n_controls=a.n_controls)
        m = merged.matrix()
        ph = _phase_between(m, np.eye(m.shape[0]))
        if ph is not None:
            return None, ph
        return merged, 0.0
    if a.qubits != b.qubits and a.name not in ("cz", "swap", "rzz", "rxx", "ryy", "cp", "ccz"):
        return False, 0.0
    if len(a.qubits) > 3:
        return False, 0.0
    prod = b.matrix() @ a.matrix()
    ph = _phase_between(prod, np.eye(prod.shape[0]))
    if ph is not None:
        return None, ph
    return False, 0.0


def optimize_1q(circuit: Circuit, basis: str = "rz_sx") -> Circuit:
    """Fuse each run of one-qubit gates and re-synthesise it in ``basis`` ("rz_sx" or "u")."""
    if basis not in BASES:
        raise QuantumError(f"basis must be one of {sorted(BASES)}, got {basis!r}")
    out = Circuit(circuit.n_qubits, circuit.n_clbits, circuit.name)
    out.global_phase = circuit.global_phase
    pending: dict[int, np.ndarray] = {}

    def flush(q):
        m = pending.pop(q, None)
        if m is None:
            return
        gates, a = synth_1q(m, basis)
        out.global_phase += a
        for n, ps in gates:
            out.append(n, [q], ps)

    for op in circuit.ops:
        if op.kind == "gate" and len(op.qubits) == 1:
            q = op.qubits[0]
            pending[q] = op.matrix() @ pending.get(q, np.eye(2, dtype=complex))
            continue
        for q in op.qubits:
            flush(q)
        out.ops.append(op)
    for q in list(pending):
        flush(q)
    return out


#: a re-synthesised two-qubit block may be this many layers deeper per CNOT it saves
_DEPTH_SLACK = 2.0


@lru_cache(maxsize=1)
def _kak():
    from qiskit.circuit.library import CXGate
    from qiskit.synthesis import TwoQubitBasisDecomposer

    return TwoQubitBasisDecomposer(CXGate(), euler_basis="ZSX")


def consolidate_2q(circuit: Circuit, basis: str = "rz_sx") -> Circuit:
    """Re-synthesise every run of gates confined to one pair of qubits when the KAK decomposition
    (``qiskit.synthesis.TwoQubitBasisDecomposer``: at most 3 CX for any two-qubit unitary) needs
    fewer CNOTs than the run has and is no deeper in ``basis``. Input: CX and one-qubit gates."""
    from .fusion import Block, block_matrix
    from .interop import from_qiskit

    out = Circuit(circuit.n_qubits, circuit.n_clbits, circuit.name)
    out.global_phase = circuit.global_phase
    block_of: dict[int, dict] = {}
    pending: dict[int, list] = {}

    def close(b):
        for q in b["pair"]:
            block_of.pop(q, None)
        n_cx = sum(o.name == "cx" for o in b["ops"])
        if n_cx >= 2:
            a, c = b["pair"]
            u = block_matrix(Block((a, c), [Op("gate", "unitary", tuple(o.qubits), base=o.matrix()) for o in b["ops"]]))
            if _kak().num_basis_gates(u) < n_cx:
                sub = optimize_1q(decompose(from_qiskit(_kak()(u))), basis)
                old = Circuit(circuit.n_qubits)
                old.ops = list(b["ops"])
                saved = n_cx - sum(o.name == "cx" for o in sub.ops)
                if sub.depth() > optimize_1q(old, basis).depth() + _DEPTH_SLACK * saved:
                    out.ops.extend(b["ops"])
                    return
                out.global_phase += sub.global_phase
                out.ops.extend(
                    Op(
                        o.kind,
                        o.name,
                        tuple((a, c)[i] for i in o.qubits),
                        o.params,
                        n_controls=o.n_controls,
                        base=o.base,
                    )
                    for o in sub.ops
                )
                return
        out.ops.extend(b["ops"])

    def flush_pending(q):
        out.ops.extend(pending.pop(q, []))

    for op in circuit.ops:
        if op.kind != "gate" or len(op.qubits) > 2:
            for q in op.qubits:
                if q in block_of:
                    close(block_of[q])
                flush_pending(q)
            out.ops.append(op)
            continue
        if len(op.qubits) == 1:
            q = op.qubits[0]
            if q in block_of:
                block_of[q]["ops"].append(op)
            else:
                pending.setdefault(q, []).append(op)
            continue
        a, c = op.qubits
        ba, bc = block_of.get(a), block_of.get(c)
        if ba is not None and ba is bc:
            ba["ops"].append(op)
            continue
        for b in {id(x): x for x in (ba, bc) if x is not None}.values():
            close(b)
        b = {"pair": (a, c), "ops": pending.pop(a, []) + pending.pop(c, []) + [op]}
        block_of[a] = block_of[c] = b
    for b in list({id(x): x for x in block_of.values()}.values()):
        close(b)
    for q in list(pending):
        flush_pending(q)
    return out


# --- routing ---------------------------------------------------------------------------------


def coupling_map(kind: str, n: int | None = None, **kw) -> nx.Graph:
    """Coupling graphs: "line", "ring", "grid" (rows x cols), "heavy_hex" (distance d, IBM's lattice).

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
    """A routed circuit on physical qubits and where each logical qubit starts and ends."""

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


def route(
    circuit: Circuit, coupling: nx.Graph, *, seed=None, trials: int = 5, layout_iterations: int = 2, initial_layout=None
) -> Routed:
    """Place and route a circuit of gates on at most two qubits onto a coupling graph (SABRE).

    Each trial starts from a random layout, refines it by routing forward and backward
    ``layout_iterations`` times, then routes forward; the trial with the fewest SWAPs wins.
    With ``initial_layout`` (physical qubit of each logical one, in 0..m-1) a single trial routes
    from that layout as given. The result acts on ``coupling``'s nodes (relabelled 0..m-1 in
    sorted order).
    """
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
    rng = make_rng(seed)
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
    Routing is cheap and the final optimisation is not: ``route_trials`` (default ``4 * trials``)
    SABRE routings from random layouts are made, the ``trials`` with the fewest SWAPs are
    optimised, and the one with the fewest CNOTs, then the smallest depth, is returned.

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
    rng = make_rng(seed)
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
    (ancilla physical qubits start in |0> and must end there). Global phase included."""
    from .statevector import simulate

    n, m = original.n_qubits, compiled.n_qubits
    init = list(range(n)) if initial_layout is None else list(initial_layout)
    fin = list(range(n)) if final_layout is None else list(final_layout)
    rng = make_rng(seed)
    for _ in range(n_states):
        psi = rng.normal(size=1 << n) + 1j * rng.normal(size=1 << n)
        psi /= np.linalg.norm(psi)
        want = simulate(original.without_measurements(), initial_state=psi).state
        big = _place(psi, init, m)
        got = simulate(compiled.without_measurements(), initial_state=big).state
        if not np.allclose(got, _place(want, fin, m), atol=atol):
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
