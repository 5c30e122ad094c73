"""The stabilizer engine against Stim, PyMatching and a dense state-vector reference."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.quantum import Circuit
from workbench.quantum.stabilizer import (
    TASKS,
    DemError,
    DetectorErrorModel,
    LookupDecoder,
    NonCliffordError,
    PyMatchingDecoder,
    StabilizerCircuit,
    StimFormatError,
    TableauSimulator,
    UnionFindDecoder,
    detector_error_model,
    generated,
    logical_error_rate,
    measurement_distribution,
    sample_detectors,
    sample_measurements,
    surface_code_memory,
    threshold,
    threshold_sweep,
)
from workbench.quantum.stabilizer import _gates as G
from workbench.quantum.stabilizer.experiments import wilson_interval

stim = pytest.importorskip("stim")
pymatching = pytest.importorskip("pymatching")

NOISE = dict(
    after_clifford_depolarization=0.001,
    before_measure_flip_probability=0.002,
    after_reset_flip_probability=0.003,
    before_round_data_depolarization=0.004,
)


# ----------------------------------------------------------------------------------------------- gate tables
@pytest.mark.parametrize("name", sorted(G.TABLES))
def test_gate_tables_match_stim(name):
    t = stim.gate_data(name).tableau
    n = len(t)
    for k in range(n):
        assert str(t.x_output(k)).replace("_", "_") == _image(name, k, "X")
        assert str(t.z_output(k)) == _image(name, k, "Z")


def _image(name, k, which):
    """Our table's image of X_k / Z_k as Stim writes it ('+XZ', '-_Y')."""
    arity, tab = G.TABLES[name]
    code = (1 if which == "X" else 2) << (2 * k)
    out, sign = tab[code]
    s = "".join("_XZY"[(out >> (2 * j)) & 3] for j in range(arity))
    return ("-" if sign else "+") + s


# ----------------------------------------------------------------------------------------------- tableau vs state vector
_ONE = ["H", "S", "S_DAG", "X", "Y", "Z", "SQRT_X", "SQRT_Y_DAG", "H_YZ", "C_XYZ"]
_TWO = ["CX", "CY", "CZ", "SWAP", "ISWAP", "SQRT_XX", "XCZ", "CXSWAP"]
_MEAS = ["M", "MX", "MY", "R", "RX", "MR", "MPP"]


@st.composite
def clifford_circuits(draw):
    n = draw(st.integers(1, 4))
    lines = []
    for _ in range(draw(st.integers(1, 14))):
        kind = draw(st.sampled_from(["one", "two", "meas"] if n > 1 else ["one", "meas"]))
        if kind == "one":
            lines.append(f"{draw(st.sampled_from(_ONE))} {draw(st.integers(0, n - 1))}")
        elif kind == "two":
            a, b = draw(st.lists(st.integers(0, n - 1), min_size=2, max_size=2, unique=True))
            lines.append(f"{draw(st.sampled_from(_TWO))} {a} {b}")
        else:
            g = draw(st.sampled_from(_MEAS))
            if g == "MPP":
                qs = draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=n, unique=True))
                lines.append("MPP " + "*".join(f"{draw(st.sampled_from('XYZ'))}{q}" for q in qs))
            else:
                lines.append(f"{g} {draw(st.integers(0, n - 1))}")
    lines.append("M " + " ".join(str(q) for q in range(n)))
    return "\n".join(lines)


def _snap(u):
    """Stim's matrices are single precision: snap entries to the exact values Clifford matrices hold."""
    vals = np.array([0.0, 0.5, -0.5, 1.0, -1.0, 2**-0.5, -(2**-0.5)])

    def near(x):
        return vals[np.argmin(np.abs(vals[None, :] - x.ravel()[:, None]), axis=1)].reshape(x.shape)

    return near(u.real) + 1j * near(u.imag)


