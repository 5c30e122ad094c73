"""Checks of lesson edge.05, faults and recovery."""

from __future__ import annotations

import math

import numpy as np

from ..checks import close, equal, wrong


def _num(answer, what):
    try:
        return float(answer)
    except (TypeError, ValueError):
        return wrong(f"{what} should be a number, got {type(answer).__name__}")


def ex1(answer):
    want = 8760 * 4.0 / (2000.0 + 4.0)
    x = _num(answer, "the downtime")
    if not isinstance(x, float):
        return x
    if abs(x - 2000.0 / 2004.0) < 1e-6:
        return wrong("that is the availability; the question asks for hours of downtime per year")
    if abs(x - 60 * want) < 0.5:
        return wrong("that is in minutes; give hours")
    return close(x, want, atol=0.05, what="the downtime (hours)")


def ex2(answer):
    T, mtbf = 10.0, 100.0
    want = mtbf * (math.exp(T / mtbf) - 1)
    x = _num(answer, "the expected time")
    if not isinstance(x, float):
        return x
    if abs(x - T) < 1e-9:
        return wrong("that ignores failures; a failure loses all progress")
    if abs(x - T * (1 + T / mtbf)) < 1e-6:
        return wrong("that is a first-order estimate; the exact expectation follows from the formula of section 2")
    return close(x, want, atol=0.005, what="the expected time (s)")


def ex3(answer):
    want = math.sqrt(2 * 5.0 * 36000.0)
    x = _num(answer, "the interval")
    if not isinstance(x, float):
        return x
    if abs(x - math.sqrt(5.0 * 36000.0)) < 0.5:
        return wrong("the factor 2 under the square root is missing")
    if abs(x - math.sqrt(2 * 5.0 * 10.0)) < 0.5:
        return wrong("the MTBF must be in seconds, like the checkpoint cost")
    return close(x, want, rtol=0.01, what="the interval (s)")


def ex4(answer, n_tasks=100_000, seed=1):
    from ...edge import Failures, build_scenario, simulate

    sc = build_scenario("Abilene", 300, 8, 1, rate=1.0, size_mi=200.0, deadline_s=0.3, seed=seed)
    base = simulate(sc, "mct", n_tasks=n_tasks, seed=seed)
    horizon = n_tasks / sc.total_rate()
    bn = base.by_node()
    busiest = bn[bn.tier == "edge"].nlargest(3, "served").node.tolist()
    outage = [(node, 0.4 * horizon, 0.2 * horizon) for node in busiest]

    def affected(detect):
        r = simulate(sc, "mct", n_tasks=n_tasks, seed=seed, failures=Failures(scheduled=outage, detect_s=detect))
        return int(r.failures().affected.sum())

    want = affected(10.0)
    if isinstance(answer, (int, np.integer)) and not isinstance(answer, bool) and int(answer) == affected(5.0) != want:
        return wrong("that is the count with the 5 s detector; set detect_s=10.0")
    return equal(answer, want, what="the number of affected tasks")


def _best_tau():
    from scipy.optimize import minimize_scalar

    res = minimize_scalar(lambda t: math.expm1((t + 30.0) / 600.0) / t, bounds=(1.0, 3000.0), method="bounded")
    return float(res.x)


def ex5(answer):
    want = _best_tau()
    x = _num(answer, "the interval")
    if not isinstance(x, float):
        return x
    if abs(x - math.sqrt(2 * 30.0 * 600.0)) < 1.0:
        return wrong("that is Young's approximation; minimise the exact expression instead")
    return close(x, want, rtol=0.01, what="the interval (s)")


CHECKS = {1: ex1, 2: ex2, 3: ex3, 4: ex4, 5: ex5}


def _wrong_examples():
    return {
        1: [(2000.0 / 2004.0, {}), (8760 * 4 / 2004 * 60, {}), (4.0, {})],
        2: [(10.0, {}), (11.0, {}), (100.0, {})],
        3: [(math.sqrt(5.0 * 36000.0), {}), (math.sqrt(2 * 5.0 * 10.0), {}), (360000.0, {})],
        4: [
            (0, {"n_tasks": 5000, "seed": 1}),
            (10**6, {"n_tasks": 5000, "seed": 1}),
            (3.5, {"n_tasks": 5000, "seed": 1}),
        ],
        5: [(math.sqrt(2 * 30.0 * 600.0), {}), (600.0, {}), (30.0, {})],
    }


WRONG = _wrong_examples
