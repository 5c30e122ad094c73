r"""Request routing: which point of presence serves each client.

* :func:`nearest_pop` -- geo routing: the PoP at the smallest great-circle distance
  (a k-d tree on unit vectors; chord order equals great-circle order).
* :func:`anycast_catchments` -- anycast over a network graph: every node reaches the PoP
  nearest *along the network* (multi-source Dijkstra from :mod:`workbench.net`), which is
  not always the geographically nearest one.
* :func:`latency_aware` -- each client picks, among its ``k`` nearest PoPs, the one with the
  lowest propagation plus queueing delay given the load already placed (greedy, M/M/1).

Latency follows :class:`workbench.net.LatencyModel`: one-way fiber delay 4.9 us/km times
the path stretch, plus access and per-hop terms.
"""

from __future__ import annotations

import numpy as np

from ..errors import Int, Real, Seed, WorkbenchError, check, check_memory, checked, make_rng
from ..net.geo import EARTH_RADIUS_KM, LatencyModel, great_circle_km
from . import _kernels

__all__ = ["sample_clients", "nearest_pop", "k_nearest_pops", "anycast_catchments", "latency_aware"]


def _latlon(lat, lon, what="clients"):
    try:
        lat = np.asarray(lat, dtype=np.float64)
        lon = np.asarray(lon, dtype=np.float64)
    except (TypeError, ValueError):
        raise WorkbenchError(f"{what}: lat and lon must be arrays of numbers (degrees)") from None
    if lat.shape != lon.shape or lat.ndim != 1:
        raise WorkbenchError(f"{what}: lat and lon must be 1-D arrays of the same length")
    if np.isnan(lat).any() or np.isnan(lon).any():
        bad = int(np.flatnonzero(np.isnan(lat) | np.isnan(lon))[0])
        raise WorkbenchError(f"{what}: NaN coordinates (first at position {bad})")
    if (np.abs(lat) > 90).any() or (np.abs(lon) > 180).any():
        raise WorkbenchError(f"{what}: latitudes must lie in [-90, 90] and longitudes in [-180, 180]")
    return lat, lon


def _unit(lat, lon):
    p, l = np.radians(lat), np.radians(lon)
    return np.stack([np.cos(p) * np.cos(l), np.cos(p) * np.sin(l), np.sin(p)], axis=1)


@checked(n=Int(1, 2**31 - 1), jitter_km=Real(0, 20_000), seed=Seed())
def sample_clients(n: int, cities=None, *, jitter_km: float = 20.0, seed=None):
    """Client locations: cities drawn in proportion to population, jittered by ~``jitter_km``.

    Each client's latitude and longitude are moved by normal offsets with a standard deviation
    of about ``jitter_km`` km (latitudes are kept within +-89.9 degrees).

    Parameters
    ----------
    n : int
        Number of clients, an integer in [1, 2**31 - 1].
    cities : pandas.DataFrame, optional
        Cities with ``lat``, ``lon``, ``name``, ``country`` and ``population`` columns;
        ``None`` (the default) takes :func:`workbench.cdn.load_cities` ``()``.
    jitter_km : float, default 20.0
        Scale of the random offset in km, in [0, 20000].
    seed : int, numpy.random.Generator or None, default None
        Seed of the random stream; the same seed gives the same clients.

    Returns
    -------
    pandas.DataFrame
        ``lat``, ``lon``, ``city``, ``country`` for each client.

    Raises
    ------
    WorkbenchError
        If ``n``, ``jitter_km`` or ``seed`` is out of range.
    OutOfMemoryError
        If the clients would not fit in the memory available.

    Examples
    --------
    >>> from workbench.cdn import sample_clients
    >>> clients = sample_clients(5, seed=0)
    >>> clients.shape, clients.city.tolist()[:2]
    ((5, 4), ['Puning', 'Shijiazhuang'])
    """
    import pandas as pd

    from .pops import load_cities

    check_memory(f"{n:,} clients", 64.0 * n)
    cities = load_cities() if cities is None else cities
    rng = make_rng(seed)
    idx = rng.choice(len(cities), size=n, p=cities.population.to_numpy() / cities.population.sum())
    dlat = rng.normal(0, jitter_km / 111.2, n)
    lat = np.clip(cities.lat.to_numpy()[idx] + dlat, -89.9, 89.9)
    dlon = rng.normal(0, jitter_km / 111.2, n) / np.maximum(np.cos(np.radians(lat)), 0.05)
    lon = (cities.lon.to_numpy()[idx] + dlon + 180.0) % 360.0 - 180.0
    return pd.DataFrame(
        {"lat": lat, "lon": lon, "city": cities.name.to_numpy()[idx], "country": cities.country.to_numpy()[idx]}
    )


