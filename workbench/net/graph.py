"""networkx graphs <-> CSR arrays for the routing kernels."""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx
import numpy as np

from ..errors import GraphError, NegativeWeightError, UnknownNodeError, WeightTypeError, is_real

__all__ = ["CSRGraph", "to_csr", "from_csr", "predecessor_tree"]


@dataclass(frozen=True, eq=False)
class CSRGraph:
    """A weighted graph in compressed sparse row form, plus its node labels.

    Usually built by :func:`to_csr`; a hand-built one is checked as thoroughly, since the
    routing kernels index its arrays without bounds checks. The arrays are stored as private,
    read-only copies (int64, int32 and float64).

    Parameters
    ----------
    indptr : array_like of int, shape (n + 1,)
        Row pointers: start at 0, never decrease, end at the number of arcs ``m``.
    indices : array_like of int, shape (m,)
        Head node of each arc, in ``0..n-1``; the arcs leaving node ``u`` are
        ``indices[indptr[u]:indptr[u + 1]]``.
    weights : array_like of float, shape (m,)
        Finite, non-negative weight of each arc.
    nodes : sequence of hashable
        Node label of each index, at least one, all distinct; stored as a tuple.
    directed : bool, default False
        Whether the source graph was directed (undirected edges become two arcs).
    weight : str or None, default "weight"
        Edge attribute the weights came from (``None`` for hop counts).

    Attributes
    ----------
    index : dict
        Node label -> index.
    n_nodes : int
        Number of nodes ``n``.
    n_arcs : int
        Number of arcs ``m``.

    Raises
    ------
    GraphError
        If there are no nodes, the labels are repeated or unhashable, or the arrays have the
        wrong dtype, shape or row pointers.
    UnknownNodeError
        If an arc head is not a node index.
    NegativeWeightError
        If a weight is negative, NaN or infinite.

    Examples
    --------
    >>> from workbench.net import CSRGraph
    >>> g = CSRGraph([0, 1, 2], [1, 0], [2.0, 2.0], ("a", "b"))
    >>> g.n_nodes, g.n_arcs, g.node_index("b")
    (2, 2, 1)
    """

    indptr: np.ndarray
    indices: np.ndarray
    weights: np.ndarray
    nodes: tuple
    directed: bool = False
    weight: str | None = "weight"
    index: dict = field(init=False, repr=False)

    def __post_init__(self):
        # the routing kernels index these arrays without bounds checks: a hand-built CSRGraph is
        # checked here as thoroughly as to_csr's output is by construction
        try:
            nodes = tuple(self.nodes)
        except TypeError:
            raise GraphError(f"nodes must be a sequence of labels, got {type(self.nodes).__name__}") from None
        n = len(nodes)
        if n == 0:
            raise GraphError("a CSRGraph needs at least one node")
        indptr, indices, weights = (np.asarray(a) for a in (self.indptr, self.indices, self.weights))
        if indptr.ndim != 1 or indptr.shape[0] != n + 1 or indptr.dtype.kind not in "iu":
            raise GraphError(
                f"indptr must be n_nodes + 1 = {n + 1} integers, got {indptr.dtype} of shape {indptr.shape}"
            )
        if indices.ndim != 1 or indices.dtype.kind not in "iu":
            raise GraphError(f"indices must be a 1-D integer array, got {indices.dtype} of shape {indices.shape}")
        if weights.ndim != 1 or weights.shape != indices.shape or weights.dtype.kind not in "iuf":
            raise GraphError(
                f"weights must be {indices.shape[0]} real numbers (one per arc), got "
                f"{weights.dtype} of shape {weights.shape}"
            )
        if indptr[0] != 0 or indptr[-1] != indices.shape[0] or (np.diff(indptr) < 0).any():
            raise GraphError(
                f"indptr must start at 0, never decrease and end at the number of arcs "
                f"({indices.shape[0]}), got {indptr[0]}..{indptr[-1]}"
            )
        if indices.size and (indices.min() < 0 or indices.max() >= n):
            bad = int(indices[(indices < 0) | (indices >= n)][0])
            raise UnknownNodeError(f"arc head {bad} is not a node index (0..{n - 1})")
        w = weights.astype(np.float64)
        if w.size and not (np.isfinite(w).all() and (w >= 0).all()):
            k = int(np.flatnonzero(~(np.isfinite(w) & (w >= 0)))[0])
            raise NegativeWeightError(f"arc {k} has weight {w[k]!r}; shortest paths need finite weights >= 0")
        index = {}
        for i, v in enumerate(nodes):
            try:
                if index.setdefault(v, i) != i:
                    raise GraphError(f"node label {v!r} appears twice")
            except TypeError:
                raise GraphError(f"node labels must be hashable, got {type(v).__name__}") from None
        for name, arr in (
            ("indptr", np.array(indptr, dtype=np.int64)),
            ("indices", np.array(indices, dtype=np.int32)),
            ("weights", np.array(w)),
        ):
            arr.setflags(write=False)  # a private copy, read-only: what was checked is what the kernels see
            object.__setattr__(self, name, arr)
        object.__setattr__(self, "nodes", nodes)
        object.__setattr__(self, "index", index)

    @property
    def n_nodes(self) -> int:
        """Number of nodes."""
        return len(self.nodes)

    @property
    def n_arcs(self) -> int:
        """Number of arcs (an undirected edge counts twice, self-loops are not stored by :func:`to_csr`)."""
        return int(self.indices.shape[0])

    def node_index(self, node) -> int:
        """Index of a node label; :class:`UnknownNodeError` if absent.

        Parameters
        ----------
        node : hashable
            A node label.

        Returns
        -------
        int
            Its position in :attr:`nodes` (and row of the CSR arrays).

        Raises
        ------
        UnknownNodeError
            If ``node`` is not a node of the graph (the message shows a few that are).
        """
        try:
            return self.index[node]
        except (KeyError, TypeError):
            sample = ", ".join(map(repr, self.nodes[:5])) + (", ..." if len(self.nodes) > 5 else "")
            raise UnknownNodeError(f"node {node!r} is not in the graph ({self.n_nodes} nodes: {sample})") from None

    def node_indices(self, nodes) -> np.ndarray:
        """Indices (int32) of an iterable of node labels.

        Parameters
        ----------
        nodes : iterable of hashable
            Node labels.

        Returns
        -------
        numpy.ndarray of int32
            The index of each label, in the order given.

        Raises
        ------
        UnknownNodeError
            If a label is not a node of the graph.
        """
        return np.fromiter((self.node_index(v) for v in nodes), dtype=np.int32)

    def reverse(self) -> CSRGraph:
        """The graph with every arc reversed (the same object for undirected graphs).

        Returns
        -------
        CSRGraph
            The reversed graph; computed once and cached for directed graphs.
        """
        if not self.directed:
            return self
        cached = self.__dict__.get("_reverse")
        if cached is None:
            tails = np.repeat(np.arange(self.n_nodes, dtype=np.int64), np.diff(self.indptr))
            order = np.lexsort((tails, self.indices))
            heads = self.indices[order].astype(np.int64)
            indptr = np.zeros(self.n_nodes + 1, np.int64)
            np.cumsum(np.bincount(heads, minlength=self.n_nodes), out=indptr[1:])
            cached = CSRGraph(
                indptr,
                tails[order].astype(np.int32),
                np.ascontiguousarray(self.weights[order]),
                self.nodes,
                True,
                self.weight,
            )
            object.__setattr__(self, "_reverse", cached)
        return cached

    def to_scipy(self):
        """The same arcs as a :class:`scipy.sparse.csr_array` (for ``scipy.sparse.csgraph``).

        Returns
        -------
        scipy.sparse.csr_array
            Shape ``(n_nodes, n_nodes)``; entry ``(u, v)`` is the weight of arc ``u -> v``.
        """
        from scipy.sparse import csr_array

        n = self.n_nodes
        return csr_array((self.weights, self.indices, self.indptr), shape=(n, n))


