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
    """:math:`\\lfloor \\pi / (4\\theta) \\rfloor` iterations: the first peak of the success probability.

    Parameters
    ----------
    n : int
        Qubits, in [1, ``MAX_QUBITS``] (34): a search over :math:`N = 2^n` items.
    n_marked : int, default 1
        Marked items :math:`M`, in [1, :math:`2^n`].

    Returns
    -------
    int
        The number of Grover iterations up to the first peak of the success probability, with
        :math:`\\sin\\theta = \\sqrt{M/N}`: the best count when fewer than half the items are marked.
        With more marked (0 iterations here), a later count can do better: for ``n=4``, ``M=10``,
        no iteration succeeds with probability 0.625 and two with 0.976.

    Raises
    ------
    QuantumError
        If ``n`` or ``n_marked`` is not an integer in its range.

    Examples
    --------
    >>> from workbench.quantum import optimal_iterations
    >>> optimal_iterations(10), optimal_iterations(10, 4)
    (25, 12)
    """
    return int(np.floor(np.pi / (4 * _theta(n, n_marked))))


def success_probability(n: int, n_marked: int, k: int) -> float:
    """The textbook :math:`\\sin^2((2k+1)\\theta)`.

    Parameters
    ----------
    n : int
        Qubits, in [1, ``MAX_QUBITS``] (34).
    n_marked : int
        Marked items :math:`M`, in [1, :math:`2^n`].
    k : int
        Grover iterations, >= 0.

    Returns
    -------
    float
        The probability of measuring a marked item after ``k`` iterations, with
        :math:`\\sin\\theta = \\sqrt{M/2^n}`.

    Raises
    ------
    QuantumError
        If ``n``, ``n_marked`` or ``k`` is not an integer in its range.

    Examples
    --------
    >>> from workbench.quantum import success_probability
    >>> round(success_probability(3, 1, 2), 4)
    0.9453
    """
    k = check("k", k, Int(0, 2**62), QuantumError)
    return float(np.sin((2 * k + 1) * _theta(n, n_marked)) ** 2)


