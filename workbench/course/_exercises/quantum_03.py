"""Checks of lesson quantum.03, Grover's search and amplitude amplification."""

from __future__ import annotations

import math

import numpy as np

from ..checks import close, equal, right, wrong


def _theta(m, n_items):
    return math.asin(math.sqrt(m / n_items))


def ex1(answer):
    th = _theta(3, 1024)
    best = max(range(0, 100), key=lambda k: math.sin((2 * k + 1) * th) ** 2)
    return equal(answer, best, what="the number of iterations")


def ex2(answer):
    th = _theta(2, 32)
    return close(answer, math.sin(7 * th) ** 2, atol=1e-6, what="a probability")


def ex3(answer):
    from ...quantum import Circuit, statevector

    if not isinstance(answer, Circuit):
        return wrong(f"the answer should be a workbench Circuit, got {type(answer).__name__}")
    if answer.n_qubits != 3:
        return wrong(f"the circuit should have 3 qubits, not {answer.n_qubits}")
    # the circuit's diagonal, basis state by basis state (global phase divided out below)
    cols = [statevector(answer, initial_state=np.eye(8)[x]) for x in range(8)]
    u = np.column_stack(cols)
    if not np.allclose(u, np.diag(np.diag(u)), atol=1e-9):
        return wrong("the circuit moves basis states; a phase oracle only changes signs")
    d = np.diag(u) / np.diag(u)[0]
    flipped = [x for x in range(8) if np.isclose(d[x], -1, atol=1e-9)]
    if not all(np.isclose(d[x], 1, atol=1e-9) or np.isclose(d[x], -1, atol=1e-9) for x in range(8)):
        return wrong("some amplitudes get a phase other than a sign")
    if flipped == [6]:
        return right()
    if flipped == [3]:
        return wrong("this marks 011: the bits are reversed (qubit 0 is the rightmost bit of 110)")
    if not flipped:
        return wrong("no basis state changes sign relative to the others")
    return wrong(f"the circuit flips the sign of {len(flipped)} basis state(s), but not just 110")


def ex4(answer):
    th = _theta(1, 256)
    k_star = math.floor(math.pi / (4 * th))
    p = [math.sin((2 * k + 1) * th) ** 2 for k in range(200)]
    first_min = next(k for k in range(k_star + 1, 199) if p[k] < p[k - 1] and p[k] < p[k + 1])
    return equal(answer, first_min, what="the iteration count")


def _random_case(rng, n):
    psi0 = rng.normal(size=2**n) * np.exp(1j * rng.uniform(0, 2 * np.pi, 2**n)) * rng.uniform(0.2, 3, 2**n)
    psi0 /= np.linalg.norm(psi0)
    good = np.zeros(2**n, bool)
    good[rng.choice(2**n, size=int(rng.integers(1, 2 ** (n - 1))), replace=False)] = True
    return psi0, good


def _rotation(psi0, good, k):
    """sin((2k+1)t)|g> + cos((2k+1)t)|b>, |g> and |b> the normalised good and bad parts of psi0."""
    g = np.where(good, psi0, 0)
    b = np.where(good, 0, psi0)
    t = math.asin(min(1.0, float(np.linalg.norm(g))))
    return math.sin((2 * k + 1) * t) * g / np.linalg.norm(g) + math.cos((2 * k + 1) * t) * b / np.linalg.norm(b)


def ex5(answer, seed=0):
    if not callable(answer):
        return wrong(f"the answer should be a function amplify(psi0, good, k), got {type(answer).__name__}")
    rng = np.random.default_rng(seed)
    for n in (2, 3, 5):
        for k in (0, 1, 2, 3):
            psi0, good = _random_case(rng, n)
            got = np.asarray(answer(psi0.copy(), good.copy(), k), dtype=complex).reshape(-1)
            if got.shape != psi0.shape:
                return wrong(f"the result should be a state of {psi0.size} amplitudes, got {got.size}")
            want = _rotation(psi0, good, k)
            if abs(abs(np.vdot(want, got)) - 1) < 1e-8 and np.isclose(np.linalg.norm(got), 1, atol=1e-8):
                continue
            if k == 0:
                return wrong("with k = 0 the state should be psi0 itself")
            uniform = np.full(psi0.size, 1 / math.sqrt(psi0.size))
            alt = psi0.copy()
            for _ in range(k):
                alt = np.where(good, -alt, alt)
                alt = 2 * np.vdot(uniform, alt) * uniform - alt
            if np.allclose(got, alt, atol=1e-8):
                return wrong("this reflects about the uniform superposition, not about psi0")
            return wrong(f"wrong state after {k} round(s) on {n} qubits; check each reflection")
    return right("it follows the rotation by 2 theta on 12 random starting states")


CHECKS = {1: ex1, 2: ex2, 3: ex3, 4: ex4, 5: ex5}


def _wrong_examples():
    from ...quantum import Circuit, mcz

    reversed_bits = Circuit(3).x(2)
    mcz(reversed_bits, [0, 1, 2])
    reversed_bits.x(2)

    def grover_diffuser(psi0, good, k):
        psi = np.asarray(psi0, dtype=complex)
        s = np.full(psi.size, 1 / math.sqrt(psi.size))
        for _ in range(k):
            psi = np.where(good, -psi, psi)
            psi = 2 * np.vdot(s, psi) * s - psi
        return psi

    def oracle_only(psi0, good, k):
        psi = np.asarray(psi0, dtype=complex)
        for _ in range(k):
            psi = np.where(good, -psi, psi)
        return psi

    th = _theta(2, 32)
    return {
        1: [(15, {}), (25, {}), (14.5, {})],
        2: [(math.sin(6 * th) ** 2, {}), (math.sin(7 * _theta(1, 32)) ** 2, {}), ("0.96", {})],
        3: [(reversed_bits, {}), (Circuit(3).x(0), {}), (Circuit(2), {})],
        4: [(24, {}), (12, {}), (25.0, {})],
        5: [(grover_diffuser, {}), (oracle_only, {}), ("amplify", {})],
    }


WRONG = _wrong_examples