def _dense_distribution(text: str) -> dict:
    """Exact distribution of the measurement record by branching a dense state vector (naive reference)."""
    c = stim.Circuit(text)
    n = c.num_qubits
    paulis = {
        "I": np.eye(2),
        "X": np.array([[0, 1], [1, 0]]),
        "Y": np.array([[0, -1j], [1j, 0]]),
        "Z": np.diag([1.0, -1.0]),
    }

    def op_on(mats: dict):
        full = np.array([[1.0 + 0j]])
        for q in reversed(range(n)):
            full = np.kron(full, mats.get(q, np.eye(2)))
        return full

    def unitary(name, qs):
        u = _snap(np.asarray(stim.gate_data(name).unitary_matrix, dtype=complex))
        if len(qs) == 1:
            return op_on({qs[0]: u})
        # stim's two-qubit matrices are little-endian over (q0, q1)
        dim = 2**n
        out = np.zeros((dim, dim), dtype=complex)
        for col in range(dim):
            b0, b1 = (col >> qs[0]) & 1, (col >> qs[1]) & 1
            for r in range(4):
                amp = u[r, b0 + 2 * b1]
                if amp == 0:
                    continue
                row = col & ~((1 << qs[0]) | (1 << qs[1]))
                row |= (r & 1) << qs[0]
                row |= ((r >> 1) & 1) << qs[1]
                out[row, col] += amp
        return out

    flat = c.flattened()
    results: dict = {}

    def run(state, k, record, prob):
        if prob < 1e-15:
            return
        if k == len(flat):
            key = "".join(map(str, record))
            results[key] = results.get(key, 0.0) + prob
            return
        ins = flat[k]
        name = ins.name
        targets = ins.targets_copy()
        if name in ("M", "MX", "MY", "R", "RX", "MR", "MPP"):
            groups = []
            if name == "MPP":
                cur = []
                for t in targets:
                    if t.is_combiner:
                        continue
                    cur.append(t)
                groups = [cur] if not any(t.is_combiner for t in targets) else None
                # split on combiners
                groups, cur, join = [], [], False
                for t in targets:
                    if t.is_combiner:
                        join = True
                        continue
                    if cur and not join:
                        groups.append(cur)
                        cur = []
                    cur.append(t)
                    join = False
                groups.append(cur)
                obs = [
                    op_on({t.value: paulis["X" if t.is_x_target else "Y" if t.is_y_target else "Z"]}) for t in groups[0]
                ]
                P = obs[0]
                for o in obs[1:]:
                    P = P @ o
                measure_ops = [(P, True, None)]
            else:
                basis = {"M": "Z", "MX": "X", "MY": "Y", "R": "Z", "RX": "X", "MR": "Z"}[name]
                q = targets[0].value
                P = op_on({q: paulis[basis]})
                flip = op_on({q: paulis["X" if basis != "X" else "Z"]})
                measure_ops = [(P, name != "R" and name != "RX", flip if name in ("R", "RX", "MR") else None)]
            P, record_it, flip = measure_ops[0]
            for outcome in (0, 1):
                proj = (np.eye(2**n) + (-1) ** outcome * P) / 2
                new = proj @ state
                p = float(np.vdot(new, new).real)
                if p < 1e-12:
                    continue
                new = new / np.sqrt(p)
                if flip is not None and outcome == 1:
                    new = flip @ new
                run(new, k + 1, record + ([outcome] if record_it else []), prob * p)
            return
        qs = [t.value for t in targets]
        u = unitary(name, qs)
        run(u @ state, k + 1, record, prob)

    # stim splits multi-target instructions; flatten to one target group per instruction
    split = []
    for ins in flat:
        g = stim.gate_data(ins.name)
        ts = ins.targets_copy()
        if ins.name == "MPP":
            split.append(ins)
            continue
        step = 2 if g.is_two_qubit_gate else 1
        for i in range(0, len(ts), step):
            split.append(stim.CircuitInstruction(ins.name, ts[i : i + step]))
    flat = split
    state = np.zeros(2**n, dtype=complex)
    state[0] = 1
    run(state, 0, [], 1.0)
    return results


@settings(max_examples=60, deadline=None)
@given(clifford_circuits())
def test_tableau_distribution_equals_state_vector(text):
    ours = measurement_distribution(text)
    ref = _dense_distribution(text)
    assert set(ours) == set(ref)
    for k in ref:
        assert ours[k] == pytest.approx(ref[k], abs=1e-9)


def test_tableau_deterministic_outcomes_are_exact():
    sim = TableauSimulator(3, seed=2)
    sim.gate("H", 0)
    sim.gate("CX", 0, 1, 1, 2)
    a, det_a = sim.measure(0)
    outs = [sim.measure(q) for q in (1, 2)]
    assert not det_a and all(det and out == a for out, det in outs)
    assert sim.measure(0, "X")[1] is False


