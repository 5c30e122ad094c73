"""Checks of lesson quantum.01, states and gates."""

from __future__ import annotations

import numpy as np

from ..checks import close, equal, right, wrong


def _state(answer, n):
    try:
        psi = np.asarray(answer, dtype=complex).reshape(-1)
    except (TypeError, ValueError):
        return wrong(f"the answer should be an array of {2**n} amplitudes")
    if psi.shape != (2**n,):
        return wrong(f"a state of {n} qubits has {2**n} amplitudes, not {psi.size}")
    if not np.isclose(np.vdot(psi, psi).real, 1, atol=1e-6):
        return wrong(f"a state has norm 1; this one has norm {np.linalg.norm(psi):.4f}")
    return psi


def _overlap(psi, want) -> float:
    """|<want|psi>|: 1 when the states are equal up to a global phase."""
    return abs(np.vdot(want, psi))


def ex1(answer):
    theta = 2 * np.pi / 3
    return close(answer, np.sin(theta / 2) ** 2, atol=1e-6, what="a probability")


def ex2(answer):
    return equal(answer, 2**34 * np.dtype(np.complex128).itemsize, what="the number of bytes")


def ex3(answer):
    from ...quantum import Circuit, statevector

    psi = _state(answer, 3)
    if not isinstance(psi, np.ndarray):
        return psi
    want = statevector(Circuit(3).x(2).h(0))
    if _overlap(psi, want) > 1 - 1e-6:
        return right()
    mirrored = statevector(Circuit(3).x(0).h(2))
    if _overlap(psi, mirrored) > 1 - 1e-6:
        return wrong("this is the state with qubits 0 and 2 swapped: qubit 0 is the rightmost bit of an index")
    return wrong("not the state X on qubit 2 and H on qubit 0 prepare; look at which indices should be nonzero")


def ex4(answer):
    from ...quantum import Circuit, statevector

    if not isinstance(answer, Circuit):
        return wrong(f"the answer should be a workbench Circuit, got {type(answer).__name__}")
    if answer.n_qubits != 2:
        return wrong(f"the circuit should have 2 qubits, not {answer.n_qubits}")
    psi = statevector(answer)
    want = np.array([0, 1, -1, 0]) / np.sqrt(2)
    if _overlap(psi, want) > 1 - 1e-6:
        return right("equal up to a global phase, which no measurement can see")
    probs = np.abs(psi) ** 2
    if np.allclose(probs, np.abs(want) ** 2, atol=1e-6):
        return wrong("the right probabilities, but the relative sign between |01> and |10> is not minus")
    return wrong("the circuit does not prepare the singlet; its nonzero amplitudes should be at 01 and 10")


def _naive_2q(state, U, j, k, n):
    out = np.zeros_like(state)
    for i in range(2**n):
        bj, bk = (i >> j) & 1, (i >> k) & 1
        rest = i & ~((1 << j) | (1 << k))
        for cj in (0, 1):
            for ck in (0, 1):
                out[rest | (cj << j) | (ck << k)] += U[2 * cj + ck, 2 * bj + bk] * state[i]
    return out


def ex5(answer, seed=0):
    if not callable(answer):
        return wrong(f"the answer should be a function apply_2q(state, U, j, k, n), got {type(answer).__name__}")
    rng = np.random.default_rng(seed)
    for n in (2, 3, 5):
        for _ in range(3):
            j, k = rng.choice(n, 2, replace=False)
            U, _r = np.linalg.qr(rng.normal(size=(4, 4)) + 1j * rng.normal(size=(4, 4)))
            psi = rng.normal(size=2**n) + 1j * rng.normal(size=2**n)
            psi /= np.linalg.norm(psi)
            got = np.asarray(answer(psi.copy(), U, int(j), int(k), n)).reshape(-1)
            if got.shape != psi.shape or not np.allclose(got, _naive_2q(psi, U, j, k, n), atol=1e-9):
                swapped = _naive_2q(psi, U, k, j, n)
                if got.shape == psi.shape and np.allclose(got, swapped, atol=1e-9):
                    return wrong("qubits j and k are swapped: U's index is 2*b_j + b_k, qubit j the high bit")
                return wrong(f"wrong result on {n} qubits with j={j}, k={k}")
    return right("it agrees with a naive reference on 9 random states and gates")


CHECKS = {1: ex1, 2: ex2, 3: ex3, 4: ex4, 5: ex5}


def _wrong_examples():
    from ...quantum import Circuit, statevector

    def kron_wrong(state, U, j, k, n):  # applies U with j and k swapped
        return _naive_2q(state, U, k, j, n)

    return {
        1: [(0.25, {}), (0.5, {}), ("0.75", {})],
        2: [(2**34 * 8, {}), (34 * 16, {}), (2.0**34 * 16, {})],
        3: [(statevector(Circuit(3).x(0).h(2)), {}), (statevector(Circuit(3).h(0)), {}), (np.ones(8), {})],
        4: [(Circuit(2).h(0).cx(0, 1), {}), (Circuit(2).h(0).cx(0, 1).x(1), {}), (Circuit(3), {})],
        5: [(kron_wrong, {}), (lambda s, U, j, k, n: s, {}), (42, {})],
    }


WRONG = _wrong_examples
