"""Robustness sweep: every lab's public functions fed malformed inputs (wrong types, NaN/inf, negative or zero
sizes, empty or mis-shaped arrays, out-of-range indices, unknown names) must raise a named WorkbenchError: never a
numba crash, a silent answer or a hang. The number of inputs tried per lab is printed at the end of the run."""

from __future__ import annotations

import collections
import math
import signal

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.errors import WorkbenchError

TRIED: collections.Counter = collections.Counter()  # summed over xdist workers and printed by conftest.py
EXAMPLES = 150


class _Timeout(Exception):
    pass


def _expect_named_error(lab, fn, seconds=20):
    """Call ``fn``; it must raise a WorkbenchError within ``seconds``."""
    TRIED[lab] += 1

    def alarm(*_):
        raise _Timeout(f"no answer within {seconds} s")

    old = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(seconds)
    try:
        fn()
    except WorkbenchError:
        return
    except _Timeout:
        pytest.fail(f"{lab}: hung on a malformed input")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    pytest.fail(f"{lab}: a malformed input was accepted without an error")


# ---------------------------------------------------------------- malformed values by kind
_junk = st.sampled_from([None, "3", [1, 2], {"a": 1}, object(), b"x"])
_not_finite = st.sampled_from([math.nan, math.inf, -math.inf])
bad_pos_int = st.one_of(st.integers(max_value=0), st.sampled_from([1.5, math.nan, math.inf, True]), _junk)
bad_prob = st.one_of(st.floats(max_value=-1e-9), st.floats(min_value=1.0 + 1e-9), _not_finite, _junk)
bad_pos_float = st.one_of(st.floats(max_value=0.0), _not_finite, _junk)


def bad_name(valid):
    return st.one_of(st.text(max_size=12).filter(lambda s: s not in valid), st.integers(), st.none())


def bad_vector():
    """Empty, two-dimensional, or holding NaN/inf."""
    return st.one_of(
        st.just(np.array([])),
        st.integers(2, 6).map(lambda n: np.ones((n, n))),
        st.tuples(st.integers(3, 20), _not_finite).map(lambda t: np.r_[np.arange(t[0] - 1.0), t[1]]),
    )


SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


# ---------------------------------------------------------------- AI lab
@SETTINGS
@given(field=st.sampled_from(["method", "budget", "bounds"]), data=st.data())
def test_ai_minimize(field, data):
    from workbench.ai import METHODS, minimize

    kw = {"method": "de", "budget": 200, "bounds": [(-1.0, 1.0)] * 3}
    if field == "method":
        kw["method"] = data.draw(bad_name(METHODS))
    elif field == "budget":
        kw["budget"] = data.draw(bad_pos_int)
    else:
        kw["bounds"] = data.draw(
            st.one_of(
                st.just([]),
                st.just([(1.0, 1.0)]),
                st.just([(2.0, -2.0)] * 2),
                _not_finite.map(lambda v: [(0.0, v)]),
                _junk,
            )
        )
    _expect_named_error(
        "ai", lambda: minimize("sphere", kw["bounds"], method=kw["method"], budget=kw["budget"], seed=0)
    )


@SETTINGS
@given(field=st.sampled_from(["X", "y", "hidden", "epochs", "activation", "learning_rate"]), data=st.data())
def test_ai_mlp_fit(field, data):
    from workbench.ai import ACTIVATIONS, MLPClassifier

    X, y = np.random.default_rng(0).normal(size=(20, 3)), np.arange(20) % 2
    params = {"hidden": (4,), "epochs": 2, "activation": "relu", "learning_rate": 1e-3}
    if field == "X":
        X = data.draw(st.one_of(bad_vector(), st.just(np.full((20, 3), np.nan)), st.just(np.ones((0, 3)))))
    elif field == "y":
        y = data.draw(st.one_of(st.just(np.zeros(20)), st.just(np.arange(7)), st.just(np.zeros((20, 2)))))
    elif field == "hidden":
        params["hidden"] = data.draw(st.one_of(st.just((0,)), st.just((-3, 4)), st.just((2.5,)), st.just(("a",))))
    elif field == "epochs":
        params["epochs"] = data.draw(bad_pos_int)
    elif field == "activation":
        params["activation"] = data.draw(bad_name(ACTIVATIONS))
    else:
        params["learning_rate"] = data.draw(st.one_of(st.floats(max_value=0.0), st.just(math.nan)))
    _expect_named_error("ai", lambda: MLPClassifier(**params).fit(X, y))


