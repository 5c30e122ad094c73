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
a fraction of the *edges*; it is the ratio to the maximum cut only on bipartite graphs. Over all
3-regular graphs, :math:`p = 1` guarantees at least 0.6924 of the maximum cut (the same paper).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx
import numpy as np
import pandas as pd

from ..errors import Array, Int, Optional, Options, Real, Seed, check, checked, make_rng
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
        if u == v:
            raise QuantumError(f"node {u!r} has a self-loop; a MaxCut graph has none (nx.selfloop_edges finds them)")
        w = d.get("weight", 1.0)
        w = check(f"the MaxCut weight of edge ({u!r}, {v!r})", w, Real(), QuantumError)
        edges.append((idx[u], idx[v], w))
    return nodes, edges


def cut_values(G) -> np.ndarray:
    """Cut value of every assignment (index bit q = side of node q, in ``G.nodes`` order).

    Parameters
    ----------
    G : networkx.Graph
        A graph of 1 to 24 nodes; an edge's ``"weight"`` attribute (a finite number, default 1.0)
        is its weight.

    Returns
    -------
    numpy.ndarray
        :math:`2^n` cut values, indexed by assignment.

    Raises
    ------
    QuantumError
        If ``G`` is not a non-empty networkx graph, has more than 24 nodes, or a weight is not a
        finite number.

    Examples
    --------
    >>> import networkx as nx
    >>> from workbench.quantum import cut_values
    >>> cut_values(nx.path_graph(3)).tolist()
    [0.0, 1.0, 2.0, 1.0, 1.0, 2.0, 1.0, 0.0]
    """
    nodes, edges = _graph(G)
    z = np.arange(1 << len(nodes))
    c = np.zeros(z.size)
    for i, j, w in edges:
        c += w * (((z >> i) ^ (z >> j)) & 1)
    return c


def brute_force_maxcut(G) -> tuple[float, list]:
    """The maximum cut by enumeration, and one optimal side-1 node set.

    Parameters
    ----------
    G : networkx.Graph
        A graph of 1 to 24 nodes, weighted by the ``"weight"`` edge attribute (default 1.0).

    Returns
    -------
    max_cut : float
        The maximum cut value.
    side : list
        The nodes on side 1 of the first optimal assignment (in assignment-index order).

    Raises
    ------
    QuantumError
        If ``G`` is not a non-empty networkx graph, has more than 24 nodes, or a weight is not a
        finite number.

    Examples
    --------
    >>> import networkx as nx
    >>> from workbench.quantum import brute_force_maxcut
    >>> brute_force_maxcut(nx.cycle_graph(4))
    (4.0, [0, 2])
    """
    nodes, _ = _graph(G)
    c = cut_values(G)
    best = int(np.argmax(c))
    side = [v for q, v in enumerate(nodes) if (best >> q) & 1]
    return float(c[best]), side


def qaoa_circuit(G, p: int = 1, gammas=None, betas=None) -> Circuit:
    """The depth-``p`` QAOA circuit (symbolic angles ``gamma_l``/``beta_l`` unless given).

    Parameters
    ----------
    G : networkx.Graph
        A graph of 1 to 24 nodes without self-loops, weighted by the ``"weight"`` edge attribute
        (default 1.0); qubit ``q`` is the ``q``-th node of ``G.nodes``.
    p : int, default 1
        Layers, in [1, 1000].
    gammas : sequence of float or Parameter, optional
        The ``p`` cost angles; ``None`` (the default) makes parameters ``gamma_0``, ``gamma_1``, ...
    betas : sequence of float or Parameter, optional
        The ``p`` mixer angles; ``None`` (the default) makes parameters ``beta_0``, ``beta_1``, ...

    Returns
    -------
    Circuit
        A circuit named ``"qaoa_p<p>"``: H on every qubit, then per layer ``rzz(-w * gamma)`` on every
        edge and ``rx(2 * beta)`` on every qubit; no measurements.

    Raises
    ------
    QuantumError
        If ``G`` is invalid (see :func:`cut_values`), ``p`` is out of range, or ``gammas`` or
        ``betas`` does not hold ``p`` angles.

    Examples
    --------
    >>> import networkx as nx
    >>> from workbench.quantum import qaoa_circuit
    >>> qc = qaoa_circuit(nx.cycle_graph(4))
    >>> qc.parameters, qc.count_ops()
    (['beta_0', 'gamma_0'], {'h': 4, 'rzz': 4, 'rx': 4})
    """
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
    """<C> in the QAOA state with the given angles.

    Parameters
    ----------
    G : networkx.Graph
        A graph of 1 to 24 nodes, weighted by the ``"weight"`` edge attribute (default 1.0).
    gammas : array_like
        The cost angles, a 1-d array of finite numbers; its length is the depth ``p``.
    betas : array_like
        The mixer angles, a 1-d array of ``p`` finite numbers.
    cuts : numpy.ndarray or None, default None
        The cut values of ``G`` (:func:`cut_values`), to reuse across calls; ``None`` computes them.

    Returns
    -------
    float
        The expected cut value of the QAOA state.

    Raises
    ------
    QuantumError
        If ``G`` is invalid, or ``gammas`` and ``betas`` are not non-empty 1-d arrays of finite
        numbers of one length.

    Examples
    --------
    >>> import networkx as nx
    >>> import numpy as np
    >>> from workbench.quantum import qaoa_expectation
    >>> round(qaoa_expectation(nx.cycle_graph(4), [np.pi / 8], [np.pi / 8]), 3)
    2.707
    """
    gammas = check("gammas", gammas, Array(ndim=1, min_size=1), QuantumError)
    betas = check("betas", betas, Array(ndim=1, min_size=1), QuantumError)
    cuts = cut_values(G) if cuts is None else cuts
    psi = simulate(qaoa_circuit(G, len(gammas), gammas, betas)).state
    return float(np.dot(np.abs(psi) ** 2, cuts))