def _edge_arrays(G, weight, default):
    nodes = tuple(G.nodes)
    index = {v: i for i, v in enumerate(nodes)}
    m = G.number_of_edges()
    u = np.empty(m, np.int64)
    v = np.empty(m, np.int64)
    w = np.empty(m, np.float64)
    for k, (a, b, x) in enumerate(G.edges(data=weight, default=default)):
        if not is_real(x):
            raise WeightTypeError(
                f"edge ({a!r}, {b!r}) has {weight}={x!r} ({type(x).__name__}); "
                "weights must be real numbers (int or float)"
            )
        u[k] = index[a]
        v[k] = index[b]
        w[k] = float(x)
    return nodes, u, v, w


def to_csr(G: nx.Graph, weight: str | None = "weight", default: float = 1.0) -> CSRGraph:
    """Convert a networkx graph to CSR arrays for the routing kernels.

    Undirected edges become two arcs; parallel edges (multigraphs) keep the smallest
    weight; self-loops are dropped (they never lie on a shortest path).

    Parameters
    ----------
    G : networkx.Graph, DiGraph, MultiGraph or MultiDiGraph
        The graph to convert; node order is ``G.nodes`` order.
    weight : str or None, default "weight"
        Edge attribute holding the weight; ``None`` gives every edge weight 1.
    default : float, default 1.0
        Weight of edges that lack the attribute (networkx's convention).

    Returns
    -------
    CSRGraph
        The arcs, sorted by tail then head, with the node labels of ``G``.

    Raises
    ------
    GraphError
        If ``G`` is not a networkx graph or has no nodes, or if ``weight`` is a name other than
        ``"weight"`` that no edge carries.
    WeightTypeError
        If a weight is not a real number.
    NegativeWeightError
        If a weight is negative, NaN or infinite.

    Examples
    --------
    >>> g = to_csr(nx.path_graph(3))
    >>> g.indptr.tolist(), g.indices.tolist(), g.weights.tolist()
    ([0, 1, 3, 4], [1, 0, 2, 1], [1.0, 1.0, 1.0, 1.0])
    """
    if not isinstance(G, nx.Graph):
        raise GraphError(f"expected a networkx graph, got {type(G).__name__}")
    if G.number_of_nodes() == 0:
        raise GraphError("the graph has no nodes")
    if weight is None:
        weight, default = "__no_weight_attribute__", 1.0
        attr = None
    else:
        attr = weight
        # networkx's default name "weight" may be absent (unit weights); any other name that no
        # edge carries is a typo, not a request for hop counts
        if weight != "weight" and G.number_of_edges() and not any(weight in d for *_, d in G.edges(data=True)):
            have = sorted({k for *_, d in G.edges(data=True) for k in d})
            raise GraphError(
                f"no edge has a {weight!r} attribute (edges have: {have}); "
                "pass one of those, or weight=None to count hops"
            )
    nodes, u, v, w = _edge_arrays(G, weight, default)
    bad = ~np.isfinite(w) | (w < 0)
    if bad.any():
        k = int(np.flatnonzero(bad)[0])
        a, b = nodes[u[k]], nodes[v[k]]
        raise NegativeWeightError(
            f"edge ({a!r}, {b!r}) has {attr or 'weight'}={w[k]!r}; shortest paths need finite "
            f"weights >= 0 ({int(bad.sum())} bad edge(s) in all)"
        )
    if not G.is_directed():
        u, v = np.concatenate([u, v]), np.concatenate([v, u])
        w = np.concatenate([w, w])
    keep = u != v
    u, v, w = u[keep], v[keep], w[keep]
    n = len(nodes)
    order = np.lexsort((w, v, u))  # by tail, then head, then weight: first of a run is the min
    u, v, w = u[order], v[order], w[order]
    if u.size:
        first = np.ones(u.size, bool)
        first[1:] = (u[1:] != u[:-1]) | (v[1:] != v[:-1])
        u, v, w = u[first], v[first], w[first]
    indptr = np.zeros(n + 1, np.int64)
    np.cumsum(np.bincount(u, minlength=n), out=indptr[1:])
    return CSRGraph(indptr, v.astype(np.int32), np.ascontiguousarray(w), nodes, G.is_directed(), attr)


