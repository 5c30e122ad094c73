"""A design space per lab, with real objectives computed by the labs, ready for :func:`workbench.tune.tune`.

==========  ======================================================  ===============================================
design      parameters                                              objectives
==========  ======================================================  ===============================================
cdn         PoP count and placement on Cloudflare's real PoP list,  p95 latency (overall and by region), origin
            tier sizes, replacement policy, TTL, prefetching         egress bytes, cache memory
edge        edge node count and placement on a Topology Zoo         deadline-miss ratio, node energy, servers
            backbone, scheduler and its score weights
chain       block interval, block size, peer degree                 throughput, stale rate, selfish-mining threshold
compiler    fusion, layout candidates, routing trials               CNOT count, depth, compile time
qaoa        QAOA depth and shots                                    approximation ratio vs simulation cost
==========  ======================================================  ===============================================

Each design is a :class:`Design`: a module-level function (so Dask workers can import it), its
search space, objectives and directions, a small enumerable grid of a few hundred points (for
checking a search against the exhaustive front) and keyword sizes for quick runs. The functions
average ``replications`` independent simulations (seeds ``seed, seed + 1, ...``) and call
``report(value, step)`` after each one with the running mean of their first objective, so a pruner
can stop a hopeless design early.

Examples
--------
>>> from workbench.tune.designs import DESIGNS
>>> sorted(DESIGNS)
['cdn', 'chain', 'compiler', 'edge', 'qaoa']
>>> DESIGNS["edge"].objectives
{'deadline_miss_ratio': 'minimize', 'node_energy_kj': 'minimize', 'servers': 'minimize'}
"""

from __future__ import annotations

import functools
import math
import re
import time
from dataclasses import dataclass, field

import networkx as nx
import numpy as np
import pandas as pd

from .space import Categorical, Integer, Ordinal, Real
from .study import TuneError

__all__ = [
    "Design",
    "DesignError",
    "DESIGNS",
    "design",
    "TableObjective",
    "grid_race",
    "cdn_design",
    "edge_design",
    "chain_design",
    "compiler_design",
    "qaoa_design",
    "pop_placement",
    "cdn_regions",
    "CDN_PLACEMENTS",
    "CDN_POLICIES",
    "EDGE_PLACEMENTS",
    "EDGE_SCHEDULERS",
]


class DesignError(TuneError):
    """A design parameter out of its range (a named error instead of a crashed simulation).

    Examples
    --------
    >>> from workbench.tune.designs import DesignError, pop_placement
    >>> try:
    ...     pop_placement(3, "anywhere")
    ... except DesignError as exc:
    ...     print(exc)
    unknown placement 'anywhere'; choose from ['population', 'regional', 'kmedian', 'spread']
    """


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", str(name).lower()).strip("_")


def _check_reps(replications, report):
    if isinstance(replications, bool) or not isinstance(replications, (int, np.integer)) or replications < 1:
        raise DesignError(f"replications must be an integer >= 1, got {replications!r}")
    if report is not None and not callable(report):
        raise DesignError("report must be a callable report(value, step) or None")
    return int(replications)


def _average(rows: list[dict]) -> dict:
    keys = list(rows[0])
    return {k: float(np.mean([r[k] for r in rows])) for k in keys}


def _replicate(one, seed, replications, report, first: str) -> dict:
    """Run ``one(seed + r)`` for r = 0..replications-1, reporting the running mean of ``first``."""
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise DesignError(f"seed must be an integer >= 0, got {seed!r}")
    rows = []
    for r in range(replications):
        rows.append(one(int(seed) + r))
        if report is not None:
            report(float(np.mean([x[first] for x in rows])), r)
    return _average(rows)


# =====================================================================================
# CDN
# =====================================================================================

#: Placement rules for the PoPs (each an ordering of the provider's PoP list; the design takes its
#: first ``n_pops``):
#:
#: * ``"population"`` -- the PoPs with the largest catchment population (cities >= 200k people,
#:   each assigned to its nearest PoP of the full list), largest first: "put PoPs where the people are".
#: * ``"regional"`` -- round-robin over the provider's regions (regions by catchment population),
#:   each region's largest-catchment PoP first: every region gets a PoP early.
#: * ``"kmedian"`` -- greedy k-median: each step adds the PoP that most reduces the population-weighted
#:   great-circle distance from cities to their nearest chosen PoP (latency-optimal-ish).
#: * ``"spread"`` -- greedy k-center (Gonzalez): start at the largest catchment, then add the PoP
#:   nearest to the city currently farthest from every chosen PoP (worst-case coverage).
CDN_PLACEMENTS = ("population", "regional", "kmedian", "spread")

#: Online replacement policies of :data:`workbench.cdn.POLICIES` (the offline ``belady``/``opt`` are
#: left out: they need the future).
CDN_POLICIES = ("lru", "fifo", "clock", "sieve", "s3fifo", "lfu", "2q", "arc", "wtinylfu", "lirs")

#: Most PoPs a placement order holds (the k-median greedy is computed this far).
_MAX_POPS = 128


@functools.lru_cache(maxsize=8)
def _pop_geo(provider: str):
    """PoPs, cities and each city's nearest PoP (index into the full list), cached per provider."""
    from ..cdn import load_cities, load_pops, nearest_pop

    pops = load_pops(provider)
    cities = load_cities()
    near, _ = nearest_pop(cities.lat.to_numpy(), cities.lon.to_numpy(), pops)
    catch = np.bincount(near, weights=cities.population.to_numpy(float), minlength=len(pops))
    return pops, cities, catch


@functools.lru_cache(maxsize=32)
def _pop_order(provider: str, placement: str) -> tuple:
    from ..net import great_circle_km

    pops, cities, catch = _pop_geo(provider)
    n = len(pops)
    if placement == "population":
        return tuple(np.argsort(-catch, kind="stable").tolist())
    if placement == "regional":
        region = pops.region.to_numpy()
        names = sorted(set(region))
        tot = {r: catch[region == r].sum() for r in names}
        names.sort(key=lambda r: (-tot[r], r))
        queues = [[i for i in np.argsort(-catch, kind="stable") if region[i] == r] for r in names]
        order = []
        while len(order) < n:
            for q in queues:
                if q:
                    order.append(int(q.pop(0)))
        return tuple(order)
    d = great_circle_km(
        cities.lat.to_numpy()[:, None],
        cities.lon.to_numpy()[:, None],
        pops.lat.to_numpy()[None, :],
        pops.lon.to_numpy()[None, :],
    )  # (cities, pops) km
    w = cities.population.to_numpy(float)
    if placement == "kmedian":
        best = np.full(len(cities), np.inf)
        order, used = [], np.zeros(n, bool)
        for _ in range(min(n, _MAX_POPS)):
            cost = (w[:, None] * np.minimum(best[:, None], d)).sum(0)
            cost[used] = np.inf
            j = int(np.argmin(cost))
            order.append(j)
            used[j] = True
            best = np.minimum(best, d[:, j])
        return tuple(order)
    if placement == "spread":
        j = int(np.argmax(catch))
        order, used = [j], np.zeros(n, bool)
        used[j] = True
        best = d[:, j].copy()
        while len(order) < min(n, _MAX_POPS):
            far = int(np.argmax(best))  # the worst-served city
            cand = np.where(used, np.inf, d[far])
            j = int(np.argmin(cand))
            order.append(j)
            used[j] = True
            best = np.minimum(best, d[:, j])
        return tuple(order)
    raise DesignError(f"unknown placement {placement!r}; choose from {list(CDN_PLACEMENTS)}")


def pop_placement(n_pops: int, placement: str = "kmedian", provider: str = "cloudflare"):
    """The PoPs a design uses: the first ``n_pops`` rows of the placement order.

    Parameters
    ----------
    n_pops : int
        PoPs to take, 1..128.
    placement : {"population", "regional", "kmedian", "spread"}, default "kmedian"
        The placement rule (:data:`CDN_PLACEMENTS`).
    provider : str, default "cloudflare"
        The PoP list (:func:`workbench.cdn.load_pops`).

    Returns
    -------
    pandas.DataFrame
        The chosen PoPs (rows of the provider's PoP frame), in placement order.

    Raises
    ------
    DesignError
        If the placement is unknown or ``n_pops`` out of range.

    Examples
    --------
    >>> from workbench.tune.designs import pop_placement
    >>> len(pop_placement(3, "population"))
    3
    """
    if placement not in CDN_PLACEMENTS:
        raise DesignError(f"unknown placement {placement!r}; choose from {list(CDN_PLACEMENTS)}")
    order = _pop_order(provider.lower(), placement)
    if isinstance(n_pops, bool) or not isinstance(n_pops, (int, np.integer)) or not 1 <= n_pops <= len(order):
        raise DesignError(f"n_pops must be an integer in 1..{len(order)}, got {n_pops!r}")
    pops, _, _ = _pop_geo(provider.lower())
    return pops.iloc[list(order[: int(n_pops)])].reset_index(drop=True)


