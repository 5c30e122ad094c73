"""Gate synthesis: Euler angles of one-qubit unitaries, the rz-sx and u bases, and :func:`decompose`, which
rewrites every gate on two or more qubits into CNOTs and one-qubit gates (textbook identities, the ABC
construction, Qiskit's ancilla-free multi-controlled X and unitary syntheses).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from ..errors import unknown_name
from .circuit import Circuit, Op, QuantumError
from .gates import GATES

BASES = {"rz_sx": ("rz", "sx", "x", "cx"), "u": ("u", "cx")}


_ATOL = 1e-9


# --- one-qubit synthesis ---------------------------------------------------------------------


def euler_zyz(u: np.ndarray) -> tuple[float, float, float, float]:
    """(theta, phi, lam, alpha) with u = e^{i alpha} Rz(phi) Ry(theta) Rz(lam).

    Parameters
    ----------
    u : array_like
        A 2 x 2 unitary matrix (not checked).

    Returns
    -------
    tuple of float
        ``(theta, phi, lam, alpha)`` in radians: ``theta`` in [0, pi], ``alpha`` half the phase of
        ``det(u)``; for a diagonal or anti-diagonal ``u``, ``lam`` is 0.

    Examples
    --------
    >>> from workbench.quantum import gate_matrix
    >>> from workbench.quantum.compiler import euler_zyz
    >>> theta, phi, lam, alpha = euler_zyz(gate_matrix("h"))
    >>> round(theta, 3), round(phi + lam, 3), round(alpha, 3)
    (1.571, 3.142, 1.571)
    """
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
    return np.pi if a == -np.pi else float(a)  # exact: numpy's isclose would move angles 3e-5 away


def _phase_between(target: np.ndarray, got: np.ndarray) -> float | None:
    """alpha with target = e^{i alpha} got, or None if they differ by more than a phase."""
    k = np.argmax(np.abs(got))
    ratio = target.flat[k] / got.flat[k]
    # absolute tolerance only: numpy's default relative tolerance (1e-5) would accept a short form
    # whose angles are off by 1e-5 and make the compiled circuit differ by that much
    if abs(abs(ratio) - 1) > 1e-10 or not np.allclose(target, ratio * got, rtol=0.0, atol=1e-10):
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
    """The shortest gate list in ``basis`` equal to ``u`` up to a returned global phase.

    Parameters
    ----------
    u : numpy.ndarray
        A 2 x 2 unitary matrix.
    basis : {"rz_sx", "u"}, default "rz_sx"
        "u" gives one ``u`` gate; any other value gives ``rz``, ``sx`` and ``x`` gates (at most five).

    Returns
    -------
    list of tuple
        The gates as ``(name, params)`` pairs (``params`` a tuple of angles in (-pi, pi]), in the order
        they apply; empty when ``u`` is a multiple of the identity.
    float
        The global phase ``alpha`` (radians) with ``u = e^{i alpha}`` times the product of the gates.

    Raises
    ------
    QuantumError
        If no gate list reproduces ``u`` (it is not a unitary), or ``basis`` is not a key of
        :data:`BASES`.

    Examples
    --------
    >>> from workbench.quantum import gate_matrix
    >>> from workbench.quantum.compiler import synth_1q
    >>> gates, phase = synth_1q(gate_matrix("h"))
    >>> [name for name, _ in gates], round(phase, 3)
    (['rz', 'sx', 'rz'], 0.785)
    """
    if basis not in BASES:
        raise unknown_name("basis", basis, BASES, QuantumError)
    if np.allclose(u, u[0, 0] * np.eye(2), rtol=0.0, atol=_ATOL):
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
    same phase). ``min_qubits=3`` keeps two-qubit gates whole (for routing).

    Named gates use textbook identities, and any gate with one control and one target the ABC
    construction; ``iswap``, "mcx" with two or more controls and the other unitaries use Qiskit's
    syntheses (Qiskit is imported for those only).

    Parameters
    ----------
    circuit : Circuit
        The circuit, without classically conditioned gates.
    min_qubits : int, default 2
        Gates on fewer qubits are kept as they are.

    Returns
    -------
    Circuit
        A new circuit with the same unitary and global phase (measurements, resets and barriers kept).

    Raises
    ------
    QuantumError
        If a gate is classically conditioned, or a gate to rewrite still has unbound parameters.

    Examples
    --------
    >>> from workbench.quantum import Circuit
    >>> from workbench.quantum.compiler import decompose
    >>> decompose(Circuit(3).ccx(0, 1, 2)).count_ops()
    {'h': 2, 'cx': 6, 'tdg': 3, 't': 4}
    """
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