def test_sampled_measurements_follow_the_exact_distribution():
    text = "H 0\nCX 0 1\nS 1\nMX 1\nMPP X0*Y1 Z0\nM 0 1"
    exact = measurement_distribution(text)
    m = sample_measurements(text, 40_000, seed=5)
    keys, counts = np.unique(["".join(map(str, r.astype(int))) for r in m], return_counts=True)
    freq = dict(zip(keys, counts / len(m)))
    assert set(freq) <= set(exact)
    for k, p in exact.items():
        assert abs(freq.get(k, 0.0) - p) < 5 * np.sqrt(p * (1 - p) / len(m)) + 1e-9


# ----------------------------------------------------------------------------------------------- Stim's format
@pytest.mark.parametrize("task", TASKS)
@pytest.mark.parametrize("d", [3, 5, 7])
def test_stim_generated_circuits_round_trip_and_give_stims_dem(task, d):
    for rounds in (1, d):
        g = stim.Circuit.generated(task, distance=d, rounds=rounds, **NOISE)
        text = str(g)
        ours = StabilizerCircuit.from_stim(text)
        assert str(ours) == text
        assert (ours.num_qubits, ours.num_measurements, ours.num_detectors, ours.num_observables) == (
            g.num_qubits,
            g.num_measurements,
            g.num_detectors,
            g.num_observables,
        )
        mine = detector_error_model(ours).as_dict()
        ref = DetectorErrorModel.from_stim(str(g.detector_error_model())).as_dict()
        assert set(mine) == set(ref)
        assert max(abs(mine[k] - ref[k]) for k in ref) < 1e-12


@pytest.mark.parametrize("task", TASKS)
def test_our_generators_match_stims_model_and_distance(task):
    for d in (3, 5):
        ours = generated(task, distance=d, rounds=d, **NOISE)
        ref = stim.Circuit.generated(task, distance=d, rounds=d, **NOISE)
        a = sorted(np.round(detector_error_model(ours).probabilities, 14))
        b = sorted(np.round(detector_error_model(str(ref)).probabilities, 14))
        assert a == b
        assert len(stim.Circuit(str(ours)).shortest_graphlike_error()) == d


def test_dem_of_hand_written_circuits_equals_stims():
    text = """
    R 0 1 2 3
    RX 4
    PAULI_CHANNEL_1(0.01, 0.02, 0.03) 0 1
    CX 0 2 1 3
    SQRT_X 3
    Y_ERROR(0.05) 3
    SQRT_X_DAG 3
    DEPOLARIZE2(0.03) 2 3
    E(0.02) X0 Z4
    ELSE_CORRELATED_ERROR(0.01) Y2
    M(0.01) 0
    MX 4
    MPP(0.02) Z1*Z3
    CX rec[-3] 2
    M 1 2 3
    DETECTOR(1, 2) rec[-1] rec[-3]
    DETECTOR rec[-2]
    DETECTOR rec[-5]
    DETECTOR rec[-4]
    OBSERVABLE_INCLUDE(0) rec[-1]
    OBSERVABLE_INCLUDE(1) rec[-6]
    """
    mine = detector_error_model(text, approximate_disjoint_errors=True).as_dict()
    ref = stim.Circuit(text).detector_error_model(approximate_disjoint_errors=True)
    ref = DetectorErrorModel.from_stim(str(ref)).as_dict()
    assert set(mine) == set(ref)
    assert max(abs(mine[k] - ref[k]) for k in ref) < 1e-12


def test_detection_fractions_agree_with_stim():
    g = stim.Circuit.generated(
        "surface_code:rotated_memory_z",
        distance=5,
        rounds=5,
        after_clifford_depolarization=0.001,
        before_measure_flip_probability=0.001,
        after_reset_flip_probability=0.001,
        before_round_data_depolarization=0.001,
    )
    n = 1_000_000
    ours, obs = sample_detectors(str(g), n, seed=11)
    ref, robs = g.compile_detector_sampler(seed=12).sample(n, separate_observables=True)
    for a, b in ((ours, ref), (obs, robs)):
        pa, pb = a.mean(axis=0), b.mean(axis=0)
        se = np.sqrt(pa * (1 - pa) / n + pb * (1 - pb) / n)
        assert np.all(np.abs(pa - pb) <= 4 * se + 1e-12)


