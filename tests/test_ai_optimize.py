"""Metaheuristics: test functions and operators against naive formulas, compiled == Python paths,
the issue's convergence goals on 3/3 seeds, and named errors."""

from __future__ import annotations

import math

import numpy as np
import pytest
from numba import njit

from workbench.ai import METHODS, TEST_FUNCTIONS, OptimizationError, minimize
from workbench.ai import _kernels as K


def naive_functions(x):
    x = np.asarray(x, float)
    n = x.size
    i = np.arange(1, n + 1)
    return {
        "sphere": float(np.sum(x**2)),
        "rastrigin": float(10 * n + np.sum(x**2 - 10 * np.cos(2 * np.pi * x))),
        "rosenbrock": float(np.sum(100 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2)),
        "ackley": float(
            -20 * np.exp(-0.2 * np.sqrt(np.mean(x**2))) - np.exp(np.mean(np.cos(2 * np.pi * x))) + 20 + np.e
        ),
        "griewank": float(1 + np.sum(x**2) / 4000 - np.prod(np.cos(x / np.sqrt(i)))),
    }


@pytest.mark.kernel
def test_test_functions_match_naive_formulas_and_vanish_at_the_optimum():
    rng = np.random.default_rng(0)
    for _ in range(20):
        x = rng.uniform(-5, 5, int(rng.integers(2, 12)))
        ref = naive_functions(x)
        for name, (f, _, _) in TEST_FUNCTIONS.items():
            assert f(x) == pytest.approx(ref[name], rel=1e-12, abs=1e-12)
    for _name, (f, _, opt) in TEST_FUNCTIONS.items():
        x = np.ones(7) if opt == "ones" else np.zeros(7)
        assert f(x) == pytest.approx(0.0, abs=1e-14)


def sbx_naive(p1, p2, u, lo, hi, eta):
    d = len(p1)
    c1, c2 = [], []
    for j in range(d):
        if u[j] >= 0.5:
            c1.append(p1[j]), c2.append(p2[j])
            continue
        w = u[d + j]
        beta = (2 * w) ** (1 / (eta + 1)) if w <= 0.5 else (1 / (2 * (1 - w))) ** (1 / (eta + 1))
        a, b = 0.5 * ((1 + beta) * p1[j] + (1 - beta) * p2[j]), 0.5 * ((1 - beta) * p1[j] + (1 + beta) * p2[j])
        if u[2 * d + j] < 0.5:
            a, b = b, a
        c1.append(min(max(a, lo[j]), hi[j])), c2.append(min(max(b, lo[j]), hi[j]))
    return c1, c2


def poly_naive(y, u, yl, yu, eta):
    d1, d2, p = (y - yl) / (yu - yl), (yu - y) / (yu - yl), 1 / (eta + 1)
    if u < 0.5:
        dq = (2 * u + (1 - 2 * u) * (1 - d1) ** (eta + 1)) ** p - 1
    else:
        dq = 1 - (2 * (1 - u) + 2 * (u - 0.5) * (1 - d2) ** (eta + 1)) ** p
    return min(max(y + dq * (yu - yl), yl), yu)


@pytest.mark.kernel
def test_sbx_and_polynomial_mutation_match_deb_formulas():
    rng = np.random.default_rng(1)
    for _ in range(50):
        d = int(rng.integers(1, 8))
        lo, hi = -rng.uniform(1, 5, d), rng.uniform(1, 5, d)
        p1, p2 = rng.uniform(lo, hi), rng.uniform(lo, hi)
        u = rng.random(3 * d)
        eta = float(rng.uniform(1, 30))
        c1, c2 = np.empty(d), np.empty(d)
        K.sbx_pair(p1, p2, u, lo, hi, eta, c1, c2)
        r1, r2 = sbx_naive(p1, p2, u, lo, hi, eta)
        np.testing.assert_allclose(c1, r1, rtol=1e-12)
        np.testing.assert_allclose(c2, r2, rtol=1e-12)
        uu = float(rng.random())
        assert K.polynomial_mutation(p1[0], uu, lo[0], hi[0], eta) == pytest.approx(
            poly_naive(p1[0], uu, lo[0], hi[0], eta), rel=1e-12
        )
    # SBX keeps the parents' mean (before clipping), the property that makes it "binary-like"
    c1, c2 = np.empty(1), np.empty(1)
    K.sbx_pair(
        np.array([1.0]), np.array([3.0]), np.array([0.2, 0.9, 0.7]), np.array([-10.0]), np.array([10.0]), 2.0, c1, c2
    )
    assert c1[0] + c2[0] == pytest.approx(4.0)


