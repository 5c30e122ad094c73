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

TRIED: collections.Counter = collections.Counter()
EXAMPLES = 60


def summary_line() -> str | None:
    """The per-lab counts, printed by ``tests/conftest.py`` at the end of the run."""
    if not TRIED:
        return None
    counts = ", ".join(f"{lab} {n}" for lab, n in sorted(TRIED.items()))
    return f"robustness sweep: malformed inputs tried per lab: {counts} (total {sum(TRIED.values())})"


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


SETTINGS = settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


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
        kw["bounds"] = data.draw(st.one_of(
            st.just([]), st.just([(1.0, 1.0)]), st.just([(2.0, -2.0)] * 2), _not_finite.map(lambda v: [(0.0, v)]),
            _junk))
    _expect_named_error("ai", lambda: minimize("sphere", kw["bounds"], method=kw["method"], budget=kw["budget"], seed=0))


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
        kw["y"] = data.draw(st.one_of(st.just(np.array([])), st.just(np.array([1.0])),
                                      st.just(np.r_[np.arange(10.0), np.nan]), st.just(np.r_[np.arange(10.0), np.inf])))
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
        kw["requests"] = data.draw(st.one_of(st.just(np.array([], dtype=np.int64)), st.just(np.ones((4, 4))),
                                             st.just(np.array([1.0, np.nan, 2.0]))))
    elif field == "capacity":
        kw["capacity"] = data.draw(st.one_of(st.integers(max_value=0), st.integers(min_value=8, max_value=10**12),
                                             st.sampled_from([math.nan, math.inf, -0.5, 1.5, "3", None])))
    else:
        kw["policy"] = data.draw(bad_name(POLICIES))
    _expect_named_error("cdn", lambda: cdn.cache_hits(kw["requests"], kw["capacity"], kw["policy"]))


@SETTINGS
@given(field=st.sampled_from(["n_requests", "n_objects", "alpha"]), data=st.data())
def test_cdn_zipf_trace(field, data):
    from workbench import cdn

    kw = {"n_requests": 100, "n_objects": 10, "alpha": 1.0}
    kw[field] = data.draw(bad_pos_int if field != "alpha" else st.one_of(st.floats(max_value=-1e-9), _not_finite, _junk))
    _expect_named_error("cdn", lambda: cdn.zipf_trace(kw["n_requests"], kw["n_objects"], kw["alpha"], seed=0))


# ---------------------------------------------------------------- edge lab
@SETTINGS
@given(field=st.sampled_from(["lam", "mu", "c", "service"]), data=st.data())
def test_edge_queue(field, data):
    from workbench.edge import queue_scenario

    kw = {"lam": 0.5, "mu": 1.0, "c": 1, "service": "exp"}
    kw[field] = data.draw({"lam": bad_pos_float, "mu": bad_pos_float, "c": bad_pos_int,
                           "service": bad_name(("exp", "det", "uniform"))}[field])
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
    kw[field] = data.draw({"alpha": st.one_of(st.floats(min_value=0.5), st.floats(max_value=-1e-9), _not_finite),
                           "gamma": bad_prob, "events": bad_pos_int}[field])
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
@given(field=st.sampled_from(["n_qubits", "dtype", "fusion", "shots"]), data=st.data())
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
    elif field == "fusion":
        fu = data.draw(st.one_of(st.integers(max_value=-1), st.integers(min_value=20), st.sampled_from([1.5, "4"])))
        _expect_named_error("quantum", lambda: simulate(qc, fusion=fu))
    else:
        shots = data.draw(bad_pos_int)
        _expect_named_error("quantum", lambda: sample_counts(qc.measure_all() if hasattr(qc, "measure_all") else qc,
                                                            shots))


@SETTINGS
@given(label=st.one_of(st.text(max_size=4).filter(lambda s: not (len(s) == 2 and set(s) <= set("IXYZ"))),
                       st.integers()))
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
