import pathlib

import networkx as nx
import numpy as np
import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


def random_graph(seed, n=None, p=None, directed=None, integer=None, zero_frac=0.05):
    """A random weighted graph with some zero weights and possibly unreachable parts."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 60)) if n is None else n
    p = float(rng.uniform(0.01, 0.2)) if p is None else p
    directed = bool(rng.integers(2)) if directed is None else directed
    integer = bool(rng.integers(2)) if integer is None else integer
    G = nx.gnp_random_graph(n, p, seed=int(rng.integers(2**31)), directed=directed)
    for u, v in G.edges:
        w = float(rng.integers(0, 20)) if integer else float(rng.exponential(3.0))
        if rng.random() < zero_frac:
            w = 0.0
        G[u][v]["weight"] = w
    return G


@pytest.fixture
def rng():
    return np.random.default_rng(12345)
