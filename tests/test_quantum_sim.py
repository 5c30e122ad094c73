"""The state-vector simulator against Qiskit, a naive Kronecker simulator and known answers."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import workbench.quantum as wq
from workbench import data_path
from workbench.quantum import GATES, Circuit

from . import naive

qiskit = pytest.importorskip("qiskit")
from qiskit.quantum_info import Operator, SparsePauliOp, Statevector  # noqa: E402


def fidelity(a, b):
    return abs(np.vdot(a, b)) ** 2


def random_circuit(rng, n, depth, big=True):
    qc = Circuit(n)
    names = [g for g in GATES if GATES[g].n_qubits <= n]
    for _ in range(depth):
        r = rng.random()
        if big and r < 0.05 and n >= 3:
            k = int(rng.integers(2, min(n, 4) + 1))
            qs = [int(q) for q in rng.choice(n, k, replace=False)]
            from scipy.stats import unitary_group

            u = unitary_group.rvs(1 << (k - 1), random_state=int(rng.integers(1 << 31)))
            qc.unitary(u, qs[1:], controls=qs[:1])
        elif big and r < 0.08 and n >= 3:
            qs = [int(q) for q in rng.choice(n, int(rng.integers(3, n + 1)), replace=False)]
            qc.mcx(qs[:-1], qs[-1])
        else:
            name = str(rng.choice(names))
            spec = GATES[name]
            qs = [int(q) for q in rng.choice(n, spec.n_qubits, replace=False)]
            qc.append(name, qs, list(rng.uniform(-np.pi, np.pi, spec.n_params)))
    qc.global_phase = float(rng.uniform(0, 2 * np.pi))
    return qc


# --- gates --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(GATES))
def test_gate_matrices_equal_qiskits(name):
    from qiskit import QuantumCircuit

    spec = GATES[name]
    params = list(np.random.default_rng(len(name)).uniform(-3, 3, spec.n_params))
    from workbench.quantum.interop import _qiskit_gate

    q = QuantumCircuit(spec.n_qubits)
    q.append(_qiskit_gate(name, params), list(range(spec.n_qubits)))
    assert np.allclose(wq.gate_matrix(name, *params), Operator(q).data, atol=1e-12)
    assert spec.diagonal == bool(np.allclose(np.diag(np.diag(Operator(q).data)), Operator(q).data))


# --- whole circuits -----------------------------------------------------------------------


@pytest.mark.kernel
@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 7), st.sampled_from([0, 2, 3, 4, 5]))
def test_random_circuits_equal_qiskit_statevector(seed, n, fusion):
    rng = np.random.default_rng(seed)
    qc = random_circuit(rng, n, int(rng.integers(1, 40)))
    want = Statevector(wq.to_qiskit(qc)).data
    got = wq.statevector(qc, fusion=fusion)
    assert fidelity(want, got) >= 1 - 1e-10
    assert np.allclose(got, want, atol=1e-10)  # global phase included


@pytest.mark.kernel
@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 6))
def test_kernels_match_the_naive_kronecker_simulator(seed, n):
    rng = np.random.default_rng(seed)
    qc = random_circuit(rng, n, int(rng.integers(1, 25)))
    want = naive.kron_statevector(n, [(op.qubits, op.matrix()) for op in qc.ops], qc.global_phase)
    for fusion in (0, 4):
        assert np.allclose(wq.statevector(qc, fusion=fusion), want, atol=1e-10)


@pytest.mark.kernel
def test_high_qubits_use_the_chunked_path():
    """Gates whose lowest qubit is >= 3 run over contiguous runs; compare with Qiskit at 11 qubits."""
    rng = np.random.default_rng(5)
    qc = Circuit(11)
    for _ in range(60):
        qs = [int(q) for q in rng.choice(np.arange(3, 11), 2, replace=False)]
        qc.u(*rng.uniform(-3, 3, 3), qs[0]).cx(qs[0], qs[1])
        qc.h(int(rng.integers(0, 11)))
    for fusion in (0, 3, 5):
        assert fidelity(Statevector(wq.to_qiskit(qc)).data, wq.statevector(qc, fusion=fusion)) >= 1 - 1e-10


@pytest.mark.kernel
def test_complex64_is_close():
    qc = random_circuit(np.random.default_rng(1), 8, 80)
    got = wq.statevector(qc, dtype="complex64")
    assert got.dtype == np.complex64
    assert fidelity(Statevector(wq.to_qiskit(qc)).data, got.astype(complex)) >= 1 - 1e-5


@pytest.mark.kernel
@pytest.mark.parametrize("dtype", ["complex128", "complex64"])
def test_two_threads_give_the_same_state(dtype):
    """The threaded path splits each dense block's groups between threads: same arithmetic, same bits."""
    import numba

    threads = max(2, min(4, numba.config.NUMBA_NUM_THREADS))
    if threads > numba.config.NUMBA_NUM_THREADS:
        pytest.skip("numba has a single thread here")
    for seed, n in ((3, 9), (4, 12)):
        qc = random_circuit(np.random.default_rng(seed), n, 120)
        one = wq.statevector(qc, dtype=dtype)
        assert np.array_equal(wq.statevector(qc, dtype=dtype, threads=threads), one)
    assert fidelity(Statevector(wq.to_qiskit(qc)).data, one.astype(complex)) >= 1 - 1e-5
    for bad in (0, -1, 1.5, "2", True, numba.config.NUMBA_NUM_THREADS + 1):
        with pytest.raises(wq.QuantumError, match="threads"):
            wq.simulate(qc, threads=bad)


