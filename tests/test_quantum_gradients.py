"""Adjoint gradients against the parameter-shift rule and central differences on random circuits."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.quantum import Circuit, Parameter, QuantumError
from workbench.quantum.gradients import DIFFERENTIABLE_GATES, gradient

ONE = ["rx", "ry", "rz", "p", "u"]
TWO = ["crx", "cry", "crz", "cp", "rxx", "ryy", "rzz", "rzx", "cu3"]
FIXED = ["h", "cx", "cz", "s", "sx", "swap", "ccx"]


def _random_circuit(rng, n, n_gates, n_params):
    names = [f"x{i}" for i in range(n_params)]
    qc = Circuit(n)

    def angle():
        if rng.random() < 0.8:  # a shared, possibly scaled and shifted parameter
            p = Parameter(names[rng.integers(n_params)])
            return p * float(rng.choice([1.0, -2.0, 0.5])) + float(rng.choice([0.0, 0.3]))
        return float(rng.uniform(-np.pi, np.pi))

    for _ in range(n_gates):
        kind = rng.random()
        if kind < 0.45:
            g = str(rng.choice(ONE))
            q = int(rng.integers(n))
            k = len(DIFFERENTIABLE_GATES[g])
            getattr(qc, g)(*[angle() for _ in range(k)], q)
        elif kind < 0.8 and n >= 2:
            g = str(rng.choice(TWO))
            a, b = (int(v) for v in rng.choice(n, 2, replace=False))
            k = len(DIFFERENTIABLE_GATES[g])
            getattr(qc, g)(*[angle() for _ in range(k)], a, b)
        else:
            g = str(rng.choice(FIXED if n >= 3 else FIXED[:-1]))
            if g in ("h", "s", "sx"):
                getattr(qc, g)(int(rng.integers(n)))
            elif g == "ccx":
                a, b, c = (int(v) for v in rng.choice(n, 3, replace=False))
                qc.ccx(a, b, c)
            elif n >= 2:
                a, b = (int(v) for v in rng.choice(n, 2, replace=False))
                getattr(qc, g)(a, b)
    return qc


def _random_observable(rng, n, terms):
    return {"".join(rng.choice(list("IXYZ"), n)): float(rng.normal()) for _ in range(terms)}


@pytest.mark.kernel
@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10**6), st.integers(1, 4), st.integers(1, 14), st.integers(1, 4))
def test_adjoint_equals_parameter_shift_and_central_differences(seed, n, n_gates, n_params):
    rng = np.random.default_rng(seed)
    qc = _random_circuit(rng, n, n_gates, n_params)
    if not qc.parameters:
        return
    obs = _random_observable(rng, n, 3)
    x = rng.uniform(-np.pi, np.pi, len(qc.parameters))
    e_adj, g_adj = gradient(qc, obs, x)
    e_ps, g_ps = gradient(qc, obs, x, method="parameter_shift")
    e_fd, g_fd = gradient(qc, obs, x, method="finite_difference")
    assert e_adj == pytest.approx(e_ps, abs=1e-12) and e_adj == pytest.approx(e_fd, abs=1e-12)
    assert np.abs(g_adj - g_ps).max() <= 1e-10
    assert np.abs(g_adj - g_fd).max() <= 1e-8


@pytest.mark.kernel
@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10**6), st.integers(1, 5), st.integers(1, 4))
def test_apply_pauli_sum_equals_the_dense_matrix(seed, n, terms):
    """The kernel behind H|psi> against the Pauli sum built as a dense matrix (Kronecker products)."""
    from workbench.quantum import _kernels
    from workbench.quantum.statevector import pauli_terms

    rng = np.random.default_rng(seed)
    obs = _random_observable(rng, n, terms)
    psi = rng.normal(size=2**n) + 1j * rng.normal(size=2**n)
    P = {"I": np.eye(2), "X": np.array([[0, 1], [1, 0]]), "Y": np.array([[0, -1j], [1j, 0]]), "Z": np.diag([1, -1])}
    dense = np.zeros((2**n, 2**n), complex)
    for label, c in obs.items():
        m = np.ones((1, 1))
        for ch in label:  # leftmost letter = highest qubit: the first Kronecker factor
            m = np.kron(m, P[ch])
        dense += c * m
    t = pauli_terms(obs, n)
    out = np.empty_like(psi)
    _kernels.apply_pauli_sum(
        psi,
        np.array([c * 1j**ny for c, _, _, ny in t], complex),
        np.array([x for _, x, _, _ in t], np.int64),
        np.array([z for _, _, z, _ in t], np.int64),
        out,
    )
    assert np.allclose(out, dense @ psi, atol=1e-12)


def test_gradient_matches_a_textbook_case_and_qiskit():
    from qiskit.circuit import Parameter as QP
    from qiskit.circuit import QuantumCircuit
    from qiskit.quantum_info import SparsePauliOp, Statevector

    a, b = Parameter("a"), Parameter("b")
    qc = Circuit(2).ry(a, 0).cx(0, 1).rz(b, 1).rx(2 * a, 1)
    obs = {"ZI": 1.0, "XX": -0.5, "IY": 0.25}
    x = np.array([0.37, -1.2])
    e, g = gradient(qc, obs, x)
    qa, qb = QP("a"), QP("b")
    ref = QuantumCircuit(2)
    ref.ry(qa, 0)
    ref.cx(0, 1)
    ref.rz(qb, 1)
    ref.rx(2 * qa, 1)
    H = SparsePauliOp.from_list(list(obs.items()))

    def energy(v):
        return Statevector(ref.assign_parameters({qa: v[0], qb: v[1]})).expectation_value(H).real

    h = 1e-6
    num = [(energy(x + h * np.eye(2)[i]) - energy(x - h * np.eye(2)[i])) / (2 * h) for i in range(2)]
    assert e == pytest.approx(energy(x), abs=1e-12)
    assert np.abs(g - num).max() < 1e-8


def test_gradient_refuses_what_it_cannot_differentiate():
    t = Parameter("t")
    with pytest.raises(QuantumError, match="gates only"):
        gradient(Circuit(1, 1).rx(t, 0).measure(0, 0), "Z", [0.1])
    with pytest.raises(QuantumError, match="no value for the parameter"):
        gradient(Circuit(1).rx(t, 0), "Z", {})
    with pytest.raises(QuantumError, match="1 parameters"):
        gradient(Circuit(1).rx(t, 0), "Z", [0.1, 0.2])
    with pytest.raises(QuantumError, match="must be 1 characters"):
        gradient(Circuit(1).rx(t, 0), "ZZ", [0.1])
    with pytest.raises(QuantumError, match="unknown method"):
        gradient(Circuit(1).rx(t, 0), "Z", [0.1], method="backprop")


def test_vqe_with_the_adjoint_gradient_reaches_the_same_optimum_with_a_tenth_of_the_evaluations():
    from workbench.quantum import load_h2, ry_ansatz, vqe

    h = load_h2("jordan_wigner_4q")
    ansatz = ry_ansatz(4, reps=3, initial=[0, 1])  # 16 parameters
    kw = {"offset": h["nuclear_repulsion"], "seed": 0, "restarts": 3}
    fd = vqe(h["hamiltonian"], ansatz, jac=None, **kw)
    adj = vqe(h["hamiltonian"], ansatz, **kw)
    assert adj.params["jac"] == "adjoint"
    assert abs(adj.energy - fd.energy) < 1e-8 and abs(adj.energy - adj.exact) < 1e-8
    assert len(adj.history) * 10 < len(fd.history)  # one evaluation gives the energy and all 16 derivatives


def test_vqe_refuses_an_unknown_gradient_method():
    from workbench.quantum import load_h2, vqe

    with pytest.raises(QuantumError, match="jac"):
        vqe(load_h2()["hamiltonian"], jac="backprop")


def test_qaoa_with_the_adjoint_gradient_reaches_the_same_optimum_with_fewer_evaluations():
    import networkx as nx

    from workbench.quantum import optimize_qaoa

    G = nx.random_regular_graph(3, 8, seed=1)
    fd = optimize_qaoa(G, 2, restarts=2, seed=0, jac=None)
    adj = optimize_qaoa(G, 2, restarts=2, seed=0)
    assert adj.params["jac"] == "adjoint"
    assert adj.expected_cut == pytest.approx(fd.expected_cut, abs=1e-7)
    assert len(adj.history) * 3 < len(fd.history)  # 4 angles: finite differences pay 5 runs per gradient


_PL_ONE = ["rx", "ry", "rz", "p", "u"]
_PL_TWO = ["crx", "cry", "crz", "cp", "rxx", "ryy", "rzz"]


def _pennylane_gradient(qc, terms: dict, x):
    """The same circuit and observable in PennyLane, differentiated by lightning.qubit's adjoint method."""
    qml = pytest.importorskip("pennylane")
    from pennylane import numpy as pnp

    n = qc.n_qubits
    names = qc.parameters
    dev = qml.device("lightning.qubit", wires=n)
    ops = {
        "rx": qml.RX,
        "ry": qml.RY,
        "rz": qml.RZ,
        "p": qml.PhaseShift,
        "u": qml.U3,
        "crx": qml.CRX,
        "cry": qml.CRY,
        "crz": qml.CRZ,
        "cp": qml.ControlledPhaseShift,
        "rxx": qml.IsingXX,
        "ryy": qml.IsingYY,
        "rzz": qml.IsingZZ,
        "h": qml.Hadamard,
        "cx": qml.CNOT,
        "cz": qml.CZ,
        "s": qml.S,
        "sx": qml.SX,
        "swap": qml.SWAP,
        "ccx": qml.Toffoli,
    }
    coeffs, obs = [], []
    for label, c in terms.items():
        factors = [getattr(qml, "Pauli" + ch)(n - 1 - k) for k, ch in enumerate(label) if ch != "I"]
        o = factors[0]
        for f in factors[1:]:
            o = o @ f
        coeffs.append(c)
        obs.append(o)
    ham = qml.Hamiltonian(coeffs, obs)

    @qml.qnode(dev, diff_method="adjoint")
    def energy(v):
        for op in qc.ops:
            angles = [v[names.index(p.name)] * p.scale + p.offset if isinstance(p, Parameter) else p for p in op.params]
            ops[op.name](*angles, wires=list(op.qubits))
        return qml.expval(ham)

    v = pnp.array(np.asarray(x, dtype=float), requires_grad=True)
    return float(energy(v)), np.asarray(qml.grad(energy)(v))


