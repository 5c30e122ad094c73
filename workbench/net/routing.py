r"""Shortest paths on weighted graphs: Dijkstra kernels behind a validating API.

Every function accepts a networkx graph (converted with :func:`~workbench.net.to_csr`) or
a :class:`Router` built once and reused, which is what notebooks and other labs should do
when they query the same graph many times.

Distances to nodes that cannot be reached (or lie beyond ``limit``) are ``inf``, and
their predecessor is ``-1``; paths to them are empty. This matches
:func:`scipy.sparse.csgraph.dijkstra`, against which every kernel is tested.

.. math::

    d(s, v) = \min_{P: s \leadsto v} \sum_{(a, b) \in P} w_{ab}, \qquad w_{ab} \ge 0
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import TYPE_CHECKING

import networkx as nx
import numpy as np

if TYPE_CHECKING:  # pandas is imported where a DataFrame is built (keeps import fast)
    import pandas as pd

from ..errors import Array, Int, Real, WorkbenchError, check, check_memory
from . import _kernels
from .graph import CSRGraph, predecessor_tree, to_csr

__all__ = [
    "Router",
    "shortest_path",
    "shortest_path_lengths",
    "pairwise_distances",
    "distance_matrix",
    "nearest_source",
    "k_nearest",
    "route_table",
    "route_stretch",
]


_FLOAT32_BLOCK_BYTES = 32 << 20  # float64 scratch for float32 matrices, per block of rows


def _check_limit(limit) -> float:
    if limit is None:
        return math.inf
    try:
        limit = float(limit)
    except (TypeError, ValueError):
        raise WorkbenchError(f"limit must be a number >= 0 or None, got {limit!r}") from None
    if not limit >= 0:  # also catches NaN
        raise WorkbenchError(f"limit must be >= 0 (or None for no limit), got {limit!r}")
    return limit


class Router:
    """A graph prepared once for many shortest-path queries.

    Parameters
    ----------
    graph : networkx graph or CSRGraph
        The graph; a networkx graph is converted once with :func:`~workbench.net.to_csr`.
    weight : str or None, default "weight"
        Edge attribute used as the weight (ignored for a CSRGraph); ``None`` counts hops.

    Attributes
    ----------
    csr : CSRGraph
        The graph the queries run on.
    nodes : tuple
        Node labels; the arrays returned by the methods are indexed in this order.

    Raises
    ------
    GraphError
        If ``graph`` is not a networkx graph or CSRGraph, or has no nodes.
    WeightTypeError
        If a weight is not a real number.
    NegativeWeightError
        If a weight is negative, NaN or infinite.

    Examples
    --------
    >>> r = Router(nx.path_graph(4))
    >>> r.distances(0).tolist()
    [0.0, 1.0, 2.0, 3.0]
    >>> r.path(0, 3)
    [0, 1, 2, 3]
    """

    def __init__(self, graph, weight: str | None = "weight"):
        self.csr = graph if isinstance(graph, CSRGraph) else to_csr(graph, weight=weight)
        c = self.csr
        rc = c.reverse()
        self._args = (c.indptr, c.indices, c.weights)
        self._both = self._args + (rc.indptr, rc.indices, rc.weights)

    @property
    def nodes(self) -> tuple:
        """Node labels, in the order the returned arrays are indexed."""
        return self.csr.nodes

    def __repr__(self) -> str:
        return f"Router({self.csr.n_nodes} nodes, {self.csr.n_arcs} arcs, weight={self.csr.weight!r})"

    # -- single source --------------------------------------------------------------
    def sssp(self, source, limit=None) -> tuple[np.ndarray, np.ndarray]:
        """Distances (float64) and predecessor indices (int32, -1 for none) from ``source``.

        Arrays are indexed like :attr:`nodes`.

        Parameters
        ----------
        source : hashable
            Label of the source node.
        limit : float, optional
            Ignore paths longer than this, a number >= 0 (those nodes get ``inf``); ``None``
            means no limit.

        Returns
        -------
        dist : numpy.ndarray of float64, shape (n,)
            Distance from ``source`` to each node, ``inf`` where unreachable or beyond ``limit``.
        pred : numpy.ndarray of int32, shape (n,)
            Index of each node's predecessor on a shortest path, -1 for ``source`` and
            unreached nodes.

        Raises
        ------
        UnknownNodeError
            If ``source`` is not a node of the graph.
        WorkbenchError
            If ``limit`` is not a number >= 0 or None.
        """
        s = self.csr.node_index(source)
        return _kernels.sssp(*self._args, s, _check_limit(limit))

    def distances(self, source, limit=None) -> np.ndarray:
        """Distances from ``source`` to every node (``inf`` where unreachable).

        Parameters
        ----------
        source : hashable
            Label of the source node.
        limit : float, optional
            Ignore paths longer than this, a number >= 0 (those nodes get ``inf``); ``None``
            means no limit.

        Returns
        -------
        numpy.ndarray of float64, shape (n,)
            Distance to each node, indexed like :attr:`nodes`.

        Raises
        ------
        UnknownNodeError
            If ``source`` is not a node of the graph.
        WorkbenchError
            If ``limit`` is not a number >= 0 or None.
        """
        return self.sssp(source, limit)[0]

    def tree(self, source, limit=None) -> nx.DiGraph:
        """The shortest-path tree from ``source`` as a networkx DiGraph with ``distance`` on nodes.

        Parameters
        ----------
        source : hashable
            Label of the source node.
        limit : float, optional
            Ignore paths longer than this, a number >= 0 (those nodes get ``inf``); ``None``
            means no limit.

        Returns
        -------
        networkx.DiGraph
            Edges point away from ``source``; nodes not reached (or beyond ``limit``) are left out.

        Raises
        ------
        UnknownNodeError
            If ``source`` is not a node of the graph.
        WorkbenchError
            If ``limit`` is not a number >= 0 or None.
        """
        dist, pred = self.sssp(source, limit)
        return predecessor_tree(self.csr, pred, dist)

    # -- pairs ----------------------------------------------------------------------
    def path(self, source, target) -> list:
        """Node labels of one shortest path (``[]`` if ``target`` is unreachable).

        Parameters
        ----------
        source : hashable
            Label of the source node.
        target : hashable
            Label of the target node.

        Returns
        -------
        list
            ``[source, ..., target]``, or ``[]`` if ``target`` cannot be reached.

        Raises
        ------
        UnknownNodeError
            If ``source`` or ``target`` is not a node of the graph.
        """
        return self.route(source, target)[1]

    def route(self, source, target) -> tuple[float, list]:
        """``(distance, path)`` from ``source`` to ``target``; ``(inf, [])`` if unreachable.

        One bidirectional Dijkstra search.

        Parameters
        ----------
        source : hashable
            Label of the source node.
        target : hashable
            Label of the target node.

        Returns
        -------
        distance : float
            Length of a shortest path, ``inf`` if ``target`` cannot be reached.
        path : list
            Its node labels ``[source, ..., target]``, ``[]`` if unreachable.

        Raises
        ------
        UnknownNodeError
            If ``source`` or ``target`` is not a node of the graph.
        """
        s, t = self.csr.node_index(source), self.csr.node_index(target)
        d, idx = _kernels.single_pair(*self._both, s, t)
        nodes = self.csr.nodes
        return float(d), [nodes[i] for i in idx]

    def pairs(self, sources: Iterable, targets: Iterable) -> np.ndarray:
        """Distances for many ``(sources[i], targets[i])`` pairs, each search stopped early.

        A pair with a source of its own uses bidirectional search; pairs sharing a source
        share one forward search that stops when all their targets are settled.

        Parameters
        ----------
        sources : iterable of hashable
            Source node label of each pair.
        targets : iterable of hashable
            Target node label of each pair, as many as ``sources``.

        Returns
        -------
        numpy.ndarray of float64
            Distance of each pair, ``inf`` where the target cannot be reached.

        Raises
        ------
        UnknownNodeError
            If a label is not a node of the graph.
        WorkbenchError
            If ``sources`` and ``targets`` differ in length.
        """
        s = self.csr.node_indices(sources)
        t = self.csr.node_indices(targets)
        if s.shape != t.shape:
            raise WorkbenchError(f"sources and targets differ in length ({s.size} vs {t.size})")
        return self._pairs(s, t)

    def pairs_by_index(self, s: np.ndarray, t: np.ndarray) -> np.ndarray:
        """As :meth:`pairs`, with node indices (int32 arrays) instead of labels.

        Parameters
        ----------
        s : array_like of int
            Source node index of each pair, in ``0..n-1``.
        t : array_like of int
            Target node index of each pair, in ``0..n-1``, as many as ``s``.

        Returns
        -------
        numpy.ndarray of float64
            Distance of each pair, ``inf`` where the target cannot be reached.

        Raises
        ------
        WorkbenchError
            If the indices are not 1-D integers in ``0..n-1`` or the arrays differ in length.
        """
        n = self.csr.n_nodes
        index = Array("int32", ndim=1, lo=0, hi=n - 1, integer=True)
        s = check("s (source node indices)", s, index, WorkbenchError)
        t = check("t (target node indices)", t, index, WorkbenchError)
        if s.shape != t.shape:
            raise WorkbenchError(f"s and t differ in length ({s.size} vs {t.size})")
        return self._pairs(s, t)

    def _pairs(self, s: np.ndarray, t: np.ndarray) -> np.ndarray:
        if s.size == 0:
            return np.empty(0)
        order = np.argsort(s, kind="stable")
        ss, tt = s[order], t[order]
        starts = np.flatnonzero(np.r_[True, ss[1:] != ss[:-1], True]).astype(np.int64)
        out = np.empty(s.size)
        out[order] = _kernels.point_to_point(*self._both, ss, tt, starts)
        return out

    # -- many sources ---------------------------------------------------------------
    def matrix(self, sources=None, *, limit=None, dtype=np.float64, predecessors=False):
        """Distance rows from each source (all nodes when ``sources`` is None).

        Returns the ``(len(sources), n)`` array, and the int32 predecessor array of the same
        shape when ``predecessors`` is true. ``dtype`` may be float64 or float32 (half the
        memory; distances are computed in float64 and rounded once).

        Parameters
        ----------
        sources : iterable of hashable, optional
            Source node labels, one row each; ``None`` (the default) takes every node in
            :attr:`nodes` order.
        limit : float, optional
            Ignore paths longer than this, a number >= 0 (those nodes get ``inf``); ``None``
            means no limit.
        dtype : numpy.float64 or numpy.float32, default numpy.float64
            Type of the distance matrix.
        predecessors : bool, default False
            Also return the predecessor index of every node on each row's shortest paths.

        Returns
        -------
        numpy.ndarray or tuple of numpy.ndarray
            The ``(len(sources), n)`` distance matrix (``inf`` where unreachable); with
            ``predecessors=True``, ``(dist, pred)`` where ``pred`` is int32 of the same shape
            (-1 for the source and unreached nodes).

        Raises
        ------
        WorkbenchError
            If ``dtype`` is not float64 or float32, or ``limit`` is not a number >= 0 or None.
        OutOfMemoryError
            If the matrix would not fit in the memory available.
        UnknownNodeError
            If a source is not a node of the graph.
        """
        dtype = np.dtype(dtype)
        if dtype not in (np.dtype(np.float64), np.dtype(np.float32)):
            raise WorkbenchError(f"dtype must be float64 or float32, got {dtype}")
        n = self.csr.n_nodes
        src = np.arange(n, dtype=np.int32) if sources is None else self.csr.node_indices(sources)
        need = src.size * n * (dtype.itemsize + (4 if predecessors else 0))
        check_memory(f"a {src.size} x {n} distance matrix (use fewer sources, dtype=float32, or a limit)", need)
        out = np.empty((src.size, n), dtype)
        pred = np.empty((src.size, n) if predecessors else (0, 0), np.int32)
        limit = _check_limit(limit)
        if dtype == np.float64:
            _kernels.multi_source_rows(*self._args, src, limit, out, pred)
        else:  # compute in float64, a block of rows at a time, and round once
            block = max(1, min(src.size, _FLOAT32_BLOCK_BYTES // (8 * n)))
            buf = np.empty((block, n))
            for a in range(0, src.size, block):
                b = min(src.size, a + block)
                _kernels.multi_source_rows(
                    *self._args, src[a:b], limit, buf[: b - a], pred[a:b] if predecessors else pred
                )
                out[a:b] = buf[: b - a]
        return (out, pred) if predecessors else out

    def nearest(self, sources, limit=None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """For every node: distance to the nearest source, that source's position in
        ``sources`` (-1 if none reachable), and the predecessor index.

        One multi-source Dijkstra search.

        Parameters
        ----------
        sources : iterable of hashable
            Source node labels, at least one.
        limit : float, optional
            Ignore paths longer than this, a number >= 0 (those nodes get ``inf``); ``None``
            means no limit.

        Returns
        -------
        dist : numpy.ndarray of float64, shape (n,)
            Distance from each node's nearest source, ``inf`` if none is reachable.
        origin : numpy.ndarray of int32, shape (n,)
            Position in ``sources`` of that source, -1 if none is reachable.
        pred : numpy.ndarray of int32, shape (n,)
            Predecessor index on the shortest path, -1 for sources and unreached nodes.

        Raises
        ------
        WorkbenchError
            If ``sources`` is empty, or ``limit`` is not a number >= 0 or None.
        UnknownNodeError
            If a source is not a node of the graph.
        """
        src = self.csr.node_indices(sources)
        if src.size == 0:
            raise WorkbenchError("nearest needs at least one source")
        return _kernels.nearest_source(*self._args, src, _check_limit(limit))

    def k_nearest(self, source, k: int, limit=None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Indices, distances and predecessors of the ``k`` nodes closest to ``source``
        (``source`` itself first; fewer if fewer are reachable).

        Parameters
        ----------
        source : hashable
            Label of the source node.
        k : int
            Number of nodes wanted, an integer in [1, 2**31 - 1].
        limit : float, optional
            Ignore paths longer than this, a number >= 0 (those nodes get ``inf``); ``None``
            means no limit.

        Returns
        -------
        nodes : numpy.ndarray of int32
            Node indices, nearest first (in the order Dijkstra settles them).
        dist : numpy.ndarray of float64
            Their distances from ``source``.
        pred : numpy.ndarray of int32
            Their predecessor indices (-1 for ``source``).

        Raises
        ------
        WorkbenchError
            If ``k`` is not an integer in range, or ``limit`` is not a number >= 0 or None.
        UnknownNodeError
            If ``source`` is not a node of the graph.
        """
        k = check("k", k, Int(1, 2**31 - 1))
        s = self.csr.node_index(source)
        return _kernels.k_nearest(*self._args, s, k, _check_limit(limit))


