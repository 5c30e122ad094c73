"""Real network topologies (Internet Topology Zoo) and synthetic graph generators.

The 14 shipped topologies are PoP-level maps of real ISP and research networks (Knight et
al., "The Internet Topology Zoo", IEEE JSAC 29(9), 2011; CC BY 4.0). See
``data/topologies/README.md``.
"""

from __future__ import annotations

import functools
import math
from typing import TYPE_CHECKING

import networkx as nx
import numpy as np

if TYPE_CHECKING:
    import pandas as pd

from .._data import data_path
from ..errors import (
    GraphError,
    Int,
    Real,
    UnknownTopologyError,
    WorkbenchError,
    check,
    check_memory,
    make_rng,
    unknown_name,
)
from .geo import FIBER_US_PER_KM, great_circle_km

__all__ = [
    "available_topologies",
    "load_topology",
    "topology_summary",
    "grid_graph",
    "waxman_graph",
    "random_geometric_graph",
]

ZOO_CITATION = (
    "S. Knight, H. X. Nguyen, N. Falkner, R. Bowden, M. Roughan, 'The Internet Topology Zoo', "
    "IEEE JSAC 29(9):1765-1775, 2011, doi:10.1109/JSAC.2011.111002 (CC BY 4.0)"
)
_MISSING = ("estimate", "drop", "raise")

# Positions the Zoo gets wrong, found by a test that flags nodes far from every neighbour while
# the neighbours sit close together: (topology, node id) -> (label, lat, lon, why).
CORRECTIONS = {
    ("Cogentco", 195): (
        "Worcester",
        42.26259,
        -71.80229,
        "Worcester, Massachusetts (linked to Boston and Albany); the Zoo places it at Worcester, England",
    ),
}


@functools.lru_cache(maxsize=1)
def _zoo_files() -> dict:
    return {p.stem: p for p in sorted(data_path("topologies").glob("*.graphml"))}


def available_topologies() -> list[str]:
    """Names of the shipped topologies, smallest first.

    Returns
    -------
    list of str
        Topology names (the GraphML file names without extension), ordered by file size, for
        :func:`load_topology`.

    Examples
    --------
    >>> "Abilene" in available_topologies()
    True
    """
    return sorted(_zoo_files(), key=lambda n: (_zoo_files()[n].stat().st_size, n))


def _resolve(name: str) -> str:
    if not isinstance(name, str):
        raise UnknownTopologyError(f"topology name must be a string, got {name!r}")
    files = _zoo_files()
    by_lower = {k.lower(): k for k in files}
    key = by_lower.get(name.lower().removesuffix(".graphml"))
    if key is None:
        raise unknown_name("topology", name, files, UnknownTopologyError)
    return key


def _unit_vectors(lat, lon):
    p, l = np.radians(lat), np.radians(lon)
    return np.stack([np.cos(p) * np.cos(l), np.cos(p) * np.sin(l), np.sin(p)], axis=-1)


def _estimate_coords(G: nx.Graph, missing: list) -> list:
    """Place nodes without coordinates at the spherical mean of their placed neighbours,
    repeating outward until every node in a component with a placed node is placed."""
    todo = set(missing)
    while todo:
        placed_now = {}
        for v in todo:
            nbrs = [u for u in G.neighbors(v) if u not in todo]
            if nbrs:
                xyz = _unit_vectors(
                    np.array([G.nodes[u]["lat"] for u in nbrs]), np.array([G.nodes[u]["lon"] for u in nbrs])
                ).mean(axis=0)
                norm = np.linalg.norm(xyz)
                if norm < 1e-12:  # antipodal neighbours: take the first one's position
                    lat, lon = G.nodes[nbrs[0]]["lat"], G.nodes[nbrs[0]]["lon"]
                else:
                    xyz /= norm
                    lat = math.degrees(math.asin(max(-1.0, min(1.0, xyz[2]))))
                    lon = math.degrees(math.atan2(xyz[1], xyz[0]))
                placed_now[v] = (lat, lon)
        if not placed_now:
            return sorted(todo)  # components with no located node at all
        for v, (lat, lon) in placed_now.items():
            G.nodes[v].update(lat=lat, lon=lon, coords_estimated=True)
        todo -= placed_now.keys()
    return []


