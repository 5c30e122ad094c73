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