def _router(G, weight) -> Router:
    return G if isinstance(G, Router) else Router(G, weight)


def shortest_path_lengths(G, source, weight: str | None = "weight", limit=None) -> pd.Series:
    """Shortest-path distance from ``source`` to every node.

    Parameters
    ----------
    G : networkx graph or Router
        The graph (converted with :func:`~workbench.net.to_csr`), or a :class:`Router` built
        once and reused (then ``weight`` is ignored).
    source : hashable
        Label of the source node.
    weight : str or None, default "weight"
        Edge attribute (non-negative numbers) used as the weight; ``None`` counts hops.
    limit : float, optional
        Ignore paths longer than this, a number >= 0 (those nodes get ``inf``); speeds up local
        queries. ``None`` means no limit.

    Returns
    -------
    pandas.Series
        Named ``distance``, indexed by node (index named ``node``), ``inf`` for unreachable nodes.

    Raises
    ------
    UnknownNodeError
        If ``source`` is not a node of the graph.
    WorkbenchError
        If ``limit`` is not a number >= 0 or None.

    Examples
    --------
    >>> shortest_path_lengths(nx.path_graph(3), 0).tolist()
    [0.0, 1.0, 2.0]
    """
    import pandas as pd

    r = _router(G, weight)
    return pd.Series(r.distances(source, limit), index=pd.Index(r.nodes, name="node"), name="distance")