def test_fusion_blocks_stay_within_k_and_cover_every_gate():
    qc = random_circuit(np.random.default_rng(2), 9, 200, big=False)
    for k in (2, 3, 4, 5):
        blocks = wq.fuse(qc.ops, k)
        # a wider gate stays alone; diagonal blocks may reach 10 qubits
        assert all(len(b.qubits) <= k or len(b.ops) == 1 or (b.diagonal and len(b.qubits) <= 10) for b in blocks)
        assert sum(len(b.ops) for b in blocks) == len(qc.ops)
        assert len(blocks) < len(qc.ops)


QASM = sorted(p.name for p in data_path("qasm").glob("*.qasm"))
DYNAMIC = {"inverseqft_n4.qasm", "shor_n5.qasm", "bb84_n8.qasm"}  # conditionals, resets, re-measured qubits


@pytest.mark.parametrize("name", [q for q in QASM if q not in DYNAMIC])
def test_qasmbench_circuits_equal_qiskit(name):
    from qiskit import QuantumCircuit

    path = data_path("qasm", name)
    qc = wq.from_qasm(path)
    ref = QuantumCircuit.from_qasm_file(str(path)).remove_final_measurements(inplace=False)
    want = Statevector(ref).data
    got = wq.statevector(qc.without_measurements())
    assert fidelity(want, got) >= 1 - 1e-10


@pytest.mark.parametrize("name", sorted(DYNAMIC))
def test_dynamic_qasmbench_circuits_match_aer_counts(name):
    """Mid-circuit measurement, reset and classically conditioned gates: outcome frequencies
    agree with qiskit-aer's within sampling error."""
    aer = pytest.importorskip("qiskit_aer")
    from qiskit import QuantumCircuit

    path = data_path("qasm", name)
    shots = 3000
    ours = wq.sample_counts(wq.from_qasm(path), shots, seed=1)
    ref = QuantumCircuit.from_qasm_file(str(path))
    theirs = aer.AerSimulator().run(ref, shots=shots, seed_simulator=2).result().get_counts()
    theirs = {k.replace(" ", ""): v for k, v in theirs.items()}
    for key in set(ours) | set(theirs):
        p = (ours.get(key, 0) + theirs.get(key, 0)) / (2 * shots)
        assert abs(ours.get(key, 0) - theirs.get(key, 0)) / shots < 5 * np.sqrt(2 * p * (1 - p) / shots) + 2e-3, key


@pytest.mark.kernel
def test_conditional_gates_round_trip_and_teleportation():
    # teleport ry(0.7)|0> from qubit 0 to qubit 2 with feed-forward corrections
    qc = Circuit(3, 2).ry(0.7, 0).h(1).cx(1, 2).cx(0, 1).h(0).measure(0, 0).measure(1, 1)
    qc.if_test(1, 1, Circuit(1).x(0), [2]).if_test(0, 1, Circuit(1).z(0), [2])
    for seed in range(6):
        r = wq.simulate(qc, seed=seed)
        assert np.isclose(r.bloch().loc[2, "z"], np.cos(0.7)) and np.isclose(r.bloch().loc[2, "x"], np.sin(0.7))
    back = wq.from_qiskit(wq.to_qiskit(qc))
    assert [op.condition for op in back.ops] == [op.condition for op in qc.ops]
    with pytest.raises(wq.QuantumError, match="trajectories"):
        wq.simulate_density(qc)


def test_qasm_round_trip():
    qc = random_circuit(np.random.default_rng(3), 4, 30, big=False)
    back = wq.from_qasm(wq.to_qasm(qc))
    assert fidelity(wq.statevector(qc), wq.statevector(back)) >= 1 - 1e-10


def test_parameters_round_trip_through_qiskit():
    g = wq.Parameter("g")
    qc = Circuit(2).h(0).rzz(2 * g, 0, 1).rx(-g + 0.5, 1)
    back = wq.from_qiskit(wq.to_qiskit(qc))
    assert back.parameters == ["g"]
    assert np.allclose(wq.statevector(qc.bind(g=0.3)), wq.statevector(back.bind(g=0.3)))


# --- measurement, sampling, expectations ----------------------------------------------------


