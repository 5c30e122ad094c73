"""Checks of lesson quantum.09, stabilizer codes and surface-code memory."""

from __future__ import annotations

import math
from itertools import product

import numpy as np

from ..checks import as_number, close, equal, right, same_set, wrong

_PAULI = {
    "_": np.eye(2, dtype=complex),
    "X": np.array([[0, 1], [1, 0]], dtype=complex),
    "Y": np.array([[0, -1j], [1j, 0]]),
    "Z": np.diag([1.0, -1.0]).astype(complex),
}


def _matrix(label: str) -> np.ndarray:
    """The matrix of a Pauli string written qubit 0 first (qubit 0 is the rightmost Kronecker factor)."""
    out = np.eye(1, dtype=complex)
    for letter in label:
        out = np.kron(_PAULI[letter], out)
    return out


def _cnot(control: int, target: int, n: int) -> np.ndarray:
    """The CNOT's permutation matrix on n qubits (basis index bit q is qubit q)."""
    perm = [i ^ (1 << target) if i >> control & 1 else i for i in range(2**n)]
    return np.eye(2**n)[perm]


def _conjugated(label: str, gates) -> str:
    """U P U^dagger for the CNOTs ``gates`` (applied in order), as a signed string, found by matrices."""
    n = len(label)
    u = np.eye(2**n)
    for c, t in gates:
        u = _cnot(c, t, n) @ u
    image = u @ _matrix(label) @ u.conj().T
    for letters in product("_XYZ", repeat=n):
        cand = "".join(letters)
        for sign, s in (("+", 1), ("-", -1)):
            if np.allclose(image, s * _matrix(cand)):
                return sign + cand
    raise AssertionError("CNOTs map Paulis to Paulis")


_START1, _GATES1 = "XZZ", [(0, 1), (2, 1)]


def _normal_pauli(answer):
    if not isinstance(answer, str):
        return None
    text = answer.strip().upper().replace("I", "_")
    return text


def ex1(answer):
    want = _conjugated(_START1, _GATES1)
    first_only = _conjugated(_START1, _GATES1[:1])
    text = _normal_pauli(answer)
    if text is None:
        return wrong(f"the answer should be a signed Pauli string such as '+XX_', got {type(answer).__name__}")
    sign, letters = (text[0], text[1:]) if text[:1] in "+-" else ("", text)
    if len(letters) != 3 or any(c not in "_XYZ" for c in letters):
        return wrong("give one letter (_, X, Y or Z) per qubit, three in all, after a sign: like '+XX_'")
    if letters == want[1:]:
        if sign == want[0]:
            return right("the Z's on qubit 2 cancelled, and the sign came from X Z = -iY on qubits 0 and 1")
        if not sign:
            return wrong("the letters are right; give the sign too (+ or -), it is part of the answer")
        return wrong("the letters are right but the sign is not: apply the CNOT's sign rule at each gate")
    if letters == _START1:
        return wrong("this is the Pauli before the gates: apply the CNOT's rules to it")
    if letters == first_only[1:]:
        return wrong("this is the Pauli after the first CNOT only: the second copies Z backward from qubit 1 to 2")
    if letters[::-1] == want[1:]:
        return wrong("the qubits are in the wrong order: write qubit 0 first")
    off = [q for q in range(3) if letters[q] != want[1 + q]]
    return wrong(
        "the Pauli on qubit " + " and ".join(map(str, off)) + (" is" if len(off) == 1 else " are") + " not right"
    )


def _surface_detectors(d: int, r: int) -> int:
    checks = d * d - 1  # measurement qubits of the rotated code
    z_checks = checks // 2
    return z_checks + (r - 1) * checks + z_checks  # first round, later rounds, final data measurement


def ex2(answer):
    d, r = 5, 5
    want = _surface_detectors(d, r)
    checks = d * d - 1
    if isinstance(answer, (int, np.integer)) and not isinstance(answer, bool):
        if answer == (r + 1) * checks:
            return wrong(
                "too high: |0_L> fixes only the Z checks, so the first round has no X-type detectors, and the final "
                "data measurement recomputes only the Z checks"
            )
        if answer == r * checks // 2:
            return wrong("too low: after the first round every check, X-type too, is compared with its previous value")
        if answer == (r - 1) * checks:
            return wrong("too low: the first round's Z checks and the final data measurement also make detectors")
    return equal(answer, want, what="the number of detectors")


def _wilson(k, n, z=1.96):
    p = k / n
    den = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / den
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / den
    return centre - half, centre + half


def _wald(k, n, z=1.96):
    p = k / n
    half = z * math.sqrt(p * (1 - p) / n)
    return p - half, p + half


def _pair(answer):
    try:
        lo, hi = (float(v) for v in answer)
    except (TypeError, ValueError):
        return None
    return lo, hi


_RTOL3 = 5e-3


def ex3(answer):
    k, n = 12, 50_000
    want = _wilson(k, n)
    got = _pair(answer)
    if got is None:
        return wrong("the answer should be a pair of numbers (low, high)")
    if not all(math.isfinite(v) for v in got):
        return wrong("both ends should be finite numbers")

    def near(a, b):  # answers rounded to three significant figures pass
        return all(abs(x - y) <= _RTOL3 * abs(y) for x, y in zip(a, b))

    if near(got, want):
        return right("the Wilson interval is not centred on k/n: it leans towards 1/2 when k is small")
    if near(got[::-1], want):
        return wrong("the two ends are swapped: the lower end comes first")
    if near(got, _wald(k, n)):
        return wrong("this is the normal-approximation (Wald) interval p ± z sqrt(p(1-p)/n); use the Wilson formula")
    if near(got, _wilson(k, n, 1.645)):
        return wrong("this is a 90% interval: the 95% interval uses z = 1.96")
    lo, hi = got
    if not lo <= k / n <= hi:
        return wrong("the interval should contain the measured rate k/n")
    side = "low end" if abs(lo - want[0]) > _RTOL3 * want[0] else "high end"
    return close(lo if side == "low end" else hi, want[0] if side == "low end" else want[1], rtol=_RTOL3, what=side)