def shortest_path(G, source, target, weight: str | None = "weight") -> tuple[float, list]:
    """One shortest path and its length: ``(distance, [source, ..., target])``.

    Returns ``(inf, [])`` when ``target`` cannot be reached.

    Parameters
    ----------
    G : networkx graph or Router
        The graph (converted with :func:`~workbench.net.to_csr`), or a :class:`Router` built
        once and reused (then ``weight`` is ignored).
    source : hashable
        Label of the source node.
    target : hashable
        Label of the target node.
    weight : str or None, default "weight"
        Edge attribute (non-negative numbers) used as the weight; ``None`` counts hops.

    Returns
    -------
    distance : float
        Length of a shortest path, ``inf`` if ``target`` cannot be reached.
    path : list
        Its node labels ``[source, ..., target]``, ``[]`` if unreachable.

    Raises
    ------
    UnknownNodeError
        If ``source`` or ``target`` is not a node of the graph.

    Examples
    --------
    >>> G = nx.Graph([(0, 1, {"weight": 1}), (1, 2, {"weight": 1}), (0, 2, {"weight": 5})])
    >>> shortest_path(G, 0, 2)
    (2.0, [0, 1, 2])
    """
    return _router(G, weight).route(source, target)


def pairwise_distances(G, pairs, weight: str | None = "weight") -> pd.DataFrame:
    """Distances for a batch of ``(source, target)`` pairs (searches stop early).

    Parameters
    ----------
    G : networkx graph or Router
        The graph (converted with :func:`~workbench.net.to_csr`), or a :class:`Router` built
        once and reused (then ``weight`` is ignored).
    pairs : iterable of (hashable, hashable)
        ``(source, target)`` node labels.
    weight : str or None, default "weight"
        Edge attribute (non-negative numbers) used as the weight; ``None`` counts hops.

    Returns
    -------
    pandas.DataFrame
        Columns ``source``, ``target``, ``distance`` (``inf`` where unreachable), one row per pair.

    Raises
    ------
    WorkbenchError
        If a pair does not have exactly two elements.
    UnknownNodeError
        If a label is not a node of the graph.

    Examples
    --------
    >>> pairwise_distances(nx.path_graph(4), [(0, 3), (2, 1)]).distance.tolist()
    [3.0, 1.0]
    """
    import pandas as pd

    r = _router(G, weight)
    pairs = list(pairs)
    if any(len(p) != 2 for p in pairs):
        raise WorkbenchError("pairs must be (source, target) tuples")
    s = [p[0] for p in pairs]
    t = [p[1] for p in pairs]
    return pd.DataFrame({"source": s, "target": t, "distance": r.pairs(s, t)})