def k_nearest_pops(lat, lon, pops, k: int = 1):
    """Indices of and great-circle distances (km) to the ``k`` nearest PoPs of each client.

    Returns arrays of shape ``(n, k)`` (nearest first).

    Parameters
    ----------
    lat : array_like of float
        Client latitudes in degrees, 1-D, in [-90, 90].
    lon : array_like of float
        Client longitudes in degrees, as many as ``lat``, in [-180, 180].
    pops : pandas.DataFrame
        The PoPs, with ``lat`` and ``lon`` columns (e.g. from :func:`workbench.cdn.load_pops`).
    k : int, default 1
        PoPs per client, an integer in [1, number of PoPs].

    Returns
    -------
    idx : numpy.ndarray of int, shape (n, k)
        Positional index (row of ``pops``) of each client's ``k`` nearest PoPs, nearest first.
    km : numpy.ndarray of float64, shape (n, k)
        The matching great-circle distances in km.

    Raises
    ------
    WorkbenchError
        If the coordinates are not 1-D arrays of equal length within range, ``pops`` is empty
        or lacks ``lat``/``lon``, or ``k`` is out of range.

    Examples
    --------
    >>> from workbench.cdn import k_nearest_pops, load_pops
    >>> pops = load_pops("aws")
    >>> idx, km = k_nearest_pops([48.86], [2.35], pops, k=3)   # Paris
    >>> pops.code[idx[0]].tolist(), km.round().tolist()
    (['CDG', 'BRU', 'LHR'], [[22.0, 274.0, 353.0]])
    """
    from scipy.spatial import cKDTree

    lat, lon = _latlon(lat, lon)
    if not (hasattr(pops, "lat") and hasattr(pops, "lon")) or len(pops) == 0:
        raise WorkbenchError(
            "pops must be a non-empty DataFrame with lat and lon columns (see workbench.cdn.load_pops)"
        )
    plat, plon = _latlon(pops.lat.to_numpy(), pops.lon.to_numpy(), "pops")
    k = check("k", k, Int(1, 2**31 - 1))
    if not 1 <= k <= len(plat):
        raise WorkbenchError(f"k must be in 1..{len(plat)} (the number of PoPs), got {k}")
    tree = cKDTree(_unit(plat, plon))
    chord, idx = tree.query(_unit(lat, lon), k=k)
    chord = np.atleast_2d(chord.T).T if k == 1 else chord
    idx = idx.reshape(len(lat), k)
    km = 2 * EARTH_RADIUS_KM * np.arcsin(np.clip(chord.reshape(len(lat), k) / 2, 0, 1))
    return idx, km


