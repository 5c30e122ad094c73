"""Checks of lesson chain.04, the network and its attacks."""

from __future__ import annotations

from math import exp, lgamma, log

import numpy as np
from scipy.special import betainc
from scipy.stats import poisson

from ..checks import close, equal, wrong


def _is_int(x) -> bool:
    return isinstance(x, (int, np.integer)) and not isinstance(x, bool)


def ex1(answer):
    g = 0.25
    want = (1 - g) / (3 - 2 * g)
    try:
        x = float(answer)
    except (TypeError, ValueError):
        return wrong(f"the answer should be a number, got {type(answer).__name__}")
    if abs(x - 1 / 3) < 1e-9:
        return wrong("1/3 is the threshold for gamma = 0; here a quarter of the honest miners help the pool")
    if abs(x - 1 / 4) < 1e-9:
        return wrong("1/4 is the threshold for gamma = 1/2")
    return close(x, want, atol=1e-6, what="the threshold")


def _exact(q, z):
    # Grunspan and Perez-Marco's closed form, independent of the negative-binomial sum of the lesson
    return betainc(z, 0.5, 4 * q * (1 - q))


def _nakamoto(q, z):
    p = 1 - q
    lam = z * q / p
    total = 0.0
    for k in range(z + 1):
        total += exp(k * log(lam) - lam - lgamma(k + 1)) * (1 - (q / p) ** (z - k))
    return 1 - total


def ex2(answer):
    want = next(z for z in range(1, 200) if _exact(0.2, z) < 1e-3)
    if _is_int(answer):
        nak = next(z for z in range(1, 200) if _nakamoto(0.2, z) < 1e-3)
        if answer == nak and nak != want:
            return wrong("that is enough by Nakamoto's approximation, which underestimates the risk; use the exact sum")
        if answer == want - 1:
            return wrong("with that many confirmations the probability is still at least 0.1%")
    return equal(answer, want, what="the number of confirmations")


def ex3(answer):
    hops, lat, kb, mbps, verify = 11, 5.0, 500, 10, 150.0
    want = hops * (lat + kb * 8 / mbps) + (hops - 1) * verify
    try:
        x = float(answer)
    except (TypeError, ValueError):
        return wrong(f"the answer should be a number of ms, got {type(answer).__name__}")
    if abs(x - (want + verify)) < 1e-6:
        return wrong("one validation too many: the miner does not validate its own block")
    if abs(x - (hops * (lat + kb * 8 / mbps))) < 1e-6:
        return wrong("the relays validate the block (150 ms each) before forwarding it")
    if abs(x - (hops * (lat + kb / mbps) + (hops - 1) * verify)) < 1e-6:
        return wrong("500 kB is 4,000 kbit: the transmission time needs the factor 8")
    return close(x, want, atol=1e-6, what="the arrival time")


def ex4(answer):
    k, q, interval = 6, 0.1, 600

    def p_success(h):
        return poisson.sf(k - 1, q * h * 3600 / interval)

    want = next(h for h in range(1, 10_000) if p_success(h) >= 0.5)
    if _is_int(answer):
        if answer < want:
            return wrong("too short: the attacker succeeds with probability below one half")
    return equal(answer, want, what="the number of hours")


CHECKS = {1: ex1, 2: ex2, 3: ex3, 4: ex4}


def _wrong_examples():
    nak = next(z for z in range(1, 200) if _nakamoto(0.2, z) < 1e-3)
    want2 = next(z for z in range(1, 200) if _exact(0.2, z) < 1e-3)
    return {
        1: [(1 / 3, {}), (0.25, {}), (0.5, {})],
        2: [(nak if nak != want2 else want2 - 1, {}), (want2 - 1, {}), (float(want2), {})],
        3: [(11 * (5 + 400) + 11 * 150, {}), (11 * (5 + 400), {}), (11 * (5 + 50) + 10 * 150, {})],
        4: [(9, {}), (1, {}), (10.5, {})],
    }


WRONG = _wrong_examples