def from_csr(csr: CSRGraph, weight: str = "weight") -> nx.Graph:
    """Build a networkx graph back from a :class:`CSRGraph` (arcs become edges).

    Parameters
    ----------
    csr : CSRGraph
        The graph to convert.
    weight : str, default "weight"
        Edge attribute that receives each arc's weight.

    Returns
    -------
    networkx.Graph or networkx.DiGraph
        A DiGraph when ``csr.directed``, else a Graph (the two arcs of an undirected edge
        become one edge), with the same node labels.

    Examples
    --------
    >>> import networkx as nx
    >>> from workbench.net import from_csr, to_csr
    >>> sorted(from_csr(to_csr(nx.path_graph(3))).edges(data="weight"))
    [(0, 1, 1.0), (1, 2, 1.0)]
    """
    G = nx.DiGraph() if csr.directed else nx.Graph()
    G.add_nodes_from(csr.nodes)
    tails = np.repeat(np.arange(csr.n_nodes), np.diff(csr.indptr))
    G.add_weighted_edges_from(
        ((csr.nodes[a], csr.nodes[b], float(x)) for a, b, x in zip(tails, csr.indices, csr.weights)),
        weight=weight,
    )
    return G


def predecessor_tree(csr: CSRGraph, pred: np.ndarray, dist: np.ndarray | None = None) -> nx.DiGraph:
    """Turn a predecessor array into a shortest-path tree (edges point away from the root).

    Nodes get a ``distance`` attribute when ``dist`` is given; unreached nodes are left out.

    Parameters
    ----------
    csr : CSRGraph
        The graph the arrays index.
    pred : numpy.ndarray of int
        Predecessor index of each node, -1 for the root(s) and unreached nodes (as from
        :meth:`Router.sssp`).
    dist : numpy.ndarray of float, optional
        Distance of each node, ``inf`` where unreached. Without it, a root enters the tree
        only as the tail of an edge (an isolated root is left out).

    Returns
    -------
    networkx.DiGraph
        Nodes labelled as in ``csr``, an edge from each reached node's predecessor to it.

    Examples
    --------
    >>> import networkx as nx
    >>> from workbench.net import Router, predecessor_tree
    >>> r = Router(nx.path_graph(3))
    >>> dist, pred = r.sssp(0)
    >>> T = predecessor_tree(r.csr, pred, dist)
    >>> sorted(T.edges()), T.nodes[2]["distance"]
    ([(0, 1), (1, 2)], 2.0)
    """
    T = nx.DiGraph()
    reached = np.flatnonzero(pred >= 0)
    roots = np.flatnonzero((pred < 0) & (np.isfinite(dist) if dist is not None else False))
    for i in np.concatenate([roots, reached]):
        attrs = {"distance": float(dist[i])} if dist is not None else {}
        T.add_node(csr.nodes[i], **attrs)
    T.add_edges_from((csr.nodes[pred[i]], csr.nodes[i]) for i in reached)
    return T