def distance_matrix(G, sources=None, weight: str | None = "weight", limit=None, dtype=np.float64) -> pd.DataFrame:
    """Distances from each of ``sources`` (default: all nodes) to every node.

    Parameters
    ----------
    G : networkx graph or Router
        The graph (converted with :func:`~workbench.net.to_csr`), or a :class:`Router` built
        once and reused (then ``weight`` is ignored).
    sources : iterable of hashable, optional
        Source node labels, one row each; ``None`` takes every node.
    weight : str or None, default "weight"
        Edge attribute (non-negative numbers) used as the weight; ``None`` counts hops.
    limit : float, optional
        Ignore paths longer than this, a number >= 0 (those nodes get ``inf``); ``None`` means
        no limit.
    dtype : numpy.float64 or numpy.float32, default numpy.float64
        Type of the distances (float32 halves the memory).

    Returns
    -------
    pandas.DataFrame
        Rows are sources (index ``source``), columns are nodes (``node``); ``inf`` where unreachable.

    Raises
    ------
    WorkbenchError
        If ``dtype`` is not float64 or float32, or ``limit`` is not a number >= 0 or None.
    OutOfMemoryError
        If the matrix would not fit in the memory available.

    Examples
    --------
    >>> distance_matrix(nx.path_graph(3)).to_numpy().tolist()
    [[0.0, 1.0, 2.0], [1.0, 0.0, 1.0], [2.0, 1.0, 0.0]]
    """
    import pandas as pd

    r = _router(G, weight)
    src = list(r.nodes) if sources is None else list(sources)
    m = r.matrix(src, limit=limit, dtype=dtype)
    return pd.DataFrame(m, index=pd.Index(src, name="source"), columns=pd.Index(r.nodes, name="node"))