def load_topology(name: str, *, missing_coords: str = "estimate") -> nx.Graph:
    """Load a shipped Internet Topology Zoo network as a simple undirected graph.

    Parameters
    ----------
    name : str
        One of :func:`available_topologies` (case-insensitive).
    missing_coords : {"estimate", "drop", "raise"}
        What to do with nodes the Zoo gives no latitude/longitude (usually external peers):
        ``"estimate"`` places each at the spherical mean of its placed neighbours and sets
        ``coords_estimated=True``; ``"drop"`` removes them (listed in
        ``G.graph["dropped_nodes"]``); ``"raise"`` raises :class:`GraphError`.

    Returns
    -------
    networkx.Graph
        Integer node ids with ``label``, ``lat``, ``lon``, ``country``, ``internal`` and
        ``coords_estimated``; edges with ``length_km`` (great circle between the ends),
        ``delay_ms`` (one-way fiber delay of that length, 4.9 us/km, no stretch) and
        ``links`` (parallel links in the Zoo map). ``G.graph`` holds ``name``, ``network``,
        ``date``, ``citation``, ``dropped_nodes``, ``estimated_nodes`` and ``corrected_nodes``
        (nodes whose Zoo position is wrong and is replaced from :data:`CORRECTIONS`).

    Raises
    ------
    UnknownTopologyError
        If ``name`` is not shipped (the message lists the available names).

    Examples
    --------
    >>> G = load_topology("Abilene")
    >>> G.number_of_nodes(), G.number_of_edges()
    (11, 14)
    >>> G.nodes[0]["label"], G.nodes[1]["label"], round(G.edges[0, 1]["length_km"])
    ('New York', 'Chicago', 1146)
    """
    key = _resolve(name)
    if missing_coords not in _MISSING:
        raise unknown_name("missing_coords option", missing_coords, _MISSING)
    raw = nx.read_graphml(_zoo_files()[key])
    G = nx.Graph(
        name=key,
        network=raw.graph.get("Network", key),
        date=raw.graph.get("NetworkDate", ""),
        citation=ZOO_CITATION,
    )
    ids = {v: int(v) for v in raw.nodes}
    missing = []
    for v, a in raw.nodes(data=True):
        lat, lon = a.get("Latitude"), a.get("Longitude")
        has = lat is not None and lon is not None
        G.add_node(
            ids[v],
            label=a.get("label", str(v)),
            country=a.get("Country", ""),
            internal=bool(a.get("Internal", 1)),
            lat=float(lat) if has else math.nan,
            lon=float(lon) if has else math.nan,
            coords_estimated=False,
        )
        if not has:
            missing.append(ids[v])
    for a, b in raw.edges():
        if a == b:
            continue
        u, v = ids[a], ids[b]
        if G.has_edge(u, v):
            G.edges[u, v]["links"] += 1
        else:
            G.add_edge(u, v, links=1)
    corrected = []
    for (net_name, v), (label, lat, lon, _why) in CORRECTIONS.items():
        if net_name == key and v in G and G.nodes[v]["label"] == label:
            G.nodes[v].update(lat=lat, lon=lon)
            corrected.append(v)
    dropped: list = []
    if missing and missing_coords == "raise":
        raise GraphError(
            f"{key}: {len(missing)} node(s) have no coordinates: {missing[:10]}; "
            "use missing_coords='estimate' or 'drop'"
        )
    if missing and missing_coords == "estimate":
        dropped = _estimate_coords(G, missing)
    elif missing:
        dropped = missing
    G.remove_nodes_from(dropped)
    G.graph["dropped_nodes"] = dropped
    G.graph["estimated_nodes"] = sorted(set(missing) - set(dropped))
    G.graph["corrected_nodes"] = corrected
    if G.number_of_edges():
        u, v = np.array(list(G.edges())).T
        lat = nx.get_node_attributes(G, "lat")
        lon = nx.get_node_attributes(G, "lon")
        km = great_circle_km([lat[i] for i in u], [lon[i] for i in u], [lat[i] for i in v], [lon[i] for i in v])
        for a, b, d in zip(u, v, np.atleast_1d(km)):
            G.edges[a, b].update(length_km=float(d), delay_ms=float(d) * FIBER_US_PER_KM / 1000.0)
    return G


