r"""QAOA for MaxCut on networkx graphs.

For a graph with edge weights :math:`w_{ij}`, the cut of an assignment :math:`z \in \{0,1\}^n`
is :math:`C(z) = \sum_{(i,j)} w_{ij}\,[z_i \ne z_j]`. QAOA with depth :math:`p` prepares

.. math::

    |\gamma, \beta\rangle = \prod_{l=1}^{p} e^{-i\beta_l B} e^{-i\gamma_l C} |+\rangle^{\otimes n},
    \qquad B = \sum_q X_q,

and maximises :math:`F_p(\gamma, \beta) = \langle C \rangle`. Here :math:`e^{-i\gamma C}` is
``rzz`` on every edge (up to a global phase) and :math:`e^{-i\beta B}` is ``rx(2 beta)`` on every qubit.
For 3-regular triangle-free graphs the optimum at :math:`p = 1` is
:math:`\langle C\rangle / |E| = 1/2 + 1/(3\sqrt3) \approx 0.6925` (Farhi, Goldstone & Gutmann 2014),
which is also the worst-case ratio to the maximum cut on 3-regular graphs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx
import numpy as np
import pandas as pd

from ..errors import Array, Int, Real, Seed, check, checked, make_rng
from ..results import Result, one_row
from .circuit import Circuit, Parameter, QuantumError
from .statevector import simulate

__all__ = [
    "cut_values",
    "brute_force_maxcut",
    "qaoa_circuit",
    "qaoa_expectation",
    "qaoa_landscape",
    "optimize_qaoa",
    "QAOAResult",
]


def _graph(G):
    if not isinstance(G, nx.Graph) or G.number_of_nodes() == 0:
        raise QuantumError("QAOA needs a non-empty networkx Graph")
    if G.number_of_nodes() > 24:
        raise QuantumError(f"{G.number_of_nodes()} nodes is too many for exact MaxCut here (at most 24)")
    nodes = list(G.nodes)
    idx = {v: i for i, v in enumerate(nodes)}
    edges = []
    for u, v, d in G.edges(data=True):
        w = d.get("weight", 1.0)
        w = check(f"the MaxCut weight of edge ({u!r}, {v!r})", w, Real(), QuantumError)
        edges.append((idx[u], idx[v], w))
    return nodes, edges


def cut_values(G) -> np.ndarray:
    """Cut value of every assignment (index bit q = side of node q, in ``G.nodes`` order)."""
    nodes, edges = _graph(G)
    z = np.arange(1 << len(nodes))
    c = np.zeros(z.size)
    for i, j, w in edges:
        c += w * (((z >> i) ^ (z >> j)) & 1)
    return c


def brute_force_maxcut(G) -> tuple[float, list]:
    """The maximum cut by enumeration, and one optimal side-1 node set.

    Examples
    --------
    >>> brute_force_maxcut(nx.cycle_graph(4))
    (4.0, [0, 2])
    """
    nodes, _ = _graph(G)
    c = cut_values(G)
    best = int(np.argmax(c))
    side = [v for q, v in enumerate(nodes) if (best >> q) & 1]
    return float(c[best]), side


def qaoa_circuit(G, p: int = 1, gammas=None, betas=None) -> Circuit:
    """The depth-``p`` QAOA circuit (symbolic angles ``gamma_l``/``beta_l`` unless given)."""
    nodes, edges = _graph(G)
    n = len(nodes)
    p = check("p", p, Int(1, 1000), QuantumError)
    gammas = [Parameter(f"gamma_{l}") for l in range(p)] if gammas is None else list(gammas)
    betas = [Parameter(f"beta_{l}") for l in range(p)] if betas is None else list(betas)
    if len(gammas) != p or len(betas) != p:
        raise QuantumError(f"p = {p} needs {p} gammas and {p} betas")
    qc = Circuit(n, name=f"qaoa_p{p}")
    for q in range(n):
        qc.h(q)
    for g, b in zip(gammas, betas):
        for i, j, w in edges:
            qc.rzz(-w * g, i, j)  # exp(-i g w (1 - Z_i Z_j)/2) = exp(+i g w Z_i Z_j / 2) up to phase
        for q in range(n):
            qc.rx(2 * b, q)
    return qc


def qaoa_expectation(G, gammas, betas, cuts: np.ndarray | None = None) -> float:
    """<C> in the QAOA state with the given angles."""
    gammas = check("gammas", gammas, Array(ndim=1, min_size=1), QuantumError)
    betas = check("betas", betas, Array(ndim=1, min_size=1), QuantumError)
    cuts = cut_values(G) if cuts is None else cuts
    psi = simulate(qaoa_circuit(G, len(gammas), gammas, betas)).state
    return float(np.dot(np.abs(psi) ** 2, cuts))


@checked(QuantumError, n_gamma=Int(1, 1000), n_beta=Int(1, 1000))
def qaoa_landscape(G, n_gamma: int = 40, n_beta: int = 40) -> pd.DataFrame:
    """<C> over a grid of (gamma, beta) at p = 1 (gamma in [0, pi], beta in [0, pi/2]); tidy frame."""
    cuts = cut_values(G)
    rows = []
    for g in np.linspace(0, np.pi, n_gamma):
        for b in np.linspace(0, np.pi / 2, n_beta):
            rows.append({"gamma": g, "beta": b, "expected_cut": qaoa_expectation(G, [g], [b], cuts)})
    return pd.DataFrame(rows)


@dataclass
class QAOAResult(Result):
    """QAOA at depth ``p`` optimised: the angles, the expected and maximum cut, the probability of sampling a
    maximum cut; ``summary()`` one row, frame ``history`` (every evaluation), ``params`` the inputs."""

    p: int
    gammas: np.ndarray
    betas: np.ndarray
    expected_cut: float
    max_cut: float
    n_edges: int
    history: pd.DataFrame = field(repr=False)
    probabilities: np.ndarray = field(repr=False)
    params: dict = field(default_factory=dict, repr=False)
    frames = ("history",)

    def summary(self) -> pd.DataFrame:
        """One row: layers, evaluations, expected and maximum cut, approximation ratio, P(maximum cut)."""
        return one_row(
            layers=self.p,
            evaluations=len(self.history),
            expected_cut=self.expected_cut,
            max_cut=self.max_cut,
            approximation_ratio=self.ratio,
            optimal_probability=self.p_optimal,
        )

    @property
    def ratio(self) -> float:
        """Approximation ratio <C> / max cut."""
        return self.expected_cut / self.max_cut

    @property
    def p_optimal(self) -> float:
        """Probability that one sample is a maximum cut."""
        return float(self.probabilities.sum())


@checked(QuantumError, p=Int(1, 1000), restarts=Int(1, 10_000), seed=Seed())
def optimize_qaoa(G, p: int = 1, *, restarts: int = 5, seed=None, method: str = "L-BFGS-B") -> QAOAResult:
    """Maximise <C> over the 2p angles with scipy from several random starts.

    Examples
    --------
    >>> r = optimize_qaoa(nx.cycle_graph(6), p=1, seed=0)
    >>> round(r.expected_cut / 6, 3)  # 3/4 per edge on rings at p = 1
    0.75
    """
    from scipy.optimize import minimize

    cuts = cut_values(G)
    max_cut = float(cuts.max())
    if max_cut <= 0:
        raise QuantumError("the graph has no edges of positive weight: every cut is 0 and the QAOA ratio is undefined")
    rng = make_rng(seed)
    history = []
    best = None
    for start in range(restarts):
        x0 = np.concatenate([rng.uniform(0, np.pi, p), rng.uniform(0, np.pi / 2, p)])

        def f(x):
            v = qaoa_expectation(G, x[:p], x[p:], cuts)
            history.append({"restart": start, "evaluation": len(history), "expected_cut": v})  # noqa: B023
            return -v

        res = minimize(f, x0, method=method)
        if best is None or res.fun < best.fun:
            best = res
    gammas, betas = best.x[:p], best.x[p:]
    psi = simulate(qaoa_circuit(G, p, gammas, betas)).state
    probs = np.abs(psi) ** 2
    return QAOAResult(
        p,
        gammas,
        betas,
        -float(best.fun),
        max_cut,
        G.number_of_edges(),
        pd.DataFrame(history),
        probs[np.isclose(cuts, max_cut)],
        {"G": G, "p": p, "restarts": restarts, "seed": seed, "method": method},
    )