@SETTINGS
@given(field=st.sampled_from(["y", "horizon", "method", "m"]), data=st.data())
def test_ai_forecast(field, data):
    from workbench.ai import FORECASTERS, forecast

    kw = {"y": np.arange(1.0, 50.0), "horizon": 3, "method": "holt", "m": 12}
    if field == "y":
        kw["y"] = data.draw(
            st.one_of(
                st.just(np.array([])),
                st.just(np.array([1.0])),
                st.just(np.r_[np.arange(10.0), np.nan]),
                st.just(np.r_[np.arange(10.0), np.inf]),
            )
        )
    elif field == "horizon":
        kw["horizon"] = data.draw(bad_pos_int)
    elif field == "method":
        kw["method"] = data.draw(bad_name(FORECASTERS))
    else:
        kw["m"] = data.draw(bad_pos_int)
    _expect_named_error("ai", lambda: forecast(kw.pop("y"), **kw))


# ---------------------------------------------------------------- CDN lab
@SETTINGS
@given(field=st.sampled_from(["requests", "capacity", "policy"]), data=st.data())
def test_cdn_cache_hits(field, data):
    from workbench import cdn
    from workbench.cdn.caches import POLICIES

    kw = {"requests": np.arange(50) % 7, "capacity": 3, "policy": "lru"}
    if field == "requests":
        kw["requests"] = data.draw(
            st.one_of(
                st.just(np.array([], dtype=np.int64)), st.just(np.ones((4, 4))), st.just(np.array([1.0, np.nan, 2.0]))
            )
        )
    elif field == "capacity":
        kw["capacity"] = data.draw(
            st.one_of(
                st.integers(max_value=0),
                st.integers(min_value=8, max_value=10**12),
                st.sampled_from([math.nan, math.inf, -0.5, 1.5, "3", None]),
            )
        )
    else:
        kw["policy"] = data.draw(bad_name(POLICIES))
    _expect_named_error("cdn", lambda: cdn.cache_hits(kw["requests"], kw["capacity"], kw["policy"]))


@SETTINGS
@given(field=st.sampled_from(["n_requests", "n_objects", "alpha"]), data=st.data())
def test_cdn_zipf_trace(field, data):
    from workbench import cdn

    kw = {"n_requests": 100, "n_objects": 10, "alpha": 1.0}
    kw[field] = data.draw(
        bad_pos_int if field != "alpha" else st.one_of(st.floats(max_value=-1e-9), _not_finite, _junk)
    )
    _expect_named_error("cdn", lambda: cdn.zipf_trace(kw["n_requests"], kw["n_objects"], kw["alpha"], seed=0))


# ---------------------------------------------------------------- edge lab
@SETTINGS
@given(field=st.sampled_from(["lam", "mu", "c", "service"]), data=st.data())
def test_edge_queue(field, data):
    from workbench.edge import queue_scenario

    kw = {"lam": 0.5, "mu": 1.0, "c": 1, "service": "exp"}
    kw[field] = data.draw(
        {"lam": bad_pos_float, "mu": bad_pos_float, "c": bad_pos_int, "service": bad_name(("exp", "det", "uniform"))}[
            field
        ]
    )
    _expect_named_error("edge", lambda: queue_scenario(**kw))


@SETTINGS
@given(field=st.sampled_from(["scheduler", "n_tasks", "seed_scenario"]), data=st.data())
def test_edge_simulate(field, data):
    from workbench.edge import SCHEDULERS, queue_scenario, simulate

    sc = queue_scenario(0.5, 1.0, 2)
    kw = {"scheduler": "mct", "n_tasks": 100}
    if field == "scheduler":
        kw["scheduler"] = data.draw(bad_name(SCHEDULERS))
    elif field == "n_tasks":
        kw["n_tasks"] = data.draw(bad_pos_int.filter(lambda v: v is not None))
    else:
        sc = data.draw(_junk)
    _expect_named_error("edge", lambda: simulate(sc, kw["scheduler"], n_tasks=kw["n_tasks"], seed=0))