@checked(QuantumError, n_gamma=Int(1, 1000), n_beta=Int(1, 1000))
def qaoa_landscape(G, n_gamma: int = 40, n_beta: int = 40) -> pd.DataFrame:
    """<C> over a grid of (gamma, beta) at p = 1 (gamma in [0, pi], beta in [0, pi/2]); tidy frame.

    Parameters
    ----------
    G : networkx.Graph
        A graph of 1 to 24 nodes, weighted by the ``"weight"`` edge attribute (default 1.0).
    n_gamma : int, default 40
        Grid points for gamma (end points included), in [1, 1000].
    n_beta : int, default 40
        Grid points for beta (end points included), in [1, 1000].

    Returns
    -------
    pandas.DataFrame
        Columns ``gamma``, ``beta`` and ``expected_cut``, ``n_gamma * n_beta`` rows.

    Raises
    ------
    QuantumError
        If ``n_gamma`` or ``n_beta`` is not an integer in range, or ``G`` is invalid.

    Examples
    --------
    >>> import networkx as nx
    >>> from workbench.quantum import qaoa_landscape
    >>> df = qaoa_landscape(nx.cycle_graph(4), n_gamma=4, n_beta=4)
    >>> df.shape, round(float(df.expected_cut.max()), 3)
    ((16, 3), 2.75)
    """
    cuts = cut_values(G)
    rows = []
    for g in np.linspace(0, np.pi, n_gamma):
        for b in np.linspace(0, np.pi / 2, n_beta):
            rows.append({"gamma": g, "beta": b, "expected_cut": qaoa_expectation(G, [g], [b], cuts)})
    return pd.DataFrame(rows)