def nearest_pop(lat, lon, pops):
    """Geo routing: index of each client's nearest PoP and the great-circle distance in km.

    Vectorised with a k-d tree: a million clients against 340 PoPs takes well under a second.

    Parameters
    ----------
    lat : array_like of float
        Client latitudes in degrees, 1-D, in [-90, 90].
    lon : array_like of float
        Client longitudes in degrees, as many as ``lat``, in [-180, 180].
    pops : pandas.DataFrame
        The PoPs, with ``lat`` and ``lon`` columns (e.g. from :func:`workbench.cdn.load_pops`).

    Returns
    -------
    idx : numpy.ndarray of int, shape (n,)
        Positional index (row of ``pops``) of each client's nearest PoP.
    km : numpy.ndarray of float64, shape (n,)
        The great-circle distance to it in km.

    Raises
    ------
    WorkbenchError
        If the coordinates are not 1-D arrays of equal length within range, or ``pops`` is
        empty or lacks ``lat``/``lon``.

    Examples
    --------
    >>> from workbench.cdn.pops import load_pops
    >>> pops = load_pops("aws")
    >>> idx, km = nearest_pop([48.86], [2.35], pops)   # Paris
    >>> pops.code[idx[0]], round(float(km[0]))
    ('CDG', 22)
    """
    idx, km = k_nearest_pops(lat, lon, pops, 1)
    return idx[:, 0], km[:, 0]


def anycast_catchments(G, pop_nodes, weight: str = "length_km"):
    """Anycast over a network: for every node, the PoP it reaches first along the graph.

    Parameters
    ----------
    G : networkx.Graph
        A network with a length or delay on its edges (e.g. :func:`workbench.net.load_topology`).
    pop_nodes : sequence
        Graph nodes that host a PoP, at least one; every node needs ``lat`` and ``lon``.
    weight : str, default "length_km"
        Edge attribute used as the distance along the network (read as km).

    Returns
    -------
    pandas.DataFrame
        ``node``, ``pop`` (the serving PoP's node), ``network_km`` (distance along the network),
        ``geo_pop`` (the geographically nearest PoP) and ``detour_km`` (extra network distance
        compared with reaching ``geo_pop``; 0 where anycast picks it).

    Raises
    ------
    WorkbenchError
        If ``pop_nodes`` is empty or a weight is unusable.
    UnknownNodeError
        If a PoP node is not in the graph.

    Examples
    --------
    >>> from workbench.cdn import anycast_catchments
    >>> from workbench.net import load_topology
    >>> df = anycast_catchments(load_topology("Abilene"), [0, 5])   # New York and Los Angeles
    >>> df["pop"].tolist()
    [0, 0, 0, 5, 5, 5, 5, 0, 5, 0, 0]
    """
    from ..net import Router

    r = Router(G, weight=weight)
    pop_nodes = list(pop_nodes)
    dist, origin, _ = r.nearest(pop_nodes)
    lat = np.array([G.nodes[v]["lat"] for v in r.nodes])
    lon = np.array([G.nodes[v]["lon"] for v in r.nodes])
    plat = np.array([G.nodes[v]["lat"] for v in pop_nodes])
    plon = np.array([G.nodes[v]["lon"] for v in pop_nodes])
    gc = great_circle_km(lat[:, None], lon[:, None], plat[None, :], plon[None, :])
    geo = np.argmin(gc, axis=1)
    to_geo = r.matrix(pop_nodes)  # rows: PoPs
    via_geo = to_geo[geo, np.arange(len(r.nodes))]
    import pandas as pd

    return pd.DataFrame(
        {
            "node": list(r.nodes),
            "pop": [pop_nodes[i] if i >= 0 else None for i in origin],
            "network_km": dist,
            "geo_pop": [pop_nodes[i] for i in geo],
            "detour_km": np.where(np.isfinite(dist), via_geo - dist, np.nan),
        }
    )


