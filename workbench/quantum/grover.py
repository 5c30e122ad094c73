r"""Grover's search: amplitude amplification over :math:`N = 2^n` items with :math:`M` marked.

With :math:`\sin\theta = \sqrt{M/N}`, each Grover iteration (oracle, then inversion about
the mean) rotates the state by :math:`2\theta` towards the marked subspace, so after
:math:`k` iterations

.. math::

    P_\text{success}(k) = \sin^2\big((2k+1)\theta\big),

largest at :math:`k^* = \lfloor \pi / (4\theta) \rfloor`, about :math:`\frac{\pi}{4}\sqrt{N/M}` iterations.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import Int, check
from ..results import Result, one_row
from .circuit import Circuit, QuantumError
from .library import diffuser, phase_oracle
from .statevector import MAX_QUBITS, simulate

__all__ = [
    "grover_circuit",
    "optimal_iterations",
    "success_probability",
    "grover",
    "grover_curve",
    "grover_frames",
    "GroverResult",
]


def _theta(n: int, m: int) -> float:
    n = check("n", n, Int(1, MAX_QUBITS), QuantumError)
    m = check("n_marked", m, Int(1, 2**63), QuantumError)
    if not 1 <= m <= 1 << n:
        raise QuantumError(f"the number of marked items must be in 1..{1 << n}, got {m}")
    return float(np.arcsin(np.sqrt(m / (1 << n))))


def _marked(n, marked) -> list:
    """The marked states as sorted distinct ints in 0..2**n - 1 (named errors for anything else)."""
    n = check("n", n, Int(1, MAX_QUBITS), QuantumError)
    if isinstance(marked, (str, bytes)) or not np.iterable(marked):
        raise QuantumError(f"marked must be a list of basis states (integers), got {marked!r}")
    out = sorted({check("a marked state", m, Int(0, (1 << n) - 1), QuantumError) for m in marked})
    if not out:
        raise QuantumError("mark at least one basis state")
    return out


def optimal_iterations(n: int, n_marked: int = 1) -> int:
    """:math:`\\lfloor \\pi / (4\\theta) \\rfloor` iterations (0 when half or more are marked).

    Examples
    --------
    >>> optimal_iterations(10), optimal_iterations(10, 4)
    (25, 12)
    """
    return int(np.floor(np.pi / (4 * _theta(n, n_marked))))


def success_probability(n: int, n_marked: int, k: int) -> float:
    """The textbook :math:`\\sin^2((2k+1)\\theta)`."""
    k = check("k", k, Int(0, 2**62), QuantumError)
    return float(np.sin((2 * k + 1) * _theta(n, n_marked)) ** 2)


def grover_circuit(n: int, marked, iterations: int | None = None) -> Circuit:
    """Uniform superposition, then ``iterations`` rounds of oracle + diffuser (default: optimal)."""
    marked = _marked(n, marked)
    k = (
        optimal_iterations(n, len(marked))
        if iterations is None
        else check("iterations", iterations, Int(0, 10**6), QuantumError)
    )
    qc = Circuit(n, name=f"grover{n}")
    for q in range(n):
        qc.h(q)
    oracle, diff = phase_oracle(n, marked), diffuser(n)
    for _ in range(k):
        qc.compose(oracle).compose(diff)
    return qc


@dataclass
class GroverResult(Result):
    """Grover's search simulated: the final distribution, the success probability simulated and by the
    formula; ``summary()`` one row, frame ``distribution()``, ``params`` the inputs."""

    n_qubits: int
    marked: list
    iterations: int
    probabilities: np.ndarray = field(repr=False)
    params: dict = field(default_factory=dict, repr=False)
    frames = ("distribution",)

    def summary(self) -> pd.DataFrame:
        """One row: qubits, marked states, iterations, success probability simulated and by the formula."""
        return one_row(
            n_qubits=self.n_qubits,
            marked_states=len(self.marked),
            iterations=self.iterations,
            success_probability=self.success,
            success_probability_formula=self.formula,
        )

    def distribution(self) -> pd.DataFrame:
        """Probability of every basis state, marked or not."""
        states = np.arange(self.probabilities.size)
        return pd.DataFrame(
            {"state": states, "probability": self.probabilities, "marked": np.isin(states, self.marked)}
        )

    @property
    def success(self) -> float:
        return float(self.probabilities[self.marked].sum())

    @property
    def formula(self) -> float:
        return success_probability(self.n_qubits, len(self.marked), self.iterations)


def grover(n: int, marked, iterations: int | None = None) -> GroverResult:
    """Simulate Grover's search and return the final distribution and success probability.

    Examples
    --------
    >>> r = grover(5, [3, 17])
    >>> r.iterations, round(r.success, 4) == round(r.formula, 4)
    (3, True)
    """
    marked = _marked(n, marked)
    qc = grover_circuit(n, marked, iterations)
    k = optimal_iterations(n, len(marked)) if iterations is None else iterations
    return GroverResult(
        n, marked, k, simulate(qc).probabilities(), {"n": n, "marked": marked, "iterations": iterations}
    )


def grover_curve(n: int, marked, max_iterations: int | None = None) -> pd.DataFrame:
    """Success probability after 0..max_iterations rounds: simulated and by the formula (tidy)."""
    marked = _marked(n, marked)
    kmax = (
        check("max_iterations", max_iterations, Int(0, 10**4), QuantumError)
        if max_iterations is not None
        else 2 * optimal_iterations(n, len(marked)) + 2
    )
    frames = grover_frames(n, marked, kmax)
    sim = frames[frames.marked == "marked"].groupby("iteration").probability.sum()
    return pd.DataFrame(
        {
            "iteration": sim.index,
            "simulated": sim.values,
            "formula": [success_probability(n, len(marked), k) for k in sim.index],
        }
    )


def grover_frames(n: int, marked, max_iterations: int) -> pd.DataFrame:
    """Probability of every basis state after 0..max_iterations rounds (tidy, for an animation)."""
    marked = _marked(n, marked)
    max_iterations = check("max_iterations", max_iterations, Int(0, 10**4), QuantumError)
    qc = Circuit(n)
    for q in range(n):
        qc.h(q)
    state = simulate(qc).state
    step = phase_oracle(n, marked).compose(diffuser(n))
    frames = []
    is_marked = np.isin(np.arange(1 << n), marked)
    for k in range(max_iterations + 1):
        frames.append(
            pd.DataFrame(
                {
                    "iteration": k,
                    "state": np.arange(1 << n),
                    "probability": np.abs(state) ** 2,
                    "marked": np.where(is_marked, "marked", "other"),
                }
            )
        )
        state = simulate(step, initial_state=state).state
    return pd.concat(frames, ignore_index=True)