@dataclass
class QAOAResult(Result):
    """QAOA at depth ``p`` optimised: the angles, the expected and maximum cut, the probability of sampling a
    maximum cut; ``summary()`` one row, frame ``history`` (every evaluation), ``params`` the inputs.

    Returned by :func:`optimize_qaoa`.

    Parameters
    ----------
    p : int
        Layers.
    gammas : numpy.ndarray
        The best cost angles, ``p`` of them.
    betas : numpy.ndarray
        The best mixer angles, ``p`` of them.
    expected_cut : float
        The expected cut at the best angles.
    max_cut : float
        The maximum cut (by enumeration).
    n_edges : int
        Edges of the graph.
    history : pandas.DataFrame
        Every evaluation: columns ``restart``, ``evaluation`` and ``expected_cut``.
    probabilities : numpy.ndarray
        The probabilities of the maximum-cut assignments in the final state (one per optimal
        assignment).
    params : dict, optional
        The inputs: ``G``, ``p``, ``restarts``, ``seed`` and ``method`` (default: an empty dict).

    Examples
    --------
    >>> import networkx as nx
    >>> from workbench.quantum import optimize_qaoa
    >>> r = optimize_qaoa(nx.cycle_graph(4), restarts=1, seed=0)
    >>> r.max_cut, round(r.ratio, 3), round(r.p_optimal, 3)
    (4.0, 0.75, 0.531)
    """

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
        """One row: layers, evaluations, expected and maximum cut, approximation ratio, P(maximum cut).

        Returns
        -------
        pandas.DataFrame
            Columns ``layers``, ``evaluations``, ``expected_cut``, ``max_cut``,
            ``approximation_ratio`` and ``optimal_probability``.
        """
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
def optimize_qaoa(
    G, p: int = 1, *, restarts: int = 5, seed=None, method: str = "L-BFGS-B", jac: str | None = "adjoint"
) -> QAOAResult:
    """Maximise <C> over the 2p angles with scipy from several random starts.

    Parameters
    ----------
    G : networkx.Graph
        A graph of 1 to 24 nodes without self-loops, weighted by the ``"weight"`` edge attribute
        (default 1.0), with at least one edge of positive weight.
    p : int, default 1
        Layers, in [1, 1000].
    restarts : int, default 5
        Random starts (gammas uniform in [0, pi], betas in [0, pi/2]), in [1, 10000]; the best
        result is kept.
    seed : int, numpy.random.Generator or None, default None
        Seed of the random starts; the same seed gives the same result.
    method : str, default "L-BFGS-B"
        The :func:`scipy.optimize.minimize` method.
    jac : {"adjoint", "parameter_shift"} or None, default "adjoint"
        With a gradient-based method (L-BFGS-B, BFGS, CG, SLSQP, TNC), the analytic gradient of the
        expected cut (:func:`~workbench.quantum.gradient`, on the cut written as a Pauli sum); ``None``
        lets scipy difference it.

    Returns
    -------
    QAOAResult
        The best ``gammas`` and ``betas``, ``expected_cut``, ``max_cut``, ``ratio``,
        ``p_optimal``, the ``history`` frame and ``summary()``.

    Raises
    ------
    QuantumError
        If ``p``, ``restarts`` or ``seed`` is invalid, ``G`` is invalid (see :func:`cut_values`),
        or no edge has a positive weight.

    Examples
    --------
    >>> import networkx as nx
    >>> from workbench.quantum import optimize_qaoa
    >>> r = optimize_qaoa(nx.cycle_graph(6), p=1, seed=0)
    >>> round(r.expected_cut / 6, 3)  # 3/4 per edge on rings at p = 1
    0.75
    """
    from scipy.optimize import minimize

    cuts = cut_values(G)
    max_cut = float(cuts.max())
    if max_cut <= 0:
        raise QuantumError("the graph has no edges of positive weight: every cut is 0 and the QAOA ratio is undefined")
    rng = make_rng(seed, error=QuantumError)
    jac = check("jac", jac, Optional(Options("adjoint", "parameter_shift")), QuantumError)
    use_jac = jac is not None and str(method).upper() in ("L-BFGS-B", "BFGS", "CG", "SLSQP", "TNC")
    if use_jac:
        from .gradients import gradient

        circuit = qaoa_circuit(G, p)
        n = G.number_of_nodes()
        index = {v: i for i, v in enumerate(G.nodes)}
        cut_op = {"I" * n: 0.0}
        for u, v, d in G.edges(data=True):  # C = sum_uv w (1 - Z_u Z_v) / 2
            w = float(d.get("weight", 1.0))
            label = ["I"] * n
            label[n - 1 - index[u]] = label[n - 1 - index[v]] = "Z"
            key = "".join(label)
            cut_op["I" * n] += w / 2
            cut_op[key] = cut_op.get(key, 0.0) - w / 2
        order = [circuit.parameters.index(f"gamma_{k}") for k in range(p)] + [
            circuit.parameters.index(f"beta_{k}") for k in range(p)
        ]
    history = []
    best = None
    for start in range(restarts):
        x0 = np.concatenate([rng.uniform(0, np.pi, p), rng.uniform(0, np.pi / 2, p)])

        def f(x):
            v = qaoa_expectation(G, x[:p], x[p:], cuts)
            history.append({"restart": start, "evaluation": len(history), "expected_cut": v})  # noqa: B023
            return -v

        def f_and_grad(x):
            values = dict(zip([f"gamma_{k}" for k in range(p)] + [f"beta_{k}" for k in range(p)], x))
            v, g = gradient(circuit, cut_op, values, method=jac)  # noqa: B023
            history.append({"restart": start, "evaluation": len(history), "expected_cut": v})  # noqa: B023
            return -v, -g[order]  # noqa: B023

        res = minimize(f_and_grad, x0, method=method, jac=True) if use_jac else minimize(f, x0, method=method)
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
        {"G": G, "p": p, "restarts": restarts, "seed": seed, "method": method, "jac": jac},
    )
