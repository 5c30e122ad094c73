"""Algorithms against textbook numbers, Qiskit and exact classical answers."""

import networkx as nx
import numpy as np
import pytest

import workbench.quantum as wq


def test_qft_equals_qiskit_and_the_dft():
    from qiskit.circuit.library import QFTGate
    from qiskit.quantum_info import Operator

    for n in (1, 3, 5):
        ours = np.column_stack([wq.simulate(wq.qft(n), initial_state=np.eye(1 << n)[i]).state for i in range(1 << n)])
        dft = np.exp(2j * np.pi * np.outer(np.arange(1 << n), np.arange(1 << n)) / (1 << n)) / np.sqrt(1 << n)
        assert np.allclose(ours, dft, atol=1e-12)
        assert np.allclose(ours, Operator(QFTGate(n)).data, atol=1e-12)
        inv = np.column_stack(
            [wq.simulate(wq.qft(n, inverse=True), initial_state=np.eye(1 << n)[i]).state for i in range(1 << n)]
        )
        assert np.allclose(inv, dft.conj().T, atol=1e-12)


@pytest.mark.parametrize("phi", [0.125, 0.3, 0.8125])
def test_phase_estimation(phi):
    t = 6
    qc = wq.phase_estimation(wq.gate_matrix("p", 2 * np.pi * phi), t, eigenstate=wq.Circuit(1).x(0))
    p = wq.simulate(qc).probabilities(list(range(t)))
    best = int(np.argmax(p)) / 2**t
    assert abs(best - phi) <= 0.5 / 2**t
    if (phi * 2**t).is_integer():
        assert p.max() > 1 - 1e-12  # exact phases are read with certainty
    else:
        assert p.max() >= 4 / np.pi**2  # the textbook lower bound


@pytest.mark.parametrize("n,marked", [(3, [5]), (5, [3, 17]), (7, [0, 1, 2, 100]), (8, [77])])
def test_grover_success_equals_the_formula(n, marked):
    df = wq.grover_curve(n, marked, 8)
    assert np.allclose(df.simulated, df.formula, atol=1e-10)
    r = wq.grover(n, marked)
    assert np.isclose(r.success, r.formula) and r.iterations == wq.optimal_iterations(n, len(marked))
    assert r.success >= max(df.formula[: r.iterations + 1]) - 1e-12


def test_grover_known_values():
    assert wq.optimal_iterations(2, 1) == 1 and np.isclose(wq.success_probability(2, 1, 1), 1.0)
    assert wq.optimal_iterations(10, 1) == 25 and wq.success_probability(10, 1, 25) > 0.999


@pytest.mark.parametrize("N,a,r,factors", [(15, 7, 4, (3, 5)), (15, 2, 4, (3, 5)), (21, 2, 6, (3, 7))])
def test_shor_finds_the_order_and_factors(N, a, r, factors):
    res = wq.shor(N, a)
    assert res.order == r and res.factors == factors
    assert pow(a, r, N) == 1
    # outcomes are near multiples of 2^t / r; the phase distribution sums to one
    assert np.isclose(res.table.probability.sum(), 1.0)
    assert res.n_qubits == 3 * (N - 1).bit_length()


def _classical_order(a, N):
    r, x = 1, a % N
    while x != 1:
        x, r = x * a % N, r + 1
    return r


