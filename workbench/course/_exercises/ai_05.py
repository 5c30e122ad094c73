"""Checks of lesson ai.05, the optimizers applied."""

from __future__ import annotations

import itertools

import numpy as np

from ..checks import close, equal, right, wrong


def _graph(nodes, seed):
    import networkx as nx

    return nx.random_regular_graph(3, nodes, seed=seed)


def ex1(answer, nodes=8, seed=0):
    G = _graph(nodes, seed)
    want = G.number_of_edges() / 2  # each edge is cut by half of all assignments
    fb = close(answer, want, atol=1e-6, what="an expected cut")
    if not fb.ok and isinstance(answer, (int, float, np.floating)):
        if np.isclose(answer, G.number_of_edges()):
            return wrong(
                "that is the number of edges; a uniformly random assignment cuts each edge with probability 1/2"
            )
    return fb


def ex2(answer):
    want = sum(1 for i in range(21) for j in range(21) if i + j <= 20)
    fb = equal(answer, want, what="the number of grid points")
    if not fb.ok and isinstance(answer, (int, np.integer)) and answer == 21 * 21:
        return wrong("that counts the whole square; the shares must satisfy a + b <= 1")
    return fb


def ex3(answer, nodes=8, seed=0):
    G = _graph(nodes, seed)
    nodes_ = list(G.nodes)
    best = 0
    for bits in itertools.product((0, 1), repeat=len(nodes_)):
        side = dict(zip(nodes_, bits))
        best = max(best, sum(side[u] != side[v] for u, v in G.edges))
    if isinstance(answer, (float, np.floating)) and float(answer).is_integer():
        answer = int(answer)
    fb = equal(answer, best, what="the maximum cut")
    if not fb.ok and isinstance(answer, (int, np.integer)) and answer == G.number_of_edges():
        return wrong("a 3-regular graph with an odd cycle cannot have every edge cut")
    return fb


def ex4(answer):
    import pandas as pd

    from ...ai import minimize

    if not callable(answer):
        return wrong(f"the answer should be a function fair_race(...), got {type(answer).__name__}")
    methods, seeds, budget = ("de", "sa"), (0, 1, 2), 300
    bounds = [(-5.12, 5.12)] * 3
    got = answer("rastrigin", bounds, methods, seeds, budget)
    if not isinstance(got, pd.DataFrame):
        return wrong(f"fair_race should return a pandas DataFrame, got {type(got).__name__}")
    if not {"median", "worst"} <= set(got.columns) or set(got.index) != set(methods):
        return wrong("the frame should be indexed by method with the columns median and worst")
    vals = {m: [minimize("rastrigin", bounds, method=m, seed=s, budget=budget).fun for s in seeds] for m in methods}
    for m in methods:
        if not np.isclose(got.loc[m, "worst"], max(vals[m])):
            if np.isclose(got.loc[m, "worst"], min(vals[m])):
                return wrong("'worst' is the largest best value when minimizing, not the smallest")
            return wrong(f"the worst value of {m} differs from a race with the same seeds and budget")
        if not np.isclose(got.loc[m, "median"], np.median(vals[m])):
            return wrong(f"the median of {m} differs from a race with the same seeds and budget")
    return right("the same race, the same numbers")


CHECKS = {1: ex1, 2: ex2, 3: ex3, 4: ex4}


def _wrong_examples():
    import pandas as pd

    def best_case(f, bounds, methods, seeds, budget):
        from ...ai import minimize

        rows = [
            {"method": m, "best": minimize(f, bounds, method=m, seed=s, budget=budget).fun}
            for m in methods
            for s in seeds
        ]
        return pd.DataFrame(rows).groupby("method").best.agg(median="median", worst="min")

    def one_seed(f, bounds, methods, seeds, budget):
        from ...ai import minimize

        v = {m: minimize(f, bounds, method=m, seed=0, budget=budget).fun for m in methods}
        return pd.DataFrame({"median": v, "worst": v})

    return {
        1: [(12, {"nodes": 8, "seed": 0}), (3.0, {"nodes": 8, "seed": 0}), ("6", {"nodes": 8, "seed": 0})],
        2: [(441, {}), (210, {}), (231.0, {})],
        3: [(12, {"nodes": 8, "seed": 0}), (5, {"nodes": 8, "seed": 0}), ("10", {"nodes": 8, "seed": 0})],
        4: [(best_case, {}), (one_seed, {}), (7, {})],
    }


WRONG = _wrong_examples