# ---------------------------------------------------------------- blockchain lab
@SETTINGS
@given(field=st.sampled_from(["q", "z"]), data=st.data())
def test_chain_double_spend(field, data):
    from workbench.chain.attacks import nakamoto_probability

    kw = {"q": 0.1, "z": 6}
    kw[field] = data.draw(bad_prob if field == "q" else st.one_of(st.integers(max_value=-1), _junk, _not_finite))
    _expect_named_error("chain", lambda: nakamoto_probability(kw["q"], kw["z"]))


@SETTINGS
@given(field=st.sampled_from(["alpha", "gamma", "events"]), data=st.data())
def test_chain_selfish_mining(field, data):
    from workbench.chain.attacks import simulate_selfish_mining

    kw = {"alpha": 0.3, "gamma": 0.5, "events": 100}
    kw[field] = data.draw(
        {
            "alpha": st.one_of(st.floats(min_value=0.5), st.floats(max_value=-1e-9), _not_finite),
            "gamma": bad_prob,
            "events": bad_pos_int,
        }[field]
    )
    _expect_named_error("chain", lambda: simulate_selfish_mining(kw["alpha"], kw["gamma"], events=kw["events"]))


@SETTINGS
@given(bits=st.one_of(st.integers(max_value=-1), st.integers(min_value=2**32), _junk))
def test_chain_bits(bits):
    from workbench.chain.bitcoin import bits_to_target

    _expect_named_error("chain", lambda: bits_to_target(bits))


# ---------------------------------------------------------------- quantum lab
@SETTINGS
@given(q=st.one_of(st.integers(max_value=-1), st.integers(min_value=3, max_value=10**6), _junk))
def test_quantum_gate_qubits(q):
    from workbench.quantum import Circuit

    _expect_named_error("quantum", lambda: Circuit(3).h(q))


@SETTINGS
@given(field=st.sampled_from(["n_qubits", "dtype", "fusion", "shots", "threads"]), data=st.data())
def test_quantum_simulate(field, data):
    from workbench.quantum import Circuit
    from workbench.quantum.statevector import sample_counts, simulate

    if field == "n_qubits":
        n = data.draw(st.one_of(st.integers(max_value=-1), st.integers(min_value=40, max_value=200), _junk))
        _expect_named_error("quantum", lambda: simulate(Circuit(n).h(0)))
        return
    qc = Circuit(2).h(0).cx(0, 1)
    if field == "dtype":
        dt = data.draw(bad_name(("complex128", "complex64")).filter(lambda s: s not in (np.complex128, np.complex64)))
        _expect_named_error("quantum", lambda: simulate(qc, dtype=dt))
    elif field == "threads":
        th = data.draw(
            st.one_of(st.integers(max_value=0), st.integers(min_value=1025), st.sampled_from([1.5, "2", True]), _junk)
        )
        _expect_named_error("quantum", lambda: simulate(qc, threads=th))
    elif field == "fusion":
        fu = data.draw(st.one_of(st.integers(max_value=-1), st.integers(min_value=20), st.sampled_from([1.5, "4"])))
        _expect_named_error("quantum", lambda: simulate(qc, fusion=fu))
    else:
        shots = data.draw(bad_pos_int)
        _expect_named_error(
            "quantum", lambda: sample_counts(qc.measure_all() if hasattr(qc, "measure_all") else qc, shots)
        )


@SETTINGS
@given(
    label=st.one_of(st.text(max_size=4).filter(lambda s: not (len(s) == 2 and set(s) <= set("IXYZ"))), st.integers())
)
def test_quantum_expectation_labels(label):
    from workbench.quantum.statevector import expectation

    psi = np.zeros(4, complex)
    psi[0] = 1.0
    _expect_named_error("quantum", lambda: expectation(psi, {label: 1.0}))


# ---------------------------------------------------------------- shared network layer
@SETTINGS
@given(name=bad_name(()))
def test_net_unknown_topology(name):
    from workbench.net import load_topology

    _expect_named_error("net", lambda: load_topology(name))


# ---------------------------------------------------------------- more of each lab's public functions
_pops_cache: dict = {}


