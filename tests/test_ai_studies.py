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