def nearest_source(G, sources, weight: str | None = "weight", limit=None) -> pd.DataFrame:
    """Assign every node to its nearest source (multi-source Dijkstra), e.g. anycast catchments.

    Parameters
    ----------
    G : networkx graph or Router
        The graph (converted with :func:`~workbench.net.to_csr`), or a :class:`Router` built
        once and reused (then ``weight`` is ignored).
    sources : iterable of hashable
        Source node labels, at least one.
    weight : str or None, default "weight"
        Edge attribute (non-negative numbers) used as the weight; ``None`` counts hops.
    limit : float, optional
        Ignore paths longer than this, a number >= 0 (those nodes get ``inf``); ``None`` means
        no limit.

    Returns
    -------
    pandas.DataFrame
        Columns ``node``, ``source`` (None where no source is reachable), ``distance``.

    Raises
    ------
    WorkbenchError
        If ``sources`` is empty, or ``limit`` is not a number >= 0 or None.
    UnknownNodeError
        If a source is not a node of the graph.

    Examples
    --------
    >>> nearest_source(nx.path_graph(5), [0, 4]).source.tolist()
    [0, 0, 0, 4, 4]
    """
    import pandas as pd

    r = _router(G, weight)
    sources = list(sources)
    dist, origin, _ = r.nearest(sources, limit)
    return pd.DataFrame(
        {"node": list(r.nodes), "source": [sources[i] if i >= 0 else None for i in origin], "distance": dist}
    )