def _pops():
    from workbench import cdn

    if "p" not in _pops_cache:
        _pops_cache["p"] = cdn.load_pops("cloudflare")
    return _pops_cache["p"]


bad_coords = st.one_of(
    st.just(np.array([np.nan])),
    st.just(np.array([-200.0])),
    st.just(np.array([1.0, 2.0])),
    st.just(np.ones((1, 1))),
    st.just(np.array(["x"])),
)


@SETTINGS
@given(field=st.sampled_from(["lat", "lon", "pops", "capacity", "rate", "k"]), data=st.data())
def test_cdn_routing(field, data):
    from workbench import cdn

    kw = {"lat": np.array([48.86]), "lon": np.array([2.35]), "pops": _pops(), "capacity": 10.0, "rate": 1.0, "k": 3}
    if field in ("lat", "lon"):
        kw[field] = data.draw(bad_coords)
    elif field == "pops":
        kw["pops"] = data.draw(st.one_of(_junk, st.just(_pops().iloc[:0])))
    elif field == "k":
        kw["k"] = data.draw(st.one_of(st.integers(max_value=0), st.integers(min_value=len(_pops()) + 1)))
    else:
        kw[field] = data.draw(
            bad_pos_float if field == "capacity" else st.one_of(st.floats(max_value=-1e-9), _not_finite)
        )
    _expect_named_error(
        "cdn",
        lambda: cdn.latency_aware(kw["lat"], kw["lon"], kw["pops"], kw["capacity"], kw["rate"], k=kw["k"], seed=0),
    )


@SETTINGS
@given(field=st.sampled_from(["policy", "size", "request_pop", "client_km"]), data=st.data())
def test_cdn_tiers(field, data):
    from workbench import cdn
    from workbench.cdn.caches import POLICIES

    trace = cdn.zipf_trace(200, 20, 1.0, seed=0)
    if field == "policy":
        _expect_named_error("cdn", lambda: cdn.Tier(data.draw(bad_name(POLICIES)), 10))
    elif field == "size":
        _expect_named_error("cdn", lambda: cdn.Tier("lru", data.draw(bad_pos_float)))
    elif field == "request_pop":
        pop = data.draw(
            st.one_of(
                st.just(np.full(200, 10**6)),
                st.just(np.full(200, -1)),
                st.just(np.zeros(5, int)),
                st.just(np.zeros((200, 2), int)),
            )
        )
        _expect_named_error("cdn", lambda: cdn.simulate_cdn(trace, pop, _pops()))
    else:
        km = data.draw(st.one_of(st.just(np.full(200, np.nan)), st.just(np.full(200, -1.0)), st.just(np.zeros(3))))
        _expect_named_error("cdn", lambda: cdn.simulate_cdn(trace, np.zeros(200, int), _pops(), client_km=km))


@SETTINGS
@given(field=st.sampled_from(["times", "keys", "rate", "burst"]), data=st.data())
def test_cdn_token_bucket(field, data):
    from workbench import cdn

    kw = {"times": np.arange(10.0), "keys": np.arange(10) % 3, "rate": 1.0, "burst": 2.0}
    if field == "times":
        kw["times"] = data.draw(
            st.one_of(st.just(np.arange(10.0)[::-1]), st.just(np.r_[np.arange(9.0), np.nan]), st.just(np.arange(5.0)))
        )
    elif field == "keys":
        kw["keys"] = data.draw(
            st.one_of(st.just(np.arange(10) / 3), st.just(np.full(10, np.nan)), st.just(np.arange(4)))
        )
    elif field == "rate":
        kw["rate"] = data.draw(bad_pos_float)
    else:
        kw["burst"] = data.draw(st.one_of(st.floats(max_value=1 - 1e-9), _not_finite, _junk))
    _expect_named_error("cdn", lambda: cdn.token_bucket(kw["times"], kw["keys"], rate=kw["rate"], burst=kw["burst"]))


_ADDR = "0x" + "11" * 20


