"""Checks of lesson quantum.05, variational algorithms: QAOA for MaxCut and VQE for H2."""

from __future__ import annotations

import numpy as np

from ..checks import as_number, close, equal, right, wrong

_PAULI = {
    "I": np.eye(2, dtype=complex),
    "X": np.array([[0, 1], [1, 0]], dtype=complex),
    "Y": np.array([[0, -1j], [1j, 0]], dtype=complex),
    "Z": np.diag([1.0, -1.0]).astype(complex),
}


def _pauli(label: str) -> np.ndarray:
    out = np.eye(1, dtype=complex)
    for letter in label:  # leftmost letter = highest qubit = leftmost Kronecker factor
        out = np.kron(out, _PAULI[letter])
    return out


def _matrix(hamiltonian: dict) -> np.ndarray:
    return sum(c * _pauli(label) for label, c in hamiltonian.items())


def _cuts(edges, n) -> np.ndarray:
    z = np.arange(2**n)
    c = np.zeros(2**n)
    for i, j in edges:
        c += ((z >> i) & 1) != ((z >> j) & 1)
    return c


def _house():
    return [(0, 1), (0, 2), (1, 3), (2, 3), (2, 4), (3, 4)], 5  # nx.house_graph()


def _expected_cut(edges, n, gamma, beta) -> float:
    """<C> of depth-1 QAOA by dense matrices (independent of the package's simulator)."""
    cuts = _cuts(edges, n)
    psi = np.exp(-1j * gamma * cuts) * np.full(2**n, 2 ** (-n / 2))
    c, s = np.cos(beta), np.sin(beta)
    mixer = np.eye(1)
    for _ in range(n):
        mixer = np.kron(mixer, np.array([[c, -1j * s], [-1j * s, c]]))
    psi = mixer @ psi
    return float(np.abs(psi) ** 2 @ cuts)


def ex1(answer):
    cuts = _cuts([(i, (i + 1) % 5) for i in range(5)], 5)
    want = int((cuts == cuts.max()).sum())
    x = as_number(answer, "an integer count of assignments")
    if not isinstance(x, float):
        return x
    if x == cuts.max():
        return wrong("that is the value of the maximum cut; the question asks how many assignments reach it")
    if x == want // 2:
        return wrong("too low by half: an assignment and its complement (sides swapped) are both counted")
    return equal(answer, want, what="the number of optimal assignments")


def ex2(answer):
    edges, n = _house()
    want = _expected_cut(edges, n, 0.5, 0.3)
    x = as_number(answer, "the expected cut, a number")
    if not isinstance(x, float):
        return x
    if abs(x - want / len(edges)) < 1e-6:
        return wrong("this is the expected cut divided by the number of edges; give the expected cut itself")
    if abs(x - _expected_cut(edges, n, 0.3, 0.5)) < 1e-6:
        return wrong("gamma and beta are swapped: gamma = 0.5 is the cost angle, beta = 0.3 the mixer angle")
    return close(x, want, atol=1e-6, what="the expected cut")


def ex3(answer, seed=0):
    if not callable(answer):
        return wrong(f"the answer should be a function energy(psi, hamiltonian), got {type(answer).__name__}")
    rng = np.random.default_rng(seed)
    for n in (1, 2, 3):
        for _ in range(3):
            labels = {"".join(rng.choice(list("IXYZ"), n)) for _ in range(4)}
            ham = {lab: float(rng.normal()) for lab in labels}
            psi = rng.normal(size=2**n) + 1j * rng.normal(size=2**n)
            psi /= np.linalg.norm(psi)
            want = float(np.vdot(psi, _matrix(ham) @ psi).real)
            got = answer(psi.copy(), dict(ham))
            got = as_number(float(np.real(got)) if isinstance(got, (complex, np.complexfloating)) else got)
            if not isinstance(got, float):
                return got
            if abs(got - want) > 1e-8:
                rev = {lab[::-1]: c for lab, c in ham.items()}
                if abs(got - float(np.vdot(psi, _matrix(rev) @ psi).real)) < 1e-8:
                    return wrong("the letters act on the wrong qubits: the leftmost letter is the highest qubit")
                return wrong(f"wrong energy on {n} qubit(s) for the Hamiltonian {ham}")
    return right("it agrees with an independent computation on 9 random states and Hamiltonians")