@pytest.mark.kernel
@pytest.mark.parametrize("method", METHODS)
def test_compiled_and_python_objectives_give_identical_runs(method):
    py = lambda x: float(np.sum(x**2 - 10 * np.cos(2 * np.pi * x)) + 10 * x.size)  # noqa: E731
    a = minimize(K.rastrigin, [(-5.12, 5.12)] * 4, method=method, seed=3, budget=777, snapshot_every=3)
    b = minimize(py, [(-5.12, 5.12)] * 4, method=method, seed=3, budget=777, snapshot_every=3)
    assert a.compiled and not b.compiled
    np.testing.assert_allclose(a.history.best, b.history.best, rtol=1e-12)
    np.testing.assert_allclose(a.x, b.x, rtol=1e-12)
    np.testing.assert_allclose(
        a.snapshots.drop(columns=["generation", "individual"]),
        b.snapshots.drop(columns=["generation", "individual"]),
        rtol=1e-12,
    )
    assert a.fun == pytest.approx(b.fun, rel=1e-12) and a.fun == pytest.approx(K.rastrigin(a.x), abs=1e-9)
    assert a.history.best.is_monotonic_decreasing and a.generations.best.is_monotonic_decreasing
    assert a.generations.evaluations.iat[-1] == 777 and len(a.history) == 777


def test_same_seed_same_result_and_seeds_differ():
    a = minimize("ackley", [(-32.768, 32.768)] * 5, method="pso", seed=1, budget=2_000)
    b = minimize("ackley", [(-32.768, 32.768)] * 5, method="pso", seed=1, budget=2_000)
    c = minimize("ackley", [(-32.768, 32.768)] * 5, method="pso", seed=2, budget=2_000)
    assert a.history.equals(b.history) and not a.history.equals(c.history)


def test_snapshots_are_tidy():
    r = minimize("sphere", [(-1, 1)] * 2, method="de", seed=0, budget=400, pop_size=10, snapshot_every=5)
    assert list(r.snapshots.columns) == ["generation", "individual", "x0", "x1"]
    assert r.snapshots.generation.unique().tolist() == list(range(0, len(r.generations), 5))
    assert (r.snapshots.groupby("generation").size() == 10).all()
    assert r.snapshots[["x0", "x1"]].abs().max().max() <= 1.0


D10 = 10


@pytest.mark.parametrize("seed", range(3))
def test_goal_rastrigin_de(seed):
    r = minimize("rastrigin", [(-5.12, 5.12)] * D10, method="de", seed=seed, budget=30_000)
    assert r.evaluations_to(1e-8) is not None


@pytest.mark.parametrize("seed", range(3))
def test_goal_rastrigin_ga(seed):
    r = minimize("rastrigin", [(-5.12, 5.12)] * D10, method="ga", seed=seed, budget=60_000)
    assert r.fun <= 1e-4


@pytest.mark.parametrize("seed", range(3))
def test_goal_rosenbrock_de(seed):
    r = minimize("rosenbrock", [(-5.0, 10.0)] * D10, method="de", seed=seed, budget=100_000, F=0.7, CR=0.9)
    assert r.fun <= 1e-8


@pytest.mark.parametrize("seed", range(3))
def test_goal_ackley_pso(seed):
    r = minimize("ackley", [(-32.768, 32.768)] * D10, method="pso", seed=seed, budget=20_000)
    assert r.fun <= 1e-8


def test_sa_converges_on_sphere_and_griewank_improves():
    r = minimize("sphere", [(-5.12, 5.12)] * 5, method="sa", seed=0, budget=20_000)
    assert r.fun < 1e-6
    g = minimize("griewank", [(-600, 600)] * 5, method="sa", seed=0, budget=20_000)
    assert g.fun < g.history.best.iat[0] and g.fun < 0.5


def test_numba_objective_of_the_user():
    @njit
    def shifted(x):
        s = 0.0
        for v in x:
            s += (v - 1.5) ** 2
        return s

    r = minimize(shifted, [(-5, 5)] * 3, method="de", seed=0, budget=3_000)
    assert r.compiled and np.allclose(r.x, 1.5, atol=1e-4)


def test_nan_counts_as_infinity():
    r = minimize(lambda x: math.nan if x[0] > 0 else float(x @ x), [(-1, 1)] * 2, method="de", seed=0, budget=500)
    assert r.x[0] <= 0 and np.isfinite(r.fun)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"method": "adam"}, "unknown method"),
        ({"bounds": [(1, 0)]}, "low >= high"),
        ({"bounds": [(0, np.inf)]}, "finite"),
        ({"bounds": [1, 2, 3]}, "shape"),
        ({"budget": 0}, "budget"),
        ({"budget": 2.5}, "budget"),
        ({"seed": -1}, "seed"),
        ({"CR": 0.5, "method": "pso"}, "unknown option"),
        ({"pop_size": 2}, "pop_size"),
        ({"f": "himmelblau"}, "unknown test function"),
        ({"f": 3}, "callable"),
        ({"f": lambda x: "low"}, "real number"),
    ],
)
def test_bad_input_is_named(kwargs, match):
    args = {"f": "sphere", "bounds": [(-1, 1)] * 2, "method": "de", "budget": 100}
    args.update(kwargs)
    f = args.pop("f")
    bounds = args.pop("bounds")
    with pytest.raises(OptimizationError, match=match):
        minimize(f, bounds, **args)
