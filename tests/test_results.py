"""The result contract, checked on every lab's experiments the way scikit-learn checks every estimator:
a Result with a one-row summary in the shared column vocabulary, named tidy frames, every input in ``params``
(the seed included), an HTML view, and a round trip through records and sweeps."""

from __future__ import annotations

import inspect

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from workbench.records import load_record, save_record
from workbench.results import COLUMNS, Result, unknown_columns
from workbench.sweeps import sweep


def _cases():
    from workbench import ai, cdn, edge, quantum, tune
    from workbench import chain as ch
    from workbench.ai import pg, studies  # noqa: F401  (modules used as ai.pg, ai.studies)
    from workbench.quantum import stabilizer

    qs = edge.queue_scenario(0.5, 1.0)
    trace = cdn.zipf_trace(400, 40, seed=0)
    pops = cdn.load_pops("cloudflare").head(4)
    delay = np.array([[0.0, 2.0, 3.0], [2.0, 0.0, 2.5], [3.0, 2.5, 0.0]])
    env = ai.TabularEnv.from_gymnasium("FrozenLake-v1")
    h2 = quantum.load_h2()
    x2, y2 = quantum.moons(20, seed=0)
    small = edge.build_scenario("Abilene", 40, 4, 1, rate=2.0, seed=0)
    noise = quantum.NoiseModel().add(quantum.depolarizing(0.01), ["h", "cx"])
    return {
        # edge
        "edge.simulate": (edge.simulate, (qs,), {"n_tasks": 200, "seed": 1}),
        "edge.simulate_queue": (edge.simulate_queue, (0.5, 1.0), {"n_customers": 500, "seed": 1}),
        "edge.heft": (edge.heft, (edge.random_dag(8, 2, seed=0),), {}),
        "edge.map_independent": (edge.map_independent, (edge.load_braun("u_c_hihi")[:10, :3], "min_min"), {}),
        # cdn
        "cdn.simulate": (cdn.simulate, (trace, 10, "lru"), {}),
        "cdn.simulate_cdn": (
            cdn.simulate_cdn,
            (trace, np.arange(400) % 4, pops),
            {"l1": cdn.Tier("lru", 0.1), "l2": cdn.Tier("lru", 0.2), "l3": cdn.Tier("lru", 0.3)},
        ),
        # chain
        "chain.simulate_mining": (ch.simulate_mining, (delay, [0.5, 0.3, 0.2]), {"blocks": 100, "seed": 1}),
        "chain.partition_experiment": (
            ch.partition_experiment,
            (delay, [0.6, 0.2, 0.2], [1, 0, 0]),
            {"start_s": 100.0, "duration_s": 3000.0, "blocks": 100, "seed": 1},
        ),
        "chain.eclipse_experiment": (
            ch.eclipse_experiment,
            (delay, [0.0, 0.4, 0.6], 0, 1),
            {"duration_s": 3600.0, "seed": 1},
        ),
        # quantum
        "quantum.simulate": (quantum.simulate, (quantum.ghz(3),), {"seed": 1}),
        "quantum.grover": (quantum.grover, (3, [5]), {}),
        "quantum.optimize_qaoa": (quantum.optimize_qaoa, (nx.cycle_graph(4),), {"restarts": 1, "seed": 1}),
        "quantum.vqe": (quantum.vqe, (h2["hamiltonian"],), {"restarts": 1, "seed": 1}),
        "quantum.train_vqc": (quantum.train_vqc, (x2, y2), {"layers": 1, "maxiter": 5, "seed": 1}),
        "quantum.bb84": (quantum.bb84, (200,), {"seed": 1}),
        "quantum.shor": (quantum.shor, (15,), {"seed": 1}),
        "quantum.simulate_density": (quantum.simulate_density, (quantum.ghz(2), noise), {}),
        "quantum.run_trajectories": (quantum.run_trajectories, (quantum.ghz(2), noise), {"trajectories": 5, "seed": 1}),
        "quantum.stabilizer.logical_error_rate": (
            stabilizer.logical_error_rate,
            (stabilizer.repetition_memory(3, 2, before_measure_flip_probability=0.05),),
            {"shots": 2000, "seed": 1},
        ),
        # ai
        "ai.minimize": (ai.minimize, ("sphere", [(-1.0, 1.0)] * 2), {"budget": 100, "seed": 1}),
        "ai.q_learning": (ai.q_learning, (env, 20), {"seed": 1}),
        "ai.reinforce": (ai.reinforce, (5,), {"hidden": 4, "seed": 1}),
        "ai.reinforce_scorer": (
            ai.pg.reinforce_scorer,
            (edge.EdgeSchedulingEnv(small, n_tasks=50),),
            {"iterations": 2, "rollouts": 2, "seed": 1},
        ),
        "ai.edge_scheduler_study": (
            ai.studies.edge_scheduler_study,
            (small,),
            {
                "n_tasks": 100,
                "train_seeds": (1,),
                "test_seeds": (11,),
                "budget": 12,
                "rl_iterations": 2,
                "rl_rollouts": 2,
                "rl_tasks": 50,
            },
        ),
        "ai.forecast": (ai.forecast, (np.sin(np.arange(48) / 3.0) + 5, 3), {"method": "holt", "seed": 1}),
        # design-space search
        "tune.tune": (
            tune.tune,
            (lambda x, k: {"cost": (x - 1) ** 2 + k, "size": x + k}, {"x": (0.0, 2.0), "k": (0, 2)}, ["cost", "size"]),
            {"n_trials": 12, "seed": 1, "progress": False},
        ),
    }