def _h2_parity(bond_length):
    from ...quantum import h2_hamiltonian

    return h2_hamiltonian(bond_length)["hamiltonian"]


def ex4(answer):
    x = as_number(answer, "an angle in radians")
    if not isinstance(x, float):
        return x
    hm = _matrix(_h2_parity(0.735))
    c, s = np.cos(x / 2), np.sin(x / 2)
    psi = np.array([0, c, s, 0], complex)  # ry(x, 0), cx(0, 1), x(0) on |00>
    e = float(np.vdot(psi, hm @ psi).real)
    e0 = float(np.linalg.eigvalsh(hm)[0])
    if e - e0 <= 1e-6:
        return right("at this angle the ansatz prepares the exact ground state")
    if abs(e - e0) < 1.6e-3:
        return wrong(f"close: {1e3 * (e - e0):.3f} mHa above the minimum; refine the angle further")
    if abs(x) < 1e-9:
        return wrong("theta = 0 is the Hartree-Fock state |01>, not the minimum")
    return wrong(f"the energy at this angle is {1e3 * (e - e0):.1f} mHa above the minimum of the curve")


def ex5(answer):
    if not isinstance(answer, dict):
        return wrong(f"the answer should be a dictionary {{0.735: error, 2.0: error}}, got {type(answer).__name__}")
    keys = {round(float(k), 3): v for k, v in answer.items() if isinstance(k, (int, float, np.floating))}
    if set(keys) != {0.735, 2.0}:
        return wrong("the dictionary needs exactly the keys 0.735 and 2.0 (bond lengths in Angstrom)")
    for R in (0.735, 2.0):
        hm = _matrix(_h2_parity(R))
        want = 1e3 * (hm[1, 1].real - np.linalg.eigvalsh(hm)[0])  # |01> is index 1
        x = as_number(keys[R], "an energy difference in mHa")
        if not isinstance(x, float):
            return x
        if abs(x + want) < 1e-3 * max(1.0, want):
            return wrong(f"at {R} Angstrom the sign is reversed: Hartree-Fock lies above the exact energy")
        if abs(x - want / 1e3) < 1e-6:
            return wrong(f"at {R} Angstrom the value is in hartree; give millihartree")
        fb = close(x, want, atol=0.01, what="an energy difference in mHa")
        if not fb.ok:
            return wrong(f"at {R} Angstrom: {fb.message}")
    return right("the error of the single determinant grows several-fold as the bond stretches")


CHECKS = {1: ex1, 2: ex2, 3: ex3, 4: ex4, 5: ex5}


def _wrong_examples():
    edges, n = _house()
    good = _expected_cut(edges, n, 0.5, 0.3)

    def reversed_labels(psi, ham):
        return sum(c * float(np.vdot(psi, _pauli(lab[::-1]) @ psi).real) for lab, c in ham.items())

    def coefficients_only(psi, ham):
        return sum(ham.values())

    hf = {}
    for R in (0.735, 2.0):
        hm = _matrix(_h2_parity(R))
        hf[R] = 1e3 * (hm[1, 1].real - np.linalg.eigvalsh(hm)[0])
    return {
        1: [(5, {}), (4, {}), (32, {}), ("10", {})],
        2: [(good / len(edges), {}), (_expected_cut(edges, n, 0.3, 0.5), {}), (3.0, {})],
        3: [(reversed_labels, {}), (coefficients_only, {}), ("energy", {})],
        4: [(0.0, {}), (np.pi, {}), (0.2236, {})],
        5: [
            ({0.735: -hf[0.735], 2.0: -hf[2.0]}, {}),
            ({0.735: hf[0.735] / 1e3, 2.0: hf[2.0] / 1e3}, {}),
            ({0.735: hf[0.735]}, {}),
            ({0.735: hf[2.0], 2.0: hf[0.735]}, {}),
        ],
    }


WRONG = _wrong_examples