def grover_circuit(n: int, marked, iterations: int | None = None) -> Circuit:
    """Uniform superposition, then ``iterations`` rounds of oracle + diffuser (default: optimal).

    Parameters
    ----------
    n : int
        Qubits, in [1, ``MAX_QUBITS``] (34).
    marked : iterable of int
        The marked basis states, each in [0, :math:`2^n - 1`]; at least one, duplicates ignored.
    iterations : int or None, default None
        Rounds of oracle and diffuser, in [0, 10**6]; ``None`` means :func:`optimal_iterations`.

    Returns
    -------
    Circuit
        A circuit named ``"grover<n>"``, without measurements.

    Raises
    ------
    QuantumError
        If ``n``, ``marked`` or ``iterations`` is invalid (a marked state out of range, none
        marked, ``marked`` not a list of integers).

    See Also
    --------
    grover : Simulate the circuit.
    workbench.quantum.library.phase_oracle : The oracle.
    workbench.quantum.library.diffuser : The inversion about the mean.

    Examples
    --------
    >>> from workbench.quantum import grover_circuit
    >>> qc = grover_circuit(3, [5])
    >>> qc.name, qc.n_qubits
    ('grover3', 3)
    """
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
    formula; ``summary()`` one row, frame ``distribution()``, ``params`` the inputs.

    Returned by :func:`grover`.

    Parameters
    ----------
    n_qubits : int
        Qubits of the search.
    marked : list of int
        The marked basis states, sorted and distinct.
    iterations : int
        Grover iterations run.
    probabilities : numpy.ndarray
        Final probability of each of the :math:`2^n` basis states.
    params : dict, optional
        The inputs: ``n``, ``marked`` and ``iterations`` (``None`` when the optimum was used)
        (default: an empty dict).

    Examples
    --------
    >>> from workbench.quantum import grover
    >>> r = grover(3, [5])
    >>> r.iterations, round(r.success, 4), r.distribution().shape
    (2, 0.9453, (8, 3))
    """

    n_qubits: int
    marked: list
    iterations: int
    probabilities: np.ndarray = field(repr=False)
    params: dict = field(default_factory=dict, repr=False)
    frames = ("distribution",)

    def summary(self) -> pd.DataFrame:
        """One row: qubits, marked states, iterations, success probability simulated and by the formula.

        Returns
        -------
        pandas.DataFrame
            Columns ``n_qubits``, ``marked_states``, ``iterations``, ``success_probability`` and
            ``success_probability_formula``.
        """
        return one_row(
            n_qubits=self.n_qubits,
            marked_states=len(self.marked),
            iterations=self.iterations,
            success_probability=self.success,
            success_probability_formula=self.formula,
        )

    def distribution(self) -> pd.DataFrame:
        """Probability of every basis state, marked or not.

        Returns
        -------
        pandas.DataFrame
            Columns ``state``, ``probability`` and ``marked`` (bool), one row per basis state.
        """
        states = np.arange(self.probabilities.size)
        return pd.DataFrame(
            {"state": states, "probability": self.probabilities, "marked": np.isin(states, self.marked)}
        )

    @property
    def success(self) -> float:
        """The simulated success probability.

        Returns
        -------
        float
            The total probability of the marked states.
        """
        return float(self.probabilities[self.marked].sum())

    @property
    def formula(self) -> float:
        """The success probability by the formula.

        Returns
        -------
        float
            :func:`success_probability` for these qubits, marked states and iterations.
        """
        return success_probability(self.n_qubits, len(self.marked), self.iterations)


def grover(n: int, marked, iterations: int | None = None) -> GroverResult:
    """Simulate Grover's search and return the final distribution and success probability.

    Parameters
    ----------
    n : int
        Qubits, in [1, ``MAX_QUBITS``] (34), as far as the state vector fits in memory.
    marked : iterable of int
        The marked basis states, each in [0, :math:`2^n - 1`]; at least one, duplicates ignored.
    iterations : int or None, default None
        Grover iterations, in [0, 10**6]; ``None`` means :func:`optimal_iterations`.

    Returns
    -------
    GroverResult
        ``probabilities``, ``success`` (simulated) and ``formula``, ``summary()`` and
        ``distribution()``.

    Raises
    ------
    QuantumError
        If ``n``, ``marked`` or ``iterations`` is invalid.
    TooManyQubitsError
        If the state vector would not fit in memory.

    Examples
    --------
    >>> from workbench.quantum import grover
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
    """Success probability after 0..max_iterations rounds: simulated and by the formula (tidy).

    Parameters
    ----------
    n : int
        Qubits, in [1, ``MAX_QUBITS``] (34).
    marked : iterable of int
        The marked basis states, each in [0, :math:`2^n - 1`]; at least one, duplicates ignored.
    max_iterations : int or None, default None
        Last iteration, in [0, 10**4]; ``None`` means twice :func:`optimal_iterations` plus 2.

    Returns
    -------
    pandas.DataFrame
        Columns ``iteration``, ``simulated`` and ``formula`` (success probabilities), one row per
        iteration from 0.

    Raises
    ------
    QuantumError
        If ``n``, ``marked`` or ``max_iterations`` is invalid.

    Examples
    --------
    >>> from workbench.quantum import grover_curve
    >>> df = grover_curve(3, [5], max_iterations=2)
    >>> df.round(3).values.tolist()
    [[0.0, 0.125, 0.125], [1.0, 0.781, 0.781], [2.0, 0.945, 0.945]]
    """
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
    """Probability of every basis state after 0..max_iterations rounds (tidy, for an animation).

    Parameters
    ----------
    n : int
        Qubits, in [1, ``MAX_QUBITS``] (34).
    marked : iterable of int
        The marked basis states, each in [0, :math:`2^n - 1`]; at least one, duplicates ignored.
    max_iterations : int
        Last iteration, in [0, 10**4].

    Returns
    -------
    pandas.DataFrame
        Columns ``iteration``, ``state``, ``probability`` and ``marked`` (``"marked"`` or
        ``"other"``): :math:`2^n` rows per iteration, from 0 to ``max_iterations``.

    Raises
    ------
    QuantumError
        If ``n``, ``marked`` or ``max_iterations`` is invalid.

    Examples
    --------
    >>> from workbench.quantum import grover_frames
    >>> f = grover_frames(2, [3], 1)
    >>> len(f), f[f.iteration == 1].probability.round(3).tolist()
    (8, [0.0, 0.0, 0.0, 1.0])
    """
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
