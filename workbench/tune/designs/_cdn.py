"""The CDN design: PoP count and placement on a real PoP list, cache tiers and policy -> latency, egress, memory."""

from __future__ import annotations

import functools
import math

import numpy as np

from ._shared import DesignError, _check_reps, _replicate, _slug

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
    from ...cdn import load_cities, load_pops, nearest_pop

    pops = load_pops(provider)
    cities = load_cities()
    near, _ = nearest_pop(cities.lat.to_numpy(), cities.lon.to_numpy(), pops)
    catch = np.bincount(near, weights=cities.population.to_numpy(float), minlength=len(pops))
    return pops, cities, catch


@functools.lru_cache(maxsize=32)
def _pop_order(provider: str, placement: str) -> tuple:
    from ...net import great_circle_km

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
    from ...cdn import POLICIES, Prefetch, Tier, nearest_pop, sample_clients, shifting_zipf_trace

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
        from ...cdn import simulate_cdn

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