@SETTINGS
@given(field=st.sampled_from(["chain_id", "nonce", "to", "value", "fee"]), data=st.data())
def test_chain_transactions(field, data):
    from workbench import chain as C

    kw = {"chain_id": 1, "nonce": 0, "to": _ADDR, "value": 5, "fee": 1}
    if field == "to":
        kw["to"] = data.draw(
            st.one_of(st.text(max_size=44), st.just("0x12"), st.just("0x" + "zz" * 20), _junk, st.integers())
        )
    else:
        kw[field] = data.draw(
            st.one_of(
                st.integers(max_value=-1),
                st.integers(min_value=2**256),
                st.sampled_from([1.5, math.nan, "3", None, True]),
            )
        )
    _expect_named_error("chain", lambda: C.Transaction(**kw))


@SETTINGS
@given(raw=st.one_of(st.binary(max_size=300), st.just(b""), _junk))
def test_chain_mempool_rejects_garbage(raw):
    from workbench import chain as C

    pool = C.Mempool(C.Chain(C.ChainConfig(chain_id=1, difficulty_bits=4)))
    _expect_named_error("chain", lambda: pool.add(raw))


@SETTINGS
@given(
    field=st.sampled_from(
        ["difficulty_bits", "block_interval_s", "retarget_interval", "consensus", "fork_choice", "alloc", "chain_id"]
    ),
    data=st.data(),
)
def test_chain_config(field, data):
    from workbench import chain as C

    value = data.draw(
        {
            "difficulty_bits": st.one_of(st.floats(max_value=0.99), st.floats(min_value=64.01), _not_finite, _junk),
            "block_interval_s": bad_pos_float,
            "retarget_interval": st.one_of(st.integers(max_value=1), st.sampled_from([2.5, "10", None])),
            "consensus": bad_name(("pow", "pos")),
            "fork_choice": bad_name(("longest", "heaviest", "ghost")),
            "alloc": st.one_of(st.just({"0x12": 5}), st.just({_ADDR: -5}), st.just({_ADDR: 1.5}), st.just([1, 2])),
            "chain_id": st.one_of(st.integers(max_value=-1), st.sampled_from([1.5, "1", None])),
        }[field]
    )
    _expect_named_error("chain", lambda: C.ChainConfig(**{"chain_id": 1, field: value}))


@SETTINGS
@given(field=st.sampled_from(["matrix", "channel", "gate", "coupling", "circuit"]), data=st.data())
def test_quantum_unitaries_noise_and_compiler(field, data):
    import networkx as nx

    from workbench import quantum as Q

    if field == "matrix":
        m = data.draw(
            st.one_of(
                st.just(np.ones((2, 2))),
                st.just(np.eye(4)[:3]),
                st.just(np.full((2, 2), np.nan)),
                st.just(np.diag([1.0, 2.0])),
                st.just(np.eye(8)),
                _junk,
            )
        )
        _expect_named_error("quantum", lambda: Q.Circuit(2).unitary(m, [0]))
    elif field == "channel":
        f = data.draw(st.sampled_from(["depolarizing", "amplitude_damping", "phase_damping", "bit_flip", "phase_flip"]))
        p = data.draw(st.one_of(st.floats(max_value=-1e-9), st.floats(min_value=1.34), _not_finite, _junk))
        _expect_named_error("quantum", lambda: getattr(Q, f)(p))
    elif field == "gate":
        g = data.draw(st.one_of(st.sampled_from(["cnot", "hadamard", "CX", ""]), st.integers(), st.none()))
        _expect_named_error("quantum", lambda: Q.NoiseModel().add(Q.depolarizing(0.1), [g]))
    elif field == "coupling":
        g = data.draw(
            st.one_of(
                st.just(nx.path_graph(2)),
                st.just(nx.Graph([(0, 1), (2, 3)])),
                st.just(nx.empty_graph(5)),
                _junk.filter(lambda v: v is not None),
                st.just("line"),
            )
        )  # None: no routing
        _expect_named_error("quantum", lambda: Q.transpile(Q.qft(4), g, seed=0))
    else:
        c = data.draw(_junk)
        fn = data.draw(st.sampled_from(["to_qiskit", "from_qiskit", "statevector", "transpile"]))
        _expect_named_error("quantum", lambda: getattr(Q, fn)(c))


