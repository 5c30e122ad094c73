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


def test_edge_policy_search_beats_the_simple_baselines_on_unseen_seeds():
    from workbench.ai.studies import edge_scheduler_study
    from workbench.edge import build_scenario

    scenario = build_scenario("Abilene", 200, 6, 1, rate=2.0, seed=0)
    df = edge_scheduler_study(scenario, n_tasks=2_000, train_seeds=(1, 2), test_seeds=(11, 12, 13), budget=72)
    mean = df.groupby("scheduler").mean_ms.mean()
    learned = mean["learned (DE policy search)"]
    assert learned < mean["round_robin"] and learned < mean["least_loaded"] and learned < mean["nearest"]
    assert learned <= 1.1 * mean["mct"]  # the hand-made completion-time rule is a strong baseline
    assert set(df.attrs["weights"]) == {"latency_s", "load_per_core", "est_wait_s", "exec_s", "is_cloud", "transfer_s"}
    with pytest.raises(WorkbenchError, match="Scenario"):
        edge_scheduler_study("not a scenario")


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
    df = cdn_tier_study(trace, cp[rc], pops, ck[rc], total_objects=3_000, model=LatencyModel("good", access_ms=2.0),
                        grid_step=0.1, budget=30, seeds=(0,), methods=("de", "pso"))
    grid = df.iloc[0]
    assert grid.method.startswith("exhaustive") and grid.evaluations == 66
    ours = df.iloc[1:]
    assert (ours.evaluations < grid.evaluations).all() and (ours.gap_percent <= 5.0).all()
    assert (ours.l1 >= 1).all() and (ours.l3 >= 1).all()
    with pytest.raises(WorkbenchError, match="total_objects"):
        cdn_tier_study(trace, cp[rc], pops, ck[rc], total_objects=2)