def _repetition_detectors(error_round, error_after_layer, error_qubit, d=3, rounds=2):
    """Detectors flipped by one X error in the noiseless repetition memory (independent frame simulation).

    Data qubits 0, 2, ..., measurement qubits 1, 3, ...; each round: CX data(left) -> check, CX data(right) -> check,
    measure and reset the checks. Detectors: first round each check; later rounds each check XOR its previous
    value; at the end each check's two data qubits XOR its last value. The X error is inserted in round
    `error_round` (from 1) after CNOT layer `error_after_layer` (0: before the first layer).
    """
    data = list(range(0, 2 * d - 1, 2))
    checks = list(range(1, 2 * d - 1, 2))
    layers = [[(q - 1, q) for q in checks], [(q + 1, q) for q in checks]]
    flip = dict.fromkeys(range(2 * d - 1), 0)  # X part of the frame per qubit
    records = []
    for rnd in range(1, rounds + 1):
        for k, layer in enumerate(layers):
            if rnd == error_round and k == error_after_layer:
                flip[error_qubit] ^= 1
            for c, t in layer:
                flip[t] ^= flip[c]
        if rnd == error_round and error_after_layer == len(layers):
            flip[error_qubit] ^= 1
        records.append({q: flip[q] for q in checks})
        for q in checks:
            flip[q] = 0
    fired = []
    for rnd, rec in enumerate(records):
        for q in checks:
            fired.append(rec[q] ^ (records[rnd - 1][q] if rnd else 0))
    for q in checks:
        fired.append(flip[q - 1] ^ flip[q + 1] ^ records[-1][q])
    assert len(fired) == (d - 1) * (rounds + 1) and all(q in flip for q in data)
    return {k for k, f in enumerate(fired) if f}


def ex4(answer):
    want = _repetition_detectors(1, 1, 2)
    if isinstance(answer, (str, bytes, int, np.integer)) or not hasattr(answer, "__iter__"):
        return wrong("the answer should be a collection of detector indices, such as {1, 4}")
    try:
        got = {int(a) for a in answer}
    except (TypeError, ValueError):
        return wrong("the detector indices should be whole numbers")
    if got == want:
        return right("one detector in space and one in time: a diagonal edge of the matching graph")
    if got == _repetition_detectors(1, 0, 2):
        return wrong(
            "these fire for an error before both CNOT layers; after the first layer, the CNOT from qubit 2 to "
            "measurement qubit 3 has already acted"
        )
    if got == _repetition_detectors(1, 2, 2):
        return wrong("these fire for an error after both CNOT layers; the second layer still copies it")
    return same_set(got, want, what="detectors")


_TABLE5 = {3: 2.9e-3, 5: 1.2e-3, 7: 4.1e-4, 9: 1.6e-4}


def _lambda_fit(table):
    d = np.array(sorted(table), dtype=float)
    y = np.log([table[k] for k in sorted(table)])
    slope = float(((d - d.mean()) * (y - y.mean())).sum() / ((d - d.mean()) ** 2).sum())
    return math.exp(-2 * slope)


def ex5(answer):
    want = _lambda_fit(_TABLE5)
    x = as_number(answer, "a number (Lambda)")
    if not isinstance(x, float):
        return x
    if x > 0:
        if abs(x - 1 / want) < 1e-3 * want:
            return wrong("this is 1 / Lambda: Lambda divides the error, so it is above 1 below threshold")
        if abs(x - math.sqrt(want)) < 1e-3 * want:
            return wrong("this is the factor per unit of distance; Lambda is the factor per step of two")
        if abs(x - _TABLE5[3] / _TABLE5[5]) < 1e-3 * want:
            return wrong("this is the ratio of distances 3 and 5 only; fit all four distances")
        if abs(x - (_TABLE5[3] / _TABLE5[9]) ** (1 / 3)) < 1e-3 * want:
            return wrong("this uses only the two end points; the least-squares fit weighs all four distances")
    return close(x, want, atol=0.01, what="Lambda")


CHECKS = {1: ex1, 2: ex2, 3: ex3, 4: ex4, 5: ex5}


def _wrong_examples():
    lam = _lambda_fit(_TABLE5)
    wil = _wilson(12, 50_000)
    return {
        1: [("YY_", {}), ("+YY_", {}), ("XZZ", {}), ("-YYZ", {}), ("-_YY", {}), ("-XY_", {}), (3, {})],
        2: [(144, {}), (60, {}), (96, {}), (120.0, {}), (121, {})],
        3: [(_wald(12, 50_000), {}), (wil[::-1], {}), (_wilson(12, 50_000, 1.645), {}), (0.00024, {})],
        4: [({0, 1}, {}), ({0}, {}), ({2, 3}, {}), (3, {}), ("03", {})],
        5: [(1 / lam, {}), (math.sqrt(lam), {}), (2.9 / 1.2, {}), ((2.9e-3 / 1.6e-4) ** (1 / 3), {}), (-lam, {})],
    }


WRONG = _wrong_examples