def test_bell_sampling_is_seeded_and_balanced():
    qc = Circuit(2).h(0).cx(0, 1).measure_all()
    a = wq.sample_counts(qc, 4000, seed=7)
    assert a == wq.sample_counts(qc, 4000, seed=7)
    assert set(a) == {"00", "11"} and abs(a["00"] - 2000) < 4 * np.sqrt(1000)


@pytest.mark.kernel
def test_mid_circuit_measurement_and_reset():
    # measure a |+> qubit, copy the outcome with a CNOT; both read the same in every shot
    qc = Circuit(2, 2).h(0).measure(0, 0).cx(0, 1).measure(1, 1)
    counts = wq.sample_counts(qc, 400, seed=3)
    assert set(counts) <= {"00", "11"} and len(counts) == 2
    r = wq.simulate(Circuit(1).h(0).reset(0), seed=5)
    assert np.allclose(r.state, [1, 0])


def test_sampling_matches_probabilities():
    qc = random_circuit(np.random.default_rng(4), 3, 20, big=False)
    p = wq.simulate(qc).probabilities()
    counts = wq.sample_counts(qc.copy().measure_all(), 20000, seed=1)
    for k, v in counts.items():
        assert abs(v / 20000 - p[int(k, 2)]) < 5 * np.sqrt(p[int(k, 2)] / 20000) + 1e-3


@pytest.mark.kernel
@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 6))
def test_pauli_expectations_equal_qiskit(seed, n):
    rng = np.random.default_rng(seed)
    psi = rng.normal(size=1 << n) + 1j * rng.normal(size=1 << n)
    psi /= np.linalg.norm(psi)
    labels = ["".join(rng.choice(list("IXYZ"), n)) for _ in range(5)]
    coeffs = rng.normal(size=5)
    op = SparsePauliOp(labels, coeffs)
    assert np.isclose(wq.expectation(psi, op), Statevector(psi).expectation_value(op).real, atol=1e-12)


def test_h2_hamiltonians_ground_energy():
    import json

    h = json.loads(data_path("quantum", "h2_sto3g_0.735.json").read_text())
    for key in ("jordan_wigner_4q", "parity_2q"):
        m = SparsePauliOp(list(h[key]), list(h[key].values())).to_matrix()
        w, v = np.linalg.eigh(m)
        assert abs(w[0] - h["E_FCI_electronic"]) < 1e-9
        assert abs(wq.expectation(v[:, 0], h[key]) - w[0]) < 1e-12
    assert abs(h["E_FCI_electronic"] + h["nuclear_repulsion"] - (-1.13731)) < 1e-5


# --- bad input -----------------------------------------------------------------------------


def test_bad_input_named_errors():
    qc = Circuit(2)
    with pytest.raises(wq.QubitError, match="out of range"):
        qc.h(2)
    with pytest.raises(wq.QubitError, match="twice"):
        qc.cx(1, 1)
    with pytest.raises(wq.NotUnitaryError, match="not unitary"):
        qc.unitary([[1, 1], [0, 1]], 0)
    with pytest.raises(wq.NotUnitaryError, match="shape"):
        qc.unitary(np.eye(3), 0)
    with pytest.raises(wq.NotUnitaryError, match="acts on 2 qubits"):
        qc.unitary(np.eye(4), [0])
    with pytest.raises(wq.QuantumError, match="unknown gate"):
        qc.append("foo", [0])
    with pytest.raises(wq.UnboundParameterError, match="bind"):
        wq.simulate(Circuit(1).rx(wq.Parameter("a"), 0))
    with pytest.raises(wq.TooManyQubitsError, match="GiB"):
        wq.simulate(Circuit(33))
    with pytest.raises(wq.TooManyQubitsError):
        wq.simulate(Circuit(40))
    with pytest.raises(wq.QasmError, match="foo"):
        wq.from_qasm('OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[1];\nfoo q[0];\n')
    with pytest.raises(wq.QuantumError, match="dtype"):
        wq.simulate(Circuit(1), dtype="float32")


def test_gates_appended_by_name_equal_checked_ops():
    """Circuit.append builds library gates without re-running Op's checks; the result must be the
    same Op (every field) as the checked constructor gives."""
    import dataclasses

    from workbench.quantum.circuit import Op

    for name, spec in GATES.items():
        c = Circuit(max(spec.n_qubits, 1))
        c.append(name, range(spec.n_qubits), [0.25] * spec.n_params)
        fast = c.ops[0]
        slow = Op("gate", name, tuple(range(spec.n_qubits)), (0.25,) * spec.n_params, n_controls=spec.n_controls)
        assert {f.name: getattr(fast, f.name) for f in dataclasses.fields(Op)} == {
            f.name: getattr(slow, f.name) for f in dataclasses.fields(Op)
        }
        assert set(vars(fast)) == {f.name for f in dataclasses.fields(Op)}
