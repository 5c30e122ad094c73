"""Checks of lesson quantum.07, BB84 quantum key distribution."""

from __future__ import annotations

import math

import numpy as np

from ..checks import as_number, close, equal, right, wrong


def _h(p: float) -> float:
    if p <= 0 or p >= 1:
        return 0.0
    return -p * math.log2(p) - (1 - p) * math.log2(1 - p)


def _zero_of_rate() -> float:
    lo, hi = 0.01, 0.3  # 1 - 2h is positive at lo, negative at hi
    for _ in range(200):
        mid = (lo + hi) / 2
        if 1 - 2 * _h(mid) > 0:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def ex1(answer):
    x = as_number(answer, "an error rate between 0 and 1")
    if not isinstance(x, float):
        return x
    if abs(x - 0.2) < 1e-9:
        return wrong(
            "too high: on a sifted bit Eve touched she guesses the right basis half the time, causing no error"
        )
    if abs(x - 0.4) < 1e-9:
        return wrong("too high: not every intercepted bit becomes an error")
    return close(x, 0.4 / 4, atol=1e-6, what="an error rate")


def ex2(answer):
    want = 1 - 2 * _h(0.03)
    x = as_number(answer, "a fraction")
    if not isinstance(x, float):
        return x
    if abs(x - (1 - _h(0.03))) < 1e-6:
        return wrong("too high: error correction costs h(Q) and privacy amplification another h(Q)")
    if abs(x - _h(0.03)) < 1e-6 or abs(x - 2 * _h(0.03)) < 1e-6:
        return wrong("this is the part that is lost, not the part that survives")
    return close(x, want, atol=1e-6, what="a fraction")


def ex3(answer):
    q0 = _zero_of_rate()
    x = as_number(answer, "a share between 0 and 1")
    if not isinstance(x, float):
        return x
    if abs(x - q0) < 1e-4:
        return wrong(
            "this is the QBER where the key fraction vanishes; the question asks for Eve's share f, with Q = f/4"
        )
    if abs(x - 2 * q0) < 1e-4:
        return wrong("too low: an intercepted sifted bit is wrong with probability 1/4, not 1/2")
    return close(x, 4 * q0, atol=1e-4, what="a share")


def ex4(answer):
    need = 0.05 * 0.95 / 0.004**2
    want = math.ceil(need - 1e-9)
    x = as_number(answer, "an integer number of bits")
    if not isinstance(x, float):
        return x
    if x == int(x) and int(x) == want - 1:
        return wrong("one too few: round the required sample size up, not down")
    if abs(x - 0.05 * 0.95 / 0.004) < 1:
        return wrong("the standard error is sqrt(Q(1-Q)/m): solve for m with the square of 0.004")
    return equal(answer, want, what="the sample size")


def _reference_hash(key, m, t):
    n = len(key)
    out = np.zeros(m, int)
    for i in range(m):
        s = 0
        for j in range(n):
            s += t[i - j + n - 1] * key[j]
        out[i] = s % 2
    return out


def ex5(answer, seed=0):
    if not callable(answer):
        return wrong(f"the answer should be a function fast_hash(key, m, t), got {type(answer).__name__}")
    rng = np.random.default_rng(seed)
    for n, m in ((8, 3), (33, 10), (64, 64), (100, 1)):
        key = rng.integers(0, 2, n)
        t = rng.integers(0, 2, n + m - 1)
        got = np.asarray(answer(key.copy(), m, t.copy())).reshape(-1)
        want = _reference_hash(key, m, t)
        if got.shape != want.shape:
            return wrong(f"for a key of {n} bits and m = {m} the hash has {m} bits, not {got.size}")
        if not np.array_equal(got, want):
            if np.array_equal(got % 2, want):
                return wrong("the products are not reduced modulo 2")
            return wrong(f"wrong bits for a key of {n} bits and m = {m}: check which t enters T[i, j]")
    return right("it agrees with a direct computation on four key sizes")


CHECKS = {1: ex1, 2: ex2, 3: ex3, 4: ex4, 5: ex5}


def _wrong_examples():
    def transposed(key, m, t):  # T[i, j] = t[j - i + m - 1]
        n = len(key)
        return np.array([sum(t[j - i + m - 1] * key[j] for j in range(n)) % 2 for i in range(m)])

    def no_mod(key, m, t):
        n = len(key)
        return np.array([sum(t[i - j + n - 1] * key[j] for j in range(n)) for i in range(m)])

    q0 = _zero_of_rate()
    return {
        1: [(0.2, {}), (0.4, {}), (0.25, {})],
        2: [(1 - _h(0.03), {}), (2 * _h(0.03), {}), (0.97, {})],
        3: [(q0, {}), (2 * q0, {}), (0.25, {})],
        4: [(2968, {}), (12, {}), (1900, {}), (2969.5, {})],
        5: [(transposed, {}), (no_mod, {}), (lambda key, m, t: np.zeros(m, int), {})],
    }


WRONG = _wrong_examples