def k_nearest(G, source, k: int, weight: str | None = "weight", limit=None) -> pd.DataFrame:
    """The ``k`` nodes closest to ``source``, nearest first (``source`` itself at rank 0).

    Parameters
    ----------
    G : networkx graph or Router
        The graph (converted with :func:`~workbench.net.to_csr`), or a :class:`Router` built
        once and reused (then ``weight`` is ignored).
    source : hashable
        Label of the source node.
    k : int
        Number of nodes wanted, an integer in [1, 2**31 - 1]; fewer rows if fewer are reachable.
    weight : str or None, default "weight"
        Edge attribute (non-negative numbers) used as the weight; ``None`` counts hops.
    limit : float, optional
        Ignore paths longer than this, a number >= 0 (those nodes get ``inf``); ``None`` means
        no limit.

    Returns
    -------
    pandas.DataFrame
        Columns ``rank``, ``node``, ``distance``, ``predecessor`` (None for ``source``).

    Raises
    ------
    WorkbenchError
        If ``k`` is not an integer in range, or ``limit`` is not a number >= 0 or None.
    UnknownNodeError
        If ``source`` is not a node of the graph.

    Examples
    --------
    >>> k_nearest(nx.path_graph(5), 2, 3).distance.tolist()
    [0.0, 1.0, 1.0]
    """
    import pandas as pd

    r = _router(G, weight)
    idx, dist, pred = r.k_nearest(source, k, limit)
    nodes = r.nodes
    return pd.DataFrame(
        {
            "rank": np.arange(idx.size),
            "node": [nodes[i] for i in idx],
            "distance": dist,
            "predecessor": [nodes[p] if p >= 0 else None for p in pred],
        }
    )