def test_same_seed_same_samples_and_noiseless_detectors_stay_silent():
    c = surface_code_memory(3, 3, **NOISE)
    a = sample_detectors(c, 5000, seed=4)
    b = sample_detectors(c, 5000, seed=4)
    assert all(np.array_equal(x, y) for x, y in zip(a, b))
    det, obs = sample_detectors(surface_code_memory(5, 2), 3000, seed=1)
    assert not det.any() and not obs.any()


# ----------------------------------------------------------------------------------------------- decoders
def _paired(c, n, seed):
    dem = detector_error_model(c, decompose=True)
    det, obs = sample_detectors(c, n, seed=seed)
    return dem, det, obs


def test_pymatching_on_our_model_agrees_with_stim_and_pymatching():
    c = surface_code_memory(
        5,
        5,
        after_clifford_depolarization=0.004,
        before_measure_flip_probability=0.004,
        after_reset_flip_probability=0.004,
        before_round_data_depolarization=0.004,
    )
    dem, det, obs = _paired(c, 100_000, 3)
    ours = (PyMatchingDecoder(dem).decode_batch(det) != obs).any(axis=1).sum()
    g = stim.Circuit(str(c))
    m = pymatching.Matching.from_detector_error_model(g.detector_error_model(decompose_errors=True))
    rdet, robs = g.compile_detector_sampler(seed=9).sample(100_000, separate_observables=True)
    ref = (m.decode_batch(rdet) != robs).any(axis=1).sum()
    lo1, hi1 = wilson_interval(int(ours), 100_000)
    lo2, hi2 = wilson_interval(int(ref), 100_000)
    assert lo1 <= hi2 and lo2 <= hi1


@pytest.mark.parametrize("d", [3, 5, 7])
def test_union_find_within_one_and_a_half_times_matching(d):
    p = 0.003
    c = surface_code_memory(
        d,
        d,
        after_clifford_depolarization=p,
        before_measure_flip_probability=p,
        after_reset_flip_probability=p,
        before_round_data_depolarization=p,
    )
    dem, det, obs = _paired(c, {3: 100_000, 5: 150_000, 7: 200_000}[d], d)
    uf = (UnionFindDecoder(dem).decode_batch(det) != obs).any(axis=1).sum()
    pm = (PyMatchingDecoder(dem).decode_batch(det) != obs).any(axis=1).sum()
    assert pm > 30
    assert uf <= 1.5 * pm


@pytest.mark.kernel
def test_union_find_corrects_every_single_mechanism():
    c = surface_code_memory(3, 3, **NOISE)
    dem = detector_error_model(c, decompose=True)
    dec = UnionFindDecoder(dem)
    g = dec.graph
    det = np.zeros((g.num_edges, g.num_detectors), dtype=bool)
    det[np.arange(g.num_edges), g.u] = True
    inner = g.v < g.num_detectors
    det[np.arange(g.num_edges)[inner], g.v[inner]] = True
    pred = dec.decode_batch(det)
    want = ((g.obs[:, None] >> np.arange(g.num_observables, dtype=np.uint64)) & np.uint64(1)).astype(bool)
    assert np.array_equal(pred, want)


def test_lookup_decoder_is_optimal_on_a_tiny_code():
    c = generated(
        "repetition_code:memory",
        distance=3,
        rounds=1,
        before_measure_flip_probability=0.05,
        before_round_data_depolarization=0.05,
    )
    dem, det, obs = _paired(c, 20_000, 2)
    look = (LookupDecoder(dem, max_weight=3).decode_batch(det) != obs).any(axis=1).mean()
    pm = (PyMatchingDecoder(dem).decode_batch(det) != obs).any(axis=1).mean()
    assert look <= pm + 3 * np.sqrt(pm / 20_000)


def test_logical_error_rate_result_and_threshold():
    c = surface_code_memory(3, 3, **NOISE)
    r = logical_error_rate(c, 20_000, seed=1)
    s = r.summary()
    assert s.shots[0] == 20_000 and s.rounds[0] == 3
    assert s.ci_low[0] <= s.logical_error_rate[0] <= s.ci_high[0]
    assert r.batches().errors.sum() == s.errors[0]
    again = logical_error_rate(c, 20_000, seed=1).summary()
    assert again.errors[0] == s.errors[0]


