"""Cross-lab studies: the AI lab's optimizers on the quantum lab's QAOA."""

import networkx as nx
import pytest

from workbench.ai.studies import qaoa_angle_study
from workbench.errors import WorkbenchError


def test_qaoa_angle_study_reaches_the_known_ring_optimum():
    df = qaoa_angle_study(nx.cycle_graph(6), p=1, budget=600, seeds=(0,), methods=("de", "pso"))
    assert set(df.method) == {"de", "pso", "scipy L-BFGS-B (multi-start)", "scipy dual_annealing"}
    assert (df.ratio_to_max_cut <= 1 + 1e-12).all()
    ours = df[df.method.isin(["de", "pso"])]
    assert (ours.expected_cut / 6 >= 0.749).all()  # <C>/|E| = 3/4 at p = 1 on rings (Farhi et al.)
    assert (ours.evaluations == 600).all()
    with pytest.raises(WorkbenchError, match="p must be"):
        qaoa_angle_study(nx.cycle_graph(4), p=0)


def test_vqe_angles_gradients_win_without_noise_and_a_swarm_wins_with_shot_noise():
    from workbench.ai.studies import vqe_angle_study
    from workbench.quantum.vqe import CHEMICAL_ACCURACY, load_h2

    h = load_h2()
    exact = vqe_angle_study(
        h["hamiltonian"], offset=h["nuclear_repulsion"], budget=400, seeds=(0,), methods=("sa",)
    ).set_index("method")
    assert exact.chemical_accuracy.all()  # SA, L-BFGS-B and dual annealing reach -1.13731 Ha within 1.6 mHa
    assert abs(exact.loc["sa", "energy"] - h["E_FCI_total"]) < CHEMICAL_ACCURACY
    noisy = vqe_angle_study(
        h["hamiltonian"], offset=h["nuclear_repulsion"], budget=300, seeds=(0,), methods=("pso",), shots=2000
    ).set_index("method")
    assert noisy.loc["pso", "error_mha"] < 10  # exact energy at the angles found from noisy estimates
    assert noisy.loc["scipy L-BFGS-B (multi-start)", "error_mha"] > 100  # finite differences drown in shot noise
    assert (noisy.error_mha >= -1e-9).all()  # the variational principle
    with pytest.raises(WorkbenchError, match="shots"):
        vqe_angle_study(h["hamiltonian"], shots=0)
    with pytest.raises(WorkbenchError, match="budget"):
        vqe_angle_study(h["hamiltonian"], budget=0)


def test_edge_learners_beat_the_simple_baselines_on_unseen_seeds():
    from workbench.ai.studies import LEARNERS, MCT_LABEL, edge_scheduler_study
    from workbench.edge import FEATURES, build_scenario

    scenario = build_scenario("Abilene", 200, 6, 1, rate=2.0, seed=0)
    study = edge_scheduler_study(
        scenario,
        n_tasks=2_000,
        train_seeds=(1, 2),
        test_seeds=(11, 12, 13),
        budget=72,
        rl_iterations=12,
        rl_rollouts=4,
        rl_tasks=200,
    )
    df = study.comparison
    assert len(df) == 6 * 3 and set(df.seed) == {11, 12, 13}
    mean = df.groupby("scheduler").latency_mean_ms.mean()
    for label in LEARNERS.values():
        assert (
            mean[label] < mean["round_robin"] and mean[label] < mean["least_loaded"] and mean[label] < mean["nearest"]
        )
        assert mean[label] <= 1.1 * mean[MCT_LABEL]  # the hand-made completion-time rule is a strong baseline
    assert set(study.weights) == {"reinforce", "de"}
    assert all(set(w) == set(FEATURES) for w in study.weights.values())
    assert len(study.history["reinforce"]) == 12 and not df.attrs
    with pytest.raises(WorkbenchError, match="Scenario"):
        edge_scheduler_study("not a scenario")
    with pytest.raises(WorkbenchError, match="unknown learner 'dqn'"):
        edge_scheduler_study(scenario, learners=("dqn",))
    with pytest.raises(WorkbenchError, match="unknown baseline"):
        edge_scheduler_study(scenario, baselines=("heft",))


