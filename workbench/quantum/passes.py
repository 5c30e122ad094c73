"""Peephole passes that keep a circuit's exact unitary: SWAP elision, cancellation and merging of gates
across commuting neighbours, one-qubit fusion and re-synthesis, and two-qubit re-synthesis with KAK.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from .circuit import Circuit, Op, QuantumError
from .gates import GATES
from .synthesis import BASES, _phase_between, decompose, synth_1q


def _refuse_conditions(circuit: Circuit, what: str) -> None:
    """A named error for a circuit with classically conditioned gates, which a pass that merges,
    cancels, relabels or routes gates would silently change."""
    for i, op in enumerate(getattr(circuit, "ops", ())):
        if op.condition is not None:
            raise QuantumError(
                f"{what}: operation {i} ({op.name}) is classically conditioned; this pass does not keep "
                "conditions (run it on the unconditioned part of the circuit)"
            )


def elide_swaps(circuit: Circuit) -> tuple[Circuit, list]:
    """Drop SWAP gates by relabelling the qubits after them; returns the circuit and where each
    qubit's state ends up (a final layout), as Qiskit's ElidePermutations does.

    Parameters
    ----------
    circuit : Circuit
        The circuit, without classically conditioned gates.

    Returns
    -------
    Circuit
        The circuit without SWAP gates, the other operations moved to the wires that hold their qubits
        (same registers, name and global phase).
    list of int
        The final layout: entry ``i`` is the wire of the new circuit on which qubit ``i`` of ``circuit``
        ends (``final_layout`` of :func:`~workbench.quantum.equivalent`).

    Raises
    ------
    QuantumError
        If the circuit has a classically conditioned gate (this pass would lose the condition).

    Examples
    --------
    >>> from workbench.quantum import Circuit
    >>> from workbench.quantum.compiler import elide_swaps
    >>> out, final = elide_swaps(Circuit(2).x(0).swap(0, 1))
    >>> out.count_ops(), final
    ({'x': 1}, [1, 0])
    """
    _refuse_conditions(circuit, "elide_swaps")
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
    return bool(np.allclose(ma @ mb, mb @ ma, rtol=0.0, atol=1e-10))


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
    back past up to ``window`` gates that commute with the new one.

    Parameters
    ----------
    circuit : Circuit
        The circuit, every angle bound, without classically conditioned gates.
    window : int, default 20
        How many earlier operations on the new gate's qubits are looked at, nearest first (the search also
        stops at the first one that does not commute with it).

    Returns
    -------
    Circuit
        A new circuit with the same unitary: cancelled pairs removed, merged rotations as one gate, the
        phases they leave added to ``global_phase``.

    Raises
    ------
    QuantumError
        If the circuit has a classically conditioned gate (this pass would lose the condition).
    UnboundParameterError
        If a gate it compares still has a :class:`~workbench.quantum.Parameter` angle.

    Examples
    --------
    >>> from workbench.quantum import Circuit
    >>> from workbench.quantum.compiler import cancel_and_merge
    >>> out = cancel_and_merge(Circuit(1).h(0).h(0).rz(0.1, 0).rz(0.2, 0))
    >>> out.count_ops(), round(out.ops[0].params[0], 3)
    ({'rz': 1}, 0.3)
    """
    _refuse_conditions(circuit, "cancel_and_merge")
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
    """Fuse each run of one-qubit gates and re-synthesise it in ``basis`` ("rz_sx" or "u").

    Parameters
    ----------
    circuit : Circuit
        The circuit, every one-qubit angle bound, without classically conditioned gates.
    basis : {"rz_sx", "u"}, default "rz_sx"
        A key of :data:`~workbench.quantum.BASES`: runs become ``rz``/``sx``/``x`` gates, or one ``u``.

    Returns
    -------
    Circuit
        A new circuit with the same unitary (global phase included): each run of one-qubit gates replaced
        by the shortest equivalent list in ``basis`` (nothing for an identity), the other operations kept.

    Raises
    ------
    QuantumError
        If the circuit has a classically conditioned gate (this pass would lose the condition).
    QuantumError
        If ``basis`` is not one of the bases.
    UnboundParameterError
        If a one-qubit gate still has a :class:`~workbench.quantum.Parameter` angle.

    Examples
    --------
    >>> from workbench.quantum import Circuit
    >>> from workbench.quantum.compiler import optimize_1q
    >>> qc = Circuit(1).h(0).t(0).h(0)
    >>> optimize_1q(qc).count_ops(), optimize_1q(qc, "u").count_ops()
    ({'rz': 3, 'sx': 2}, {'u': 1})
    """
    _refuse_conditions(circuit, "optimize_1q")
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
    fewer CNOTs than the run has and is no deeper in ``basis``. Input: CX and one-qubit gates.

    "No deeper" allows up to 2 more layers per CNOT saved (the module constant ``_DEPTH_SLACK``). Needs
    Qiskit for the KAK decomposition.

    Parameters
    ----------
    circuit : Circuit
        A circuit of CX and one-qubit gates with bound angles (as :func:`decompose` leaves it), plus
        any measurements, resets and barriers.
    basis : {"rz_sx", "u"}, default "rz_sx"
        A key of :data:`~workbench.quantum.BASES`: the basis of the re-synthesised one-qubit gates.

    Returns
    -------
    Circuit
        A new circuit with the same unitary (global phase included) and at most as many CNOTs.

    Raises
    ------
    QuantumError
        If the circuit has a classically conditioned gate (this pass would lose the condition).
    QuantumError
        If ``basis`` is not one of the bases (noticed only when a run is re-synthesised).

    Examples
    --------
    >>> from workbench.quantum import Circuit
    >>> from workbench.quantum.compiler import consolidate_2q
    >>> qc = Circuit(2).cx(0, 1).h(0).cx(1, 0).rz(0.3, 1).cx(0, 1).cx(1, 0)
    >>> qc.count_ops()["cx"], consolidate_2q(qc).count_ops()["cx"]
    (4, 2)
    """
    _refuse_conditions(circuit, "consolidate_2q")
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