def topology_summary() -> pd.DataFrame:
    """One row per shipped topology: size, estimated nodes, fiber km and routed diameter.

    ``diameter_km`` is the longest shortest path over the links' great-circle lengths.
    Loads and routes every topology, so it takes about a second.

    Returns
    -------
    pandas.DataFrame
        Columns ``name``, ``network``, ``date``, ``nodes``, ``edges``, ``estimated_nodes``
        (nodes whose coordinates were estimated), ``components``, ``total_km`` (summed link
        length) and ``diameter_km``, in :func:`available_topologies` order.

    Examples
    --------
    >>> topology_summary().set_index("name").loc["Abilene", "nodes"]
    np.int64(11)
    """
    import pandas as pd

    from .routing import Router

    rows = []
    for name in available_topologies():
        G = load_topology(name)
        dist = Router(G, weight="length_km").matrix()
        rows.append(
            {
                "name": name,
                "network": G.graph["network"],
                "date": G.graph["date"],
                "nodes": G.number_of_nodes(),
                "edges": G.number_of_edges(),
                "estimated_nodes": len(G.graph["estimated_nodes"]),
                "components": nx.number_connected_components(G),
                "total_km": round(sum(d for *_, d in G.edges(data="length_km")), 1),
                "diameter_km": round(float(dist[np.isfinite(dist)].max()), 1),
            }
        )
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------------------
# generators


def _rng(seed):
    return make_rng(seed)


def _check_n(n, name="n", minimum=1):
    return check(name, n, Int(minimum, 2**31 - 1))


def _graph_from_arrays(n, u, v, w, pos=None) -> nx.Graph:
    G = nx.Graph()
    if pos is None:
        G.add_nodes_from(range(n))
    else:
        G.add_nodes_from((i, {"pos": (float(x), float(y))}) for i, (x, y) in enumerate(pos))
    G.add_weighted_edges_from(zip(u.tolist(), v.tolist(), w.tolist()))
    return G


