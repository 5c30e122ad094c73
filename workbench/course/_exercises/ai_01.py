"""Checks of lesson ai.01, metaheuristics."""

from __future__ import annotations

import math

import numpy as np

from ..checks import close, equal, right, wrong


def ex1(answer):
    x = [0.5, -1.0, 2.0]
    want = 10 * len(x) + sum(v * v - 10 * math.cos(2 * math.pi * v) for v in x)
    fb = close(answer, want, atol=1e-6, what="a number")
    if not fb.ok and isinstance(answer, (int, float, np.floating)) and abs(answer - (want - 30)) < 1e-6:
        return wrong("the constant term 10 d is missing")
    return fb


def ex2(answer):
    want = math.exp(-2 / 5)
    fb = close(answer, want, atol=1e-6, what="a probability")
    if fb.ok:
        return fb
    if isinstance(answer, (int, float, np.floating)) and abs(answer - (1 - want)) < 1e-6:
        return wrong("this is the probability of rejecting the move")
    if isinstance(answer, (int, float, np.floating)) and not 0 <= answer <= 1:
        return wrong("a probability lies between 0 and 1")
    return fb


def _trial(pop, fit, i, r1, r2, jr, rho, F, CR):
    b = int(np.argmin(fit))
    out = pop[i].copy()
    for j in range(pop.shape[1]):
        if j == jr or rho[j] < CR:
            out[j] = pop[b, j] + F * (pop[r1, j] - pop[r2, j])
    return out


def ex3(answer, seed=0):
    if not callable(answer):
        return wrong(f"the answer should be a function trial_vector(...), got {type(answer).__name__}")
    rng = np.random.default_rng(seed)
    for n, d in ((5, 3), (8, 6), (12, 10)):
        pop = rng.normal(size=(n, d))
        fit = rng.random(n)
        i, r1, r2 = rng.choice(n, 3, replace=False)
        jr = int(rng.integers(d))
        rho = rng.random(d)
        rho[jr] = 0.99  # the forced coordinate must be taken even when its draw says no
        F, CR = 0.6, 0.4
        got = np.asarray(answer(pop.copy(), fit.copy(), int(i), int(r1), int(r2), jr, rho.copy(), F, CR), float)
        want = _trial(pop, fit, i, r1, r2, jr, rho, F, CR)
        if got.shape != want.shape:
            return wrong(f"the trial vector should have {d} coordinates, not shape {got.shape}")
        if np.allclose(got, want):
            continue
        rho_free = rho.copy()
        rho_free[jr] = 0.99
        if np.allclose(got, np.where(rho < CR, want, pop[i])) and not np.allclose(want, pop[i]):
            return wrong("coordinate jr must always come from the mutant, whatever its random number says")
        base_i = pop[i] + F * (pop[r1] - pop[r2])
        if np.allclose(got, np.where((rho < CR) | (np.arange(d) == jr), base_i, pop[i])):
            return wrong("the mutant starts from the best member (lowest fit), not from member i")
        return wrong(f"the trial vector differs from the reference for a population of {n} in {d} dimensions")
    return right("it agrees with a reference on three random populations")


def ex4(answer, seed=0):
    from ...ai import minimize

    if answer is None:
        return wrong("the run does reach 0.01 within the budget")
    r = minimize("rastrigin", [(-5.12, 5.12)] * 4, method="ga", seed=seed, budget=8000)
    best = r.history.best.to_numpy()
    want = int(np.flatnonzero(best <= 0.01)[0]) + 1  # evaluations are counted from 1
    fb = equal(answer, want, what="the number of evaluations")
    if not fb.ok and isinstance(answer, (int, np.integer)) and int(answer) == want - 1:
        return wrong("off by one: that is a 0-based index, and evaluations are counted from 1")
    return fb


def ex5(answer):
    if not callable(answer):
        return wrong(f"the answer should be a function my_de(f, bounds, budget, seed), got {type(answer).__name__}")
    calls = [0]

    def sphere(x):
        calls[0] += 1
        return float(np.sum(np.asarray(x, float) ** 2))

    out = answer(sphere, [(-5.12, 5.12)] * 3, 2000, 1)
    try:
        bx, bf = out
        bx = np.asarray(bx, float).reshape(-1)
        bf = float(bf)
    except (TypeError, ValueError):
        return wrong("return the pair (best_x, best_f)")
    if calls[0] != 2000:
        return wrong(f"f was called {calls[0]} times; the budget is 2000 evaluations")
    if bx.shape != (3,) or not np.isclose(sphere(bx), bf):
        return wrong("best_f is not the value of f at best_x (a vector of 3 coordinates)")
    if bf >= 1e-3:
        return wrong(f"best value {bf:.3g} is not below 1e-3 on the sphere: the search does not converge")
    return right("it converges on the sphere within the budget")


CHECKS = {1: ex1, 2: ex2, 3: ex3, 4: ex4, 5: ex5}


def _wrong_examples():
    def forgets_jr(pop, fit, i, r1, r2, jr, rho, F, CR):
        v = pop[np.argmin(fit)] + F * (pop[r1] - pop[r2])
        return np.where(rho < CR, v, pop[i])

    def from_i(pop, fit, i, r1, r2, jr, rho, F, CR):
        take = rho < CR
        take[jr] = True
        return np.where(take, pop[i] + F * (pop[r1] - pop[r2]), pop[i])

    def random_search(f, bounds, budget, seed):
        g = np.random.default_rng(seed)
        lo, hi = np.array(bounds, dtype=float).T
        xs = g.uniform(lo, hi, size=(budget, lo.size))
        fs = np.array([f(x) for x in xs])
        return xs[np.argmin(fs)], fs.min()

    def too_many(f, bounds, budget, seed):
        x = np.zeros(len(bounds))
        for _ in range(budget + 10):
            v = f(x)
        return x, v

    return {
        1: [(-4.75, {}), (15.25, {}), ("25.25", {})],
        2: [(1 - math.exp(-0.4), {}), (math.exp(-10), {}), (math.exp(0.4), {})],
        3: [(forgets_jr, {}), (from_i, {}), (lambda *a: np.zeros(3), {})],
        4: [(0, {"seed": 0}), (8000, {"seed": 0}), (2.5, {"seed": 0})],
        5: [(random_search, {}), (too_many, {}), (3, {})],
    }


WRONG = _wrong_examples