def test_threshold_crossing_agrees_with_stim_and_pymatching():
    rates = list(np.geomspace(0.004, 0.014, 6))
    ours = threshold_sweep((3, 5, 7), rates, shots=12_000, progress=False)
    rows = []
    for d in (3, 5, 7):
        for p in rates:
            g = stim.Circuit.generated(
                "surface_code:rotated_memory_z",
                distance=d,
                rounds=d,
                after_clifford_depolarization=p,
                before_measure_flip_probability=p,
                after_reset_flip_probability=p,
                before_round_data_depolarization=p,
            )
            m = pymatching.Matching.from_detector_error_model(g.detector_error_model(decompose_errors=True))
            det, obs = g.compile_detector_sampler(seed=d).sample(12_000, separate_observables=True)
            rows.append(
                {"distance": d, "p": p, "logical_error_rate": float((m.decode_batch(det) != obs).any(axis=1).mean())}
            )
    import pandas as pd

    ref = threshold(pd.DataFrame(rows)).threshold.iloc[-1]
    mine = threshold(ours).threshold.iloc[-1]
    assert np.isfinite(ref) and np.isfinite(mine)
    assert abs(mine - ref) <= 0.10 * ref


# ----------------------------------------------------------------------------------------------- bad input
@pytest.mark.parametrize(
    "text, where",
    [
        ("H 0\nCX 0", "line 2, column 1"),
        ("H 0\n  FOO 1", "line 2, column 3"),
        ("X_ERROR(1.5) 0", "line 1"),
        ("DEPOLARIZE1(0.9) 0", "line 1"),
        ("REPEAT 2 {\nH 0", "line 1"),
        ("}", "line 1"),
        ("H rec[-1]", "line 1"),
        ("M 0\nDETECTOR 0", "line 2"),
        ("M 0\nDETECTOR rec[-0]", "line 2"),
    ],
)
def test_malformed_text_names_line_and_column(text, where):
    with pytest.raises(StimFormatError, match=where):
        StabilizerCircuit.from_stim(text)


def test_named_errors_on_bad_circuits():
    with pytest.raises(StimFormatError, match="rec\\[-3\\] refers to a measurement before the first"):
        _ = StabilizerCircuit.from_stim("M 0 1\nDETECTOR rec[-3]").num_detectors
    with pytest.raises(NonCliffordError, match="t is not a Clifford"):
        StabilizerCircuit.from_circuit(Circuit(1).h(0).t(0))
    with pytest.raises(NonCliffordError, match="multiples of pi/2"):
        StabilizerCircuit.from_circuit(Circuit(1).rz(0.3, 0))
    with pytest.raises(DemError, match="not deterministic"):
        detector_error_model("H 0\nM 0\nDETECTOR rec[-1]")
    with pytest.raises(StimFormatError, match="probabilities must lie in \\[0, 1\\]"):
        StabilizerCircuit().append("X_ERROR", [0], [-0.1])


def test_clifford_circuits_convert_from_workbench_and_qiskit():
    from qiskit import QuantumCircuit

    q = QuantumCircuit(2, 2)
    q.h(0)
    q.cx(0, 1)
    q.sdg(1)
    q.measure([0, 1], [0, 1])
    c = StabilizerCircuit.from_circuit(q)
    assert str(c) == "H 0\nCX 0 1\nS_DAG 1\nM 0\nM 1"
    w = StabilizerCircuit.from_circuit(Circuit(2).h(0).cx(0, 1).rx(np.pi, 1))
    assert str(w) == "H 0\nCX 0 1\nX 1"
    dist = measurement_distribution(str(c))
    assert dist == pytest.approx({"00": 0.5, "11": 0.5})