def cdn_regions(provider: str = "cloudflare") -> list[str]:
    """The provider's regions (as in :func:`workbench.cdn.load_pops`), sorted.

    Parameters
    ----------
    provider : str, default "cloudflare"
        The PoP list.

    Returns
    -------
    list of str
        Region names; :func:`cdn_design` reports a ``latency_p95_ms_<region>`` for each.

    Examples
    --------
    >>> from workbench.tune.designs import cdn_regions
    >>> "Europe" in cdn_regions()
    True
    """
    pops, _, _ = _pop_geo(provider.lower())
    return sorted(pops.region.unique())


def cdn_design(
    n_pops: int = 16,
    placement: str = "kmedian",
    edge_frac: float = 0.01,
    regional_frac: float = 0.05,
    shield_frac: float = 0.1,
    policy: str = "lru",
    ttl_s: float | None = None,
    prefetch_top: int = 0,
    *,
    provider: str = "cloudflare",
    n_requests: int = 100_000,
    n_objects: int = 10_000,
    alpha: float = 1.1,
    shift: float = 0.02,
    flash_crowds: int = 2,
    n_clients: int = 5_000,
    prefetch_windows: int = 96,
    object_bytes: int = 1_000_000,
    seed: int = 0,
    replications: int = 1,
    report=None,
) -> dict:
    """Simulate one CDN design with :func:`workbench.cdn.simulate_cdn`; return its objectives.

    Workload (per replication, seeded ``seed + r``): a day of :func:`workbench.cdn.shifting_zipf_trace`
    requests (Zipf ``alpha`` over ``n_objects`` objects whose hot set rotates by ``shift`` of the
    catalogue per day, plus ``flash_crowds`` flash crowds) issued by ``n_clients`` clients drawn from
    the world's cities by population (:func:`workbench.cdn.sample_clients`); each request goes to its
    client's nearest chosen PoP (:func:`workbench.cdn.nearest_pop`). Objects are unit-size in the lab
    (prefetching needs that); bytes are counts times the nominal ``object_bytes``.

    Parameters
    ----------
    n_pops : int
        PoPs used, 1..128 (the first ``n_pops`` of the placement order).
    placement : {"population", "regional", "kmedian", "spread"}
        How PoPs are chosen from the provider's list (see :data:`CDN_PLACEMENTS`).
    edge_frac, regional_frac, shield_frac : float
        Size of each PoP's L1 cache, each region's L2 cache and the single shield (L3), as a fraction
        of the catalogue (``n_objects``); every cache holds at least one object. ``regional_frac`` or
        ``shield_frac`` of 0 removes that tier.
    policy : str
        Replacement policy of every tier (:data:`CDN_POLICIES`).
    ttl_s : float or None
        Objects expire this long after they were fetched (:meth:`workbench.cdn.Trace.with_ttl`); None
        (or inf): never. The trace spans 86,400 s.
    prefetch_top : int
        0: no prefetching; else every ``n_requests // prefetch_windows`` requests each active PoP is
        pushed the previous window's ``prefetch_top`` most requested objects
        (:class:`workbench.cdn.Prefetch`; pushes that miss are origin fetches).
    provider : {"cloudflare", "aws"}
        The PoP list. Regions (and so the ``latency_p95_ms_<region>`` keys) are that provider's.
    n_requests : int
        Requests per replication.
    n_objects : int
        Objects in the catalogue.
    alpha : float
        Zipf exponent of object popularity.
    shift : float
        Fraction of the catalogue by which the hot set rotates per day.
    flash_crowds : int
        Flash crowds in the day.
    n_clients : int
        Clients, drawn from the world's cities by population.
    prefetch_windows : int
        Prefetch windows per trace (with ``prefetch_top > 0``).
    object_bytes : int
        Nominal size of an object in bytes (the lab's objects are unit-size).
    seed : int
        Seed of replication 0; replication ``r`` uses ``seed + r``.
    replications : int
        Independent simulations averaged (>= 1).
    report : callable or None
        ``report(value, step)`` after each replication ``step = 0, 1, ...`` with the running mean of
        ``latency_p95_ms``.

    Returns
    -------
    dict
        Means over the replications, first key the first objective:

        * ``latency_p95_ms`` -- p95 request latency overall (ms), from the lab's summary;
        * ``latency_p95_ms_<region>`` -- p95 latency of the requests whose *clients* live in each
          region (a client's region is that of its nearest PoP in the full provider list, so every
          design has the same keys; NaN if a replication had no such request);
        * ``origin_bytes`` -- bytes leaving the origin: demand misses plus prefetch pushes;
        * ``cache_bytes`` -- cache memory provisioned: ``(n_pops * L1 + n_regions_used * L2 + L3) *
          object_bytes``;
        * also ``latency_mean_ms``, ``latency_p50_ms``, ``hit_ratio``, ``l1_hit_ratio``,
          ``origin_demand_bytes``, ``prefetch_bytes``, ``n_l2`` (regional caches).

    Raises
    ------
    DesignError
        If a parameter is out of range (unknown placement or policy, a fraction outside its range,
        a bad TTL, prefetch count or replication count).

    Examples
    --------
    >>> from workbench.tune.designs import cdn_design
    >>> r = cdn_design(8, "kmedian", n_requests=5_000, n_objects=500, n_clients=500)
    >>> r["latency_p95_ms"] > 0, r["cache_bytes"] > 0
    (True, True)
    """
    from ..cdn import POLICIES, Prefetch, Tier, nearest_pop, sample_clients, shifting_zipf_trace

    replications = _check_reps(replications, report)
    provider = str(provider).lower()
    if placement not in CDN_PLACEMENTS:
        raise DesignError(f"unknown placement {placement!r}; choose from {list(CDN_PLACEMENTS)}")
    if policy not in POLICIES or policy in ("belady", "opt"):
        raise DesignError(f"policy must be an online policy of workbench.cdn.POLICIES, got {policy!r}")
    for name, v, zero_ok in (
        ("edge_frac", edge_frac, False),
        ("regional_frac", regional_frac, True),
        ("shield_frac", shield_frac, True),
    ):
        if not (
            isinstance(v, (int, float, np.number)) and math.isfinite(v) and (0 <= v if zero_ok else 0 < v) and v <= 1
        ):
            raise DesignError(f"{name} must be a fraction in {'[0' if zero_ok else '(0'}, 1], got {v!r}")
    if ttl_s is not None and not (isinstance(ttl_s, (int, float, np.number)) and ttl_s > 0):
        raise DesignError(f"ttl_s must be > 0 (seconds) or None, got {ttl_s!r}")
    if isinstance(prefetch_top, bool) or not isinstance(prefetch_top, (int, np.integer)) or prefetch_top < 0:
        raise DesignError(f"prefetch_top must be an integer >= 0, got {prefetch_top!r}")
    sub = pop_placement(n_pops, placement, provider)
    all_pops, _, _ = _pop_geo(provider)
    regions = sorted(all_pops.region.unique())
    keys = {r: f"latency_p95_ms_{_slug(r)}" for r in regions}

    def size(frac):
        return Tier(policy, max(1, int(round(frac * n_objects))))

    l1 = size(edge_frac)
    l2 = size(regional_frac) if regional_frac > 0 else None
    l3 = size(shield_frac) if shield_frac > 0 else None
    n_l2 = sub.region.nunique() if l2 is not None else 0
    slots = n_pops * l1.size + n_l2 * (l2.size if l2 else 0) + (l3.size if l3 else 0)
    pf = Prefetch(int(prefetch_top), max(1, n_requests // prefetch_windows)) if prefetch_top > 0 else None
    finite_ttl = ttl_s is not None and math.isfinite(ttl_s)

    def one(s: int) -> dict:
        from ..cdn import simulate_cdn

        rng = np.random.default_rng([s, 0xCD7])
        trace = shifting_zipf_trace(
            n_requests, n_objects, alpha, days=1.0, shift=shift, flash_crowds=flash_crowds, seed=s
        )
        if finite_ttl:
            trace = trace.with_ttl(float(ttl_s))
        clients = sample_clients(n_clients, seed=s)
        clat, clon = clients.lat.to_numpy(), clients.lon.to_numpy()
        home, _ = nearest_pop(clat, clon, all_pops)
        home_region = np.searchsorted(regions, all_pops.region.to_numpy()[home])
        pop, km = nearest_pop(clat, clon, sub)
        who = rng.integers(0, n_clients, n_requests)
        res = simulate_cdn(trace, pop[who], sub, client_km=km[who], l1=l1, l2=l2, l3=l3, prefetch=pf)
        s_ = res.summary().iloc[0]
        demand = float(s_.origin_bytes) * object_bytes
        pushed = float(s_.prefetch_bytes) * object_bytes
        out = {
            "latency_p95_ms": float(s_.latency_p95_ms),
            **{keys[r]: np.nan for r in regions},
            "origin_bytes": demand + pushed,
            "cache_bytes": float(slots) * object_bytes,
            "latency_mean_ms": float(s_.latency_mean_ms),
            "latency_p50_ms": float(s_.latency_p50_ms),
            "hit_ratio": float(s_.hit_ratio),
            "l1_hit_ratio": float(s_.l1_hit_ratio),
            "origin_demand_bytes": demand,
            "prefetch_bytes": pushed,
            "n_l2": float(n_l2),
        }
        req_region = home_region[who]
        lat = res.latency_ms
        for k, r in enumerate(regions):
            m = req_region == k
            if m.any():
                out[keys[r]] = float(np.percentile(lat[m], 95))
        return out

    return _replicate(one, seed, replications, report, "latency_p95_ms")


#: Objectives of :func:`cdn_design` for a front (all minimised): overall p95, origin egress, cache memory.
CDN_OBJECTIVES = ("latency_p95_ms", "origin_bytes", "cache_bytes")


#: A small grid (5 * 4 * 2 * 3 * 2 = 240 designs); regional caches stay at 5%, no TTL, no prefetching.
#: Latency and origin egress mostly agree with each other and both fight cache memory: more PoPs cut
#: p95 but each brings an L1; a bigger shield cuts origin bytes and (a little) p95 for memory.
CDN_GRID = {
    "n_pops": [4, 8, 16, 32, 64],
    "placement": ["population", "kmedian", "regional", "spread"],
    "edge_frac": [0.002, 0.02],
    "shield_frac": [0.05, 0.2, 0.8],
    "policy": ["lru", "s3fifo"],
}

#: Keyword sizes for quick tests.
CDN_SMALL = {"n_requests": 5_000, "n_objects": 500, "n_clients": 500}


# =====================================================================================
# Edge
# =====================================================================================

#: Placement rules for the edge nodes over the backbone's attach points (PoPs):
#:
#: * ``"random"`` -- :func:`workbench.edge.build_scenario`'s own: round-robin over a seeded random
#:   permutation of the PoPs;
#: * ``"degree"`` -- the best-connected PoPs (highest degree) first;
#: * ``"kmedian"`` -- greedy k-median: each step adds the PoP that most reduces the devices' summed
#:   backbone latency to their nearest edge node;
#: * ``"spread"`` -- greedy k-center: start at the PoP with most devices, then add the PoP that is
#:   farthest (backbone latency) from every chosen node among the PoPs that host devices.
EDGE_PLACEMENTS = ("random", "degree", "kmedian", "spread")

#: Schedulers: :data:`workbench.edge.SCHEDULERS` plus ``"score"`` (a ScoreScheduler with the six weights).
EDGE_SCHEDULERS = ("random", "round_robin", "least_loaded", "nearest", "mct", "offload", "score")

#: Most edge nodes a design may have.
_MAX_NODES = 128


@functools.lru_cache(maxsize=64)
def _base_scenario(topology, n_devices, n_max, seed, scen_kwargs):
    """build_scenario with ``n_max`` edge nodes; the first ``k`` edge rows (plus the cloud rows) are
    exactly ``build_scenario(..., n_edge=k, ...)``: its random draws for devices do not depend on
    ``n_edge``, and the edge nodes' draws are prefixes."""
    from ..edge import build_scenario

    return build_scenario(topology, n_devices, n_max, 1, seed=seed, **dict(scen_kwargs))


def _edge_aps(sc, n_nodes: int, placement: str) -> np.ndarray:
    """Attach points of the ``n_nodes`` edge nodes under a placement rule (``sc`` is the base scenario)."""
    lat = sc.latency_ms
    a = lat.shape[0]
    if placement == "random":
        return sc.nodes.ap.to_numpy()[(sc.nodes.tier == "edge").to_numpy()][:n_nodes]
    if placement == "degree":
        g = sc.graph
        deg = np.array([g.degree(v) for v in g.nodes])
        return np.argsort(-deg, kind="stable")[np.arange(n_nodes) % a]
    dev = np.bincount(sc.devices.ap.to_numpy(int), minlength=a).astype(float)
    d = np.where(np.isfinite(lat), lat, 1e9)  # (ap, ap), one-way backbone ms
    hosts = np.flatnonzero(dev > 0)
    chosen, used = [], np.zeros(a, bool)
    if placement == "kmedian":
        best = np.full(a, 1e12)
        for _ in range(n_nodes):
            if used.all():  # more nodes than PoPs: start a second round
                used[:] = False
            cost = (dev[:, None] * np.minimum(best[:, None], d)).sum(0)
            cost[used] = np.inf
            j = int(np.argmin(cost))
            chosen.append(j)
            used[j] = True
            best = np.minimum(best, d[:, j])
        return np.array(chosen)
    if placement == "spread":
        j = int(np.argmax(dev))
        chosen.append(j)
        used[j] = True
        best = d[:, j].copy()
        while len(chosen) < n_nodes:
            if used.all():
                used[:] = False
            cand = hosts[~used[hosts]]
            j = int(cand[np.argmax(best[cand])]) if cand.size else int(np.argmin(used))
            chosen.append(j)
            used[j] = True
            best = np.minimum(best, d[:, j])
        return np.array(chosen)
    raise DesignError(f"unknown placement {placement!r}; choose from {list(EDGE_PLACEMENTS)}")


def edge_design(
    n_nodes: int = 8,
    placement: str = "kmedian",
    scheduler: str = "mct",
    cores_per_node: int = 4,
    w_latency: float = 1.0,
    w_load: float = 0.0,
    w_wait: float = 1.0,
    w_exec: float = 1.0,
    w_cloud: float = 0.05,
    w_transfer: float = 1.0,
    *,
    topology: str = "Cogentco",
    n_devices: int = 300,
    rate: float = 4.0,
    size_mi: float = 50.0,
    data_in_mb: float = 0.05,
    deadline_s: float = 0.1,
    cloud_cores: int = 8,
    cloud_access_ms: float = 20.0,
    seed: int = 0,
    n_tasks: int = 50_000,
    replications: int = 1,
    report=None,
) -> dict:
    """Simulate one edge design with :func:`workbench.edge.simulate`; return its objectives.

    The scenario (per replication, seeded ``seed + r``) is :func:`workbench.edge.build_scenario` on the
    Topology Zoo backbone ``topology``: ``n_devices`` devices at random PoPs sending ``rate`` tasks/s
    each (Poisson; exponential sizes of mean ``size_mi`` MI; ``data_in_mb`` MB up, 0.02 MB back; a
    ``deadline_s`` deadline: by default small, latency-critical tasks, so that where the edge nodes
    sit matters), one cloud data centre at the best-connected PoP
    (``cloud_cores`` cores, ``cloud_access_ms`` away; its idle and busy power scaled by
    ``cloud_cores / 64`` so that it keeps the per-core draw of the lab's 64-core ``CLOUD_NODE``) and
    ``n_nodes`` edge nodes of ``cores_per_node`` cores (the lab's edge power: 50 W idle, 150 W with
    every core busy, whatever the core count), their attach points then set by ``placement``. The run
    stops after ``n_tasks`` tasks have been generated and have finished.

    Parameters
    ----------
    n_nodes : int
        Edge nodes, 1..128.
    placement : {"random", "degree", "kmedian", "spread"}
        Where the edge nodes sit (see :data:`EDGE_PLACEMENTS`).
    scheduler : str
        One of :data:`EDGE_SCHEDULERS`; ``"score"`` uses ``ScoreScheduler([w_latency, w_load, w_wait,
        w_exec, w_cloud, w_transfer])`` (the order of :data:`workbench.edge.FEATURES`); the weights are
        ignored by the other schedulers.
    cores_per_node : int
        Cores (servers, in the lab's words) per edge node, >= 1.
    w_latency, w_load, w_wait, w_exec, w_cloud, w_transfer : float
        ScoreScheduler weights (finite).
    topology : str
        The Topology Zoo backbone (:func:`workbench.net.load_topology`).
    n_devices : int
        Devices sending tasks.
    rate : float
        Tasks per second per device.
    size_mi : float
        Mean task size (million instructions).
    data_in_mb : float
        Input data per task (MB).
    deadline_s : float
        Deadline of every task (s).
    cloud_cores : int
        Cores of the cloud data centre.
    cloud_access_ms : float
        One-way latency from the backbone to the cloud (ms).
    seed : int
        Seed of replication 0; replication ``r`` uses ``seed + r``.
    n_tasks : int
        Tasks per replication.
    replications : int
        Independent simulations averaged (>= 1).
    report : callable or None
        ``report(value, step)`` after each replication with the running mean of ``deadline_miss_ratio``.

    Returns
    -------
    dict
        Means over the replications, first key the first objective: ``deadline_miss_ratio``,
        ``node_energy_kj`` (edge and cloud nodes, idle + busy), ``device_energy_j``, ``servers``
        (edge cores: ``n_nodes * cores_per_node``), and ``edge_nodes``, ``latency_p95_ms``,
        ``latency_mean_ms``, ``drop_ratio``, ``utilisation``, ``local_ratio`` (run on the device),
        ``duration_s``.

    Raises
    ------
    DesignError
        If a parameter is out of range (node count, placement, cores, scheduler, replications).

    Examples
    --------
    >>> from workbench.tune.designs import edge_design
    >>> r = edge_design(4, "kmedian", "mct", n_tasks=1_000)
    >>> 0 <= r["deadline_miss_ratio"] <= 1, r["servers"]
    (True, 16.0)
    """
    from ..edge import SCHEDULERS, Scenario, ScoreScheduler, simulate

    replications = _check_reps(replications, report)
    if isinstance(n_nodes, bool) or not isinstance(n_nodes, (int, np.integer)) or not 1 <= n_nodes <= _MAX_NODES:
        raise DesignError(f"n_nodes must be an integer in 1..{_MAX_NODES}, got {n_nodes!r}")
    if placement not in EDGE_PLACEMENTS:
        raise DesignError(f"unknown placement {placement!r}; choose from {list(EDGE_PLACEMENTS)}")
    if isinstance(cores_per_node, bool) or not isinstance(cores_per_node, (int, np.integer)) or cores_per_node < 1:
        raise DesignError(f"cores_per_node must be an integer >= 1, got {cores_per_node!r}")
    if scheduler == "score":
        sched = ScoreScheduler([w_latency, w_load, w_wait, w_exec, w_cloud, w_transfer])
    elif scheduler in SCHEDULERS:
        sched = scheduler
    else:
        raise DesignError(f"unknown scheduler {scheduler!r}; choose from {list(EDGE_SCHEDULERS)}")
    n_nodes, cores_per_node = int(n_nodes), int(cores_per_node)
    scen_kwargs = (
        ("rate", float(rate)),
        ("size_mi", float(size_mi)),
        ("data_in_mb", float(data_in_mb)),
        ("deadline_s", float(deadline_s)),
        ("cloud_cores", int(cloud_cores)),
        ("cloud_access_ms", float(cloud_access_ms)),
    )

    def one(s: int) -> dict:
        base = _base_scenario(topology, int(n_devices), _MAX_NODES, s, scen_kwargs)
        nodes = base.nodes
        edge = (nodes.tier == "edge").to_numpy()
        keep = np.concatenate([np.flatnonzero(edge)[:n_nodes], np.flatnonzero(~edge)])
        nodes = nodes.iloc[keep].reset_index(drop=True)
        ap = np.concatenate([_edge_aps(base, n_nodes, placement), nodes.ap.to_numpy()[n_nodes:]]).astype(np.int64)
        g = base.graph
        names = list(g.nodes)
        nodes["ap"] = ap
        nodes["lat"] = [g.nodes[names[i]]["lat"] for i in ap]
        nodes["lon"] = [g.nodes[names[i]]["lon"] for i in ap]
        cores = nodes.cores.to_numpy().copy()
        cores[:n_nodes] = cores_per_node
        nodes["cores"] = cores
        # the cloud keeps the lab's per-core power (CLOUD_NODE is a 64-core data centre's draw)
        scale = np.where(np.arange(len(nodes)) < n_nodes, 1.0, cloud_cores / 64.0)
        nodes["p_idle_w"] = nodes.p_idle_w.to_numpy() * scale
        nodes["p_busy_w"] = nodes.p_busy_w.to_numpy() * scale
        sc = Scenario(base.devices, nodes, base.latency_ms, graph=g, name=f"{topology}: {placement} x{n_nodes}")
        r = simulate(sc, sched, n_tasks=int(n_tasks), seed=s)
        row = r.summary().iloc[0]
        gen = max(int(row.generated), 1)
        return {
            "deadline_miss_ratio": float(row.deadline_miss_ratio),
            "node_energy_kj": float(row.node_energy_kj),
            "device_energy_j": float(row.device_energy_j),
            "servers": float(n_nodes * cores_per_node),
            "edge_nodes": float(n_nodes),
            "latency_p95_ms": float(row.latency_p95_ms),
            "latency_mean_ms": float(row.latency_mean_ms),
            "drop_ratio": float(row.dropped) / gen,
            "utilisation": float(row.utilisation),
            "local_ratio": float(row.local) / gen,
            "duration_s": float(row.duration_s),
        }

    return _replicate(one, seed, replications, report, "deadline_miss_ratio")


#: Objectives of :func:`edge_design` for a front (all minimised).
EDGE_OBJECTIVES = ("deadline_miss_ratio", "node_energy_kj", "servers")


#: A small grid (8 * 3 * 4 * 3 = 288 designs); ``"score"`` runs with the default weights (those of
#: :func:`edge_design`: latency + wait + execution + transfer, a small cloud penalty).
EDGE_GRID = {
    "n_nodes": [1, 2, 4, 6, 8, 12, 16, 24],
    "placement": ["random", "kmedian", "spread"],
    "scheduler": ["least_loaded", "mct", "offload", "score"],
    "cores_per_node": [2, 4, 8],
}

#: Keyword sizes for quick tests.
EDGE_SMALL = {"n_tasks": 1_000}


# ============================================================================================
# 1. Blockchain: interval, block size, peer degree -> throughput, stale ratio, selfish threshold
# ============================================================================================


@functools.lru_cache(maxsize=1)
def _tx_bytes() -> float:
    """Mean serialized size of the non-coinbase transactions of the shipped Bitcoin block 100000."""
    from ..chain.bitcoin import load_block

    txs = [t for t in load_block(100000).transactions if not t.is_coinbase]
    return float(np.mean([len(t.raw) for t in txs]))


@functools.lru_cache(maxsize=64)
def _overlay(nodes: int, degree: int, seed: int) -> nx.Graph:
    """The lab's overlay (deterministic for an integer seed); cached, never mutated."""
    from ..chain import p2p_network

    return p2p_network(nodes, degree=degree, seed=seed)


def _gamma_from_delays(D: np.ndarray) -> float:
    """Eyal-Sirer's gamma implied by a miner-to-miner delay matrix (ms), equal hash shares.

    Each miner in turn plays the selfish pool ``p``. When honest miner ``h`` finds a block, the
    pool hears it after ``D[h, p]`` and releases its withheld block at once; honest miner ``j``
    mines on whichever block it receives first: the honest one after ``D[h, j]``, the pool's
    after ``D[h, p] + D[p, j]`` (ties count half). The finder ``h`` stays on its own block.
    gamma is the hash-weighted fraction of honest miners on the pool's branch, averaged over
    pools and finders. (Relays validate before forwarding, the pool does not wait to validate
    the honest block, so the pool wins the nodes whose fastest path from ``h`` runs through it,
    and near-ties within one validation time.)
    """
    m = D.shape[0]
    # diff[p, h, j] = D[h, p] + D[p, j] - D[h, j]
    diff = D.T[:, :, None] + D[:, None, :] - D[None, :, :]
    scale = max(1.0, float(np.abs(D).max()))
    win = (diff < -1e-12 * scale) + 0.5 * (np.abs(diff) <= 1e-12 * scale)
    idx = np.arange(m)
    mask = np.ones((m, m, m), bool)
    mask[idx, idx, :] = False  # the finder is not the pool
    mask[idx, :, idx] = False  # the pool is not an honest observer
    mask[:, idx, idx] = False  # the finder mines on its own block (counts 0)
    # per (pool, finder): m - 1 honest miners (finder included, with 0)
    return float((win * mask).sum() / (m * (m - 1) * (m - 1)))


def _threshold_under_stale(gamma: float, stale: float) -> float:
    """Smallest pool share alpha for which selfish mining beats honest mining, given gamma and
    the honest network's stale ratio.

    The pool mines its private branch alone (no stale blocks of its own), while a fraction
    ``stale`` of honest work is wasted on forks, so the selfish race of Eyal and Sirer is played
    with the effective share ``a' = alpha / (alpha + (1 - alpha)(1 - stale))``; selfish mining pays
    when ``selfish_revenue(a', gamma) > alpha`` (honest mining earns the share alpha when every
    miner loses the same fraction of its blocks). With ``stale = 0`` this is exactly
    ``selfish_threshold(gamma) = (1 - gamma) / (3 - 2 gamma)``.
    """
    from scipy.optimize import brentq

    from ..chain import selfish_revenue, selfish_threshold

    if stale <= 0.0:
        return float(selfish_threshold(gamma))
    keep = 1.0 - min(stale, 1.0 - 1e-12)

    def f(a):
        a_eff = a / (a + (1.0 - a) * keep)
        return selfish_revenue(min(a_eff, 0.5 - 1e-12), gamma) - a

    a_max = 0.5 * keep / (0.5 + 0.5 * keep) - 1e-9  # where a' reaches 0.5 (revenue 1 > a)
    grid = np.linspace(1e-6, a_max, 200)
    vals = np.array([f(a) for a in grid])
    if vals[0] > 0:
        return 0.0
    k = int(np.argmax(vals > 0))
    if vals[k] <= 0:
        return float(a_max)
    return float(brentq(f, grid[k - 1], grid[k], xtol=1e-10))


def chain_design(
    interval_s: float = 600.0,
    block_size_kb: float = 1000.0,
    peer_degree: int = 8,
    *,
    seed: int = 0,
    nodes: int = 1000,
    miners: int = 30,
    blocks: int = 5000,
    replications: int = 4,
    bandwidth_mbps: float = 8.0,
    uplink_mbps: float | None = None,
    verify_ms: float = 200.0,
    tx_bytes: float | None = None,
    report=None,
) -> dict:
    """Throughput, stale ratio and selfish-mining threshold of a Bitcoin-like design.

    Each replication ``k`` draws (from ``SeedSequence(seed).spawn``) one overlay
    ``p2p_network(nodes, degree=peer_degree)``, ``miners`` miners of equal hash power on its
    largest component, the per-hop model ``GossipNetwork(block_kb=block_size_kb, ...)`` and its
    ``delay_matrix``, then one race ``simulate_mining(D, shares, interval_s, blocks)``. The same
    seed gives the same overlays and race streams to every design (common random numbers).

    Parameters
    ----------
    interval_s : float
        Mean block interval, s (> 0).
    block_size_kb : float
        Block size in kB (1000 bytes), every block full.
    peer_degree : int
        Outbound connections per node (>= 2; about ``2 * peer_degree`` neighbours).
    seed : int
        Seed of everything random.
    nodes, miners, blocks, replications : int
        Overlay size, mining participants, blocks per race, races.
    bandwidth_mbps : float
        Per-link bandwidth (the lab's default 8 Mbit/s), used when ``uplink_mbps`` is None.
    uplink_mbps : float or None
        If given, a node's uplink shared by its outbound connections: per-link bandwidth
        ``uplink_mbps / peer_degree`` (a cost of high degree the lab's per-link model lacks).
    verify_ms : float
        Validation time per relay (lab default 200 ms).
    tx_bytes : float or None
        Bytes per transaction; None uses the mean size of the non-coinbase transactions of the
        shipped Bitcoin block 100000 (``load_block(100000)``: 247 bytes).
    report : callable or None
        ``report(throughput_tps_so_far, step)`` after each replication (step = 0, 1, ...).

    Returns
    -------
    dict
        ``throughput_tps`` (transactions per second on the final main chain: main-chain bytes per
        second of simulated time, divided by ``tx_bytes``; the network model has no transactions,
        so this is bytes/s in units of a typical transaction), ``throughput_Bps`` (bytes/s),
        ``stale_ratio`` (stale blocks / blocks, pooled over replications), ``selfish_threshold``
        (pool share above which selfish mining pays, with gamma from the delays and the stale
        ratio, see :func:`_threshold_under_stale`), ``selfish_threshold_es`` (Eyal-Sirer's
        ``(1 - gamma)/(3 - 2 gamma)`` with that gamma, ignoring stale blocks), ``gamma``,
        ``stale_ratio_closed_form`` (lab's ``1 - exp(-D/T)``, mean over replications) and
        ``mean_delay_ms``.

    Examples
    --------
    >>> from workbench.tune.designs import chain_design
    >>> r = chain_design(600.0, 1000.0, 8, nodes=100, miners=10, blocks=1000, replications=1)
    >>> 0 <= r["stale_ratio"] < 0.05, 0.2 < r["selfish_threshold"] <= 1 / 3
    (True, True)
    """
    from ..chain import GossipNetwork, simulate_mining

    interval_s = float(interval_s)
    block_size_kb = float(block_size_kb)
    peer_degree = int(peer_degree)
    tx = _tx_bytes() if tx_bytes is None else float(tx_bytes)
    bw = float(bandwidth_mbps) if uplink_mbps is None else float(uplink_mbps) / peer_degree
    children = np.random.SeedSequence(int(seed)).spawn(int(replications))
    main_blocks = stale_blocks = 0
    elapsed_s = 0.0
    gammas, closed, delays = [], [], []
    value = float("nan")
    for k, child in enumerate(children, start=1):
        graph_seed, race_seed = (int(x) for x in child.generate_state(2))
        G = _overlay(int(nodes), peer_degree, graph_seed)
        comp = sorted(max(nx.connected_components(G), key=len))
        rng = np.random.default_rng(race_seed)
        who = rng.choice(comp, size=int(miners), replace=False)
        net = GossipNetwork(G, block_kb=block_size_kb, bandwidth_mbps=bw, verify_ms=float(verify_ms))
        D = net.delay_matrix(who)
        r = simulate_mining(D, np.ones(len(who)), interval_s=interval_s, blocks=int(blocks), seed=rng)
        on_main = int(r.blocks.on_main.sum())
        main_blocks += on_main
        stale_blocks += len(r.blocks) - on_main
        elapsed_s += float(r.blocks.time_ms.iloc[-1]) / 1000.0
        gammas.append(_gamma_from_delays(D))
        closed.append(r.closed_form)
        delays.append(r.mean_delay_ms)
        value = main_blocks * block_size_kb * 1000.0 / elapsed_s / tx
        if report is not None:
            report(value, k - 1)
    from ..chain import selfish_threshold

    stale = stale_blocks / max(main_blocks + stale_blocks, 1)
    gamma = float(np.mean(gammas))
    return {
        "throughput_tps": float(value),
        "throughput_Bps": float(value * tx),
        "stale_ratio": float(stale),
        "selfish_threshold": _threshold_under_stale(gamma, stale),
        "selfish_threshold_es": float(selfish_threshold(gamma)),
        "gamma": gamma,
        "stale_ratio_closed_form": float(np.mean(closed)),
        "mean_delay_ms": float(np.mean(delays)),
    }


CHAIN_OBJECTIVES = {"throughput_tps": "maximize", "stale_ratio": "minimize", "selfish_threshold": "maximize"}
# 7 x 8 x 4 = 224 points
CHAIN_GRID = {
    "interval_s": [2.0, 5.0, 15.0, 30.0, 60.0, 150.0, 600.0],
    "block_size_kb": [50.0, 125.0, 250.0, 500.0, 1000.0, 2000.0, 4000.0, 8000.0],
    "peer_degree": [2, 4, 8, 16],
}
#: keyword settings for a fast (< 50 ms warm) evaluation in tests
CHAIN_SMALL = {"nodes": 100, "miners": 10, "blocks": 1000, "replications": 1}


# ============================================================================================
# 2. Quantum compiler: options -> CNOT count, depth, compile time
# ============================================================================================


@functools.lru_cache(maxsize=32)
def _qasm_circuit(name: str):
    from .._data import data_path
    from ..quantum import from_qasm

    return from_qasm(data_path("qasm", f"{name}.qasm")).without_measurements()


@functools.lru_cache(maxsize=32)
def _coupling(spec: str) -> nx.Graph:
    """ "heavy_hex" / "heavy_hex:5" (IBM's lattice, distance d), "grid:RxC", "line:N", "ring:N"."""
    from ..quantum import coupling_map

    kind, _, arg = spec.partition(":")
    if kind == "heavy_hex":
        return coupling_map("heavy_hex", d=int(arg or 3))
    if kind == "grid":
        rows, cols = (int(x) for x in arg.lower().split("x"))
        return coupling_map("grid", rows=rows, cols=cols)
    return coupling_map(kind, int(arg))


#: routing-equivalents of optimising one routed candidate to the end (see compiler_design)
FINISH_COST = 4

_BASIS = {True: "u", False: "rz_sx", "u": "u", "rz_sx": "rz_sx", "fused": "u", "native": "rz_sx"}


def compiler_design(
    fusion="u",
    layout_candidates: int = 2,
    routing_trials: int = 8,
    *,
    circuit="bv_n14",
    coupling="heavy_hex",
    seed: int = 0,
    elide: bool = True,
    report=None,
) -> dict:
    """Compile a QASMBench circuit onto a device with ``workbench.quantum.transpile``.

    Parameters
    ----------
    fusion : bool or {"u", "rz_sx"}
        The one-qubit fusion target, transpile's ``basis``. ``transpile`` always fuses each run of
        one-qubit gates into one unitary (``optimize_1q``); ``"u"`` (True) keeps every fused run as
        one ``u`` gate, ``"rz_sx"`` (False) writes it in IBM's native ``rz sx rz sx rz`` (up to 5 gates).
        The lab's compiler has no other fusion switch.
    layout_candidates : int
        transpile's ``trials``: the routings with the fewest SWAPs that are optimised to the end
        (the one with the fewest CNOTs, then least depth, wins), 1..10000.
    routing_trials : int
        transpile's ``route_trials``: SABRE routings from random layouts (plus two ordered layouts);
        raised to ``layout_candidates`` when smaller.
    circuit : str or Circuit
        A file stem of ``data/qasm`` (QASMBench, measurements dropped), or a workbench Circuit.
    coupling : str or networkx.Graph
        ``"heavy_hex"`` (IBM's heavy-hex lattice, d = 3: 19 qubits, 20 couplers, Falcon-sized),
        ``"heavy_hex:5"``, ``"grid:4x5"``, ``"line:N"``, ``"ring:N"``, or a graph.
    seed : int
        Seed of transpile's random layouts.
    elide : bool
        transpile's ``elide`` (input SWAPs become a relabelling).
    report : ignored
        Accepted for a uniform interface; one compilation has no intermediate steps.

    Returns
    -------
    dict
        ``cnot_count`` (cx gates), ``depth``, ``compile_s`` (wall time of transpile, measured, noisy),
        ``swaps`` (SWAPs routing inserted), ``gates`` (all gates), ``one_qubit_gates``,
        ``routings`` (SABRE routings made: ``max(trials, route_trials) + 2``) and ``compile_work``
        (``routings + FINISH_COST * layout_candidates``: a deterministic proxy of ``compile_s`` in
        routing-equivalents, since finishing one candidate costs about 4 routings; fitted on
        bv_n14 / heavy-hex: compile_s ~ 5.9 ms x routings + 21.6 ms x candidates).

    Examples
    --------
    >>> from workbench.tune.designs import compiler_design
    >>> r = compiler_design("u", 1, 2, circuit="qec_en_n5")
    >>> r["cnot_count"] > 0, r["compile_work"]
    (True, 8)
    """
    from ..quantum import transpile

    qc = _qasm_circuit(circuit) if isinstance(circuit, str) else circuit
    g = _coupling(coupling) if isinstance(coupling, str) else coupling
    basis = _BASIS[fusion if isinstance(fusion, str) else bool(fusion)]
    trials, route_trials = int(layout_candidates), int(routing_trials)
    t0 = time.perf_counter()
    r = transpile(qc.copy(), g, basis=basis, seed=int(seed), trials=trials, route_trials=route_trials, elide=elide)
    dt = time.perf_counter() - t0
    ops = r.circuit.count_ops()
    cx = int(ops.get("cx", 0))
    gates = int(sum(v for k, v in ops.items() if k not in ("measure", "reset")))
    return {
        "cnot_count": cx,
        "depth": int(r.circuit.depth()),
        "compile_s": float(dt),
        "swaps": int(r.swaps),
        "gates": gates,
        "one_qubit_gates": gates - cx,
        "routings": max(trials, route_trials) + 2,
        "compile_work": max(trials, route_trials) + 2 + FINISH_COST * trials,
    }


COMPILER_OBJECTIVES = {"cnot_count": "minimize", "depth": "minimize", "compile_s": "minimize"}
#: the deterministic objectives to enumerate the grid on: compile time is noisy, and without a
#: cost the (cnot_count, depth) front is one point (more routings never hurt)
COMPILER_GRID_OBJECTIVES = {"cnot_count": "minimize", "depth": "minimize", "compile_work": "minimize"}
# 2 x 6 x 15 = 180 points
COMPILER_GRID = {
    "fusion": ["u", "rz_sx"],
    "layout_candidates": [1, 2, 3, 4, 5, 6],
    "routing_trials": [1, 2, 3, 4, 5, 6, 8, 10, 12, 14, 16, 20, 24, 28, 32],
}
#: keyword settings for a fast (< 50 ms warm) evaluation in tests
COMPILER_SMALL = {"circuit": "qec_en_n5"}  # on heavy_hex: 9 ms at (u, 1, 1), <= ~100 ms at (u, 6, 32)


# ============================================================================================
# 3. QAOA: depth and shots -> approximation ratio vs simulation cost
# ============================================================================================


def _default_graph(graph):
    """None: the triangular prism (3-regular, 6 nodes, 9 edges, max cut 7); "prism:k" (circular
    ladder on 2k nodes), "3reg:N" (``random_regular_graph(3, N, seed=1)``), "ring:N",
    "complete:N"; or a networkx graph as is."""
    if graph is None:
        return nx.circular_ladder_graph(3)
    if isinstance(graph, str):
        kind, _, arg = graph.partition(":")
        n = int(arg)
        if kind == "prism":
            return nx.circular_ladder_graph(n)
        if kind == "3reg":
            return nx.random_regular_graph(3, n, seed=1)
        if kind == "ring":
            return nx.cycle_graph(n)
        if kind == "complete":
            return nx.complete_graph(n)
        raise DesignError(f"unknown graph spec {graph!r}")
    return graph


def _maxcut_hamiltonian(G):
    """-C as a Pauli sum: sum_w w/2 Z_i Z_j with offset -sum w / 2 (qubit q = q-th node)."""
    nodes = list(G.nodes)
    n = len(nodes)
    idx = {v: i for i, v in enumerate(nodes)}
    H = {}
    total = 0.0
    for u, v, d in G.edges(data=True):
        w = float(d.get("weight", 1.0))
        lab = ["I"] * n
        lab[n - 1 - idx[u]] = "Z"
        lab[n - 1 - idx[v]] = "Z"
        key = "".join(lab)
        H[key] = H.get(key, 0.0) + w / 2.0
        total += w
    return H, -total / 2.0


def qaoa_design(
    p: int = 1,
    shots: int = 256,
    *,
    graph=None,
    seed: int = 0,
    restarts: int = 1,
    estimator: str = "shots",
    report=None,
) -> dict:
    """MaxCut QAOA of depth ``p`` with ``shots`` samples per expectation estimate.

    ``estimator="shots"`` (default): the lab's shot-based variational optimizer ``vqe`` with the
    lab's QAOA circuit ``qaoa_circuit(G, p)`` as ansatz and the MaxCut Hamiltonian
    ``-C = sum_ij w_ij/2 Z_i Z_j - sum w / 2`` (COBYLA, as vqe's docstring advises with shots;
    each energy is estimated from ``shots`` samples per ZZ term), so shot noise degrades the
    angles found and both ``p`` and ``shots`` move ``approximation_ratio``.

    ``estimator="exact"``: the lab's QAOA optimizer ``optimize_qaoa(G, p)`` (L-BFGS-B on exact
    state-vector expectations). It has no shot option, so ``shots`` only affects the final
    readout columns (``sampled_ratio``, ``best_sampled_ratio``) and the costs.

    Either way the optimised circuit is sampled ``shots`` times with ``sample_counts``.
    Restarts are made one call at a time on one shared random stream, which gives exactly what
    one call with ``restarts=R`` gives (checked for optimize_qaoa), and lets ``report`` see them.

    Parameters
    ----------
    p : int
        QAOA layers (>= 1).
    shots : int
        Samples per expectation estimate and for the final readout (>= 1).
    graph : networkx.Graph, str or None
        None: the triangular prism (``nx.circular_ladder_graph(3)``: 3-regular, 6 nodes, 9 edges,
        max cut 7); "prism:k", "3reg:N", "ring:N", "complete:N"; or a graph (at most 12 nodes
        with the "shots" estimator, 24 with "exact").
    seed : int
        Seed of the random starts and the shots (two independent streams).
    restarts : int
        Random starts, the best kept (on the noisy estimate with "shots", as vqe does).
    estimator : {"shots", "exact"}
        How expectations are estimated (see above).
    report : callable or None
        ``report(approximation_ratio_of_best_restart_so_far, step)`` after each restart (step = 0, 1, ...).

    Returns
    -------
    dict
        ``approximation_ratio`` (exact <C> / max cut at the angles found: ``QAOAResult.ratio``, or
        ``VQEResult.energy / exact``), ``sampled_ratio`` (mean cut of the ``shots`` readout
        samples / max cut), ``best_sampled_ratio`` (best sampled cut / max cut; saturates at 1 on
        small graphs), ``optimal_probability`` (P(one sample is a maximum cut)), ``evaluations``
        (expectation evaluations by the optimizer), ``shot_cost`` (``(evaluations + 1) * shots``:
        circuit executions a device needs with ``shots`` per estimate, all ZZ terms measured
        together, plus the readout), ``samples_drawn`` (samples the lab's simulation drew: vqe
        samples each ZZ term separately, so ``evaluations * shots * |E| + shots``; just ``shots``
        with "exact"), ``gate_applications`` (``evaluations`` x gates of the depth-p circuit:
        the state-vector simulation work).

    Raises
    ------
    DesignError
        If ``estimator`` is neither "shots" nor "exact", or the graph specification is unknown.

    Examples
    --------
    >>> from workbench.tune.designs import qaoa_design
    >>> r = qaoa_design(1, 64, graph="ring:4", estimator="exact")
    >>> round(r["approximation_ratio"], 3), r["shot_cost"] > 64
    (0.75, True)
    """
    from ..quantum import cut_values, optimize_qaoa, qaoa_circuit, sample_counts, simulate, vqe

    G = _default_graph(graph)
    p, shots = int(p), int(shots)
    opt_seed, shot_seed = np.random.SeedSequence(int(seed)).spawn(2)
    rng = np.random.default_rng(opt_seed)  # one stream for all restarts: the same as restarts=R in one call
    cuts = cut_values(G)
    max_cut = float(cuts.max())
    evaluations = 0
    samples_drawn = 0  # samples the lab's simulation drew while optimising
    best = None  # (ratio, angles)
    if estimator == "exact":
        for k in range(1, int(restarts) + 1):
            r = optimize_qaoa(G, p, restarts=1, seed=rng)
            evaluations += len(r.history)
            if best is None or r.expected_cut > best[0] * max_cut:
                best = (r.ratio, np.asarray(r.gammas), np.asarray(r.betas))
            if report is not None:
                report(float(best[0]), k - 1)
        ratio, gammas, betas = best
    elif estimator == "shots":
        H, offset = _maxcut_hamiltonian(G)
        ansatz = qaoa_circuit(G, p)
        names = ansatz.parameters
        best_fun = None
        for k in range(1, int(restarts) + 1):
            r = vqe(H, ansatz, offset=offset, method="COBYLA", restarts=1, seed=rng, shots=shots)
            evaluations += len(r.history)
            samples_drawn += len(r.history) * shots * len(H)  # vqe samples every ZZ term separately
            est = float(r.history.energy.min())  # vqe keeps the start whose (noisy) optimum is lowest
            if best is None or est < best_fun:
                best_fun = est
                best = (float(r.energy / r.exact), r.parameters)
            if report is not None:
                report(float(best[0]), k - 1)
        vals = dict(zip(names, best[1]))
        ratio = best[0]
        gammas = np.array([vals[f"gamma_{l}"] for l in range(p)])
        betas = np.array([vals[f"beta_{l}"] for l in range(p)])
    else:
        raise DesignError(f"estimator must be 'exact' or 'shots', got {estimator!r}")
    final = qaoa_circuit(G, p, gammas, betas)
    n_gates = int(sum(final.count_ops().values()))
    probs = np.abs(simulate(final).state) ** 2  # before measure_all, which mutates the circuit
    counts = sample_counts(final.copy().measure_all(), shots, seed=np.random.default_rng(shot_seed))
    idx = np.array([int(key, 2) for key in counts])  # clbit q = qubit q = node q, clbit 0 rightmost
    cnt = np.array(list(counts.values()), float)
    sampled = cuts[idx]
    return {
        "approximation_ratio": float(ratio),
        "sampled_ratio": float((sampled * cnt).sum() / cnt.sum() / max_cut),
        "best_sampled_ratio": float(sampled.max() / max_cut),
        "optimal_probability": float(probs[np.isclose(cuts, max_cut)].sum()),
        "evaluations": int(evaluations),
        "shot_cost": int((evaluations + 1) * shots),
        "samples_drawn": int(samples_drawn + shots),
        "gate_applications": int(evaluations * n_gates),
    }


QAOA_OBJECTIVES = {"approximation_ratio": "maximize", "shot_cost": "minimize"}
#: keyword settings for a fast evaluation in tests: ~13 ms warm at p = 1 (<= 80 ms at p <= 3);
#: the "shots" estimator cannot go below ~40 ms (ring:4, p = 1)
QAOA_SMALL = {"graph": "ring:4", "estimator": "exact"}


# ============================================================================================
# The registry
# ============================================================================================


def _grid_space(grid: dict) -> dict:
    """A grid as a search space: ordered numeric lists become :class:`Ordinal`, others :class:`Categorical`."""
    return {
        k: (Ordinal(v) if all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in v) else Categorical(v))
        for k, v in grid.items()
    }


class TableObjective:
    """An enumerated design space as a function: looks a design up in a table of evaluated designs.

    Searching the table costs no simulation, so many searches (samplers, seeds, budgets) can be
    compared with the exhaustive front of the same designs.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per design: the parameter columns and the result columns.
    params : list of str
        The parameter columns (together they identify a row).

    Raises
    ------
    DesignError
        If the parameter columns do not identify the rows uniquely.

    Examples
    --------
    >>> import pandas as pd
    >>> from workbench.tune.designs import TableObjective
    >>> f = TableObjective(pd.DataFrame({"k": [1, 2], "cost": [5.0, 3.0]}), ["k"])
    >>> f(k=2)
    {'k': 2, 'cost': 3.0}
    """

    def __init__(self, table: pd.DataFrame, params):
        self.params = list(params)
        rows = table.to_dict("records")
        self._rows = {tuple(r[p] for p in self.params): r for r in rows}
        if len(self._rows) != len(rows):
            raise DesignError(f"the columns {self.params} do not identify the table's rows uniquely")
        self.__name__ = "table_objective"

    def __call__(self, **params) -> dict:
        """The row of a design.

        Parameters
        ----------
        **params
            One value per parameter column.

        Returns
        -------
        dict
            The design's row.

        Raises
        ------
        DesignError
            If the design is not in the table.
        """
        key = tuple(params.get(p) for p in self.params)
        if key not in self._rows:
            raise DesignError(f"the design {params} is not in the table")
        return dict(self._rows[key])


@dataclass(frozen=True)
class Design:
    """A lab's design space: the function, its search space and objectives, and an enumerable grid.

    Parameters
    ----------
    name : str
        Short name (the key in :data:`DESIGNS`).
    fn : callable
        The module-level design function (parameters -> dict of results).
    space : dict
        The full search space (parameter -> dimension).
    objectives : dict
        Objective column -> "minimize" or "maximize".
    grid : dict
        A small grid (parameter -> list of values) of a few hundred designs.
    grid_objectives : dict
        The objectives to compare searches on the grid (deterministic ones: a measured time is
        replaced by its deterministic proxy).
    small : dict
        Keyword sizes for quick runs (tests, smoke lessons).
    population_size : int, optional
        Population for NSGA-II and the workbench's methods (default: :func:`~workbench.tune.tune`'s, a
        tenth of the budget between 8 and 50).
    description : str, default ""
        One line on what is being designed.

    Examples
    --------
    >>> from workbench.tune.designs import DESIGNS
    >>> d = DESIGNS["chain"]
    >>> sorted(d.space), len(d.grid_points())
    (['block_size_kb', 'interval_s', 'peer_degree'], 224)
    """

    name: str
    fn: object
    space: dict
    objectives: dict
    grid: dict
    grid_objectives: dict
    small: dict = field(default_factory=dict)
    population_size: int | None = None
    description: str = ""

    def grid_space(self) -> dict:
        """The grid as a search space (ordered numbers as :class:`Ordinal`, the rest :class:`Categorical`).

        Returns
        -------
        dict
            Parameter -> dimension.
        """
        return _grid_space(self.grid)

    def grid_points(self) -> list:
        """Every design of the grid.

        Returns
        -------
        list of dict
            Parameter -> value, in grid order (the last parameter varies fastest).
        """
        from ..sweeps import grid_cells

        return grid_cells(self.grid)

    def evaluate(self, *, small: bool = False, **params) -> dict:
        """Evaluate one design.

        Parameters
        ----------
        small : bool, default False
            Use the quick sizes (:attr:`small`).
        **params
            Design parameters and sizes (they override the quick sizes; others keep the function's defaults).

        Returns
        -------
        dict
            The design function's results.
        """
        return self.fn(**{**(self.small if small else {}), **params})

    def enumerate(self, *, small: bool = True, client=None, progress: bool = False) -> pd.DataFrame:
        """Evaluate every design of the grid (with :func:`workbench.sweep`, so on Dask with ``client``).

        Parameters
        ----------
        small : bool, default True
            Use the quick sizes.
        client : dask.distributed.Client, optional
            Run the evaluations on this cluster.
        progress : bool, default False
            A progress bar.

        Returns
        -------
        pandas.DataFrame
            One row per design: the parameters, then every result column.
        """
        from ..sweeps import sweep

        fn = functools.partial(self.fn, **self.small) if small else self.fn
        fn.__name__ = getattr(self.fn, "__name__", "design")  # type: ignore[attr-defined]
        return sweep(fn, self.grid, seeds=None, client=client, progress=progress)

    def tune(self, *, small: bool = False, **kwargs):
        """Search the design space with :func:`workbench.tune.tune`.

        Parameters
        ----------
        small : bool, default False
            Use the quick sizes.
        **kwargs
            Passed on to :func:`~workbench.tune.tune` (``n_trials``, ``sampler``, ``seed``,
            ``storage``, ``client``, ``pruner``, ...); ``space``, ``objectives`` and ``fixed`` may
            be overridden.

        Returns
        -------
        StudyResult
            The study.
        """
        from .study import tune

        space = kwargs.pop("space", self.space)
        objectives = kwargs.pop("objectives", self.objectives)
        fixed = {**(self.small if small else {}), **kwargs.pop("fixed", {})}
        kwargs.setdefault("study_name", f"{self.name}-small" if small else self.name)
        if self.population_size is not None:
            kwargs.setdefault("population_size", self.population_size)
        return tune(self.fn, space, objectives, fixed=fixed, **kwargs)


DESIGNS: dict = {
    "cdn": Design(
        name="cdn",
        fn=cdn_design,
        space={
            "n_pops": Integer(2, 96, log=True),
            "placement": Categorical(list(CDN_PLACEMENTS)),
            "edge_frac": Real(1e-3, 0.2, log=True),
            "regional_frac": Real(1e-3, 0.5, log=True),
            "shield_frac": Real(1e-3, 1.0, log=True),
            "policy": Categorical(["lru", "fifo", "sieve", "s3fifo", "arc", "wtinylfu", "2q", "lirs"]),
            "ttl_s": Real(60.0, 86_400.0, log=True),
            "prefetch_top": Integer(0, 200),
        },
        objectives={"latency_p95_ms": "minimize", "origin_bytes": "minimize", "cache_bytes": "minimize"},
        grid=CDN_GRID,
        grid_objectives={"latency_p95_ms": "minimize", "origin_bytes": "minimize", "cache_bytes": "minimize"},
        small=CDN_SMALL,
        description="PoPs on Cloudflare's real list and a three-tier cache: latency vs origin egress vs memory",
    ),
    "edge": Design(
        name="edge",
        fn=edge_design,
        space={
            "n_nodes": Integer(1, 48),
            "placement": Categorical(list(EDGE_PLACEMENTS)),
            "scheduler": Categorical(list(EDGE_SCHEDULERS)),
            "cores_per_node": Integer(1, 16),
            "w_latency": Real(0.0, 3.0),
            "w_load": Real(0.0, 3.0),
            "w_wait": Real(0.0, 3.0),
            "w_exec": Real(0.0, 3.0),
            "w_cloud": Real(0.0, 3.0),
            "w_transfer": Real(0.0, 3.0),
        },
        objectives={"deadline_miss_ratio": "minimize", "node_energy_kj": "minimize", "servers": "minimize"},
        grid=EDGE_GRID,
        grid_objectives={"deadline_miss_ratio": "minimize", "node_energy_kj": "minimize", "servers": "minimize"},
        small=EDGE_SMALL,
        description="edge servers on Cogent's backbone and their scheduler: deadline misses vs energy vs servers",
    ),
    "chain": Design(
        name="chain",
        fn=chain_design,
        space={
            "interval_s": Real(2.0, 600.0, log=True),
            "block_size_kb": Real(50.0, 8000.0, log=True),
            "peer_degree": Integer(2, 16),
        },
        objectives=dict(CHAIN_OBJECTIVES),
        grid=CHAIN_GRID,
        grid_objectives=dict(CHAIN_OBJECTIVES),
        small=CHAIN_SMALL,
        description="block interval, size and peering: throughput vs stale blocks vs the selfish-mining threshold",
    ),
    "compiler": Design(
        name="compiler",
        fn=compiler_design,
        space={
            "fusion": Categorical(["u", "rz_sx"]),
            "layout_candidates": Integer(1, 6),
            "routing_trials": Integer(1, 32),
        },
        objectives=dict(COMPILER_OBJECTIVES),
        grid=COMPILER_GRID,
        grid_objectives=dict(COMPILER_GRID_OBJECTIVES),
        small=COMPILER_SMALL,
        description="compiler options for a QASMBench circuit on IBM's heavy-hex lattice: CNOTs vs depth vs time",
    ),
    "qaoa": Design(
        name="qaoa",
        fn=qaoa_design,
        space={"p": Integer(1, 3), "shots": Integer(8, 1024, log=True)},
        objectives=dict(QAOA_OBJECTIVES),
        grid={"p": [1, 2, 3], "shots": [8, 16, 32, 64, 128, 256, 512, 1024]},
        grid_objectives=dict(QAOA_OBJECTIVES),
        small=QAOA_SMALL,
        description="QAOA depth and shots on MaxCut: approximation ratio vs shots spent",
    ),
}


def design(name: str) -> Design:
    """The design space of a lab.

    Parameters
    ----------
    name : {"cdn", "edge", "chain", "compiler", "qaoa"}
        The design.

    Returns
    -------
    Design
        Its function, space, objectives and grid.

    Raises
    ------
    DesignError
        If there is no such design.

    Examples
    --------
    >>> from workbench.tune.designs import design
    >>> design("qaoa").objectives
    {'approximation_ratio': 'maximize', 'shot_cost': 'minimize'}
    """
    if name not in DESIGNS:
        raise DesignError(f"unknown design {name!r}; choose one of {sorted(DESIGNS)}")
    return DESIGNS[name]


def grid_race(
    design: Design,
    table: pd.DataFrame | None = None,
    *,
    samplers=("tpe", "nsga2", "random"),
    fractions=(0.15, 0.30),
    seeds=(0, 1, 2),
    progress: bool = False,
) -> pd.DataFrame:
    """How close each sampler gets to the exhaustive front of a design's grid, by budget.

    The grid is enumerated once (or ``table`` is used), then each sampler searches the same table
    (:class:`TableObjective`) for ``fraction x grid size`` evaluations; its hypervolume is divided
    by the exhaustive front's (objectives scaled to [0, 1] over the grid, reference point 1.1 in
    each). A ratio of 1 means the search found the whole front's hypervolume.

    Parameters
    ----------
    design : Design
        The design whose :attr:`Design.grid` is searched (on :attr:`Design.grid_objectives`).
    table : pandas.DataFrame, optional
        The enumerated grid (:meth:`Design.enumerate`); enumerated at the small sizes if None.
    samplers : sequence of str, default ("tpe", "nsga2", "random")
        Samplers of :func:`workbench.tune.tune`.
    fractions : sequence of float, default (0.15, 0.30)
        Budgets as fractions of the grid's size.
    seeds : sequence of int, default (0, 1, 2)
        Seeds of each search.
    progress : bool, default False
        A progress bar over the searches.

    Returns
    -------
    pandas.DataFrame
        Columns ``method``, ``seed``, ``fraction``, ``evaluations``, ``hypervolume_ratio`` and
        ``front_points`` (exhaustive front points found).

    Examples
    --------
    >>> from workbench.tune.designs import DESIGNS, grid_race
    >>> df = grid_race(DESIGNS["qaoa"], samplers=("random",), fractions=(0.5,), seeds=(0,))
    >>> df.columns.tolist()
    ['method', 'seed', 'fraction', 'evaluations', 'hypervolume_ratio', 'front_points']
    """
    from .pareto import hypervolume, pareto_mask
    from .study import tune

    if table is None:
        table = design.enumerate(small=True)
    objs = design.grid_objectives
    params = list(design.grid)
    signs = np.array([1.0 if d == "minimize" else -1.0 for d in objs.values()])
    F = table[list(objs)].to_numpy(dtype=np.float64) * signs
    lo, hi = F.min(axis=0), F.max(axis=0)
    span = np.where(hi > lo, hi - lo, 1.0)
    ref = np.full(len(objs), 1.1)
    full = hypervolume((F - lo) / span, ref)
    front_keys = {tuple(r) for r in table[params][pareto_mask(F)].itertuples(index=False)}
    fn = TableObjective(table, params)
    rows = []
    jobs = [(s, f, seed) for s in samplers for f in fractions for seed in seeds]
    if progress:
        from tqdm.auto import tqdm

        jobs = tqdm(jobs, desc=f"{design.name} race")
    for s, frac, seed in jobs:
        budget = max(1, int(frac * len(table)))
        r = tune(
            fn,
            design.grid_space(),
            dict(objs),
            n_trials=None,
            max_evaluations=budget,
            sampler=s,
            seed=int(seed),
            population_size=design.population_size,
            progress=False,
        )
        df = r.trials()
        df = df[(df.state == "complete") & ~df.cached]
        G = (df[list(objs)].to_numpy(dtype=np.float64) * signs - lo) / span
        found = {tuple(x) for x in df[params].itertuples(index=False)}
        rows.append(
            {
                "method": s,
                "seed": int(seed),
                "fraction": float(frac),
                "evaluations": int(len(df)),
                "hypervolume_ratio": hypervolume(G, ref) / full if full > 0 else 1.0,
                "front_points": len(front_keys & found),
            }
        )
    return pd.DataFrame(rows)
