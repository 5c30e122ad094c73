r"""Shor's algorithm: quantum order finding, then classical post-processing.

To factor :math:`N`, pick :math:`a` coprime to :math:`N`; the order :math:`r` (smallest with
:math:`a^r \equiv 1 \pmod N`) is the period of :math:`x \mapsto a^x \bmod N`. Phase estimation
of :math:`U|y\rangle = |ay \bmod N\rangle` on :math:`t = 2n` counting qubits
(:math:`n = \lceil\log_2 N\rceil`) reads :math:`y \approx 2^t s/r`; the continued-fraction
expansion of :math:`y/2^t` gives :math:`r`, and if :math:`r` is even,
:math:`\gcd(a^{r/2} \pm 1, N)` are factors. Controlled powers :math:`U^{2^j}` are applied as
controlled permutation matrices on the work register (compiling them to elementary gates
is what the gate counts of the transpiled circuit show).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from math import gcd

import numpy as np
import pandas as pd

from ..errors import Int, Optional, check, make_rng
from ..results import Result, one_row
from .circuit import Circuit, QuantumError
from .library import qft
from .statevector import check_memory, simulate

__all__ = ["modmul_matrix", "order_finding_circuit", "order_finding", "shor", "ShorResult"]


def modmul_matrix(a: int, N: int, n: int) -> np.ndarray:
    """The permutation :math:`|y\\rangle \\mapsto |ay \\bmod N\\rangle` for y < N (identity above).

    Parameters
    ----------
    a : int
        The multiplier; the matrix is a permutation (unitary) only if ``a`` is coprime to ``N``.
    N : int
        The modulus, at most :math:`2^n`.
    n : int
        Qubits of the work register.

    Returns
    -------
    numpy.ndarray
        The real :math:`2^n \\times 2^n` matrix, column ``y`` holding a 1 in row
        :math:`ay \\bmod N` (``y`` < ``N``) or ``y`` (``y`` >= ``N``).

    Examples
    --------
    >>> from workbench.quantum import modmul_matrix
    >>> modmul_matrix(2, 3, 2).argmax(axis=0).tolist()  # the image of each y
    [0, 2, 1, 3]
    """
    d = 1 << n
    m = np.zeros((d, d))
    for y in range(d):
        m[(a * y) % N if y < N else y, y] = 1
    return m


def _registers(a, N, n_count):
    """Checked ``(a, N, t, n)``: counting and work register sizes, refused up front if the state
    (or the 2**n x 2**n multiplication matrices) would not fit in memory."""
    N = check("N", N, Int(3), QuantumError)
    a = check("a", a, Int(2, max(N - 1, 2)), QuantumError)
    n = (N - 1).bit_length()
    t = 2 * n if n_count is None else check("n_count", n_count, Optional(Int(1, 64)), QuantumError)
    check_memory(t + n)  # TooManyQubitsError before any matrix is built
    return a, N, t, n


def order_finding_circuit(a: int, N: int, n_count: int | None = None) -> Circuit:
    """Counting qubits 0..t-1, work register t..t+n-1 starting in |1>, then the inverse QFT.

    The controlled powers :math:`U^{2^j}` are controlled permutation matrices (gates named
    ``"mul<a^(2^j) mod N>"``); the counting qubits are measured into classical bits 0..t-1.

    Parameters
    ----------
    a : int
        The base, in [2, N - 1], coprime to ``N``.
    N : int
        The modulus, >= 3; the work register has :math:`n = \\lceil \\log_2 N \\rceil` qubits.
    n_count : int or None, default None
        Counting qubits :math:`t`, in [1, 64]; ``None`` means :math:`2n`.

    Returns
    -------
    Circuit
        A circuit named ``"order_finding(<a>,<N>)"`` on ``t + n`` qubits with ``t`` classical bits.

    Raises
    ------
    QuantumError
        If ``N``, ``a`` or ``n_count`` is not an integer in its range.
    NotUnitaryError
        If ``a`` is not coprime to ``N`` (the multiplication is not a permutation).
    TooManyQubitsError
        If the state of ``t + n`` qubits would not fit in memory.

    Examples
    --------
    >>> from workbench.quantum import order_finding_circuit
    >>> qc = order_finding_circuit(7, 15)
    >>> qc.n_qubits, qc.n_clbits, qc.count_ops()["unitary"]
    (12, 8, 8)
    """
    a, N, t, n = _registers(a, N, n_count)
    qc = Circuit(t + n, t, name=f"order_finding({a},{N})")
    work = list(range(t, t + n))
    qc.x(work[0])
    for j in range(t):
        qc.h(j)
    for j in range(t):
        qc.unitary(modmul_matrix(pow(a, 2**j, N), N, n), work, controls=[j], name=f"mul{pow(a, 2**j, N)}")
    qc.compose(qft(t, inverse=True), list(range(t)))
    for j in range(t):
        qc.measure(j, j)
    return qc


def _order_from(y: int, t: int, a: int, N: int) -> int | None:
    if y == 0:
        return None
    frac = Fraction(y, 2**t).limit_denominator(N)
    r = frac.denominator
    for mult in range(1, N + 1):  # s and r may share a factor: try small multiples
        if pow(a, r * mult, N) == 1:
            return r * mult
        if r * mult > N:
            break
    return None


def order_finding(a: int, N: int, n_count: int | None = None) -> pd.DataFrame:
    """Distribution of the counting register and the order each outcome implies (tidy frame).

    The order-finding circuit is simulated exactly; each outcome :math:`y` is turned into the
    fraction closest to :math:`y/2^t` with denominator at most ``N`` (continued fractions), and
    the smallest multiple :math:`r` of its denominator with :math:`a^r \\equiv 1 \\pmod N` (up to
    ``N``) is the order it implies.

    Parameters
    ----------
    a : int
        The base, in [2, N - 1], coprime to ``N``.
    N : int
        The modulus, >= 3.
    n_count : int or None, default None
        Counting qubits :math:`t`, in [1, 64]; ``None`` means :math:`2\\lceil \\log_2 N \\rceil`.

    Returns
    -------
    pandas.DataFrame
        One row per outcome of probability above 1e-9: ``outcome`` (:math:`y`), ``phase``
        (:math:`y/2^t`), ``fraction`` (``"s/r"``), ``probability`` and ``order`` (NaN where the
        outcome gives none, e.g. :math:`y = 0`).

    Raises
    ------
    QuantumError
        If ``N``, ``a`` or ``n_count`` is not an integer in its range.
    NotUnitaryError
        If ``a`` is not coprime to ``N``.
    TooManyQubitsError
        If the state would not fit in memory.

    Examples
    --------
    >>> from workbench.quantum import order_finding
    >>> df = order_finding(2, 5, n_count=3)
    >>> df.outcome.tolist(), df.fraction.tolist(), df.order.tolist()[1:]
    ([0, 2, 4, 6], ['0/1', '1/4', '1/2', '3/4'], [4.0, 4.0, 4.0])
    """
    a, N, t, n = _registers(a, N, n_count)
    qc = order_finding_circuit(a, N, t)
    p = simulate(qc.without_measurements()).probabilities(list(range(t)))
    rows = []
    for y in np.flatnonzero(p > 1e-9):
        frac = Fraction(int(y), 2**t).limit_denominator(N)
        rows.append(
            {
                "outcome": int(y),
                "phase": y / 2**t,
                "fraction": f"{frac.numerator}/{frac.denominator}",
                "probability": float(p[y]),
                "order": _order_from(int(y), t, a, N),
            }
        )
    return pd.DataFrame(rows)


@dataclass
class ShorResult(Result):
    """Shor's algorithm on ``N`` with base ``a``: the order found, the factors, the probability that one run
    yields the order, the register size and gate counts; ``summary()`` one row, frame ``table`` (every
    outcome of the counting register), ``params`` the inputs.

    Returned by :func:`shor`.

    Parameters
    ----------
    N : int
        The number factored.
    a : int
        The base used.
    order : int
        The order of ``a`` modulo ``N`` found.
    factors : tuple of int
        The two factors :math:`\\gcd(a^{r/2} \\pm 1, N)`, ascending.
    p_success : float
        The probability that one run's outcome yields the order.
    n_qubits : int
        Qubits of the order-finding circuit (``3n``).
    gate_counts : dict
        Gate name -> count of the order-finding circuit, plus ``"n_2q_or_more"`` (gates on two or
        more qubits) and, with ``transpile``, ``"transpiled_u"``, ``"transpiled_cx"`` and
        ``"transpiled_depth"``.
    table : pandas.DataFrame
        Every outcome of the counting register (the :func:`order_finding` frame).
    params : dict, optional
        The inputs: ``N``, ``a`` (as given, ``None`` when chosen at random), ``seed`` and
        ``transpile`` (default: an empty dict).

    Examples
    --------
    >>> from workbench.quantum import shor
    >>> r = shor(15, a=7)
    >>> r.order, r.factors, round(r.p_success, 3), r.n_qubits
    (4, (3, 5), 0.75, 12)
    """

    N: int
    a: int
    order: int
    factors: tuple
    p_success: float
    n_qubits: int
    gate_counts: dict = field(repr=False)
    table: pd.DataFrame = field(repr=False)
    params: dict = field(default_factory=dict, repr=False)
    frames = ("table",)

    def summary(self) -> pd.DataFrame:
        """One row: N, the base, the order, the factors, P(one run gives the order), qubits.

        Returns
        -------
        pandas.DataFrame
            Columns ``N``, ``base``, ``order``, ``factors`` (a string such as ``"3 x 5"``),
            ``success_probability`` and ``n_qubits``.
        """
        return one_row(
            N=self.N,
            base=self.a,
            order=self.order,
            factors=" x ".join(map(str, self.factors)),
            success_probability=self.p_success,
            n_qubits=self.n_qubits,
        )


def shor(N: int, a: int | None = None, *, seed=None, transpile: bool = False) -> ShorResult:
    """Factor ``N`` with quantum order finding (exact simulation of the order-finding circuit).

    ``p_success`` is the probability that one run's outcome yields the order. With
    ``transpile=True`` the gate counts are also given after ``qiskit.transpile`` to
    {u, cx} (slow for N > 15).

    Parameters
    ----------
    N : int
        The number to factor: odd, with two distinct prime factors (15, 21, 33, ...); the
        simulation needs :math:`3\\lceil \\log_2 N \\rceil` qubits.
    a : int or None, default None
        The base, in [2, N - 2] and coprime to ``N``; ``None`` tries the coprime bases in a random
        order until one gives a factor.
    seed : int, numpy.random.Generator or None, default None
        Seed of the order in which bases are tried (used only when ``a`` is ``None``); the same
        seed gives the same result.
    transpile : bool, default False
        Also count gates after ``qiskit.transpile`` (needs qiskit).

    Returns
    -------
    ShorResult
        ``order``, ``factors``, ``p_success``, ``gate_counts``, the ``table`` frame and
        ``summary()``.

    Raises
    ------
    QuantumError
        If ``N`` is not an odd integer >= 5, is prime or a prime power; if ``a`` is out of range,
        shares a factor with ``N``, or has an odd order or :math:`a^{r/2} \\equiv -1 \\pmod N`;
        or if no base gives a factor.
    TooManyQubitsError
        If the order-finding state would not fit in memory.
    QuantumError
        If ``seed`` is not None, an integer >= 0, a SeedSequence or a Generator.

    Examples
    --------
    >>> from workbench.quantum import shor
    >>> r = shor(15, a=7)
    >>> r.order, r.factors
    (4, (3, 5))
    """
    if isinstance(N, bool) or not isinstance(N, (int, np.integer)) or N < 4 or N % 2 == 0:
        raise QuantumError(f"N must be an odd integer >= 5 with two distinct prime factors, got {N!r}")
    N = int(N)
    n = (N - 1).bit_length()
    check_memory(3 * n)  # the order-finding state: 2n counting + n work qubits, refused before any work
    if a is not None:
        a = check("a", a, Int(2, N - 2), QuantumError)
    if any(round(N ** (1 / k)) ** k == N for k in range(2, int(np.log2(N)) + 1)):
        raise QuantumError(f"{N} is a prime power; Shor's reduction needs two distinct prime factors")
    rng = make_rng(seed, error=QuantumError)
    candidates = [x for x in range(2, N - 1) if gcd(x, N) == 1]
    if not candidates or all(pow(x, N - 1, N) == 1 for x in candidates[:20]) and _is_prime(N):
        raise QuantumError(f"{N} is prime")
    tried = [a] if a is not None else list(rng.permutation(candidates))
    for a_ in tried:
        a_ = int(a_)
        if gcd(a_, N) != 1:
            raise QuantumError(f"a = {a_} shares the factor {gcd(a_, N)} with N (no quantum step needed)")
        table = order_finding(a_, N)
        ok = table.dropna(subset=["order"])
        if ok.empty:
            continue
        # the order most of the probability points to (low-probability outcomes between the
        # peaks give multiples of it through a wrong convergent)
        r = int(ok.groupby("order").probability.sum().idxmax())
        if a is not None and (r % 2 or pow(a_, r // 2, N) == N - 1):
            why = "odd" if r % 2 else f"even but {a_}^{r // 2} = -1 (mod {N})"
            raise QuantumError(f"a = {a_} has order {r}, {why}: no factor follows; choose another a")
        if r % 2 == 0 and pow(a_, r // 2, N) != N - 1:
            f1, f2 = gcd(pow(a_, r // 2) - 1, N), gcd(pow(a_, r // 2) + 1, N)
            qc = order_finding_circuit(a_, N)
            counts = qc.count_ops()
            counts["n_2q_or_more"] = qc.num_2q()
            if transpile:
                from qiskit import transpile as qtranspile

                from .interop import to_qiskit

                tq = qtranspile(to_qiskit(qc), basis_gates=["u", "cx"], optimization_level=1, seed_transpiler=0)
                counts["transpiled_u"] = int(tq.count_ops().get("u", 0))
                counts["transpiled_cx"] = int(tq.count_ops().get("cx", 0))
                counts["transpiled_depth"] = int(tq.depth())
            p_ok = float(table.loc[table.order == r, "probability"].sum())
            return ShorResult(
                N,
                a_,
                r,
                tuple(sorted((f1, f2))),
                p_ok,
                qc.n_qubits,
                counts,
                table,
                {"N": N, "a": a, "seed": seed, "transpile": transpile},
            )
    raise QuantumError(f"no base a gave an even order with a nontrivial factor for N = {N}")


def _is_prime(N):
    return N > 1 and all(N % p for p in range(2, int(N**0.5) + 1))