def route_table(G, sources=None, weight: str | None = "weight", limit=None) -> pd.DataFrame:
    """Every shortest route from ``sources`` (default: all nodes) to every other node.

    One all-pairs pass with predecessors, then path reconstruction; meant for small and
    medium graphs (a route per ordered pair).

    Parameters
    ----------
    G : networkx graph or Router
        The graph (converted with :func:`~workbench.net.to_csr`), or a :class:`Router` built
        once and reused (then ``weight`` is ignored).
    sources : iterable of hashable, optional
        Source node labels; ``None`` takes every node.
    weight : str or None, default "weight"
        Edge attribute (non-negative numbers) used as the weight; ``None`` counts hops.
    limit : float, optional
        Ignore paths longer than this, a number >= 0 (those nodes get ``inf``); ``None`` means
        no limit.

    Returns
    -------
    pandas.DataFrame
        Columns ``source``, ``target``, ``distance``, ``hops`` and ``path`` (list of
        node labels); unreachable pairs have ``inf`` distance, ``hops`` -1 and ``[]``.

    Raises
    ------
    WorkbenchError
        If ``limit`` is not a number >= 0 or None.
    OutOfMemoryError
        If the distance and predecessor matrices would not fit in the memory available.
    UnknownNodeError
        If a source is not a node of the graph.

    Examples
    --------
    >>> route_table(nx.path_graph(3), sources=[0]).path.tolist()
    [[0, 1], [0, 1, 2]]
    """
    import pandas as pd

    r = _router(G, weight)
    src = list(r.nodes) if sources is None else list(sources)
    dist, pred = r.matrix(src, limit=limit, predecessors=True)
    nodes = r.nodes
    rows = []
    for i, s in enumerate(src):
        si = r.csr.node_index(s)
        for j, t in enumerate(nodes):
            if j == si:
                continue
            if np.isfinite(dist[i, j]):
                path = [nodes[k] for k in _kernels.path_to(pred[i], j)]
                rows.append((s, t, float(dist[i, j]), len(path) - 1, path))
            else:
                rows.append((s, t, math.inf, -1, []))
    return pd.DataFrame(rows, columns=["source", "target", "distance", "hops", "path"])


def route_stretch(G, routes, min_km: float = 1.0):
    """Add each route's great-circle length and its stretch (routed / great-circle distance).

    Parameters
    ----------
    G : networkx.Graph
        Nodes with ``lat`` and ``lon``.
    routes : pandas.DataFrame
        With ``source``, ``target`` and ``distance`` in km (as from :func:`route_table`
        with ``weight="length_km"``).
    min_km : float, default 1.0
        Pairs closer than this, in km (co-located nodes), get a NaN stretch instead of a
        division by ~0; a finite number >= 0.

    Returns
    -------
    pandas.DataFrame
        A copy with ``great_circle_km`` and ``route_stretch`` columns.

    Raises
    ------
    WorkbenchError
        If ``min_km`` is not a finite number >= 0, or a node's coordinates are NaN or out of range.

    Examples
    --------
    >>> from workbench.net import load_topology
    >>> G = load_topology("Abilene")
    >>> df = route_stretch(G, route_table(G, weight="length_km"))
    >>> bool((df.route_stretch >= 1 - 1e-9).all())
    True
    """
    from .geo import great_circle_km

    min_km = check("min_km", min_km, Real(0))
    lat = np.array([G.nodes[v]["lat"] for v in routes.source]), np.array([G.nodes[v]["lat"] for v in routes.target])
    lon = np.array([G.nodes[v]["lon"] for v in routes.source]), np.array([G.nodes[v]["lon"] for v in routes.target])
    out = routes.copy()
    gc = np.atleast_1d(great_circle_km(lat[0], lon[0], lat[1], lon[1]))
    out["great_circle_km"] = gc
    with np.errstate(divide="ignore", invalid="ignore"):
        out["route_stretch"] = np.where(gc >= min_km, out.distance.to_numpy() / gc, np.nan)
    return out