def grid_graph(
    rows: int, cols: int, *, weights: str = "uniform", low: float = 1.0, high: float = 10.0, seed=None
) -> nx.Graph:
    """A ``rows x cols`` 4-neighbour grid with random edge weights.

    Node ``r * cols + c`` sits at row ``r``, column ``c``.

    Parameters
    ----------
    rows : int
        Rows of the grid, an integer in [1, 2**31 - 1].
    cols : int
        Columns of the grid, an integer in [1, 2**31 - 1].
    weights : {"uniform", "integer", "unit"}, default "uniform"
        Real weights uniform in ``[low, high)``, integers in ``[low, high]`` (bounds truncated
        to integers), or all 1.
    low : float, default 1.0
        Smallest weight, a number in [0, 1e300].
    high : float, default 10.0
        Largest weight, a number in [``low``, 1e300].
    seed : int, numpy.random.Generator or None, default None
        Seed of the random stream (an integer >= 0, a SeedSequence or a Generator); the same
        seed gives the same graph.

    Returns
    -------
    networkx.Graph
        ``rows * cols`` nodes with a ``pos`` attribute ``(column, row)`` and
        ``rows * (cols - 1) + cols * (rows - 1)`` edges with a ``weight``.

    Raises
    ------
    WorkbenchError
        If ``rows``, ``cols``, ``low`` or ``high`` is out of range, ``low > high``, or the seed
        is invalid.
    UnknownNameError
        If ``weights`` is not one of the three modes.
    OutOfMemoryError
        If the grid would not fit in the memory available.

    Examples
    --------
    >>> G = grid_graph(3, 4, weights="unit")
    >>> G.number_of_nodes(), G.number_of_edges()
    (12, 17)
    """
    rows, cols = _check_n(rows, "rows"), _check_n(cols, "cols")
    check_memory(f"a {rows} x {cols} grid", 64.0 * rows * cols)
    if weights not in ("uniform", "integer", "unit"):
        raise unknown_name("weights mode", weights, ("uniform", "integer", "unit"))
    low, high = check("low", low, Real(0, 1e300)), check("high", high, Real(0, 1e300))
    if not low <= high:
        raise WorkbenchError(f"need 0 <= low <= high, got low={low}, high={high}")
    idx = np.arange(rows * cols).reshape(rows, cols)
    u = np.concatenate([idx[:, :-1].ravel(), idx[:-1, :].ravel()])
    v = np.concatenate([idx[:, 1:].ravel(), idx[1:, :].ravel()])
    rng = _rng(seed)
    if weights == "unit":
        w = np.ones(u.size)
    elif weights == "integer":
        w = rng.integers(int(low), int(high) + 1, size=u.size).astype(float)
    else:
        w = rng.uniform(low, high, size=u.size)
    pos = np.stack([idx.ravel() % cols, idx.ravel() // cols], axis=1).astype(float)
    return _graph_from_arrays(rows * cols, u, v, w, pos)


def waxman_graph(n: int, alpha: float = 0.4, beta: float = 0.1, *, seed=None) -> nx.Graph:
    r"""Waxman random graph in the unit square (vectorised; fine for 10^4 nodes).

    Nodes are uniform in :math:`[0, 1]^2`; each pair is joined with probability

    .. math:: p(u, v) = \beta \exp\left(-\frac{d(u, v)}{\alpha L}\right),

    where :math:`L = \sqrt 2` is the largest possible distance. Edge ``weight`` is the
    Euclidean length. Same model as :func:`networkx.waxman_graph` (Waxman, IEEE JSAC 1988).

    Parameters
    ----------
    n : int
        Number of nodes, an integer in [1, 2**31 - 1].
    alpha : float, default 0.4
        Distance scale, a finite number > 0: larger values make long edges likelier.
    beta : float, default 0.1
        Edge probability at distance 0, in (0, 1].
    seed : int, numpy.random.Generator or None, default None
        Seed of the random stream (an integer >= 0, a SeedSequence or a Generator); the same
        seed gives the same graph.

    Returns
    -------
    networkx.Graph
        Nodes ``0..n-1`` with a ``pos`` attribute ``(x, y)``, edges with a ``weight``
        (Euclidean length).

    Raises
    ------
    WorkbenchError
        If ``n``, ``alpha`` or ``beta`` is out of range, or the seed is invalid.
    OutOfMemoryError
        If the ``n x n`` distance computation would not fit in the memory available.

    Examples
    --------
    >>> waxman_graph(50, seed=1).number_of_nodes()
    50
    """
    n = _check_n(n)
    check_memory(f"a {n}-node Waxman graph", 16.0 * n * n)
    alpha = check("alpha", alpha, Real(0, lo_open=True))
    beta = check("beta", beta, Real(0, 1, lo_open=True))
    if not (alpha > 0 and 0 < beta <= 1):
        raise WorkbenchError(f"need alpha > 0 and 0 < beta <= 1, got alpha={alpha}, beta={beta}")
    rng = _rng(seed)
    pos = rng.uniform(size=(n, 2))
    L = math.sqrt(2.0)
    us, vs, ws = [], [], []
    block = max(1, 2_000_000 // max(n, 1))
    for a in range(0, n, block):
        i = np.arange(a, min(n, a + block))
        d = np.sqrt(((pos[i, None, :] - pos[None, :, :]) ** 2).sum(-1))
        p = beta * np.exp(-d / (alpha * L))
        hit = (rng.random(p.shape) < p) & (np.arange(n)[None, :] > i[:, None])
        r, c = np.nonzero(hit)
        us.append(i[r])
        vs.append(c)
        ws.append(d[r, c])
    return _graph_from_arrays(n, np.concatenate(us), np.concatenate(vs), np.concatenate(ws), pos)


def random_geometric_graph(n: int, radius: float, *, seed=None) -> nx.Graph:
    """Random geometric graph: ``n`` uniform points in the unit square, joined within ``radius``.

    Edge ``weight`` is the Euclidean length. Same model as
    :func:`networkx.random_geometric_graph`, built with a k-d tree.

    Parameters
    ----------
    n : int
        Number of nodes, an integer in [1, 2**31 - 1].
    radius : float
        Join every pair of points at most this far apart, a finite number > 0.
    seed : int, numpy.random.Generator or None, default None
        Seed of the random stream (an integer >= 0, a SeedSequence or a Generator); the same
        seed gives the same graph.

    Returns
    -------
    networkx.Graph
        Nodes ``0..n-1`` with a ``pos`` attribute ``(x, y)``, edges with a ``weight``
        (Euclidean length).

    Raises
    ------
    WorkbenchError
        If ``n`` or ``radius`` is out of range, or the seed is invalid.
    OutOfMemoryError
        If the points would not fit in the memory available.

    Examples
    --------
    >>> random_geometric_graph(100, 0.2, seed=0).number_of_nodes()
    100
    """
    from scipy.spatial import cKDTree

    n = _check_n(n)
    check_memory(f"{n} points", 16.0 * n)
    radius = check("radius", radius, Real(0, lo_open=True))
    if not radius > 0:
        raise WorkbenchError(f"radius must be > 0, got {radius!r}")
    pos = _rng(seed).uniform(size=(n, 2))
    pairs = cKDTree(pos).query_pairs(radius, output_type="ndarray")
    pairs = pairs[np.lexsort((pairs[:, 1], pairs[:, 0]))]
    w = np.sqrt(((pos[pairs[:, 0]] - pos[pairs[:, 1]]) ** 2).sum(1))
    return _graph_from_arrays(n, pairs[:, 0], pairs[:, 1], w, pos)