@SETTINGS
@given(
    field=st.sampled_from(["positions", "bond_length", "form", "n_electrons", "matrix", "bond_lengths"]), data=st.data()
)
def test_quantum_chemistry(field, data):
    from workbench import quantum as Q

    if field == "positions":
        pos = data.draw(
            st.one_of(
                _junk,
                st.just([0.0, 0.0, 1.0]),
                st.just([[0.0, 0.0]]),
                st.just(np.zeros((0, 3))),
                st.just([[0, 0, 0], [0, 0, 0]]),
                st.just([[0, 0, np.inf], [0, 0, 1]]),
                st.just([[0, 0, i] for i in range(6)]),
                st.just([[0, 0, 0], [0, 0, 1], [0, 1, 0]]),
            )
        )
        _expect_named_error("quantum", lambda: Q.hydrogen_hamiltonian(pos))
    elif field == "bond_length":
        r = data.draw(st.one_of(bad_pos_float, st.floats(min_value=20.01, allow_infinity=False)))
        _expect_named_error("quantum", lambda: Q.h2_hamiltonian(r))
    elif field == "form":
        f = data.draw(bad_name(("parity", "jordan_wigner")))
        _expect_named_error("quantum", lambda: Q.h2_hamiltonian(0.735, f))
    elif field == "n_electrons":
        ne = data.draw(
            st.one_of(
                st.integers(max_value=1),
                st.integers(min_value=5),
                st.sampled_from([3, 2.0, True]),
                _junk.filter(lambda v: v is not None),
            )
        )
        _expect_named_error("quantum", lambda: Q.hydrogen_hamiltonian([[0, 0, 0], [0, 0, 0.8]], n_electrons=ne))
    elif field == "bond_lengths":
        r = data.draw(
            st.one_of(
                _junk.filter(lambda v: v is not None and not isinstance(v, list)),
                st.just([]),
                st.just([[0.7, 0.8]]),
                st.just([0.7, math.nan]),
                st.just([0.7, -1.0]),
                st.just([0.7, 50.0]),
            )
        )
        _expect_named_error("quantum", lambda: Q.dissociation_curve(r, vqe=False))
    else:
        m = data.draw(
            st.one_of(
                _junk,
                st.just(np.ones((3, 3))),
                st.just(np.ones(4)),
                st.just(np.zeros((1, 1))),
                st.just(np.full((2, 2), np.nan)),
                st.just(np.array([[0, 1], [0, 0]])),
            )
        )
        _expect_named_error("quantum", lambda: Q.pauli_decompose(m))


@SETTINGS
@given(field=st.sampled_from(["env", "gamma", "episodes", "epsilon", "X"]), data=st.data())
def test_ai_rl_and_conv(field, data):
    from workbench import ai

    if field == "env":
        env = data.draw(st.one_of(st.sampled_from(["NopeEnv-v0", "CartPole-v99", ""]), _junk))
        _expect_named_error("ai", lambda: ai.TabularEnv.from_gymnasium(env))
        return
    if field == "X":
        X = data.draw(
            st.sampled_from(
                [np.ones((4, 5)), np.ones((4, 1, 2, 2, 2)), np.full((4, 1, 8, 8), np.nan), np.ones((0, 1, 8, 8))]
            )
        )
        _expect_named_error("ai", lambda: ai.Conv2DClassifier(epochs=1).fit(X, np.arange(len(X)) % 2))
        return
    env = ai.TabularEnv.from_gymnasium("FrozenLake-v1")
    kw = {"episodes": 10, "seed": 0}
    kw[field] = data.draw(bad_pos_int if field == "episodes" else bad_prob)
    _expect_named_error("ai", lambda: ai.q_learning(env, **kw))


