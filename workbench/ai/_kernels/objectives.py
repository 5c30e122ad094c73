"""Benchmark objectives for the metaheuristics (sphere, Rastrigin, Rosenbrock, Ackley, Griewank), the type
every compiled objective has, and the seed of numba's generator.
"""

from __future__ import annotations

import math

import numpy as np
from numba import float64, njit, types

from ..._config import STRICT

#: Type of an objective the compiled loops accept: ``float64(float64[::1])``.
OBJECTIVE = types.FunctionType(float64(float64[::1]))


@njit(cache=True, fastmath=STRICT)
def seed(s):
    np.random.seed(s)


# --------------------------------------------------------------------------- test functions


@njit(float64(float64[::1]), cache=True, fastmath=STRICT)
def sphere(x):
    s = 0.0
    for v in x:
        s += v * v
    return s


@njit(float64(float64[::1]), cache=True, fastmath=STRICT)
def rastrigin(x):
    s = 10.0 * x.size
    for v in x:
        s += v * v - 10.0 * math.cos(2.0 * math.pi * v)
    return s


@njit(float64(float64[::1]), cache=True, fastmath=STRICT)
def rosenbrock(x):
    s = 0.0
    for i in range(x.size - 1):
        a = x[i + 1] - x[i] * x[i]
        b = 1.0 - x[i]
        s += 100.0 * a * a + b * b
    return s


@njit(float64(float64[::1]), cache=True, fastmath=STRICT)
def ackley(x):
    n = x.size
    s1 = 0.0
    s2 = 0.0
    for v in x:
        s1 += v * v
        s2 += math.cos(2.0 * math.pi * v)
    val = -20.0 * math.exp(-0.2 * math.sqrt(s1 / n)) - math.exp(s2 / n) + 20.0 + math.e
    return val if val > 0.0 else 0.0  # exp rounding can leave -4e-16 at the optimum


@njit(float64(float64[::1]), cache=True, fastmath=STRICT)
def griewank(x):
    s = 0.0
    p = 1.0
    for i in range(x.size):
        s += x[i] * x[i] / 4000.0
        p *= math.cos(x[i] / math.sqrt(i + 1.0))
    return 1.0 + s - p
