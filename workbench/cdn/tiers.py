r"""A CDN as a cache hierarchy: per-PoP edge caches (L1), regional caches (L2), an origin
shield (L3) and the origin, with latency from a stated model.

Each request comes from a client, which is routed to a PoP (:mod:`workbench.cdn.routing`).
The PoP's own L1 cache sees the requests routed to it; the L1 misses of all PoPs in a region
form the request stream of that region's L2; all L2 misses go to the shield; the shield's
misses go to the origin. Every tier has its own policy and size.

The latency of a request adds the round trip of every hop it travels:

.. math::

    t = \mathrm{RTT}(\text{client}, \text{PoP}) + [\text{L1 miss}]\,\mathrm{RTT}(\text{PoP}, \text{L2})
        + [\text{L2 miss}]\,\mathrm{RTT}(\text{L2}, \text{L3})
        + [\text{L3 miss}]\,\bigl(\mathrm{RTT}(\text{L3}, \text{origin}) + t_{\text{origin}}\bigr)

with :math:`\mathrm{RTT}(d) = 2(\sigma d \cdot 4.9\,\mu s/\mathrm{km} + \dots)` from
:class:`workbench.net.LatencyModel` (the client's access delay applies to the first hop only).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import Array, Int, Real, WorkbenchError, check, check_int, check_real, checked
from ..net.geo import LatencyModel, great_circle_km
from ..results import Result
from . import _kernels
from .caches import POLICIES, _kernel_args, _policy
from .traces import Trace

__all__ = ["Tier", "Prefetch", "CDNResult", "simulate_cdn", "ORIGIN_ASHBURN"]

#: Default origin: Ashburn, Virginia (a large data-center cluster).
ORIGIN_ASHBURN = (39.0438, -77.4874)


@dataclass(frozen=True)
class Tier:
    """One cache tier: a policy and a size (objects or bytes; a float in (0, 1) is a fraction
    of the whole trace's footprint), with optional policy parameters.

    Every cache of the tier (one per PoP, per region or the single shield) gets this size.

    Parameters
    ----------
    policy : str, default "lru"
        One of :data:`workbench.cdn.POLICIES` (case-insensitive).
    size : float, default 0.01
        A fraction in (0, 1) of the trace's footprint, or a whole number (at most 2**62) of
        objects (unit-size traces) or bytes.
    params : dict, optional
        Policy parameters (e.g. ``{"small_ratio": 0.1}`` for s3fifo); an empty dict when omitted.

    Raises
    ------
    UnknownNameError
        If ``policy`` is not a known policy or ``params`` names a parameter it does not have.
    WorkbenchError
        If ``size`` is not a fraction in (0, 1) or a whole number in range, ``params`` is not
        a dict, or a parameter is out of range.

    Examples
    --------
    >>> from workbench.cdn import Tier
    >>> Tier("s3fifo", 0.1).capacity(500), Tier("lru", 20).capacity(500)
    (50, 20)
    """

    policy: str = "lru"
    size: float = 0.01
    params: dict = field(default_factory=dict)

    def __post_init__(self):
        pol = _policy(self.policy)  # a named error for an unknown policy, at construction
        size = check_real("Tier size", self.size, minimum=0, exclusive_min=True, maximum=2.0**62)
        if size >= 1 and not size.is_integer():
            raise WorkbenchError(
                f"Tier size must be a fraction in (0, 1) or a whole number of objects or bytes, got {self.size!r}"
            )
        if not isinstance(self.params, dict):
            raise WorkbenchError(f"Tier params must be a dict of policy parameters, got {type(self.params).__name__}")
        pol.args(self.params)  # unknown or out-of-range policy parameters, at construction

    def capacity(self, footprint: int) -> int:
        """Cache size of this tier for a trace of the given footprint.

        Parameters
        ----------
        footprint : int
            The trace's footprint (:attr:`Trace.footprint`), in objects or bytes.

        Returns
        -------
        int
            ``int(size * footprint)`` for a fractional size, else ``int(size)``.

        Raises
        ------
        WorkbenchError
            If the size comes out below 1 (a fraction of a small footprint).
        """
        s = self.size
        cap = int(s * footprint) if isinstance(s, float) and 0 < s < 1 else int(s)
        if cap < 1:
            raise WorkbenchError(f"tier size {s!r} gives {cap} (< 1); use a larger size")
        return cap


_GLOBAL_ID_LIMIT = 4_000_000


@dataclass(frozen=True)
class Prefetch:
    """Popularity-based prefetching into the edge caches.

    Every ``every`` requests, each PoP that serves requests in the coming window is sent the
    ``top`` objects most requested (globally) in the previous window. A pushed object that is
    already cached costs nothing; every other one is a fetch from the origin, counted in
    :meth:`CDNResult.summary` as ``prefetch_fetches`` and ``prefetch_bytes`` (prefetch traffic
    skips the L2/L3 caches). :func:`simulate_cdn` prefetches for unit-size traces only.

    Parameters
    ----------
    top : int, default 100
        Objects pushed per window, an integer in [1, 2**31 - 1].
    every : int, default 100_000
        Window length in requests, an integer in [1, 2**31 - 1].

    Raises
    ------
    WorkbenchError
        If ``top`` or ``every`` is not an integer in range.

    Examples
    --------
    >>> from workbench.cdn import Prefetch
    >>> Prefetch(top=5, every=500)
    Prefetch(top=5, every=500)
    """

    top: int = 100
    every: int = 100_000

    def __post_init__(self):
        object.__setattr__(self, "top", check_int("Prefetch top", self.top, minimum=1, maximum=2**31 - 1))
        object.__setattr__(self, "every", check_int("Prefetch every", self.every, minimum=1, maximum=2**31 - 1))


def _with_prefetch(ids, request_pop, n_objects, pf: Prefetch):
    """Interleave synthetic prefetch requests with the real ones (edge tier input)."""
    n = ids.size
    windows = np.arange(pf.every, n, pf.every)
    extra_ids, extra_pop, extra_pos = [], [], []
    for w_start in windows:
        prev = ids[max(0, w_start - pf.every) : w_start]
        counts = np.bincount(prev, minlength=n_objects)
        top = np.argsort(-counts, kind="stable")[: pf.top]
        top = top[counts[top] > 0]
        active = np.unique(request_pop[w_start : w_start + pf.every])
        extra_ids.append(np.tile(top, active.size))
        extra_pop.append(np.repeat(active, top.size))
        extra_pos.append(np.full(top.size * active.size, 2 * w_start))
    if not extra_ids:
        return ids, request_pop, np.zeros(n, bool)
    pos = np.concatenate([2 * np.arange(n) + 1] + extra_pos)
    order = np.argsort(pos, kind="stable")
    all_ids = np.concatenate([ids] + extra_ids)[order].astype(ids.dtype)
    all_pop = np.concatenate([request_pop] + extra_pop)[order]
    synthetic = np.concatenate([np.zeros(n, bool)] + [np.ones(e.size, bool) for e in extra_ids])[order]
    return all_ids, all_pop, synthetic


def _run_tier(tier: Tier, trace: Trace, ids, sizes, group, n_groups, footprint):
    """Run one independent cache per group over ``ids`` (global dense ids); returns hit flags.

    ``sizes`` is None for unit-size traces.
    """
    pol = _policy(tier.policy)
    cap = np.int64(tier.capacity(footprint))
    if ids.size == 0:
        return np.zeros(0, np.bool_)
    order, bounds = _kernels.group_order(np.ascontiguousarray(group, dtype=np.int64), n_groups)
    ids_g = ids[order]  # int32 dense ids: densify keeps them as keys
    sizes_g = None if sizes is None else sizes[order]
    hit_g = np.zeros(ids.size, np.bool_)
    empty = np.empty(0, np.int64)
    # Up to a few million objects, every group's cache indexes objects by their global id (no
    # renumbering; per-object arrays are allocated per group); beyond that, renumber per group.
    global_ids = trace.n_objects <= _GLOBAL_ID_LIMIT
    if global_ids:
        args = _kernel_args(pol, tier.params, trace)
    for g in range(n_groups):
        a, b = bounds[g], bounds[g + 1]
        if a == b:
            continue
        sub_sizes = empty if sizes_g is None else sizes_g[a:b]
        if global_ids:
            hit_g[a:b] = pol.kernel(ids_g[a:b], sub_sizes, trace.n_objects, cap, *args).view(np.bool_)
            continue
        local, uniq = _kernels.densify(ids_g[a:b])
        sub = Trace(local, trace.keys[uniq], None if sizes_g is None else sub_sizes)
        sub_args = _kernel_args(pol, tier.params, sub)
        hit_g[a:b] = pol.kernel(local, sub_sizes, uniq.size, cap, *sub_args).view(np.bool_)
    hit = np.empty(ids.size, np.bool_)
    hit[order] = hit_g
    return hit


@dataclass
class CDNResult(Result):
    """Per-request outcome of :func:`simulate_cdn`: ``summary()`` one row, the frames ``by_region()``,
    ``by_tier()``, ``by_pop()``, ``load_by_pop()`` and ``timeline()``, and ``params`` the inputs.

    Parameters
    ----------
    pop : numpy.ndarray of int64
        PoP index (row of ``pops``) of every request.
    region : numpy.ndarray of int
        Region index (into ``regions``) of every request, the region of its PoP.
    served_by : numpy.ndarray of int8
        Tier that answered every request: 1 = L1, 2 = L2, 3 = L3 (shield), 4 = origin.
    latency_ms : numpy.ndarray of float64
        Latency of every request in ms.
    sizes : numpy.ndarray of int64 or None
        Bytes of every request; ``None`` for unit-size objects.
    pops : pandas.DataFrame
        The PoPs (from :func:`workbench.cdn.load_pops`).
    regions : list of str
        Region names, sorted.
    times : numpy.ndarray of float64 or None, default None
        Timestamp of every request in seconds, if the trace has them.
    prefetch_fetches : int, default 0
        Objects fetched from the origin by prefetching.
    prefetch_bytes : int, default 0
        Bytes pushed by prefetching.
    params : dict, optional
        The inputs of :func:`simulate_cdn`; an empty dict when omitted.

    Attributes
    ----------
    TIER_NAMES : tuple of str
        Display names of tiers 1 to 4.

    Examples
    --------
    >>> import numpy as np
    >>> from workbench.cdn import Tier, load_pops, simulate_cdn, zipf_trace
    >>> trace = zipf_trace(2000, 500, 1.0, seed=1)
    >>> tiers = dict(l1=Tier("lru", 20), l2=Tier("lru", 50), l3=Tier("lru", 100))
    >>> res = simulate_cdn(trace, np.arange(2000) % 3, load_pops("aws"), **tiers)
    >>> res.by_tier()[["tier", "requests"]].values.tolist()
    [['L1 edge', 708], ['L2 regional', 305], ['L3 shield', 265], ['origin', 722]]
    """

    pop: np.ndarray  # PoP index of every request
    region: np.ndarray  # region index of every request (of its PoP)
    served_by: np.ndarray  # 1 = L1, 2 = L2, 3 = L3 (shield), 4 = origin
    latency_ms: np.ndarray
    sizes: np.ndarray | None  # bytes per request; None for unit-size objects
    pops: object  # DataFrame of PoPs
    regions: list
    times: np.ndarray | None = None
    prefetch_fetches: int = 0
    prefetch_bytes: int = 0
    params: dict = field(default_factory=dict, repr=False)
    frames = ("by_region", "by_tier", "by_pop", "load_by_pop", "timeline")

    TIER_NAMES = ("L1 edge", "L2 regional", "L3 shield", "origin")

    def _bytes(self, mask=None):
        if self.sizes is None:
            return int(self.served_by.size if mask is None else np.count_nonzero(mask))
        return int(self.sizes.sum() if mask is None else self.sizes[mask].sum())

    def summary(self):
        """One row: requests, hit ratio of each tier (of the requests reaching it), origin offload,
        overall hit ratio, latency mean/p50/p95/p99, bytes from origin.

        Returns
        -------
        pandas.DataFrame
            One row: ``requests``, ``l1_hit_ratio``, ``l2_hit_ratio``, ``l3_hit_ratio``,
            ``hit_ratio`` (served by any cache), ``origin_offload_byte_ratio``,
            ``latency_mean_ms``, ``latency_p50_ms``, ``latency_p95_ms``, ``latency_p99_ms``,
            ``origin_bytes``, ``prefetch_fetches`` and ``prefetch_bytes`` (bytes count requests
            for unit-size objects).
        """
        s = self.served_by
        n = s.size
        reach = [n, int((s >= 2).sum()), int((s >= 3).sum())]
        hits = [int((s == 1).sum()), int((s == 2).sum()), int((s == 3).sum())]
        lat = self.latency_ms
        return pd.DataFrame(
            [
                {
                    "requests": n,
                    "l1_hit_ratio": hits[0] / max(reach[0], 1),
                    "l2_hit_ratio": hits[1] / max(reach[1], 1),
                    "l3_hit_ratio": hits[2] / max(reach[2], 1),
                    "hit_ratio": 1 - (s == 4).mean() if n else np.nan,
                    "origin_offload_byte_ratio": 1 - self._bytes(s == 4) / max(self._bytes(), 1),
                    "latency_mean_ms": lat.mean() if n else np.nan,
                    "latency_p50_ms": np.percentile(lat, 50) if n else np.nan,
                    "latency_p95_ms": np.percentile(lat, 95) if n else np.nan,
                    "latency_p99_ms": np.percentile(lat, 99) if n else np.nan,
                    "origin_bytes": self._bytes(s == 4),
                    "prefetch_fetches": self.prefetch_fetches,
                    "prefetch_bytes": self.prefetch_bytes,
                }
            ]
        )

    def by_region(self):
        """Per region of the serving PoP: requests, hit ratio, latency p50/p95/p99 (tidy).

        Returns
        -------
        pandas.DataFrame
            One row per region with requests: ``region``, ``requests``, ``hit_ratio`` (served
            by any cache), ``latency_p50_ms``, ``latency_p95_ms``, ``latency_p99_ms`` and
            ``latency_mean_ms``.
        """
        rows = []
        for r, name in enumerate(self.regions):
            m = self.region == r
            if not m.any():
                continue
            lat = self.latency_ms[m]
            rows.append(
                {
                    "region": name,
                    "requests": int(m.sum()),
                    "hit_ratio": float((self.served_by[m] < 4).mean()),
                    "latency_p50_ms": np.percentile(lat, 50),
                    "latency_p95_ms": np.percentile(lat, 95),
                    "latency_p99_ms": np.percentile(lat, 99),
                    "latency_mean_ms": lat.mean(),
                }
            )
        return pd.DataFrame(rows)

    def by_tier(self):
        """Requests and bytes served by each tier (tidy).

        Returns
        -------
        pandas.DataFrame
            Four rows (:attr:`TIER_NAMES`): ``tier``, ``requests``, ``bytes`` (the request count
            for unit-size objects).
        """
        return pd.DataFrame(
            [
                {"tier": name, "requests": int((self.served_by == t).sum()), "bytes": self._bytes(self.served_by == t)}
                for t, name in enumerate(self.TIER_NAMES, 1)
            ]
        )

    def by_pop(self):
        """Requests, hit ratio at L1 and median latency per PoP, with its location (for maps).

        Returns
        -------
        pandas.DataFrame
            One row per PoP that served requests: ``code``, ``city``, ``region``, ``lat``,
            ``lon``, ``requests``, ``l1_hit_ratio`` and ``latency_p50_ms``.
        """
        counts = np.bincount(self.pop, minlength=len(self.pops))
        l1 = np.bincount(self.pop, weights=(self.served_by == 1), minlength=len(self.pops))
        df = self.pops[["code", "city", "region", "lat", "lon"]].copy()
        df["requests"] = counts
        df["l1_hit_ratio"] = np.where(counts > 0, l1 / np.maximum(counts, 1), np.nan)
        med = pd.Series(self.latency_ms).groupby(self.pop).median()
        df["latency_p50_ms"] = med.reindex(np.arange(len(self.pops))).to_numpy()
        return df[df.requests > 0].reset_index(drop=True)

    @checked(WorkbenchError, buckets=Int(1, 10**6), top=Int(1, 2**31 - 1))
    def load_by_pop(self, buckets: int = 48, top: int = 10):
        """Requests per time bucket at each of the ``top`` busiest PoPs (tidy: bucket, code, requests).

        Buckets split the time span (or, without timestamps, the request order) into equal parts.

        Parameters
        ----------
        buckets : int, default 48
            Number of time buckets, >= 1.
        top : int, default 10
            Number of PoPs, >= 1, the busiest over the whole run.

        Returns
        -------
        pandas.DataFrame
            One row per bucket and PoP: ``bucket``, ``start`` (the bucket's start time in s, or
            request index), ``code`` and ``requests``.

        Raises
        ------
        WorkbenchError
            If ``buckets`` or ``top`` is not an integer >= 1.
        """
        n = self.served_by.size
        x = self.times if self.times is not None else np.arange(n, dtype=np.float64)
        edges = np.linspace(x.min(), x.max() + 1e-9, buckets + 1)
        b = np.clip(np.searchsorted(edges, x, side="right") - 1, 0, buckets - 1)
        busiest = np.argsort(-np.bincount(self.pop, minlength=len(self.pops)), kind="stable")[:top]
        grid = np.zeros((buckets, len(self.pops)), np.int64)
        np.add.at(grid, (b, self.pop), 1)
        codes = self.pops.code.to_numpy()
        return pd.DataFrame(
            [
                {"bucket": k, "start": edges[k], "code": codes[p], "requests": int(grid[k, p])}
                for k in range(buckets)
                for p in busiest
            ]
        )

    @checked(WorkbenchError, buckets=Int(1, 10**6))
    def timeline(self, buckets: int = 48):
        """Time-bucketed metrics (by timestamp if the trace has them, else by request order):
        requests, hit ratio, L1 hit ratio, latency p50/p95/p99 and the busiest PoP's share.

        Parameters
        ----------
        buckets : int, default 48
            Number of equal time buckets, >= 1.

        Returns
        -------
        pandas.DataFrame
            One row per non-empty bucket: ``bucket``, ``start``, ``requests``, ``hit_ratio``,
            ``l1_hit_ratio``, ``latency_p50_ms``, ``latency_p95_ms``, ``latency_p99_ms`` and
            ``busiest_pop_share``.

        Raises
        ------
        WorkbenchError
            If ``buckets`` is not an integer >= 1.
        """
        n = self.served_by.size
        x = self.times if self.times is not None else np.arange(n, dtype=np.float64)
        edges = np.linspace(x.min(), x.max() + 1e-9, buckets + 1)
        b = np.clip(np.searchsorted(edges, x, side="right") - 1, 0, buckets - 1)
        rows = []
        for k in range(buckets):
            m = b == k
            if not m.any():
                continue
            lat = self.latency_ms[m]
            pc = np.bincount(self.pop[m])
            rows.append(
                {
                    "bucket": k,
                    "start": edges[k],
                    "requests": int(m.sum()),
                    "hit_ratio": float((self.served_by[m] < 4).mean()),
                    "l1_hit_ratio": float((self.served_by[m] == 1).mean()),
                    "latency_p50_ms": np.percentile(lat, 50),
                    "latency_p95_ms": np.percentile(lat, 95),
                    "latency_p99_ms": np.percentile(lat, 99),
                    "busiest_pop_share": pc.max() / m.sum(),
                }
            )
        return pd.DataFrame(rows)


def _site_near(lat, lon, weights, plat, plon):
    """Index of the PoP nearest to the weighted centroid (on the unit sphere) of some points."""
    p, l = np.radians(lat), np.radians(lon)
    xyz = np.stack([np.cos(p) * np.cos(l), np.cos(p) * np.sin(l), np.sin(p)], 1)
    c = (xyz * weights[:, None]).sum(0)
    c /= np.linalg.norm(c) or 1.0
    clat, clon = np.degrees(np.arcsin(c[2])), np.degrees(np.arctan2(c[1], c[0]))
    return int(np.argmin(great_circle_km(clat, clon, plat, plon)))


def simulate_cdn(
    trace: Trace,
    request_pop,
    pops,
    *,
    client_km=None,
    l1: Tier = Tier("lru", 0.001),
    l2: Tier | None = Tier("lru", 0.01),
    l3: Tier | None = Tier("lru", 0.05),
    model: LatencyModel | None = None,
    origin=ORIGIN_ASHBURN,
    origin_ms: float = 20.0,
    prefetch: Prefetch | None = None,
) -> CDNResult:
    """Replay a trace through per-PoP L1 caches, regional L2 caches, a shield and the origin.

    Parameters
    ----------
    trace : Trace
        The requests, in time order.
    request_pop : array of int
        PoP index (row of ``pops``) serving each request, e.g. from
        :func:`workbench.cdn.routing.nearest_pop` applied to each request's client.
    pops : pandas.DataFrame
        From :func:`workbench.cdn.pops.load_pops`; its ``region`` column groups PoPs for L2.
    client_km : array of float, optional
        Great-circle distance in km (>= 0) from each request's client to its PoP (0 if omitted).
    l1, l2, l3 : Tier or None
        Policies and sizes; ``None`` removes a tier (``l2`` and ``l3`` only: ``l1`` is
        required). Each PoP has its own L1, each region one L2 (at the PoP nearest the
        region's traffic), and one shield (at the PoP nearest the origin). Defaults:
        ``Tier("lru", 0.001)``, ``Tier("lru", 0.01)`` and ``Tier("lru", 0.05)``.
    model : LatencyModel, optional
        Stretch, access and per-hop terms; ``None`` (the default) uses ``LatencyModel()``
        (stretch 1.3, no access or per-hop delay).
    origin : (float, float), default ORIGIN_ASHBURN
        Latitude and longitude of the origin in degrees.
    origin_ms : float, default 20.0
        Time in ms the origin takes to produce an object, in [0, 1e9].
    prefetch : Prefetch, optional
        Push the previous window's most popular objects to the edge caches (cost counted);
        unit-size traces only.

    Returns
    -------
    CDNResult
        The tier that served each request and its latency, with ``summary()`` and the frames
        ``by_region()``, ``by_tier()``, ``by_pop()``, ``load_by_pop()`` and ``timeline()``.

    Raises
    ------
    WorkbenchError
        If ``trace`` is not a Trace, ``request_pop`` is not one valid PoP index per request,
        ``client_km`` or ``origin_ms`` is out of range, a tier is not a Tier (or ``l1`` is
        None), its size gives a cache below 1, ``prefetch`` is not a Prefetch, or prefetching
        is asked for a sized trace.
    UnknownNameError
        If a tier's policy is unknown.

    Examples
    --------
    >>> import numpy as np
    >>> from workbench.cdn import Tier, load_pops, nearest_pop, sample_clients, simulate_cdn, zipf_trace
    >>> pops = load_pops("aws")
    >>> clients = sample_clients(50, seed=0)
    >>> pop, km = nearest_pop(clients.lat, clients.lon, pops)
    >>> trace = zipf_trace(2000, 500, 1.0, seed=1)
    >>> who = np.arange(trace.n_requests) % 50   # the client of every request
    >>> res = simulate_cdn(
    ...     trace, pop[who], pops, client_km=km[who], l1=Tier("lru", 20), l2=Tier("lru", 50), l3=Tier("lru", 100)
    ... )
    >>> res.summary()[["l1_hit_ratio", "hit_ratio", "latency_p50_ms"]].round(3).values.tolist()
    [[0.306, 0.656, 102.633]]
    """
    if not isinstance(trace, Trace):
        raise WorkbenchError(f"simulate_cdn takes a Trace, got {type(trace).__name__}")
    trace.check_ids()
    n = trace.n_requests
    origin_ms = check("origin_ms", origin_ms, Real(0, 1e9))
    if not all(isinstance(t, Tier) for t in (l1, l2, l3) if t is not None):
        raise WorkbenchError("l1, l2 and l3 must be Tier objects (or None for l2 and l3)")
    if prefetch is not None and not isinstance(prefetch, Prefetch):
        raise WorkbenchError(f"prefetch must be a Prefetch, got {type(prefetch).__name__}")
    try:
        request_pop = np.asarray(request_pop, dtype=np.int64)
    except (TypeError, ValueError, OverflowError):
        raise WorkbenchError("request_pop must be one integer PoP index per request") from None
    if request_pop.shape != (n,):
        raise WorkbenchError(f"request_pop needs one PoP index per request ({n}), got shape {request_pop.shape}")
    if n and (request_pop.min() < 0 or request_pop.max() >= len(pops)):
        raise WorkbenchError(f"PoP indices must lie in 0..{len(pops) - 1}")
    for name, tier in (("l1", l1), ("l2", l2), ("l3", l3)):
        if tier is not None and tier.policy not in POLICIES:
            _policy(tier.policy)  # raises the named error
        if name == "l1" and tier is None:
            raise WorkbenchError("the edge tier l1 is required")
    model = model or LatencyModel()
    client_km = np.zeros(n) if client_km is None else check("client_km", client_km, Array(shape=(n,), lo=0))
    regions = sorted(pops.region.unique())
    pop_region = np.searchsorted(regions, pops.region.to_numpy())
    region = pop_region[request_pop]
    plat, plon = pops.lat.to_numpy(), pops.lon.to_numpy()
    sizes = trace.sizes  # None for unit size
    footprint = trace.footprint
    served = np.full(n, 4, np.int8)

    # L1: one cache per PoP (with synthetic prefetch requests interleaved, if asked)
    pf_fetches = pf_bytes = 0
    if prefetch is None:
        h1 = _run_tier(l1, trace, trace.ids, sizes, request_pop, len(pops), footprint)
    else:
        if sizes is not None:
            raise WorkbenchError("prefetching is implemented for unit-size traces")
        aug_ids, aug_pop, synthetic = _with_prefetch(trace.ids, request_pop, trace.n_objects, prefetch)
        h_aug = _run_tier(l1, trace, aug_ids, None, aug_pop, len(pops), footprint)
        h1 = h_aug[~synthetic]
        pf_fetches = pf_bytes = int((~h_aug[synthetic]).sum())
    served[h1] = 1
    alive = np.flatnonzero(~h1)  # requests still unanswered, in time order
    # where each region's L2 sits, and the shield
    counts = np.bincount(request_pop, minlength=len(pops)).astype(np.float64)
    l2_site = np.array(
        [
            _site_near(plat[pop_region == r], plon[pop_region == r], counts[pop_region == r] + 1e-9, plat, plon)
            for r in range(len(regions))
        ]
    )
    shield = int(np.argmin(great_circle_km(origin[0], origin[1], plat, plon)))
    if l2 is not None and alive.size:
        h2 = _run_tier(
            l2, trace, trace.ids[alive], None if sizes is None else sizes[alive], region[alive], len(regions), footprint
        )
        served[alive[h2]] = 2
        alive = alive[~h2]
    if l3 is not None and alive.size:
        h3 = _run_tier(
            l3,
            trace,
            trace.ids[alive],
            None if sizes is None else sizes[alive],
            np.zeros(alive.size, np.int64),
            1,
            footprint,
        )
        served[alive[h3]] = 3
        alive = alive[~h3]

    # latency: each hop's RTT at the model's stretch (access delay on the client hop only),
    # computed per PoP and gathered per request
    hop = LatencyModel(model.stretch, 0.0, model.per_hop_ms)
    n_pops = len(pops)
    shield_lat, shield_lon = plat[shield], plon[shield]
    l2_lat, l2_lon = plat[l2_site[pop_region]], plon[l2_site[pop_region]]  # per PoP: its region's L2
    add = np.zeros((5, n_pops))  # extra RTT for a request served by tier 1..4, per PoP
    if l2 is not None:
        add[2:] += hop.rtt_ms(great_circle_km(plat, plon, l2_lat, l2_lon), 1)
    if l3 is not None:
        if l2 is not None:
            add[3:] += hop.rtt_ms(great_circle_km(l2_lat, l2_lon, shield_lat, shield_lon), 1)
        else:
            add[3:] += hop.rtt_ms(great_circle_km(plat, plon, shield_lat, shield_lon), 1)
        last_lat, last_lon = np.full(n_pops, shield_lat), np.full(n_pops, shield_lon)
    elif l2 is not None:
        last_lat, last_lon = l2_lat, l2_lon
    else:
        last_lat, last_lon = plat, plon
    add[4] += hop.rtt_ms(great_circle_km(last_lat, last_lon, origin[0], origin[1]), 1) + origin_ms
    lat_ms = np.asarray(model.rtt_ms(client_km, 1), dtype=np.float64) + add[served, request_pop]
    return CDNResult(
        request_pop,
        region,
        served,
        lat_ms,
        trace.request_sizes() if sizes is not None else None,
        pops,
        regions,
        trace.times,
        pf_fetches,
        pf_bytes,
        {
            "trace": trace,
            "request_pop": request_pop,
            "pops": pops,
            "client_km": client_km,
            "l1": l1,
            "l2": l2,
            "l3": l3,
            "model": model,
            "origin": origin,
            "origin_ms": origin_ms,
            "prefetch": prefetch,
        },
    )