# ----------------------------------------------------------------------------------------------- one noise model, three simulators
def test_noise_model_gives_the_density_matrix_distribution():
    from workbench import quantum as Q

    code = Q.repetition_code(3)
    qc = Q.memory_circuit(code)
    nm = Q.NoiseModel().add(Q.bit_flip(0.1), ["id"]).add(Q.depolarizing(0.06), ["cx"]).readout(0.02)
    exact = Q.simulate_density(qc, nm).measured_probabilities()
    sc = StabilizerCircuit.from_circuit(qc, noise=nm)
    n = 200_000
    m = sample_measurements(sc, n, seed=8)
    # the density result keys are clbit strings with clbit 0 rightmost; measurements here are in clbit order
    keys, counts = np.unique(["".join(map(str, r[::-1].astype(int))) for r in m], return_counts=True)
    freq = dict(zip(keys, counts / n))
    for k, p in exact.items():
        assert abs(freq.get(k, 0.0) - p) <= 5 * np.sqrt(p * (1 - p) / n) + 1e-6


def test_non_pauli_noise_is_a_named_error():
    from workbench import quantum as Q

    nm = Q.NoiseModel().add(Q.amplitude_damping(0.1), ["id"])
    with pytest.raises(NonCliffordError, match="not a Pauli channel"):
        StabilizerCircuit.from_circuit(Q.Circuit(1).id(0), noise=nm)


def test_decomposition_parts_add_up_and_are_graphlike():
    dem = detector_error_model(surface_code_memory(3, 3, **NOISE), decompose=True)
    assert any(len(d) > 2 for d in dem.detectors)
    for d, o, parts in zip(dem.detectors, dem.observables, dem.parts):
        assert all(len(pd_) <= 2 for pd_, _ in parts)
        xd, xo = set(), set()
        for pd_, po in parts:
            xd ^= set(pd_)
            xo ^= set(po)
        assert xd == set(d) and xo == set(o)


@pytest.mark.parametrize("cls", [UnionFindDecoder, PyMatchingDecoder])
def test_explained_corrections_explain_the_syndrome(cls):
    c = surface_code_memory(5, 3, **NOISE)
    dem = detector_error_model(c, decompose=True)
    dec = cls(dem)
    g = dec.graph
    det, _ = sample_detectors(c, 400, seed=5)
    pred = dec.decode_batch(det)
    for k in np.flatnonzero(det.any(axis=1))[:40]:
        flips, edges = dec.explain(det[k])
        ends: set = set()
        obs = 0
        for e in edges:
            ends ^= {int(g.u[e])} | ({int(g.v[e])} if g.v[e] < g.num_detectors else set())
            obs ^= int(g.obs[e])
        assert ends == set(np.flatnonzero(det[k]).tolist())
        assert bool(obs & 1) == bool(flips[0]) == bool(pred[k, 0])


def test_suppression_factor_below_threshold():
    from workbench.quantum.stabilizer import suppression_factor

    df = threshold_sweep((3, 5), [0.002], shots=40_000, progress=False)
    lam = suppression_factor(df)["lambda"].iloc[0]
    assert lam > 1.5


_WB_ONE = ["h", "s", "sdg", "x", "y", "z", "sx", "sxdg"]
_WB_TWO = ["cx", "cy", "cz", "swap", "iswap"]


@st.composite
def workbench_cliffords(draw):
    n = draw(st.integers(1, 4))
    qc = Circuit(n)
    for _ in range(draw(st.integers(0, 16))):
        if n > 1 and draw(st.booleans()):
            a, b = draw(st.lists(st.integers(0, n - 1), min_size=2, max_size=2, unique=True))
            getattr(qc, draw(st.sampled_from(_WB_TWO)))(a, b)
        else:
            getattr(qc, draw(st.sampled_from(_WB_ONE)))(draw(st.integers(0, n - 1)))
    return qc


@settings(max_examples=60, deadline=None)
@given(workbench_cliffords())
def test_tableau_equals_the_workbench_state_vector(qc):
    from workbench import quantum as Q

    probs = np.abs(Q.statevector(qc)) ** 2
    sc = StabilizerCircuit.from_circuit(qc).append("M", list(range(qc.n_qubits)))
    dist = measurement_distribution(sc)
    # record order is qubit 0 first; the state vector's index has qubit 0 as its lowest bit
    got = np.zeros(2**qc.n_qubits)
    for key, p in dist.items():
        got[int(key[::-1], 2)] += p
    assert np.allclose(got, probs, atol=1e-12)


