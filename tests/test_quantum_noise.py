"""Noise: density matrices against qiskit-aer, trajectories against density matrices, known answers."""

import numpy as np
import pytest

import workbench.quantum as wq
from workbench.quantum import Circuit

from .test_quantum_sim import random_circuit


def noise_model():
    return (
        wq.NoiseModel()
        .add(wq.depolarizing(0.03), ["h", "rx", "ry", "u", "sx", "x"])
        .add(wq.amplitude_damping(0.05), ["rz", "ry"])
        .add(wq.phase_damping(0.04), ["h"])
        .add(wq.depolarizing(0.06, 2), ["cx"])
        .add(wq.bit_flip(0.02), ["cz"])
    )


def small_circuit(seed, n=3, depth=25):
    rng = np.random.default_rng(seed)
    qc = Circuit(n)
    for _ in range(depth):
        name = str(rng.choice(["h", "rx", "ry", "rz", "u", "sx", "x", "cx", "cz"]))
        spec = wq.GATES[name]
        qs = [int(q) for q in rng.choice(n, spec.n_qubits, replace=False)]
        qc.append(name, qs, list(rng.uniform(-3, 3, spec.n_params)))
    return qc


@pytest.mark.kernel
def test_noiseless_density_is_the_pure_state():
    qc = random_circuit(np.random.default_rng(0), 4, 30)
    psi = wq.statevector(qc)
    r = wq.simulate_density(qc)
    assert np.allclose(r.rho, np.outer(psi, psi.conj()), atol=1e-12)
    assert abs(r.purity() - 1) < 1e-12


@pytest.mark.parametrize("seed", range(4))
def test_density_matrix_equals_qiskit_aer(seed):
    aer = pytest.importorskip("qiskit_aer")
    qc = small_circuit(seed)
    nm = noise_model()
    q = wq.to_qiskit(qc)
    q.save_density_matrix()
    sim = aer.AerSimulator(method="density_matrix", noise_model=nm.to_qiskit())
    want = np.asarray(sim.run(q, shots=1).result().data()["density_matrix"])
    got = wq.simulate_density(qc, nm).rho
    assert np.allclose(got, want, atol=1e-10)


def test_readout_error_against_aer_and_by_hand():
    aer = pytest.importorskip("qiskit_aer")
    qc = Circuit(2).x(0).h(1).measure_all()
    nm = wq.NoiseModel().readout(0.1, 0.2)
    p = wq.simulate_density(qc, nm).measured_probabilities()
    # qubit 0 is |1>: reads 0 with p10 = 0.2; qubit 1 is |+>: 0.5*(1-0.1) + 0.5*0.2 = 0.55 for a 0
    assert np.isclose(p["00"], 0.2 * 0.55) and np.isclose(p["01"], 0.8 * 0.55)
    sim = aer.AerSimulator(method="density_matrix", noise_model=nm.to_qiskit())
    counts = sim.run(wq.to_qiskit(qc), shots=20000, seed_simulator=3).result().get_counts()
    for k, v in p.items():
        assert abs(counts.get(k, 0) / 20000 - v) < 0.015


@pytest.mark.kernel
@pytest.mark.parametrize("seed", range(2))
def test_trajectories_agree_with_the_density_matrix(seed):
    qc = small_circuit(10 + seed, n=3, depth=20)
    nm = noise_model()
    obs = {"ZII": 1.0, "IZI": 0.5, "XXI": 0.7, "IYZ": -0.4}
    exact = wq.simulate_density(qc, nm).expectation(obs)
    tr = wq.run_trajectories(qc, nm, trajectories=600, observable=obs, seed=seed)
    assert abs(tr.mean - exact) < 4 * tr.stderr + 1e-3


def test_trajectory_counts_agree_with_the_density_matrix():
    qc = small_circuit(20, n=2, depth=12).measure_all()
    nm = noise_model().readout(0.05, 0.1)
    want = wq.simulate_density(qc, nm).measured_probabilities()
    got = wq.run_trajectories(qc, nm, trajectories=3000, seed=4).counts
    for k in set(want) | set(got):
        p = want.get(k, 0.0)
        assert abs(got.get(k, 0) / 3000 - p) < 4 * np.sqrt(p * (1 - p) / 3000) + 2e-3


@pytest.mark.kernel
def test_amplitude_damping_decay_and_dephasing_by_hand():
    # |1> decays to |0> with probability gamma per application: P(1) = (1-gamma)^k after k gates
    qc = Circuit(1).x(0)
    for _ in range(5):
        qc.id(0)
    r = wq.simulate_density(qc, wq.NoiseModel().add(wq.amplitude_damping(0.1), ["id"]))
    assert np.isclose(r.probabilities()[1], 0.9**5)
    # phase damping kills coherence of |+>: <X> = sqrt(1-lambda)
    r = wq.simulate_density(Circuit(1).h(0), wq.NoiseModel().add(wq.phase_damping(0.36), ["h"]))
    assert np.isclose(r.expectation("X"), 0.8)
    # full depolarizing (p = 1) leaves the maximally mixed state
    r = wq.simulate_density(Circuit(2).h(0).cx(0, 1), wq.NoiseModel().add(wq.depolarizing(1.0, 2), ["cx"]))
    assert np.allclose(r.rho, np.eye(4) / 4)


@pytest.mark.kernel
def test_reset_and_measurement_in_the_density_matrix():
    r = wq.simulate_density(Circuit(1, 1).h(0).measure(0, 0))
    assert np.allclose(r.rho, np.eye(2) / 2)  # measured and forgotten: a classical mixture
    r = wq.simulate_density(Circuit(1).h(0).reset(0))
    assert np.allclose(r.rho, [[1, 0], [0, 0]])


def test_noise_errors():
    with pytest.raises(wq.QuantumError, match="trace preserving"):
        wq.kraus([np.eye(2) * 0.5])
    with pytest.raises(wq.QuantumError, match="probability"):
        wq.bit_flip(1.5)
    with pytest.raises(wq.QuantumError, match="2-qubit channel"):
        wq.simulate_density(Circuit(1).h(0), wq.NoiseModel().add(wq.depolarizing(0.1, 2), ["h"]))
    with pytest.raises(wq.QuantumError, match="trajectories"):
        wq.simulate_density(Circuit(14))