CASES = _cases()
# arguments that change how a run is shown, never what it computes
PRESENTATION = {"progress"}


@pytest.fixture(scope="module")
def results():
    return {name: fn(*args, **kw) for name, (fn, args, kw) in CASES.items()}


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_experiment_returns_a_result_with_the_contract(name, results):
    fn, args, kw = CASES[name]
    r = results[name]
    assert isinstance(r, Result), f"{name} returned {type(r).__name__}"
    s = r.summary()
    assert isinstance(s, pd.DataFrame) and len(s) == 1, f"{name}: summary() must be one row"
    assert unknown_columns(s) == [], f"{name}: columns outside the vocabulary: {unknown_columns(s)}"
    assert not s.attrs
    frames = r.to_frames()
    assert list(frames) == ["summary", *r.frames]
    for fname, frame in frames.items():
        assert isinstance(frame, pd.DataFrame), f"{name}.{fname} is not a DataFrame"
        assert all(isinstance(c, str) for c in frame.columns), f"{name}.{fname}: column names must be strings"
        assert not frame.attrs
    # every input is recorded, the seed included
    sig = inspect.signature(fn)
    named = {p for p, v in sig.parameters.items() if v.kind not in (v.VAR_KEYWORD, v.VAR_POSITIONAL)}
    missing = named - set(r.params) - PRESENTATION
    assert not missing, f"{name}: params lacks {sorted(missing)}"
    if "seed" in named:
        assert r.params["seed"] == kw.get("seed", sig.parameters["seed"].default)
    assert type(r).__name__ in r._repr_html_()


def test_every_result_class_is_checked(results):
    import workbench

    seen = {type(r) for r in results.values()}
    classes = set()
    todo = [Result]
    while todo:
        for sub in todo.pop().__subclasses__():
            if sub.__module__.startswith("workbench."):
                classes.add(sub)
            todo.append(sub)
    assert workbench and classes - seen == set(), f"no case returns {sorted(c.__name__ for c in classes - seen)}"


@pytest.mark.parametrize(
    "name", ["edge.simulate", "cdn.simulate", "quantum.grover", "ai.minimize", "chain.simulate_mining"]
)
def test_results_round_trip_through_records_and_sweeps(name, results, tmp_path):
    r = results[name]
    save_record(tmp_path / "rec", r)
    back = load_record(tmp_path / "rec")
    assert set(back.frames) == set(r.to_frames())
    pd.testing.assert_frame_equal(back.frames["summary"], r.summary(), check_exact=True)
    assert back.params["result"] == type(r).__name__
    df = sweep(lambda x, seed: r, {"x": [1, 2]}, seeds=(r.params.get("seed", 0),), progress=False)
    assert len(df) == 2 and set(r.summary().columns) <= set(df.columns)


def test_the_vocabulary_states_every_column_once_with_units_in_the_names():
    assert len(COLUMNS) == len(set(COLUMNS))
    for name in COLUMNS:
        assert name == name.strip() and " " not in name
    # quantities with a unit carry it: the durations and latencies
    for name in COLUMNS:
        if any(w in name for w in ("latency", "delay", "wait", "duration")):
            assert name.endswith(("_ms", "_s")), name


def test_a_frame_name_that_does_not_exist_is_a_named_error(results):
    from workbench.errors import UnknownNameError

    with pytest.raises(UnknownNameError, match="frame"):
        results["edge.simulate"].frame("nope")
