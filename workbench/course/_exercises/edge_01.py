"""Checks of lesson edge.01, queues."""

from __future__ import annotations

from math import factorial

from ..checks import close, equal, wrong


def _erlang_c(lam, mu, c):
    """Erlang's C formula written out with factorials (independent of the package's recursion)."""
    a = lam / mu
    rho = a / c
    top = a**c / factorial(c) / (1 - rho)
    return top / (sum(a**k / factorial(k) for k in range(c)) + top)


def ex1(answer):
    lam, mu = 3.0, 5.0
    want = (lam / mu) / (mu - lam)
    try:
        x = float(answer)
    except (TypeError, ValueError):
        return close(answer, want, rtol=0.01, what="the mean wait")
    if abs(x - 1 / (mu - lam)) < 1e-9:
        return wrong("that is the mean time in the system (wait plus service); the question asks for the wait only")
    if abs(x - lam / mu) < 1e-9:
        return wrong("that is the utilisation rho, a probability; the wait is in seconds")
    return close(x, want, rtol=0.01, what="the mean wait")


def ex2(answer):
    want = 10 / 11
    try:
        x = float(answer)
    except (TypeError, ValueError):
        return close(answer, want, atol=1e-3, what="the utilisation")
    if not 0 < x < 1:
        return wrong("a stable queue has a utilisation strictly between 0 and 1")
    return close(x, want, atol=1e-3, what="the utilisation")


def ex3(answer):
    want = _erlang_c(2.4, 1.0, 3)
    try:
        x = float(answer)
    except (TypeError, ValueError):
        return close(answer, want, atol=1e-4, what="the probability")
    if abs(x - 0.8) < 1e-9:
        return wrong("that is the utilisation rho, which is P(wait) for one server only; with 3 servers use Erlang C")
    return close(x, want, atol=1e-4, what="the probability of waiting")


def ex4(answer):
    want = 12 / 300 * 1000
    try:
        x = float(answer)
    except (TypeError, ValueError):
        return close(answer, want, rtol=0.01, what="the time in ms")
    if abs(x - 12 / 300) < 1e-9:
        return wrong("that is the time in seconds; the question asks for milliseconds")
    if abs(x - 300 / 12) < 1e-9:
        return wrong("L = lambda W gives W = L / lambda, not lambda / L")
    return close(x, want, rtol=0.01, what="the time in ms")


def ex5(answer):
    lam, mu = 8.0, 1.0
    c = int(lam / mu) + 1
    while _erlang_c(lam, mu, c) / (c * mu - lam) > 0.1:
        c += 1
    return equal(answer, c, what="the number of cores")


CHECKS = {1: ex1, 2: ex2, 3: ex3, 4: ex4, 5: ex5}


def _wrong_examples():
    return {
        1: [(0.5, {}), (0.6, {}), (1.5, {})],
        2: [(0.9, {}), (0.99, {}), (10.0, {})],
        3: [(0.8, {}), (0.35, {}), ("a lot", {})],
        4: [(0.04, {}), (25.0, {}), (4.0, {})],
        5: [(9, {}), (10, {}), (12, {}), (11.0, {})],
    }


WRONG = _wrong_examples
