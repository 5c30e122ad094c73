r"""Quantum error correction: the repetition code and the Steane [[7,1,3]] code with a decoder.

Both are CSS codes; here they protect :math:`|0\rangle_L` against bit flips (X errors, or the
X part of depolarizing noise) in the *code-capacity* setting: noise hits the data qubits once,
syndrome extraction and measurement are perfect. A shot encodes :math:`|0\rangle_L`, applies
the noise, measures each Z-type stabilizer with an ancilla (CNOTs from its support into the
ancilla), then measures the data. A lookup decoder maps the syndrome to the lowest-weight X
error that explains it; the correction is applied to the measured bits (a Pauli frame), and
the logical value is the parity of the corrected bits on the support of :math:`Z_L`.

The exact logical error rate comes from enumerating every X-error pattern :math:`e` with its
probability :math:`q^{|e|}(1-q)^{n-|e|}` and asking the same decoder; the simulated rate (state
vector trajectories) must agree within statistical error. Below the crossing point
:math:`P_L(p) = p` encoding helps: for the distance-3 repetition code
:math:`P_L = 3p^2 - 2p^3` (crossing at 1/2); the Steane code corrects any single error,
:math:`P_L \approx 21 q^2`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations

import numpy as np
import pandas as pd

from ..errors import Array, Int, Real, Seed, check, checked, make_rng, unknown_name
from .circuit import Circuit, QuantumError
from .noise import NoiseModel, bit_flip, depolarizing, run_trajectories

__all__ = [
    "CSSCode",
    "repetition_code",
    "steane_code",
    "memory_circuit",
    "decode",
    "exact_logical_error",
    "logical_error_rates",
    "crossing_point",
]


@dataclass(frozen=True)
class CSSCode:
    """Z-type checks (rows of ``hz``, detecting X errors), the support of Z_L, and |0>_L's preparation.

    Build one with :func:`repetition_code` or :func:`steane_code`; the class checks nothing.

    Parameters
    ----------
    name : str
        The code's name (also the name of its :func:`memory_circuit`).
    n : int
        Data qubits.
    hz : numpy.ndarray
        The Z-type check matrix, (checks, n), of 0s and 1s.
    z_logical : tuple of int
        The data qubits on which :math:`Z_L` acts.
    encoder : tuple
        ``(pivot, [targets])`` pairs that prepare :math:`|0\\rangle_L` from :math:`|0\\ldots0\\rangle`:
        H on the pivot, then a CNOT from it to each target (empty when :math:`|0\\ldots0\\rangle`
        already is :math:`|0\\rangle_L`).

    Examples
    --------
    >>> from workbench.quantum import repetition_code
    >>> code = repetition_code(3)
    >>> code.name, code.n, code.hz.tolist(), code.z_logical, code.distance
    ('repetition d=3', 3, [[1, 1, 0], [0, 1, 1]], (0,), 3)
    """

    name: str
    n: int
    hz: np.ndarray
    z_logical: tuple
    encoder: tuple  # (pivot, [targets]) pairs: H on the pivot, CNOT to each target

    @property
    def distance(self) -> int:
        """The code distance against X errors, by enumeration.

        Returns
        -------
        int
            The smallest weight of an X error that no check detects and that flips :math:`Z_L`
            (``n`` if there is none).
        """
        best = self.n
        for w in range(1, self.n + 1):
            for e in combinations(range(self.n), w):
                v = np.zeros(self.n, int)
                v[list(e)] = 1
                if not (self.hz @ v % 2).any() and v[list(self.z_logical)].sum() % 2:
                    return w
        return best


def repetition_code(d: int = 3) -> CSSCode:
    """The bit-flip repetition code on ``d`` qubits (checks Z_i Z_{i+1}, Z_L = Z_0).

    Parameters
    ----------
    d : int, default 3
        The distance (and number of data qubits), odd, in [3, 2**20].

    Returns
    -------
    CSSCode
        The code, named ``"repetition d=<d>"``, with ``d - 1`` checks and no encoder
        (:math:`|0\\rangle_L = |0\\ldots0\\rangle`).

    Raises
    ------
    QuantumError
        If ``d`` is not an odd integer in [3, 2**20].

    Examples
    --------
    >>> from workbench.quantum import repetition_code
    >>> code = repetition_code(5)
    >>> code.n, code.hz.shape, code.distance
    (5, (4, 5), 5)
    """
    d = check("d (the code distance)", d, Int(3, 2**20), QuantumError)
    if d % 2 == 0:
        raise QuantumError(f"the repetition code needs an odd distance d >= 3, got {d!r}")
    hz = np.zeros((d - 1, d), int)
    for i in range(d - 1):
        hz[i, i] = hz[i, i + 1] = 1
    return CSSCode(f"repetition d={d}", d, hz, (0,), ())


def steane_code() -> CSSCode:
    """Steane's [[7,1,3]] code: checks from the [7,4] Hamming code, Z_L = Z on all seven qubits.

    Returns
    -------
    CSSCode
        The code, named ``"Steane [[7,1,3]]"``, with 3 checks and an encoder that prepares
        :math:`|0\\rangle_L` (the uniform superposition of the even-weight Hamming codewords).

    Examples
    --------
    >>> from workbench.quantum import steane_code
    >>> code = steane_code()
    >>> code.n, code.hz.shape, code.distance
    (7, (3, 7), 3)
    """
    h = np.array([[0, 0, 0, 1, 1, 1, 1], [0, 1, 1, 0, 0, 1, 1], [1, 0, 1, 0, 1, 0, 1]])
    # |0>_L = uniform superposition of the even-weight Hamming codewords (span of the rows of h)
    enc = tuple((int(np.flatnonzero(row)[0]), [int(q) for q in np.flatnonzero(row)[1:]]) for row in h)
    return CSSCode("Steane [[7,1,3]]", 7, h, tuple(range(7)), enc)


def memory_circuit(code: CSSCode) -> Circuit:
    """Encode |0>_L, idle once (``id`` on each data qubit: where the noise acts), extract the Z
    syndrome with ancillas, measure everything. Classical bits: syndrome first, then data.

    Parameters
    ----------
    code : CSSCode
        The code, with ``m`` checks and ``n`` data qubits.

    Returns
    -------
    Circuit
        A circuit named after the code on ``n + m`` qubits (data first, then one ancilla per check)
        and ``m + n`` classical bits (syndrome bits 0..m-1, then the data bits).

    See Also
    --------
    logical_error_rates : Simulate it under noise on the ``id`` gates.

    Examples
    --------
    >>> from workbench.quantum import memory_circuit, repetition_code
    >>> qc = memory_circuit(repetition_code(3))
    >>> qc.n_qubits, qc.n_clbits, qc.count_ops()
    (5, 5, {'id': 3, 'cx': 4, 'measure': 5})
    """
    m = code.hz.shape[0]
    qc = Circuit(code.n + m, m + code.n, name=code.name)
    for pivot, targets in code.encoder:
        qc.h(pivot)
        for t in targets:
            qc.cx(pivot, t)
    for q in range(code.n):
        qc.id(q)
    for a, row in enumerate(code.hz):
        for q in np.flatnonzero(row):
            qc.cx(int(q), code.n + a)
        qc.measure(code.n + a, a)
    for q in range(code.n):
        qc.measure(q, m + q)
    return qc


def _decoder_table(code: CSSCode) -> dict:
    return _lookup_table(code.n, np.asarray(code.hz, np.int64).tobytes(), code.hz.shape)


@lru_cache(maxsize=32)
def _lookup_table(n: int, hz_bytes: bytes, shape: tuple) -> dict:
    """Syndrome -> lowest-weight X error explaining it (built once per check matrix)."""
    hz = np.frombuffer(hz_bytes, dtype=np.int64).reshape(shape)
    table = {}
    m = hz.shape[0]
    for w in range(n + 1):
        for e in combinations(range(n), w):
            v = np.zeros(n, int)
            v[list(e)] = 1
            s = tuple(hz @ v % 2)
            table.setdefault(s, v)
        if len(table) == 1 << m:
            break
    return table


def decode(code: CSSCode, syndrome, data_bits) -> int:
    """Logical Z value after the lowest-weight correction for ``syndrome``.

    Parameters
    ----------
    code : CSSCode
        The code.
    syndrome : sequence of int
        The ``m`` syndrome bits (0 or 1), one per check.
    data_bits : array_like of int
        The ``n`` measured data bits (0 or 1).

    Returns
    -------
    int
        The parity (0 or 1) of the corrected data bits on the support of :math:`Z_L`; 1 is a
        logical error when :math:`|0\\rangle_L` was encoded.

    Examples
    --------
    >>> from workbench.quantum import decode, repetition_code
    >>> code = repetition_code(3)
    >>> decode(code, [1, 0], [1, 0, 0]), decode(code, [1, 0], [0, 1, 1])  # one flip, then two
    (0, 1)
    """
    corr = _decoder_table(code)[tuple(int(s) for s in syndrome)]
    bits = (np.asarray(data_bits, int) + corr) % 2
    return int(bits[list(code.z_logical)].sum() % 2)


@checked(QuantumError, q=Real(0, 1))
def exact_logical_error(code: CSSCode, q: float) -> float:
    """Probability that independent X errors (each with probability ``q``) defeat the decoder.

    Every one of the :math:`2^n` error patterns is enumerated.

    Parameters
    ----------
    code : CSSCode
        The code.
    q : float
        Probability of an X error on each data qubit, in [0, 1].

    Returns
    -------
    float
        The exact logical error rate.

    Raises
    ------
    QuantumError
        If ``q`` is not a number in [0, 1].

    Examples
    --------
    >>> from workbench.quantum import exact_logical_error, repetition_code
    >>> round(exact_logical_error(repetition_code(3), 0.1), 4)  # 3 q**2 - 2 q**3
    0.028
    """
    total = 0.0
    for w in range(code.n + 1):
        for e in combinations(range(code.n), w):
            v = np.zeros(code.n, int)
            v[list(e)] = 1
            if decode(code, code.hz @ v % 2, v):  # |0>_L reads the codeword parity 0 without errors
                total += q**w * (1 - q) ** (code.n - w)
    return total


@checked(QuantumError, shots=Int(1, 10**7), seed=Seed())
def logical_error_rates(code: CSSCode, ps, *, shots: int = 1000, noise: str = "bit_flip", seed=None) -> pd.DataFrame:
    """Simulated and exact logical error rates for physical error rates ``ps`` (tidy frame).

    ``noise`` is "bit_flip" (X with probability p) or "depolarizing" (X, Y or Z each with p/3;
    only X and Y flip a Z-basis logical, so the exact rate uses q = 2p/3).

    Parameters
    ----------
    code : CSSCode
        The code; its :func:`memory_circuit` is simulated with :func:`run_trajectories`.
    ps : array_like
        Physical error rates, a non-empty 1-d array of numbers in [0, 1].
    shots : int, default 1000
        Trajectories per error rate, in [1, 10**7].
    noise : {"bit_flip", "depolarizing"}, default "bit_flip"
        The channel applied to each data qubit once (on its ``id`` gate).
    seed : int, numpy.random.Generator or None, default None
        Seed of the random stream; the same seed gives the same result.

    Returns
    -------
    pandas.DataFrame
        One row per rate: ``code``, ``physical``, ``logical`` (simulated rate), ``stderr`` (its
        binomial standard error, at least :math:`1/\\text{shots}`) and ``exact``
        (:func:`exact_logical_error`).

    Raises
    ------
    QuantumError
        If ``shots``, ``seed``, ``noise`` or ``ps`` is invalid.

    Examples
    --------
    >>> from workbench.quantum import logical_error_rates, repetition_code
    >>> df = logical_error_rates(repetition_code(3), [0.1], shots=200, seed=0)
    >>> df[["physical", "logical", "exact"]].round(3).values.tolist()
    [[0.1, 0.02, 0.028]]
    """
    if noise not in ("bit_flip", "depolarizing"):
        raise QuantumError(f"noise must be 'bit_flip' or 'depolarizing', got {noise!r}")
    ps = check("ps", ps, Array(ndim=1, min_size=1, lo=0, hi=1), QuantumError)
    rng = make_rng(seed, error=QuantumError)
    qc = memory_circuit(code)
    m = code.hz.shape[0]
    rows = []
    for p in ps:
        ch = bit_flip(p) if noise == "bit_flip" else depolarizing(4 * p / 3)  # Qiskit's p -> X, Y, Z each p/3
        res = run_trajectories(qc, NoiseModel().add(ch, ["id"]), trajectories=shots, seed=rng)
        fails = 0
        for key, count in res.counts.items():
            bits = [int(b) for b in key[::-1]]  # clbit 0 first
            if decode(code, bits[:m], bits[m:]):
                fails += count
        rate = fails / shots
        q = p if noise == "bit_flip" else 2 * p / 3
        rows.append(
            {
                "code": code.name,
                "physical": p,
                "logical": rate,
                "stderr": np.sqrt(max(rate * (1 - rate), 1 / shots) / shots),
                "exact": exact_logical_error(code, q),
            }
        )
    return pd.DataFrame(rows)


def crossing_point(code: CSSCode, noise: str = "bit_flip") -> float:
    """The physical error rate ``p`` where the exact logical rate equals ``p`` (pseudo-threshold).

    Under ``"depolarizing"`` noise, ``p`` is the depolarizing rate, of which the X and Y errors
    (2p/3) flip a stored bit: the crossing compares the code's logical rate with ``p`` itself.

    Parameters
    ----------
    code : CSSCode
        The code.
    noise : {"bit_flip", "depolarizing"}, default "bit_flip"
        ``"bit_flip"`` (X errors with probability p) or ``"depolarizing"`` (X errors with
        probability 2p/3).

    Returns
    -------
    float
        The smallest crossing of :func:`exact_logical_error` with the identity found on a grid of
        200 rates below 0.75 (refined by Brent's method); for repetition codes under bit flips,
        1/2; NaN if there is none.

    Raises
    ------
    QuantumError
        If ``noise`` is not one of the two models.

    Examples
    --------
    >>> from workbench.quantum import crossing_point, repetition_code
    >>> crossing_point(repetition_code(3))
    0.5
    """
    from scipy.optimize import brentq

    if noise not in ("bit_flip", "depolarizing"):
        raise unknown_name("noise model", noise, ("bit_flip", "depolarizing"), QuantumError)
    scale = 1.0 if noise == "bit_flip" else 2 / 3
    f = lambda p: exact_logical_error(code, scale * p) - p  # noqa: E731
    hi = 0.5 / scale if f(0.5 / scale - 1e-9) >= 0 else 0.5
    grid = np.linspace(1e-4, min(hi, 0.75) - 1e-6, 200)
    vals = [f(p) for p in grid]
    for a, b, fa, fb in zip(grid, grid[1:], vals, vals[1:]):
        if fa < 0 <= fb:
            return float(brentq(f, a, b))
    if abs(f(0.5 / scale)) < 1e-12:  # repetition codes: below p everywhere under 1/2
        return 0.5 / scale
    return float("nan")