@SETTINGS
@given(
    field=st.sampled_from(["n_devices", "n_edge", "rate", "deadline_s", "topology", "failures", "dag"]), data=st.data()
)
def test_edge_scenarios_failures_and_dags(field, data):
    from workbench import edge as E

    if field == "failures":
        name = data.draw(st.sampled_from(["mtbf_s", "detect_s", "checkpoint_s", "link_mtbf_s", "recovery", "tier"]))
        v = data.draw(
            bad_name(("restart", "checkpoint", "edge", "cloud", "all"))
            if name in ("recovery", "tier")
            else st.one_of(st.floats(max_value=-1e-9), _not_finite)
        )
        _expect_named_error("edge", lambda: E.Failures(**{name: v}))
        return
    if field == "dag":
        name = data.draw(st.sampled_from(["n", "procs", "ccr"]))
        kw = {"n": 10, "procs": 4, "ccr": 1.0}
        kw[name] = data.draw(
            bad_pos_int if name != "ccr" else st.one_of(st.floats(max_value=-1e-9), _not_finite, _junk)
        )
        _expect_named_error("edge", lambda: E.random_dag(kw["n"], kw["procs"], ccr=kw["ccr"], seed=0))
        return
    kw = {"topology": "Abilene", "n_devices": 10, "n_edge": 2, "rate": 0.5, "deadline_s": 1.0}
    kw[field] = data.draw(
        {
            "n_devices": bad_pos_int,
            "n_edge": st.one_of(st.integers(max_value=-1), _junk),
            "rate": bad_pos_float,
            "deadline_s": bad_pos_float,
            "topology": bad_name(()),
        }[field]
    )
    _expect_named_error(
        "edge",
        lambda: E.build_scenario(
            kw["topology"], kw["n_devices"], kw["n_edge"], 1, rate=kw["rate"], deadline_s=kw["deadline_s"], seed=0
        ),
    )


@SETTINGS
@given(field=st.sampled_from(["weight", "edge_weight", "node", "coords", "stretch"]), data=st.data())
def test_net_routing_and_geography(field, data):
    import networkx as nx

    from workbench import net

    G = net.load_topology("Abilene")
    if field == "weight":
        w = data.draw(st.one_of(st.sampled_from(["length", "km", "delay"]), st.integers()))
        _expect_named_error("net", lambda: net.Router(G, weight=w))
    elif field == "edge_weight":
        v = data.draw(st.one_of(st.floats(max_value=-1e-9), _not_finite, st.sampled_from(["1", None])))
        _expect_named_error("net", lambda: net.Router(nx.Graph([(0, 1, {"weight": v}), (1, 2, {"weight": 1.0})])))
    elif field == "node":
        v = data.draw(st.one_of(st.integers(min_value=11), st.integers(max_value=-1), st.text(max_size=3)))
        fn = data.draw(st.sampled_from(["shortest_path", "nearest_source", "route_table"]))
        call = {
            "shortest_path": lambda: net.shortest_path(G, v, 0, weight="length_km"),
            "nearest_source": lambda: net.nearest_source(G, [v], weight="length_km"),
            "route_table": lambda: net.route_table(G, sources=[v], weight="length_km"),
        }[fn]
        _expect_named_error("net", call)
    elif field == "coords":
        args = data.draw(
            st.sampled_from(
                [
                    (np.nan, 0, 0, 0),
                    (91, 0, 0, 0),
                    (0, 181, 0, 0),
                    ("x", 0, 0, 0),
                    (None, 0, 0, 0),
                    ([1, np.nan], 0, 0, 0),
                ]
            )
        )
        _expect_named_error("net", lambda: net.great_circle_km(*args))
    else:
        s = data.draw(st.one_of(st.floats(max_value=0.999), _not_finite, st.sampled_from(["nope", None, "GOOD"])))
        _expect_named_error("net", lambda: net.LatencyModel(s))


# ---------------------------------------------------------------- the crash sweep (child processes)
@pytest.mark.parametrize("lab", ["ai", "cdn", "chain", "edge", "net", "quantum"])
def test_crash_sweep(lab):
    """Every public entry point with extreme values (0, 1e-300, 1e300, inf, nan, 2**31, 2**63, negatives, numpy
    scalars, None, strings, hand-built public types) in a child process: a segfault or abort fails a case instead
    of the run (tests/crash_sweep.py). Every case must return or raise a WorkbenchError."""
    from tests import crash_sweep

    n, failures = crash_sweep.run(lab)
    TRIED[f"{lab} (crash sweep)"] += n
    assert n == len(crash_sweep.cases(lab)), f"{lab}: only {n} of {len(crash_sweep.cases(lab))} cases answered"
    assert not failures, f"{lab}: {len(failures)} case(s) crashed, hung or raised a raw error:\n" + "\n".join(
        failures[:40]
    )