@checked(k=Int(1, 2**31 - 1), service_ms=Real(0, lo_open=True), seed=Seed())
def latency_aware(
    lat,
    lon,
    pops,
    capacity_rps,
    rate_rps,
    *,
    k: int = 3,
    model: LatencyModel | None = None,
    service_ms: float = 1.0,
    seed=None,
):
    r"""Assign clients to PoPs by propagation plus queueing delay, greedily in random order.

    Each client brings ``rate_rps`` requests per second and considers its ``k`` nearest PoPs;
    it picks the one minimising

    .. math:: t = \mathrm{RTT}(d) + \frac{t_s}{1 - \rho}, \qquad \rho = \lambda / \mu,

    with the load :math:`\lambda` already assigned to that PoP and its capacity :math:`\mu`
    (M/M/1 sojourn time with service time :math:`t_s`). Here :math:`\lambda` is the load already
    assigned to that PoP plus the client's own rate, and a PoP that this would bring to or
    above capacity is skipped; if all ``k`` would be, the client goes to the one with the
    lowest load relative to capacity, with latency ``inf``.

    Parameters
    ----------
    lat : array_like of float
        Client latitudes in degrees, 1-D, in [-90, 90].
    lon : array_like of float
        Client longitudes in degrees, as many as ``lat``, in [-180, 180].
    pops : pandas.DataFrame
        The PoPs, with ``lat`` and ``lon`` columns (e.g. from :func:`workbench.cdn.load_pops`).
    capacity_rps : float or array_like of float
        Capacity of each PoP in requests per second (one number for all, or one per PoP), > 0.
    rate_rps : float or array_like of float
        Requests per second each client brings (one number for all, or one per client), >= 0.
    k : int, default 3
        Nearest PoPs each client considers, an integer in [1, number of PoPs].
    model : LatencyModel, optional
        Latency model of the round trip; ``None`` (the default) uses ``LatencyModel()``
        (stretch 1.3, no access or per-hop delay).
    service_ms : float, default 1.0
        Mean service time :math:`t_s` in ms, a finite number > 0.
    seed : int, numpy.random.Generator or None, default None
        Seed of the random order in which clients are placed.

    Returns
    -------
    pop_index : numpy.ndarray of int64
        Per client, the positional index (row of ``pops``) of the chosen PoP.
    latency_ms : numpy.ndarray of float64
        Per client, RTT plus sojourn time in ms at the moment it was placed (``inf`` if every
        candidate was saturated).
    load_rps : numpy.ndarray of float64
        Final load of each PoP in requests per second, one per row of ``pops``.

    Raises
    ------
    WorkbenchError
        If the coordinates or ``k`` are out of range, or a capacity or rate is not a finite
        number of the right sign and length.

    Examples
    --------
    >>> from workbench.cdn import latency_aware, load_pops
    >>> pops = load_pops("aws")
    >>> pop, ms, load = latency_aware(
    ...     [48.86, 51.5, 52.5], [2.35, -0.12, 13.4], pops, capacity_rps=100.0, rate_rps=10.0, seed=0
    ... )
    >>> pops.code[pop].tolist(), ms.round(2).tolist(), float(load.sum())
    (['CDG', 'LHR', 'TXL'], [1.4, 1.41, 1.24], 30.0)
    """
    model = model or LatencyModel()
    idx, km = k_nearest_pops(lat, lon, pops, k)
    try:
        if isinstance(capacity_rps, (str, bytes)) or isinstance(rate_rps, (str, bytes)):
            raise TypeError
        cap = np.broadcast_to(np.asarray(capacity_rps, dtype=np.float64), (len(pops),)).copy()
        rate = np.broadcast_to(np.asarray(rate_rps, dtype=np.float64), (idx.shape[0],)).copy()
    except (TypeError, ValueError):
        raise WorkbenchError(
            f"capacity_rps must be a number or one per PoP ({len(pops)}), and rate_rps a number "
            f"or one per client ({idx.shape[0]})"
        ) from None
    if (
        not (np.isfinite(cap).all() and np.isfinite(rate).all() and np.isfinite(service_ms))
        or (cap <= 0).any()
        or (rate < 0).any()
        or service_ms <= 0
    ):
        raise WorkbenchError("capacities and service_ms must be finite and > 0, and rates finite and >= 0")
    rtt = model.rtt_ms(km)
    rng = make_rng(seed)
    order = rng.permutation(idx.shape[0])
    choice, latency, load = _kernels.assign_latency_aware(
        idx.astype(np.int64), np.asarray(rtt, np.float64), rate, cap, float(service_ms), order
    )
    return choice, latency, load
