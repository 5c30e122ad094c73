"""The AI lab applied to the other labs, each study a tidy comparison with its baseline.

* :func:`qaoa_angle_study`: our metaheuristics against scipy (multi-start L-BFGS-B and
  dual annealing) at the same budget of circuit simulations, tuning QAOA's 2p angles for MaxCut
  (quantum lab).
* :func:`edge_scheduler_study`: a scheduling policy learned by direct policy search (differential
  evolution over the weights of the edge lab's :class:`~workbench.edge.ScoreScheduler`, the same
  six features :class:`~workbench.edge.EdgeSchedulingEnv` observes), trained on some simulation
  seeds and tested on others against the built-in schedulers (edge lab).
* :func:`cdn_tier_study`: split a fixed cache budget between the CDN's edge, regional and shield
  tiers with GA/PSO/DE, against an exhaustive grid over the same split (CDN lab).

Examples
--------
>>> import networkx as nx
>>> df = qaoa_angle_study(nx.cycle_graph(6), p=1, budget=300, seeds=(0,), methods=("de",))
>>> sorted(df.method)
['de', 'scipy L-BFGS-B (multi-start)', 'scipy dual_annealing']
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import WorkbenchError
from .optimize import METHODS, minimize

__all__ = ["qaoa_angle_study", "edge_scheduler_study", "cdn_tier_study"]


def qaoa_angle_study(G, p: int = 2, *, budget: int = 2_000, seeds=(0, 1, 2), methods=METHODS) -> pd.DataFrame:
    """Maximize QAOA's expected cut on ``G`` over (gamma, beta) in [0, pi]^p x [0, pi/2]^p with each
    method and with scipy, ``budget`` expectation evaluations each; one row per method and seed:
    the best expected cut, its ratio to the maximum cut, and evaluations used."""
    from scipy.optimize import dual_annealing
    from scipy.optimize import minimize as sp_minimize

    from ..quantum import qaoa

    if isinstance(p, bool) or not isinstance(p, (int, np.integer)) or p < 1:
        raise WorkbenchError(f"p must be an int >= 1, got {p!r}")
    cuts = qaoa.cut_values(G)
    best_cut = float(cuts.max())
    bounds = [(0.0, np.pi)] * p + [(0.0, np.pi / 2)] * p

    def negative(x):
        return -qaoa.qaoa_expectation(G, x[:p], x[p:], cuts)

    rows = []
    for seed in seeds:
        for m in methods:
            r = minimize(negative, bounds, method=m, seed=int(seed), budget=budget)
            rows.append({"method": m, "seed": seed, "expected_cut": -r.fun, "evaluations": r.nfev})
        rng = np.random.default_rng(seed)
        used, best = 0, np.inf
        while used < budget:  # restarts until the budget is spent
            x0 = np.array([rng.uniform(lo, hi) for lo, hi in bounds])
            res = sp_minimize(negative, x0, method="L-BFGS-B", bounds=bounds,
                              options={"maxfun": max(1, budget - used)})
            used += res.nfev
            best = min(best, res.fun)
        rows.append({"method": "scipy L-BFGS-B (multi-start)", "seed": seed, "expected_cut": -best, "evaluations": used})
        res = dual_annealing(negative, bounds, maxfun=budget, seed=int(seed))
        rows.append({"method": "scipy dual_annealing", "seed": seed, "expected_cut": -res.fun, "evaluations": res.nfev})
    df = pd.DataFrame(rows)
    df["ratio_to_max_cut"] = df.expected_cut / best_cut
    return df


def edge_scheduler_study(scenario, *, n_tasks: int = 5_000, train_seeds=(1, 2, 3), test_seeds=(11, 12, 13, 14, 15),
                         budget: int = 300, miss_penalty_ms: float = 1_000.0, seed: int = 0,
                         baselines=("round_robin", "least_loaded", "nearest", "mct")) -> pd.DataFrame:
    """Learn ``ScoreScheduler`` weights that minimize ``mean response (ms) + miss_penalty_ms * miss rate``
    over the training seeds with DE (``budget`` evaluations, each a full simulation per training seed),
    then simulate the learned policy and the baselines on unseen test seeds.

    Returns one row per scheduler and test seed (mean, p95, deadline-miss rate); the learned
    weights are in ``.attrs["weights"]`` and the training curve in ``.attrs["history"]``.
    """
    from ..edge import FEATURES, Scenario, ScoreScheduler, simulate

    if not isinstance(scenario, Scenario):
        raise WorkbenchError("edge_scheduler_study needs a workbench.edge Scenario")

    def score(w):
        total = 0.0
        for s in train_seeds:
            row = simulate(scenario, ScoreScheduler(w), n_tasks=n_tasks, seed=s).summary().iloc[0]
            total += row.mean_ms + miss_penalty_ms * row.miss_rate
        return total / len(train_seeds)

    res = minimize(score, [(0.0, 3.0)] * len(FEATURES), method="de", seed=seed, budget=budget, pop_size=12, CR=0.9)
    learned = ScoreScheduler(res.x)
    rows = []
    for name, sched in [("learned (DE policy search)", learned)] + [(b, b) for b in baselines]:
        for s in test_seeds:
            row = simulate(scenario, sched, n_tasks=n_tasks, seed=s).summary().iloc[0]
            rows.append({"scheduler": name, "seed": s, "mean_ms": row.mean_ms, "p95_ms": row.p95_ms,
                         "miss_rate": row.miss_rate})
    df = pd.DataFrame(rows)
    df.attrs["weights"] = dict(zip(FEATURES, res.x))
    df.attrs["history"] = res.generations
    return df


def cdn_tier_study(trace, request_pop, pops, client_km, *, total_objects: int, model=None, policy: str = "s3fifo",
                   grid_step: float = 0.05, budget: int = 60, seeds=(0, 1, 2), methods=("de", "pso", "ga")) -> pd.DataFrame:
    """Split ``total_objects`` of cache between the L1 caches (shared equally by the PoPs that serve
    traffic), the L2 caches (one per region with traffic) and the shield, to minimize the mean latency.

    The split is ``(a, b)``: a share ``a`` to L1, ``b`` to L2 and the rest to L3 (``a + b > 1`` is
    scaled back onto the simplex). Every point of a ``grid_step`` grid is simulated (the exhaustive
    baseline); each optimizer gets ``budget`` simulations per seed. One row per run: evaluations,
    the sizes chosen, mean latency and the gap to the grid's best.
    """
    from ..cdn import Tier, simulate_cdn

    request_pop = np.asarray(request_pop)
    n_l1 = int(np.unique(request_pop).size)
    n_l2 = int(pops.region.iloc[np.unique(request_pop)].nunique())
    if isinstance(total_objects, bool) or not isinstance(total_objects, (int, np.integer)) or total_objects < 3 * n_l1:
        raise WorkbenchError(f"total_objects must be an int of at least 3 per serving PoP ({3 * n_l1})")
    cache: dict = {}

    def sizes(a, b):
        if a + b > 1.0:
            a, b = a / (a + b), b / (a + b)
        return (max(1, int(a * total_objects / n_l1)), max(1, int(b * total_objects / n_l2)),
                max(1, int((1.0 - a - b) * total_objects)))

    def latency(x):
        key = sizes(x[0], x[1])
        if key not in cache:
            r = simulate_cdn(trace, request_pop, pops, client_km=client_km, model=model, l1=Tier(policy, key[0]),
                             l2=Tier(policy, key[1]), l3=Tier(policy, key[2]))
            cache[key] = float(r.summary().latency_mean_ms.iloc[0])
        return cache[key]

    steps = np.round(np.arange(0.0, 1.0 + 1e-9, grid_step), 10)
    grid = [(a, b) for a in steps for b in steps if a + b <= 1.0 + 1e-9]
    grid_vals = [latency(np.array(p)) for p in grid]
    k = int(np.argmin(grid_vals))
    best_grid = grid_vals[k]
    rows = [{"method": f"exhaustive grid (step {grid_step})", "seed": None, "evaluations": len(grid),
             "l1": sizes(*grid[k])[0], "l2": sizes(*grid[k])[1], "l3": sizes(*grid[k])[2],
             "mean_latency_ms": best_grid, "gap_percent": 0.0}]
    for seed in seeds:
        for m in methods:
            r = minimize(latency, [(0.0, 1.0), (0.0, 1.0)], method=m, seed=int(seed), budget=budget,
                         pop_size=min(10, budget))
            l1, l2, l3 = sizes(*r.x)
            rows.append({"method": m, "seed": seed, "evaluations": budget, "l1": l1, "l2": l2, "l3": l3,
                         "mean_latency_ms": r.fun, "gap_percent": 100 * (r.fun / best_grid - 1)})
    return pd.DataFrame(rows)