@pytest.mark.parametrize("N,bases", [(21, (2, 4, 5, 8, 11, 13)), (35, (2, 4, 6, 9, 26, 31))])
def test_shor_order_is_the_multiplicative_order(N, bases):
    # orders that do not divide 2^t (here 6 and 12) leave probability between the peaks; the
    # order reported must be the one carrying most of it, never a multiple read off a side lobe
    for a in bases:
        r = _classical_order(a, N)
        try:
            res = wq.shor(N, a)
        except wq.QuantumError as err:
            assert r % 2 or pow(a, r // 2, N) == N - 1, err
            continue
        assert res.order == r and res.p_success > 0.4
        assert res.factors[0] * res.factors[1] == N


def test_shor_bad_input():
    with pytest.raises(wq.QuantumError, match="two distinct prime factors"):
        wq.shor(16)
    with pytest.raises(wq.QuantumError, match="prime power"):
        wq.shor(9)
    with pytest.raises(wq.QuantumError, match="shares the factor"):
        wq.shor(15, a=5)
    with pytest.raises(wq.QuantumError, match="choose another a"):
        wq.shor(21, a=5)


def test_maxcut_brute_force_and_cut_values():
    G = nx.petersen_graph()
    best, side = wq.brute_force_maxcut(G)
    assert best == 12 and nx.cut_size(G, side) == 12
    cuts = wq.cut_values(G)
    rng = np.random.default_rng(0)
    for z in rng.integers(0, 1 << 10, 20):
        S = [v for q, v in enumerate(G.nodes) if (z >> q) & 1]
        assert cuts[z] == nx.cut_size(G, S)


def test_qaoa_p1_reaches_the_three_regular_value():
    """Triangle-free 3-regular graphs: optimal p=1 gives <C>/|E| = 1/2 + 1/(3 sqrt 3) = 0.6925,
    the worst-case approximation ratio 0.6924 (reached by the bipartite cube)."""
    want = 0.5 + 1 / (3 * np.sqrt(3))
    for G in (nx.cubical_graph(), nx.petersen_graph()):
        r = wq.optimize_qaoa(G, 1, seed=1, restarts=3)
        assert abs(r.expected_cut / G.number_of_edges() - want) < 1e-6
        assert r.ratio >= 0.6924
    r = wq.optimize_qaoa(nx.random_regular_graph(3, 10, seed=4), 1, seed=0, restarts=3)
    assert r.ratio >= 0.6924


def test_qaoa_circuit_equals_the_diagonal_evolution():
    G = nx.random_regular_graph(3, 6, seed=2)
    g, b = 0.7, 0.3
    cuts = wq.cut_values(G)
    psi = np.full(64, 1 / 8, complex) * np.exp(-1j * g * cuts)
    rx = wq.gate_matrix("rx", 2 * b)
    for q in range(6):
        psi = psi.reshape(2 ** (5 - q), 2, 2**q)
        psi = np.einsum("ij,ajb->aib", rx, psi).reshape(-1)
    ours = wq.statevector(wq.qaoa_circuit(G, 1, [g], [b]))
    assert abs(abs(np.vdot(ours, psi)) - 1) < 1e-10  # equal up to a global phase
    assert np.isclose(wq.qaoa_expectation(G, [g], [b]), np.dot(np.abs(psi) ** 2, cuts))


@pytest.mark.parametrize("form", ["parity_2q", "jordan_wigner_4q"])
def test_vqe_reaches_chemical_accuracy_for_h2(form):
    h = wq.load_h2(form)
    assert abs(wq.ground_energy(h["hamiltonian"]) + h["nuclear_repulsion"] - h["E_FCI_total"]) < 1e-9
    ansatz = wq.ry_ansatz(h["n_qubits"], 2, initial=(0, 1) if h["n_qubits"] == 4 else ())
    r = wq.vqe(h["hamiltonian"], ansatz, offset=h["nuclear_repulsion"], seed=0, restarts=2)
    assert abs(r.energy - (-1.13731)) < wq.CHEMICAL_ACCURACY
    assert r.energy >= r.exact - 1e-9  # variational: never below the ground energy
    assert r.history.energy.iloc[0] > r.energy


def test_vqe_with_shots_is_noisy_but_close():
    h = wq.load_h2()
    r = wq.vqe(h["hamiltonian"], offset=h["nuclear_repulsion"], seed=0, restarts=1, shots=4000, method="COBYLA")
    assert abs(r.energy - h["E_FCI_total"]) < 0.03


def test_bb84_error_rates():
    assert wq.bb84(4000, seed=1).qber == 0
    r = wq.bb84(4000, seed=2)
    assert r.secure and r.keys_match and len(r.key_alice) > 1000
    q = [wq.bb84(8000, eve=1.0, sample_fraction=1.0, seed=s).qber for s in range(5)]
    assert abs(np.mean(q) - 0.25) < 0.015
    half = wq.bb84(20000, eve=0.5, sample_fraction=1.0, seed=3).qber
    assert abs(half - 0.125) < 0.015
    assert not wq.bb84(4000, eve=1.0, seed=4).secure
    assert np.isclose(wq.binary_entropy(0.11), 0.4999, atol=1e-3)  # the 11% limit: 1 - 2h(Q) = 0


def test_variational_classifier_beats_chance_and_reports_baselines():
    X, y = wq.moons(60, seed=1)
    r = wq.train_vqc(X, y, maxiter=40, seed=1)
    assert r.test_accuracy > 0.75
    assert set(r.baselines.model) == {"logistic regression", "RBF SVM"}


def test_error_correction_exact_rates_and_simulation():
    rep = wq.repetition_code(3)
    for p in (0.01, 0.1, 0.3):
        assert np.isclose(wq.exact_logical_error(rep, p), 3 * p**2 - 2 * p**3)
    assert wq.crossing_point(rep) == 0.5
    st = wq.steane_code()
    assert st.distance == 3 and wq.repetition_code(5).distance == 5
    # the Steane code corrects every single X error: P_L = 1 - (1-q)^7 - 7 q (1-q)^6 - (weight >= 3 luck)
    q = 0.01
    assert abs(wq.exact_logical_error(st, q) - 21 * q**2) < 2e-4
    df = wq.logical_error_rates(st, [0.05, 0.15], shots=400, seed=2)
    assert (abs(df.logical - df.exact) < 4 * df.stderr + 0.01).all()
    assert 0.05 < wq.crossing_point(st) < 0.08