# ----------------------------------------------------------------------------------------------- kernels (also run with the JIT off)
_EVERY_GATE = """
R 0 1 2 3 4
RX 5
RY 6
H 0
S 1
SQRT_X 2
H_YZ 3
CX 0 1
CZ 1 2
SWAP 2 3
ISWAP 3 4
CXSWAP 4 0
X_ERROR(0.05) 0
Y_ERROR(0.05) 1
Z_ERROR(0.05) 2
DEPOLARIZE1(0.06) 0 1 5
DEPOLARIZE2(0.06) 2 3
PAULI_CHANNEL_1(0.01, 0.02, 0.03) 4 6
PAULI_CHANNEL_2(0.01, 0, 0, 0, 0.02, 0, 0, 0, 0, 0, 0.01, 0, 0, 0, 0.005) 0 4
E(0.04) X0 Z1
ELSE_CORRELATED_ERROR(0.03) Y2
SWAPCX 4 0
ISWAP_DAG 3 4
SWAP 2 3
CZ 1 2
CX 0 1
H_YZ 3
SQRT_X_DAG 2
S_DAG 1
H 0
M(0.02) 0 1
MX(0.02) 5
MY 6
MR 2
MPP(0.03) Z3*Z4
MPAD(0.01) 0
CX rec[-1] 3
CZ rec[-2] 4
M 3 4
DETECTOR rec[-1]
DETECTOR rec[-2]
DETECTOR rec[-3]
DETECTOR rec[-4]
DETECTOR rec[-5]
DETECTOR rec[-6]
DETECTOR rec[-7]
OBSERVABLE_INCLUDE(0) rec[-9]
"""


@pytest.mark.kernel
def test_kernels_dem_of_every_gate_and_channel_equals_stims():
    mine = detector_error_model(_EVERY_GATE, approximate_disjoint_errors=True).as_dict()
    ref = stim.Circuit(_EVERY_GATE).detector_error_model(approximate_disjoint_errors=True)
    ref = DetectorErrorModel.from_stim(str(ref)).as_dict()
    assert set(mine) == set(ref)
    assert max(abs(mine[k] - ref[k]) for k in ref) < 1e-12


@pytest.mark.kernel
def test_kernels_sampled_detections_follow_the_model():
    text = _EVERY_GATE
    n = 64 * 40
    det, obs = sample_detectors(text, n, seed=3)
    packed = sample_detectors(text, n, seed=3, bit_packed=True, separate_observables=False)
    assert np.array_equal(
        np.unpackbits(packed, axis=1, bitorder="little")[:, : det.shape[1] + 1], np.concatenate([det, obs], axis=1)
    )
    ref, robs = stim.Circuit(text).compile_detector_sampler(seed=4).sample(n, separate_observables=True)
    for a, b in ((det, ref), (obs, robs)):
        pa, pb = a.mean(axis=0), b.mean(axis=0)
        se = np.sqrt((pa * (1 - pa) + pb * (1 - pb)) / n)
        assert np.all(np.abs(pa - pb) <= 5 * se + 0.01)


@pytest.mark.kernel
def test_kernels_tableau_and_reference_sample_match_the_dense_distribution():
    text = "H 0\nCX 0 1\nS 1\nMX 1\nMPP X0*Y1\nR 1\nH_YZ 1\nMY 0\nM 0 1"
    ours = measurement_distribution(text)
    ref = _dense_distribution(text)
    assert set(ours) == set(ref) and all(abs(ours[k] - ref[k]) < 1e-12 for k in ref)
    m = sample_measurements(text, 64 * 20, seed=1)
    assert {"".join(map(str, r.astype(int))) for r in m} <= set(ref)


@pytest.mark.kernel
def test_kernels_two_qubit_pauli_channel_samples_its_cases():
    probs = [0.1, 0, 0, 0, 0.2, 0, 0, 0, 0, 0, 0.15, 0, 0, 0, 0.05]  # IX, XX, YZ, ZZ (first letter: first qubit)
    m = sample_measurements("PAULI_CHANNEL_2(" + ", ".join(map(str, probs)) + ") 0 1\nM 0 1", 64 * 60, seed=2)
    # M flips where the Pauli has an X or Y part: IX -> second, XX -> both, YZ -> first, ZZ -> neither
    both, second, first = np.mean(m[:, 0] & m[:, 1]), np.mean(~m[:, 0] & m[:, 1]), np.mean(m[:, 0] & ~m[:, 1])
    assert abs(both - 0.2) < 0.04 and abs(second - 0.1) < 0.03 and abs(first - 0.15) < 0.035
