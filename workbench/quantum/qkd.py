r"""BB84 quantum key distribution (Bennett & Brassard 1984), with an intercept-resend eavesdropper.

Alice sends random bits, each in a random basis (Z: |0>, |1>; X: |+>, |->). Bob measures in a
random basis; they keep the bits where the bases agree (sifting, about half). An eavesdropper
who measures a fraction :math:`f` of the qubits in random bases and resends what she saw
disturbs a kept bit with probability 1/4 when she intercepted it, so the quantum bit error
rate is :math:`f/4` (plus channel noise). Alice and Bob estimate it on a sample they disclose,
abort above a threshold (11% is the asymptotic limit of one-way BB84), and otherwise
compress the key by privacy amplification (a random binary Toeplitz matrix, a 2-universal hash)
to :math:`n(1 - 2h(Q))` bits, where :math:`h` is the binary entropy. Each qubit is simulated as a
state vector: prepared, optionally intercepted, and measured.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import Int, Real, Seed, checked, make_rng
from ..results import Result, one_row
from .circuit import QuantumError

__all__ = ["bb84", "BB84Result", "binary_entropy", "toeplitz_hash"]

_H = np.array([[1, 1], [1, -1]]) / np.sqrt(2)


@checked(QuantumError, p=Real(0, 1))
def binary_entropy(p: float) -> float:
    """h(p) = -p log2 p - (1-p) log2 (1-p).

    Parameters
    ----------
    p : float
        A probability, in [0, 1].

    Returns
    -------
    float
        The binary entropy in bits, in [0, 1]; 0 at ``p`` = 0 and 1.

    Raises
    ------
    QuantumError
        If ``p`` is not a number in [0, 1].

    Examples
    --------
    >>> from workbench.quantum import binary_entropy
    >>> binary_entropy(0.5), round(binary_entropy(0.11), 3)
    (1.0, 0.5)
    """
    if p <= 0 or p >= 1:
        return 0.0
    return float(-p * np.log2(p) - (1 - p) * np.log2(1 - p))


def _prepare(bits, bases):
    """Single-qubit states (rows) for bits in bases (0 = Z, 1 = X)."""
    psi = np.zeros((bits.size, 2), complex)
    psi[np.arange(bits.size), bits] = 1
    x = bases == 1
    psi[x] = psi[x] @ _H.T
    return psi


def _measure(psi, bases, rng):
    """Measure each qubit in its basis; returns the bits and the collapsed states."""
    psi = psi.copy()
    x = bases == 1
    psi[x] = psi[x] @ _H.T  # rotate X-basis measurements to Z
    p1 = np.abs(psi[:, 1]) ** 2
    out = (rng.random(p1.size) < p1).astype(np.int8)
    post = np.zeros_like(psi)
    post[np.arange(out.size), out] = 1
    post[x] = post[x] @ _H.T
    return out, post


def toeplitz_hash(key: np.ndarray, out_len: int, rng) -> np.ndarray:
    """Multiply the key by a random binary Toeplitz matrix (out_len x len(key)) over GF(2).

    Parameters
    ----------
    key : numpy.ndarray
        The key, a 1-d array of bits (0 or 1).
    out_len : int
        Bits of the hashed key; 0 or less gives an empty key.
    rng : numpy.random.Generator
        Draws the ``len(key) + out_len - 1`` bits that define the matrix; two parties with the
        same seed build the same matrix.

    Returns
    -------
    numpy.ndarray
        The ``max(out_len, 0)`` hashed bits, as int8.

    Examples
    --------
    >>> import numpy as np
    >>> from workbench.quantum.qkd import toeplitz_hash
    >>> toeplitz_hash(np.array([1, 0, 1, 1, 0, 1]), 3, np.random.default_rng(0)).tolist()
    [0, 1, 1]
    """
    n = key.size
    if out_len <= 0:
        return np.zeros(0, np.int8)
    diag = rng.integers(0, 2, n + out_len - 1)
    rows = np.lib.stride_tricks.sliding_window_view(diag, n)[:out_len][:, ::-1]
    return (rows.astype(np.int64) @ key.astype(np.int64) % 2).astype(np.int8)


@dataclass
class BB84Result(Result):
    """One BB84 run: the protocol's steps, the estimated error rate, whether it kept the key and the two
    final keys; ``summary()`` one row, frame ``steps``, ``params`` the inputs.

    Returned by :func:`bb84`.

    Parameters
    ----------
    steps : pandas.DataFrame
        The protocol's steps: columns ``step``, ``bits`` and ``note``, one row each for the
        qubits sent, the sifted key, the disclosed sample, the raw key and the final key.
    qber : float
        The quantum bit error rate estimated on the disclosed sample (0.0 without a sample).
    secure : bool
        Whether the estimate was at most the threshold (otherwise the key was discarded).
    key_alice : numpy.ndarray
        Alice's final key (int8 bits; empty when aborted).
    key_bob : numpy.ndarray
        Bob's final key (after the ideal error correction the simulation assumes).
    params : dict, optional
        The inputs: ``n_bits``, ``eve``, ``noise``, ``sample_fraction``, ``threshold`` and ``seed``
        (default: an empty dict).

    Examples
    --------
    >>> from workbench.quantum import bb84
    >>> r = bb84(200, seed=0)
    >>> r.qber, r.secure, r.key_alice.size, r.keys_match
    (0.0, True, 74, True)
    """

    steps: pd.DataFrame
    qber: float
    secure: bool
    key_alice: np.ndarray = field(repr=False)
    key_bob: np.ndarray = field(repr=False)
    params: dict = field(default_factory=dict, repr=False)
    frames = ("steps",)

    def summary(self) -> pd.DataFrame:
        """One row: estimated QBER, secure or aborted, key bits, whether Alice's and Bob's keys match.

        Returns
        -------
        pandas.DataFrame
            Columns ``qber``, ``secure``, ``key_bits`` and ``keys_match``.
        """
        return one_row(
            qber=self.qber, secure=self.secure, key_bits=int(self.key_alice.size), keys_match=self.keys_match
        )

    @property
    def keys_match(self) -> bool:
        """Whether Alice's and Bob's final keys are equal.

        Returns
        -------
        bool
            True when the two keys are equal; error correction is modelled as ideal (Bob ends
            with Alice's raw key before privacy amplification), so they always are.
        """
        return bool(np.array_equal(self.key_alice, self.key_bob))


@checked(
    QuantumError,
    n_bits=Int(16, 10**8),
    eve=Real(0, 1),
    noise=Real(0, 1),
    sample_fraction=Real(0, 1),
    threshold=Real(0, 1),
    seed=Seed(),
)
def bb84(
    n_bits: int = 2000,
    *,
    eve: float = 0.0,
    noise: float = 0.0,
    sample_fraction: float = 0.25,
    threshold: float = 0.11,
    seed=None,
) -> BB84Result:
    """Run BB84 over ``n_bits`` qubits.

    Parameters
    ----------
    n_bits : int, default 2000
        Qubits Alice sends, in [16, 10**8].
    eve : float, default 0.0
        Fraction of qubits Eve intercepts and resends (0 = no eavesdropper), in [0, 1].
    noise : float, default 0.0
        Bit-flip probability of the channel, in [0, 1].
    sample_fraction : float, default 0.25
        Share of the sifted key disclosed to estimate the error rate, in [0, 1] (0: no estimate,
        the QBER reads 0.0).
    threshold : float, default 0.11
        Abort when the estimated error rate exceeds this, in [0, 1].
    seed : int, numpy.random.Generator or None, default None
        Seed of the random stream; the same seed gives the same result.

    Returns
    -------
    BB84Result
        ``qber``, ``secure``, the final keys ``key_alice`` and ``key_bob`` (of
        :math:`\\max(0, \\lfloor n(1 - 2h(Q)) \\rfloor)` bits for a raw key of :math:`n` bits, none
        when aborted), the ``steps`` frame and ``summary()``.

    Raises
    ------
    QuantumError
        If an argument is not a number in its range, or ``seed`` is not None, an integer >= 0, a
        SeedSequence or a Generator.

    Examples
    --------
    >>> from workbench.quantum import bb84
    >>> bb84(4000, seed=1).qber
    0.0
    >>> abs(bb84(20000, eve=1.0, sample_fraction=1.0, seed=1).qber - 0.25) < 0.02
    True
    """
    rng = make_rng(seed, error=QuantumError)
    a_bits = rng.integers(0, 2, n_bits).astype(np.int8)
    a_bases = rng.integers(0, 2, n_bits).astype(np.int8)
    psi = _prepare(a_bits, a_bases)
    # Eve: intercept, measure in a random basis, resend what she measured
    hit = rng.random(n_bits) < eve
    e_bases = rng.integers(0, 2, n_bits).astype(np.int8)
    if hit.any():
        _, post = _measure(psi[hit], e_bases[hit], rng)
        psi[hit] = post
    # channel noise: X with probability `noise`
    flip = rng.random(n_bits) < noise
    psi[flip] = psi[flip][:, ::-1]
    b_bases = rng.integers(0, 2, n_bits).astype(np.int8)
    b_bits, _ = _measure(psi, b_bases, rng)
    keep = a_bases == b_bases
    sa, sb = a_bits[keep], b_bits[keep]
    n_sample = int(round(sample_fraction * sa.size))
    sample = rng.permutation(sa.size)[:n_sample]
    qber = float((sa[sample] != sb[sample]).mean()) if n_sample else 0.0
    rest = np.setdiff1d(np.arange(sa.size), sample)
    ka, kb = sa[rest], sb[rest]
    secure = qber <= threshold
    true_err = float((ka != kb).mean()) if ka.size else 0.0
    # error correction is assumed (it leaks about h(Q) per bit); privacy amplification removes
    # Eve's information and the leak: n (1 - 2 h(Q)) bits remain
    final_len = int(np.floor(ka.size * (1 - 2 * binary_entropy(qber)))) if secure else 0
    kb_corrected = ka.copy()  # after (ideal) error correction Bob holds Alice's string
    seed_pa = int(rng.integers(1 << 62))
    key_a = toeplitz_hash(ka, final_len, make_rng(seed_pa, error=QuantumError))
    key_b = toeplitz_hash(kb_corrected, final_len, make_rng(seed_pa, error=QuantumError))
    steps = pd.DataFrame(
        [
            {"step": "qubits sent", "bits": n_bits, "note": f"Eve intercepts {hit.sum()}"},
            {"step": "sifted (bases agree)", "bits": int(keep.sum()), "note": "about half"},
            {"step": "disclosed sample", "bits": n_sample, "note": f"estimated QBER {qber:.3f}"},
            {"step": "raw key", "bits": int(ka.size), "note": f"true error rate {true_err:.3f}"},
            {
                "step": "after privacy amplification",
                "bits": final_len,
                "note": "aborted: QBER above threshold"
                if not secure
                else f"1 - 2h(Q) = {1 - 2 * binary_entropy(qber):.3f}",
            },
        ]
    )
    return BB84Result(
        steps,
        qber,
        secure,
        key_a,
        key_b,
        {
            "n_bits": n_bits,
            "eve": eve,
            "noise": noise,
            "sample_fraction": sample_fraction,
            "threshold": threshold,
            "seed": seed,
        },
    )
