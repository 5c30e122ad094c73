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
    """The permutation :math:`|y\\rangle \\mapsto |ay \\bmod N\\rangle` for y < N (identity above)."""
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
    """Counting qubits 0..t-1, work register t..t+n-1 starting in |1>, then the inverse QFT."""
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
    """Distribution of the counting register and the order each outcome implies (tidy frame)."""
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
    outcome of the counting register), ``params`` the inputs."""

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
        """One row: N, the base, the order, the factors, P(one run gives the order), qubits."""
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

    Examples
    --------
    >>> r = shor(15, a=7)
    >>> r.order, r.factors
    (4, (3, 5))
    """
    if isinstance(N, bool) or not isinstance(N, (int, np.integer)) or N < 4 or N % 2 == 0:
        raise QuantumError(f"N must be an odd composite integer >= 9, got {N!r}")
    N = int(N)
    n = (N - 1).bit_length()
    check_memory(3 * n)  # the order-finding state: 2n counting + n work qubits, refused before any work
    if a is not None:
        a = check("a", a, Int(2, N - 2), QuantumError)
    if any(round(N ** (1 / k)) ** k == N for k in range(2, int(np.log2(N)) + 1)):
        raise QuantumError(f"{N} is a prime power; Shor's reduction needs two distinct prime factors")
    rng = make_rng(seed)
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
