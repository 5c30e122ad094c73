"""Checks of lesson quantum.02, simulators and gate fusion."""

from __future__ import annotations

import numpy as np

from ..checks import equal, right, wrong

_H = np.array([[1, 1], [1, -1]]) / np.sqrt(2)
_T = np.diag([1, np.exp(1j * np.pi / 4)])


def _rx(t):
    c, s = np.cos(t / 2), np.sin(t / 2)
    return np.array([[c, -1j * s], [-1j * s, c]])


def _matrix(answer, d):
    try:
        m = np.asarray(answer, dtype=complex)
    except (TypeError, ValueError):
        return wrong(f"the answer should be a {d} x {d} matrix")
    if m.shape != (d, d):
        return wrong(f"the answer should be a {d} x {d} matrix, got shape {m.shape}")
    return m


def ex1(answer):
    return equal(answer, 2 * np.dtype(np.complex64).itemsize * 2**28, what="the number of bytes")


def ex2(answer):
    m = _matrix(answer, 2)
    if not isinstance(m, np.ndarray):
        return m
    want = _H @ _T @ _rx(0.3)
    if np.allclose(m, want, atol=1e-8):
        return right()
    if np.allclose(m, _rx(0.3) @ _T @ _H, atol=1e-8):
        return wrong("the factors are in reverse order: the gate applied first stands on the right")
    if abs(abs(np.vdot(want.ravel(), m.ravel())) - 2) < 1e-8:
        return wrong("right up to a global phase; the fused block should be the exact product of the three matrices")
    if not np.allclose(m.conj().T @ m, np.eye(2), atol=1e-8):
        return wrong("the matrix is not unitary, so it is not a product of gates")
    return wrong("not the product of these three gates; check each factor and their order")


def ex3(answer):
    m = _matrix(answer, 4)
    if not isinstance(m, np.ndarray):
        return m
    cx10 = np.eye(4)[[0, 1, 3, 2]]
    h1 = np.kron(_H, np.eye(2))
    if np.allclose(m, cx10 @ h1, atol=1e-8):
        return right()
    cx01 = np.eye(4)[[0, 3, 2, 1]]
    if np.allclose(m, h1 @ cx10, atol=1e-8):
        return wrong("the factors are in reverse order: the gate applied first stands on the right")
    if np.allclose(m, cx01 @ np.kron(np.eye(2), _H), atol=1e-8) or np.allclose(m, cx01 @ h1, atol=1e-8):
        return wrong("qubits 0 and 1 are swapped: qubit 0 is the low bit of the index (the right factor of np.kron)")
    if np.allclose(m, cx10 @ np.kron(np.eye(2), _H), atol=1e-8):
        return wrong("H acts on qubit 0 here; in np.kron(A, B) the left factor A acts on qubit 1")
    return wrong("not the block of these two gates; build H on qubit 1 and the CNOT separately, then multiply")


def ex4(answer):
    bandwidth, rate = 20e9, 50e9
    m = 1
    while 8 * 2**m / rate < 32 / bandwidth:
        m += 1
    return equal(answer, m, what="the block size")


def _probe_state(n):
    """A fixed state with distinct amplitudes, on which fused and unfused circuits are compared."""
    psi = np.arange(1, 2**n + 1, dtype=complex) * np.exp(1j * np.arange(2**n))
    psi /= np.linalg.norm(psi)
    return psi


def _apply(psi, U, q, n):
    v = psi.reshape(-1, 2, 2**q)
    out = np.einsum("ab,xbz->xaz", U, v)
    return out.reshape(-1)


def ex5(answer, seed=0):
    if not callable(answer):
        return wrong(f"the answer should be a function fuse_1q(gates), got {type(answer).__name__}")
    rng = np.random.default_rng(seed)
    n = 4
    for trial in range(6):
        length = int(rng.integers(1, 12))
        gates = []
        for _ in range(length):
            U, _r = np.linalg.qr(rng.normal(size=(2, 2)) + 1j * rng.normal(size=(2, 2)))
            gates.append((int(rng.integers(0, n - 1 if trial == 0 else n)), U))
        got = answer([(q, U.copy()) for q, U in gates])
        if not isinstance(got, dict):
            return wrong(f"the function should return a dict {{qubit: matrix}}, got {type(got).__name__}")
        want_qubits = {q for q, _ in gates}
        if set(got) != want_qubits:
            return wrong("the dictionary's keys should be exactly the qubits that the gates act on")
        psi = _probe_state(n)
        slow = psi
        for q, U in gates:
            slow = _apply(slow, U, q, n)
        fast = psi
        for q, U in got.items():
            m = np.asarray(U, dtype=complex)
            if m.shape != (2, 2):
                return wrong(f"each fused gate should be a 2 x 2 matrix, got shape {m.shape}")
            fast = _apply(fast, m, q, n)
        if not np.allclose(fast, slow, atol=1e-9):
            rev = psi
            for q in sorted(want_qubits):
                prod = np.eye(2)
                for qq, U in gates:
                    if qq == q:
                        prod = prod @ U
                rev = _apply(rev, prod, q, n)
            if np.allclose(fast, rev, atol=1e-9):
                return wrong("each qubit's product is in reverse order: a later gate multiplies from the left")
            return wrong(f"the fused gates do not reproduce the circuit on a list of {length} gates")
    return right("it agrees with gate-by-gate simulation on 6 random gate lists")


CHECKS = {1: ex1, 2: ex2, 3: ex3, 4: ex4, 5: ex5}


def _wrong_examples():
    def reversed_products(gates):
        fused = {}
        for q, U in gates:
            fused[q] = fused.get(q, np.eye(2)) @ U
        return fused

    def last_only(gates):
        return {q: U for q, U in gates}

    return {
        1: [(8 * 2**28, {}), (2 * 16 * 2**28, {}), (2.0 * 8 * 2**28, {})],
        2: [(_rx(0.3) @ _T @ _H, {}), (_H @ _rx(0.3), {}), (np.eye(3), {})],
        3: [
            (np.kron(_H, np.eye(2)) @ np.eye(4)[[0, 1, 3, 2]], {}),
            (np.eye(4)[[0, 3, 2, 1]] @ np.kron(np.eye(2), _H), {}),
            ("H", {}),
        ],
        4: [(3, {}), (5, {}), (4.0, {})],
        5: [(reversed_products, {}), (last_only, {}), ("fuse", {})],
    }


WRONG = _wrong_examples