def test_cdn_tier_split_found_near_the_exhaustive_grid_with_fewer_simulations():
    import numpy as np

    from workbench import cdn
    from workbench.ai.studies import cdn_tier_study
    from workbench.net import LatencyModel

    pops = cdn.load_pops("aws")
    trace = cdn.zipf_trace(20_000, 3_000, 0.9, seed=0)
    clients = cdn.sample_clients(1_000, seed=0)
    cp, ck = cdn.nearest_pop(clients.lat, clients.lon, pops)
    rc = np.random.default_rng(0).integers(0, 1_000, trace.n_requests)
    df = cdn_tier_study(
        trace,
        cp[rc],
        pops,
        ck[rc],
        total_objects=3_000,
        model=LatencyModel("good", access_ms=2.0),
        grid_step=0.1,
        budget=30,
        seeds=(0,),
        methods=("de", "pso"),
    )
    grid = df.iloc[0]
    assert grid.method.startswith("exhaustive") and grid.evaluations == 66
    ours = df.iloc[1:]
    assert (ours.evaluations < grid.evaluations).all() and (ours.gap_percent <= 5.0).all()
    assert (ours.l1 >= 1).all() and (ours.l3 >= 1).all()
    with pytest.raises(WorkbenchError, match="total_objects"):
        cdn_tier_study(trace, cp[rc], pops, ck[rc], total_objects=2)


def test_cdn_capacity_from_forecasts_saves_servers_against_static_peak():
    from workbench import cdn
    from workbench.ai.studies import CAPACITY_METHODS, cdn_capacity_study

    pops = cdn.load_pops("aws")
    traffic = cdn.diurnal_traffic(pops[pops.code == "FRA"], hours=24 * 17, seed=0)
    methods = ["seasonal naive (same hour last week)", "Holt-Winters (daily season, log)"]
    df = cdn_capacity_study(traffic, test_days=2, methods=methods).set_index("method")
    assert list(df.index) == methods + ["static peak (no forecast)", "oracle (perfect foresight)"]
    oracle, static = df.loc["oracle (perfect foresight)"], df.loc["static peak (no forecast)"]
    assert oracle.overloaded_hours_pct == 0 and static.overloaded_hours_pct == 0
    assert oracle.server_hours == df.server_hours.min() and static.server_hours == df.server_hours.max()
    for m in methods:
        assert df.loc[m, "mape"] < 15 and df.loc[m, "saved_vs_static_pct"] > 30
        assert df.loc[m, "overloaded_hours_pct"] <= 10 and df.loc[m, "unserved_pct"] < 1
    with pytest.raises(WorkbenchError, match="unknown method"):
        cdn_capacity_study(traffic, methods=["prophet"])
    with pytest.raises(WorkbenchError, match="need 432 positive hourly rates"):
        cdn_capacity_study(traffic.iloc[:300], test_days=4)
    with pytest.raises(WorkbenchError, match="columns 'pop', 'hour' and 'rps'"):
        cdn_capacity_study(traffic.drop(columns="rps"))
    assert set(CAPACITY_METHODS) >= set(methods)


def test_cdn_byte_budget_split_and_a_policy_parameter_tuned_together():
    import numpy as np

    from workbench import cdn
    from workbench.ai.studies import cdn_tier_study
    from workbench.net import LatencyModel

    pops = cdn.load_pops("aws")
    trace = cdn.zipf_trace(15_000, 2_000, 0.9, seed=1, size_range=(1_000, 100_000))  # object sizes: bytes
    clients = cdn.sample_clients(500, seed=1)
    cp, ck = cdn.nearest_pop(clients.lat, clients.lon, pops)
    rc = np.random.default_rng(1).integers(0, 500, trace.n_requests)
    budget = int(0.4 * trace.footprint)
    df = cdn_tier_study(
        trace,
        cp[rc],
        pops,
        ck[rc],
        total_objects=budget,
        model=LatencyModel("good", access_ms=2.0),
        tune=("small_ratio", 0.02, 0.5),
        tune_steps=3,
        grid_step=0.2,
        budget=30,
        seeds=(0,),
        methods=("pso",),
    )
    grid, pso = df.iloc[0], df.iloc[1]
    assert grid.evaluations == 21 * 3 and grid.small_ratio in (0.02, 0.26, 0.5)
    assert 0.02 <= pso.small_ratio <= 0.5 and pso.gap_percent <= 10.0
    serving = np.unique(cp[rc])
    n_l1, n_l2 = serving.size, pops.region.iloc[serving].nunique()
    assert (
        pso.l1 * n_l1 + pso.l2 * n_l2 + pso.l3 <= budget + n_l1 + n_l2 + 1
    )  # within the byte budget (1 B minimum per cache)
    with pytest.raises(WorkbenchError, match="tune must be"):
        cdn_tier_study(trace, cp[rc], pops, ck[rc], total_objects=budget, tune=("small_ratio", 0.5, 0.1))
