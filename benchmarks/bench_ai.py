"""AI lab speed and quality targets, same run (CPU time, one thread).

    python benchmarks/bench_ai.py [--repeat 3]

Metaheuristics: algorithm overhead per evaluation with a numba objective <= 3 us (pymoo and DEAP
spend 30-230 us per evaluation in their own loops); fixed-budget goals on 10-D benchmark functions
over seeds 0, 1, 2, next to scipy's differential_evolution and dual_annealing at the same budget.
"""

from __future__ import annotations

import argparse

import numpy as np
from harness import check, header, summary
from scipy.optimize import differential_evolution, dual_annealing

from workbench.ai import minimize, benchmark_function
from workbench.timing import cpu_best as cpu

GOALS = [  # (function, bounds, method, options, budget, tolerance)
    ("rastrigin", (-5.12, 5.12), "de", {}, 30_000, 1e-8),
    ("rastrigin", (-5.12, 5.12), "ga", {}, 60_000, 1e-4),
    ("rosenbrock", (-5.0, 10.0), "de", {"F": 0.7, "CR": 0.9}, 100_000, 1e-8),
    ("ackley", (-32.768, 32.768), "pso", {}, 20_000, 1e-8),
]


def _scipy(name, lo, hi, budget, seed, which):
    f = benchmark_function(name)
    fun = lambda x: f(np.ascontiguousarray(x, dtype=np.float64))  # noqa: E731
    bounds = [(lo, hi)] * 10
    if which == "scipy DE":  # maxiter counts generations of popsize * d individuals (15 * 10)
        r = differential_evolution(fun, bounds, maxiter=budget // 150 - 1, popsize=15, tol=0, seed=seed,
                                   polish=False, updating="immediate")
    else:
        r = dual_annealing(fun, bounds, maxfun=budget, seed=seed)
    return r.fun, r.nfev


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    header("Metaheuristic overhead per evaluation (numba objective: sphere, 10-D, 200,000 evaluations)")
    sphere = benchmark_function("sphere")
    bounds = [(-5.12, 5.12)] * 10
    t_eval, _ = cpu(lambda: [sphere(np.zeros(10)) for _ in range(1)], 1)
    for method in ("de", "pso", "ga", "sa"):
        minimize(sphere, bounds, method=method, budget=1_000)  # loads the compiled loop
        t, _ = cpu(lambda: minimize(sphere, bounds, method=method, budget=200_000), args.repeat)
        t_py, _ = cpu(lambda: minimize(lambda x: float(x @ x), bounds, method=method, budget=5_000), 1)
        per = t / 200_000 * 1e6
        print(f"{method}: {per:.2f} us per evaluation (objective included); Python objective {t_py / 5_000 * 1e6:.1f} us")
        check(f"{method} overhead per evaluation <= 3 us", per <= 3.0)

    header("Fixed-budget goals, 10-D, seeds 0-2 (ours) and scipy at the same budget")
    print("| function | method | budget | goal | ours: best f (seeds 0, 1, 2) | evaluations to goal | "
          "scipy DE best f | scipy dual_annealing best f |")
    print("|---|---|---:|---:|---|---|---|---|")
    for name, (lo, hi), method, opts, budget, tol in GOALS:
        runs = [minimize(name, [(lo, hi)] * 10, method=method, seed=s, budget=budget, **opts) for s in range(3)]
        sde = [_scipy(name, lo, hi, budget, s, "scipy DE")[0] for s in range(3)]
        sda = [_scipy(name, lo, hi, budget, s, "dual")[0] for s in range(3)]
        fmt = lambda v: ", ".join(f"{x:.1e}" for x in v)  # noqa: E731
        print(f"| {name} | {method} {opts or ''} | {budget:,} | {tol:g} | {fmt([r.fun for r in runs])} | "
              f"{', '.join(str(r.evaluations_to(tol)) for r in runs)} | {fmt(sde)} | {fmt(sda)} |")
        check(f"{name}-10D {method} <= {tol:g} within {budget:,} evaluations, 3/3 seeds",
              all(r.fun <= tol for r in runs))
    return summary()


if __name__ == "__main__":
    raise SystemExit(main())
