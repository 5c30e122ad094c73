"""Checks of lesson quantum.06, noise and error correction."""

from __future__ import annotations

from itertools import product
from math import comb

import numpy as np

from ..checks import as_number, close, equal, right, wrong

_I = np.eye(2, dtype=complex)
_X = np.array([[0, 1], [1, 0]], dtype=complex)
_Y = np.array([[0, -1j], [1j, 0]])
_Z = np.diag([1.0, -1.0]).astype(complex)
_H = np.array([[1, 1], [1, -1]], dtype=complex) / np.sqrt(2)


def _majority(p, d):
    return sum(comb(d, k) * p**k * (1 - p) ** (d - k) for k in range(d // 2 + 1, d + 1))


def ex1(answer):
    want = _majority(0.1, 5)
    x = as_number(answer, "a probability")
    if not isinstance(x, float):
        return x
    if abs(x - _majority(0.1, 3)) < 1e-9:
        return wrong("this is the rate of the distance-3 code; five copies fail when three or more flip")
    if abs(x - comb(5, 3) * 0.1**3 * 0.9**2) < 1e-9:
        return wrong("too low: only exactly three flips are counted; four or five flips also defeat the vote")
    return close(x, want, atol=1e-9, what="a probability")


def _damped():
    psi = np.array([1, 1j]) / np.sqrt(2)
    rho = np.outer(psi, psi.conj())
    g = 0.3
    k0 = np.array([[1, 0], [0, np.sqrt(1 - g)]])
    k1 = np.array([[0, np.sqrt(g)], [0, 0]])
    return k0 @ rho @ k0.conj().T + k1 @ rho @ k1.conj().T, rho


def ex2(answer):
    want, start = _damped()
    try:
        got = np.asarray(answer, dtype=complex)
    except (TypeError, ValueError):
        return wrong("the answer should be a 2 x 2 matrix")
    if got.shape != (2, 2):
        return wrong(f"a one-qubit density matrix is 2 x 2, not {got.shape}")
    if np.allclose(got, want, atol=1e-8):
        return right("the coherence shrank by sqrt(1 - gamma) and the population moved towards |0>")
    if abs(np.trace(got) - 1) > 1e-6:
        return wrong("the trace is not 1: a Kraus operator is missing (the sum of K^dagger K must be the identity)")
    if np.allclose(got, start, atol=1e-8):
        return wrong("this is the state before the channel")
    if np.allclose(got, want.conj(), atol=1e-8):
        return wrong(
            "the off-diagonal entries have the wrong sign of their imaginary part: rho = |psi><psi|, not its conjugate"
        )
    if np.allclose(np.diag(got), np.diag(want), atol=1e-8):
        return wrong("the populations are right but the coherences (off-diagonal entries) are not")
    return wrong("not the damped state: check the populations on the diagonal first")


def _kron_all(ops):
    out = np.eye(1, dtype=complex)
    for op in ops:
        out = np.kron(out, op)
    return out


def _on(ops_by_qubit, n):
    """The operator acting with ops_by_qubit[q] on qubit q (identity elsewhere); qubit 0 rightmost."""
    return _kron_all([ops_by_qubit.get(q, _I) for q in reversed(range(n))])


def _cnot(c, t, n):
    dim = 2**n
    m = np.zeros((dim, dim))
    for i in range(dim):
        j = i ^ (1 << t) if (i >> c) & 1 else i
        m[j, i] = 1
    return m


def _ghz4_fidelity(p1, p2):
    n = 4
    paulis = [_I, _X, _Y, _Z]
    rho = np.zeros((16, 16), complex)
    rho[0, 0] = 1
    h = _on({0: _H}, n)
    rho = h @ rho @ h.conj().T
    one = [np.sqrt(1 - 3 * p1 / 4)] + [np.sqrt(p1 / 4)] * 3
    rho = sum(w**2 * _on({0: P}, n) @ rho @ _on({0: P}, n).conj().T for w, P in zip(one, paulis))
    for c, t in ((0, 1), (1, 2), (2, 3)):
        u = _cnot(c, t, n)
        rho = u @ rho @ u.T
        new = np.zeros_like(rho)
        for a, b in product(range(4), range(4)):
            w = 1 - 15 * p2 / 16 if a == b == 0 else p2 / 16
            k = _on({c: paulis[a], t: paulis[b]}, n)
            new += w * k @ rho @ k.conj().T
        rho = new
    ghz = np.zeros(16)
    ghz[0] = ghz[15] = 1 / np.sqrt(2)
    return float((ghz @ rho @ ghz).real)


def ex3(answer):
    want = _ghz4_fidelity(0.002, 0.02)
    x = as_number(answer, "a fidelity between 0 and 1")
    if not isinstance(x, float):
        return x
    if abs(x - _ghz4_fidelity(0.0, 0.02)) < 1e-9:
        return wrong("too high: the one-qubit channel after the Hadamard is missing")
    if abs(x - _ghz4_fidelity(0.02, 0.002)) < 1e-9:
        return wrong("the two error rates are swapped: 0.02 belongs to the CNOTs, 0.002 to the Hadamard")
    return close(x, want, atol=1e-7, what="a fidelity")


def _steane_logical(q):
    hz = np.array([[0, 0, 0, 1, 1, 1, 1], [0, 1, 1, 0, 0, 1, 1], [1, 0, 1, 0, 1, 0, 1]])
    total = 0.0
    for bits in product((0, 1), repeat=7):
        e = np.array(bits)
        s = hz @ e % 2
        k = int("".join(map(str, s)), 2)  # the column equal to the syndrome: qubit k - 1
        if k:
            e = e.copy()
            e[k - 1] ^= 1
        if e.sum() % 2:  # Z_L = Z on all seven qubits: an odd corrected error flips it
            w = sum(bits)
            total += q**w * (1 - q) ** (7 - w)
    return total


def _steane_crossing():
    lo, hi = 0.01, 0.3  # f(lo) < 0 < f(hi)
    for _ in range(100):
        mid = (lo + hi) / 2
        if _steane_logical(mid) - mid < 0:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def ex4(answer):
    want = _steane_crossing()
    x = as_number(answer, "a physical error rate")
    if not isinstance(x, float):
        return x
    if x < 1e-3:
        return wrong("that is the trivial crossing at q = 0; bracket the root away from 0")
    if abs(x - 1 / 21) < 1e-6:
        return wrong("this solves 21 q^2 = q, the small-q approximation; use the exact logical error rate")
    return close(x, want, atol=1e-6, what="a physical error rate")


def ex5(answer):
    want = next(d for d in range(3, 201, 2) if _majority(0.05, d) < 1e-9)
    x = as_number(answer, "an odd integer distance")
    if not isinstance(x, float):
        return x
    if x == int(x) and int(x) % 2 == 0:
        return wrong("the distance of a majority-vote code should be odd (an even number of copies can tie)")
    if x == int(x) and int(x) < want and int(x) % 2 == 1:
        return wrong(f"too low: at d = {int(x)} the logical error rate is still above 1e-9")
    return equal(answer, want, what="the distance")


CHECKS = {1: ex1, 2: ex2, 3: ex3, 4: ex4, 5: ex5}


def _wrong_examples():
    want2, start = _damped()
    k0 = np.array([[1, 0], [0, np.sqrt(0.7)]])
    return {
        1: [(_majority(0.1, 3), {}), (comb(5, 3) * 0.1**3 * 0.9**2, {}), (0.1**3, {})],
        2: [(start, {}), (k0 @ start @ k0.T, {}), (want2.conj(), {}), (np.eye(3), {})],
        3: [(_ghz4_fidelity(0.0, 0.02), {}), (_ghz4_fidelity(0.02, 0.002), {}), (0.9, {})],
        4: [(0.0, {}), (1 / 21, {}), (0.5, {})],
        5: [(21, {}), (25, {}), (22, {}), ("23", {})],
    }


WRONG = _wrong_examples