@pytest.mark.parametrize("seed", range(6))
def test_adjoint_equals_pennylane_lightning(seed):
    rng = np.random.default_rng(100 + seed)
    n = int(rng.integers(2, 5))
    names = [f"x{i}" for i in range(3)]
    qc = Circuit(n)
    for _ in range(12):
        r = rng.random()
        p = Parameter(names[rng.integers(3)]) * float(rng.choice([1.0, -2.0])) + float(rng.choice([0.0, 0.3]))
        if r < 0.4:
            g = str(rng.choice(_PL_ONE))
            k = len(DIFFERENTIABLE_GATES[g])
            getattr(qc, g)(*([p] + [float(rng.uniform(-1, 1)) for _ in range(k - 1)]), int(rng.integers(n)))
        elif r < 0.75:
            g = str(rng.choice(_PL_TWO))
            a, b = (int(v) for v in rng.choice(n, 2, replace=False))
            getattr(qc, g)(p, a, b)
        else:
            a, b = (int(v) for v in rng.choice(n, 2, replace=False))
            getattr(qc, str(rng.choice(["cx", "cz", "swap"])))(a, b)
            qc.h(int(rng.integers(n)))
    if not qc.parameters:
        qc.ry(Parameter("x0"), 0)
    terms = {"Z" * n: 0.7, "X" + "I" * (n - 1): -0.4, "I" * (n - 1) + "Y": 0.25}
    x = rng.uniform(-np.pi, np.pi, len(qc.parameters))
    e1, g1 = gradient(qc, terms, x)
    e2, g2 = _pennylane_gradient(qc, terms, x)
    assert abs(e1 - e2) < 1e-10
    assert np.abs(g1 - g2).max() < 1e-8
