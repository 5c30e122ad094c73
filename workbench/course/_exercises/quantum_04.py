"""Checks of lesson quantum.04, the QFT, phase estimation and Shor's algorithm."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np

from ..checks import equal, right, same_set, wrong


def _dft(n_states: int) -> np.ndarray:
    k = np.arange(n_states)
    return np.exp(2j * np.pi * np.outer(k, k) / n_states) / math.sqrt(n_states)


def ex1(answer):
    try:
        psi = np.asarray(answer, dtype=complex).reshape(-1)
    except (TypeError, ValueError):
        return wrong("the answer should be an array of 8 amplitudes")
    if psi.shape != (8,):
        return wrong(f"a state of 3 qubits has 8 amplitudes, not {psi.size}")
    want = _dft(8)[:, 3]
    if np.allclose(psi, want, atol=1e-8):
        return right()
    if np.allclose(psi, want.conj(), atol=1e-8):
        return wrong("the sign of the exponent is reversed: this is the inverse QFT (numpy's fft convention)")
    norm = np.linalg.norm(psi)
    if norm > 0 and not np.isclose(norm, 1, atol=1e-8) and np.allclose(psi / norm, want, atol=1e-8):
        return wrong("the phases are right but the state is not normalised: the QFT has the factor 1/sqrt(N)")
    return wrong("not the QFT of |3>: every amplitude should be exp(2 pi i 3y/8) / sqrt(8)")


def _order(a, n_mod):
    x, r = a % n_mod, 1
    while x != 1:
        x, r = (x * a) % n_mod, r + 1
    return r


def ex2(answer):
    try:
        got = [int(v) for v in answer]
    except (TypeError, ValueError):
        return wrong("the answer should be a tuple of two integers")
    r = _order(5, 33)
    h = pow(5, r // 2, 33)
    want = {math.gcd(h - 1, 33), math.gcd(h + 1, 33)}
    if len(got) != 2:
        return wrong(f"give exactly two factors, not {len(got)}")
    if 1 in got or 33 in got:
        return wrong("1 and 33 are trivial factors; check the order and a^(r/2)")
    if got[0] * got[1] != 33:
        return wrong("the two numbers do not multiply to 33")
    return same_set(got, want, what="factors")


def ex3(answer):
    y, t, n_mod, a = 1365, 12, 35, 2
    want = Fraction(y, 2**t).limit_denominator(n_mod).denominator
    if isinstance(answer, (int, np.integer)) and not isinstance(answer, bool) and int(answer) == _order(a, n_mod):
        if int(answer) != want:
            return wrong("that is the true order of 2 mod 35, but not what this outcome's convergent gives")
    if isinstance(answer, (int, np.integer)) and int(answer) == 2**t:
        return wrong("2^t is the denominator of y / 2^t itself; reduce it with continued fractions")
    return equal(answer, want, what="the denominator")


def _matrix_of(circuit, n):
    from ...quantum import statevector

    return np.column_stack([statevector(circuit, initial_state=np.eye(2**n)[x]) for x in range(2**n)])


def ex4(answer):
    from ...quantum import Circuit

    if not callable(answer):
        return wrong(f"the answer should be a function inverse_qft(n), got {type(answer).__name__}")
    for n in range(1, 6):
        qc = answer(n)
        if not isinstance(qc, Circuit):
            return wrong(f"inverse_qft({n}) should return a workbench Circuit, got {type(qc).__name__}")
        if qc.n_qubits != n:
            return wrong(f"inverse_qft({n}) has {qc.n_qubits} qubits")
        got = _matrix_of(qc, n)
        want = _dft(2**n).conj().T
        if np.allclose(got, want, atol=1e-8):
            continue
        if np.allclose(got, want.conj().T, atol=1e-8):
            return wrong(f"for n = {n} this is the QFT itself; negate the phases and reverse the gate order")
        perm = [int(format(x, f"0{n}b")[::-1], 2) for x in range(2**n)]
        if np.allclose(got[perm], want, atol=1e-8) or np.allclose(got[:, perm], want, atol=1e-8):
            return wrong(f"for n = {n} the qubit order is reversed: check the swaps")
        return wrong(f"the circuit for n = {n} is not the inverse QFT")
    return right("equal to the inverse QFT for n = 1 to 5")


def _p_within(t, phi=1 / 3, tol=2**-5):
    big_t = 2**t
    y = np.arange(big_t)
    d = phi - y / big_t
    p = np.abs(np.exp(2j * np.pi * np.outer(np.arange(big_t), d)).sum(axis=0) / big_t) ** 2
    err = np.abs((y / big_t - phi + 0.5) % 1.0 - 0.5)
    return float(p[err <= tol].sum())


def ex5(answer):
    want = next(t for t in range(1, 16) if _p_within(t) >= 0.99)
    return equal(answer, want, what="the number of counting qubits")


CHECKS = {1: ex1, 2: ex2, 3: ex3, 4: ex4, 5: ex5}


def _wrong_examples():
    from ...quantum import qft

    e3 = np.eye(8)[3]
    return {
        1: [(np.fft.fft(e3, norm="ortho"), {}), (np.fft.ifft(e3), {}), (np.ones(4), {})],
        2: [((1, 33), {}), ((3, 5), {}), ("3 x 11", {})],
        3: [(12, {}), (4096, {}), (3.0, {})],
        4: [(lambda n: qft(n), {}), (lambda n: qft(n, inverse=True, swaps=False), {}), (7, {})],
        5: [(8, {}), (10, {}), (9.0, {})],
    }


WRONG = _wrong_examples
