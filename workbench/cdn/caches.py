r"""Cache replacement policies, replayed over request traces and compared with the optimum.

Every hit-ratio table the lab shows puts a policy next to Belady's optimum (OPT) and reports
the share of the LRU-to-OPT gap the policy closes:

.. math::

    \text{gap closed} = \frac{m_{\mathrm{LRU}} - m_{\mathrm{policy}}}{m_{\mathrm{LRU}} - m_{\mathrm{OPT}}}

where :math:`m` is the miss ratio. 0 means no better than LRU, 1 means optimal.

Agreement with libCacheSim (the tests replay the same traces through its PyPI binding): every
policy gives the same hit or miss on every request for unit-size objects, on Zipf and the
cache2k traces at 1% and 10% cache sizes and on tiny caches. With object sizes, every policy
but LIRS is identical; sized LIRS follows libCacheSim's LIRS.c step for step on small traces but
on long ones its resident-HIR queue comes to differ in order (same occupancy), and the miss
ratio stays within 0.002. Two documented semantic differences: TTL expiry keeps the first
fetch's clock (:meth:`Trace.with_ttl`), and with a sub-queue that rounds to zero (S3-FIFO below
10 objects, W-TinyLFU below 5) libCacheSim aborts where these kernels admit nothing. (With a
one-object small queue, S3-FIFO at 10-19 objects, both admit nothing too: a newcomer finds the
small queue full and is not inserted.)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from ..errors import Bool, Int, Real, UnknownNameError, WorkbenchError, is_int, is_real, unknown_name
from ..results import Result, one_row
from . import _kernels
from .hashing import xxh64
from .traces import Trace

__all__ = [
    "POLICIES",
    "CacheSizeError",
    "as_trace",
    "resolve_capacity",
    "cache_hits",
    "simulate",
    "CacheResult",
    "miss_ratio_curve",
    "compare_policies",
]


class CacheSizeError(WorkbenchError):
    """A cache size that is not positive or exceeds what the trace could ever fill.

    A :class:`~workbench.errors.WorkbenchError` (hence a :class:`ValueError`).

    Examples
    --------
    >>> from workbench.cdn import CacheSizeError, simulate
    >>> try:
    ...     simulate([1, 2, 1, 3], capacity=5)
    ... except CacheSizeError as err:
    ...     print(str(err)[:58])
    cache size 5 objects exceeds the trace's footprint of 3 ob
    """


@dataclass(frozen=True)
class Policy:
    """A replacement policy: its kernel, default parameters and a one-line description."""

    name: str
    kernel: Callable
    defaults: dict = field(default_factory=dict)
    description: str = ""
    reference: str = ""
    constraints: dict = field(default_factory=dict)

    def args(self, params: dict) -> tuple:
        """The policy's parameters in kernel order, each checked against its declared constraint."""
        unknown = set(params) - set(self.defaults)
        if unknown:
            allowed = ", ".join(self.defaults) or "none"
            raise UnknownNameError(
                f"policy {self.name!r} has no parameter(s) {sorted(unknown)}; its parameters: {allowed}"
            )
        merged = {**self.defaults, **params}
        return tuple(
            self.constraints[k].check(f"{self.name} {k}", merged[k]) if k in self.constraints else merged[k]
            for k in self.defaults
        )


def _clock_args(bits):
    return ((1 << int(bits)) - 1,)


_FRACTION = Real(0, 1, lo_open=True, hi_open=True)

POLICIES: dict[str, Policy] = {
    "fifo": Policy("fifo", _kernels.fifo, {}, "first in, first out"),
    "lru": Policy("lru", _kernels.lru, {}, "least recently used"),
    "clock": Policy(
        "clock",
        _kernels.clock,
        {"bits": 1},
        "second chance with an n-bit counter",
        "Corbato, 'A paging experiment with the Multics system', 1968",
        {"bits": Int(1, 8)},
    ),
    "sieve": Policy(
        "sieve",
        _kernels.sieve,
        {},
        "FIFO with a visited bit and a roaming hand",
        "Zhang et al., 'SIEVE is simpler than LRU', NSDI 2024",
    ),
    "s3fifo": Policy(
        "s3fifo",
        _kernels.s3fifo,
        {"small_ratio": 0.1, "ghost_ratio": 0.9, "move_threshold": 2},
        "small + main FIFO queues with a ghost queue",
        "Yang et al., 'FIFO queues are all you need for cache eviction', SOSP 2023",
        {"small_ratio": _FRACTION, "ghost_ratio": Real(0, 100), "move_threshold": Int(1, 63)},
    ),
    "lfu": Policy("lfu", _kernels.lfu, {}, "least frequently used (in-cache counts, FIFO among ties)"),
    "2q": Policy(
        "2q",
        _kernels.twoq,
        {"in_ratio": 0.25, "out_ratio": 0.5},
        "FIFO probation queue, ghost queue and LRU main queue",
        "Johnson & Shasha, '2Q: a low overhead high performance buffer management replacement algorithm', VLDB 1994",
        {"in_ratio": _FRACTION, "out_ratio": Real(0, 100)},
    ),
    "arc": Policy(
        "arc",
        _kernels.arc,
        {},
        "adaptive split between recency and frequency lists",
        "Megiddo & Modha, 'ARC: a self-tuning, low overhead replacement cache', FAST 2003",
    ),
    "wtinylfu": Policy(
        "wtinylfu",
        _kernels.wtinylfu,
        {"window_ratio": 0.01},
        "window LRU + segmented-LRU main cache behind a TinyLFU frequency filter",
        "Einziger, Friedman & Manes, 'TinyLFU: a highly efficient cache admission policy', ACM ToS 2017",
        {"window_ratio": _FRACTION},
    ),
    "lirs": Policy(
        "lirs",
        _kernels.lirs,
        {"hirs_ratio": 0.01},
        "LIR blocks by inter-reference recency, a small queue of resident HIR blocks",
        "Jiang & Zhang, 'LIRS: an efficient low inter-reference recency set replacement policy', SIGMETRICS 2002",
        {"hirs_ratio": _FRACTION},
    ),
    "belady": Policy(
        "belady",
        _kernels.belady,
        {"bypass": False},
        "Belady's MIN with demand paging (every miss is admitted)",
        "Belady, 'A study of replacement algorithms for a virtual-storage computer', 1966",
        {"bypass": Bool()},
    ),
    "opt": Policy(
        "opt",
        _kernels.belady,
        {"bypass": True},
        "Belady's MIN with bypass: the optimum for unit-size objects",
        "Belady 1966",
        {"bypass": Bool()},
    ),
}


# libCacheSim's counting Bloom filter hashes object ids with XXH64 under these two seeds
_CBF_SEEDS = (0x12345678, 0x12344321)


def _kernel_args(policy: Policy, params: dict, trace: Trace) -> tuple:
    args = policy.args(params)
    if policy.name == "clock":
        return _clock_args(args[0])
    if policy.name == "wtinylfu":
        (window,) = args
        a, b = ((xxh64(trace.keys, seed) & np.uint64(0xFFFFFFFF)).astype(np.uint32) for seed in _CBF_SEEDS)
        mean = 1.0 if trace.unit_size else float(trace.object_sizes().mean())
        return a, b, float(window), mean
    return args


def as_trace(requests) -> Trace:
    """A :class:`Trace` from a Trace (returned as is) or a sequence of object ids.

    A Trace has its ids checked again (:meth:`Trace.check_ids`) before it is returned.

    Parameters
    ----------
    requests : Trace or array_like of int
        A trace, or the object id of every request (a 1-D sequence of integers; whole-valued
        floats are accepted).

    Returns
    -------
    Trace
        ``requests`` itself, or a unit-size trace built with :meth:`Trace.from_keys`.

    Raises
    ------
    WorkbenchError
        If the ids are not a 1-D sequence of integers, or a Trace's arrays were edited into an
        invalid state.

    Examples
    --------
    >>> from workbench.cdn.caches import as_trace
    >>> t = as_trace([5, 5, 7])
    >>> t.n_requests, t.n_objects, t.unit_size
    (3, 2, True)
    """
    if isinstance(requests, Trace):
        requests.check_ids()
        return requests
    return Trace.from_keys(requests)


def resolve_capacity(trace: Trace, capacity) -> int:
    """Cache size in objects (unit-size traces) or bytes; a float in (0, 1) is a fraction of the footprint.

    Raises :class:`CacheSizeError` for sizes < 1 or larger than the trace's footprint.

    Parameters
    ----------
    trace : Trace
        The trace the cache will see; its :attr:`Trace.footprint` bounds the size.
    capacity : int or float
        An integer >= 1 (a whole-valued float is accepted), or a float in (0, 1): that fraction
        of the footprint, rounded down.

    Returns
    -------
    int
        The cache size, in objects for a unit-size trace, else in bytes.

    Raises
    ------
    CacheSizeError
        If ``capacity`` is not a number of that kind, gives a size < 1, or exceeds the footprint.

    Examples
    --------
    >>> from workbench.cdn import resolve_capacity, zipf_trace
    >>> t = zipf_trace(2000, 200, 1.0, seed=0)
    >>> t.footprint, resolve_capacity(t, 0.1), resolve_capacity(t, 10)
    (191, 19, 10)
    """
    foot = trace.footprint
    if is_real(capacity) and not is_int(capacity) and 0 < capacity < 1:
        cap = int(capacity * foot)
    elif is_int(capacity) or (is_real(capacity) and np.isfinite(capacity) and float(capacity).is_integer()):
        cap = int(capacity)
    else:
        raise CacheSizeError(f"cache size must be an integer >= 1 or a fraction in (0, 1), got {capacity!r}")
    unit = "objects" if trace.unit_size else "bytes"
    if cap < 1:
        raise CacheSizeError(f"cache size must be >= 1 {unit}, got {capacity!r} ({cap} {unit})")
    if cap > foot:
        raise CacheSizeError(
            f"cache size {cap:,} {unit} exceeds the trace's footprint of {foot:,} {unit}: every object fits, "
            "so only first requests miss; use a smaller cache"
        )
    return cap


def _policy(name) -> Policy:
    if not isinstance(name, str) or name.lower() not in POLICIES:
        raise unknown_name("policy", name, POLICIES)
    return POLICIES[name.lower()]


def cache_hits(requests, capacity, policy: str = "lru", **params) -> np.ndarray:
    """Replay a trace through one cache and return the hit (True) or miss of every request.

    Parameters
    ----------
    requests : Trace or array_like of int
        The request trace, or the object id of every request (a 1-D sequence of integers,
        read as unit-size objects).
    capacity : int or float
        Objects (unit size) or bytes, an integer >= 1 no larger than the trace's footprint; a
        float in (0, 1) is a fraction of the footprint.
    policy : str, default "lru"
        One of :data:`POLICIES` (case-insensitive).
    **params
        Policy parameters (e.g. ``bits=2`` for clock, ``small_ratio=0.1`` for s3fifo); the
        policy's defaults fill in the rest.

    Returns
    -------
    numpy.ndarray of bool
        ``True`` where the request hit, one entry per request.

    Raises
    ------
    UnknownNameError
        If ``policy`` is not in :data:`POLICIES` or a parameter is not one of the policy's.
    WorkbenchError
        If a policy parameter is out of range, or ``requests`` is not a valid trace.
    CacheSizeError
        If ``capacity`` is not a valid size for the trace (see :func:`resolve_capacity`).

    Examples
    --------
    >>> cache_hits([1, 2, 1, 3, 1, 2], 2, "lru").tolist()
    [False, False, True, False, True, False]
    """
    trace = as_trace(requests)
    pol = _policy(policy)
    args = _kernel_args(pol, params, trace)
    cap = resolve_capacity(trace, capacity)
    sizes = np.empty(0, np.int64) if trace.unit_size else trace.sizes  # empty: unit-size kernels
    hit = pol.kernel(trace.ids, sizes, trace.n_objects, np.int64(cap), *args)
    return hit.view(np.bool_)


@dataclass
class CacheResult(Result):
    """One replay of a trace through one cache: the hit or miss of every request and the counts.

    ``summary()`` is one row (policy, capacity, requests, misses, miss_ratio, byte_miss_ratio); the
    frame ``requests_frame()`` has one row per request; ``params`` holds the inputs.
    Returned by :func:`simulate`.

    Parameters
    ----------
    policy : str
        Name of the replacement policy (lower case).
    capacity : int
        Cache size in objects (unit-size traces) or bytes.
    hits : numpy.ndarray of bool
        ``True`` where a request hit, one entry per request.
    sizes : numpy.ndarray of int64
        Size of every request in bytes (ones for a unit-size trace).
    params : dict, optional
        The inputs of the run (``requests``, ``capacity``, ``policy`` and policy parameters);
        an empty dict when omitted.

    Attributes
    ----------
    requests : int
        Requests replayed.
    misses : int
        Requests that missed.
    miss_ratio : float
        ``misses / requests``.
    byte_miss_ratio : float
        Bytes missed / bytes requested.

    Examples
    --------
    >>> from workbench.cdn import simulate
    >>> r = simulate([1, 2, 1, 3, 1, 2], capacity=2, policy="lru")
    >>> r.requests, r.misses, round(r.miss_ratio, 3)
    (6, 4, 0.667)
    """

    policy: str
    capacity: int
    hits: np.ndarray = field(repr=False)
    sizes: np.ndarray = field(repr=False)
    params: dict = field(default_factory=dict, repr=False)
    frames = ("requests_frame",)

    @property
    def requests(self) -> int:
        """Number of requests replayed."""
        return int(self.hits.size)

    @property
    def misses(self) -> int:
        """Number of requests that missed."""
        return int((~self.hits).sum())

    @property
    def miss_ratio(self) -> float:
        """Misses / requests (0 for an empty trace)."""
        return self.misses / max(self.requests, 1)

    @property
    def byte_miss_ratio(self) -> float:
        """Bytes of the missed requests / bytes requested (the miss ratio for unit-size traces)."""
        return float(self.sizes[~self.hits].sum() / max(self.sizes.sum(), 1))

    def summary(self):
        """One row: policy, capacity, requests, misses, miss_ratio, byte_miss_ratio.

        Returns
        -------
        pandas.DataFrame
            One row with those six columns.
        """
        return one_row(
            policy=self.policy,
            capacity=self.capacity,
            requests=self.requests,
            misses=self.misses,
            miss_ratio=self.miss_ratio,
            byte_miss_ratio=self.byte_miss_ratio,
        )

    def requests_frame(self):
        """One row per request: its index, size (bytes, 1 for unit-size traces) and whether it hit.

        Returns
        -------
        pandas.DataFrame
            Columns ``request`` (0, 1, ...), ``bytes`` and ``hit`` (bool).
        """
        import pandas as pd

        return pd.DataFrame({"request": np.arange(self.requests), "bytes": self.sizes, "hit": self.hits})


def simulate(requests, capacity, policy: str = "lru", **params) -> CacheResult:
    """Replay a trace through a cache and count hits and misses.

    Parameters
    ----------
    requests : Trace or array_like of int
        The request trace, or the object id of every request (a 1-D sequence of integers,
        read as unit-size objects).
    capacity : int or float
        Objects (unit size) or bytes, an integer >= 1 no larger than the trace's footprint; a
        float in (0, 1) is a fraction of the footprint.
    policy : str, default "lru"
        One of :data:`POLICIES` (case-insensitive).
    **params
        Policy parameters (e.g. ``bits=2`` for clock); the policy's defaults fill in the rest.

    Returns
    -------
    CacheResult
        ``misses``, ``miss_ratio``, ``byte_miss_ratio`` and ``summary()``, one row.

    Raises
    ------
    UnknownNameError
        If ``policy`` is not in :data:`POLICIES` or a parameter is not one of the policy's.
    WorkbenchError
        If a policy parameter is out of range, or ``requests`` is not a valid trace.
    CacheSizeError
        If ``capacity`` is not a valid size for the trace (see :func:`resolve_capacity`).

    References
    ----------
    .. [1] Yang et al., "FIFO queues are all you need for cache eviction", SOSP 2023.

    Examples
    --------
    >>> simulate([1, 2, 1, 3, 1, 2], capacity=2, policy="lru").misses
    4
    """
    trace = as_trace(requests)
    hit = cache_hits(trace, capacity, policy, **params)
    return CacheResult(
        policy.lower(),
        resolve_capacity(trace, capacity),
        hit,
        trace.request_sizes(),
        {"requests": trace, "capacity": capacity, "policy": policy, **params},
    )


def miss_ratio_curve(requests, capacities, policies=("lru", "opt")):
    """Miss ratio of each policy at each cache size (tidy: one row per policy and size).

    Every policy runs with its default parameters.

    Parameters
    ----------
    requests : Trace or array_like of int
        The request trace, or the object id of every request (a 1-D sequence of integers,
        read as unit-size objects).
    capacities : sequence of int or float
        Cache sizes, at least one, each as ``capacity`` of :func:`simulate`.
    policies : sequence of str, default ("lru", "opt")
        Names in :data:`POLICIES`, at least one.

    Returns
    -------
    pandas.DataFrame
        The :meth:`CacheResult.summary` rows (``policy``, ``capacity``, ``requests``, ``misses``,
        ``miss_ratio``, ``byte_miss_ratio``), policy by policy, each over every size.

    Raises
    ------
    WorkbenchError
        If ``capacities`` or ``policies`` is not a non-empty list, a policy is given twice, or
        two capacities resolve to the same cache size.
    UnknownNameError
        If a policy is not in :data:`POLICIES`.
    CacheSizeError
        If a capacity is not a valid size for the trace.

    Examples
    --------
    >>> mrc = miss_ratio_curve([1, 2, 3, 1, 2, 3, 4], [1, 2, 3], ["lru"])
    >>> mrc.miss_ratio.round(3).tolist()
    [1.0, 1.0, 0.571]
    """
    import pandas as pd

    trace = as_trace(requests)
    if isinstance(capacities, (str, bytes)) or not np.iterable(capacities) or not len(capacities):
        raise WorkbenchError(f"capacities must be a list of cache sizes, got {capacities!r}")
    if isinstance(policies, str) or not np.iterable(policies) or not len(policies):
        raise WorkbenchError(f"policies must be a list of policy names, got {policies!r}")
    policies = _distinct_policies(policies)
    frames = [simulate(trace, c, p).summary() for p in policies for c in capacities]
    out = pd.concat(frames, ignore_index=True)
    if out.duplicated(["policy", "capacity"]).any():
        raise WorkbenchError(
            f"capacities {list(capacities)!r} resolve to the same cache size twice on this trace "
            f"(footprint {trace.footprint:,}); give distinct sizes"
        )
    return out


def _distinct_policies(policies) -> list:
    """Policy names, lower-cased, each known and given once (or a named error)."""
    names = [_policy(p) and p.lower() for p in policies]
    twice = sorted({p for p in names if names.count(p) > 1})
    if twice:
        raise WorkbenchError(f"policies must be distinct; {', '.join(map(repr, twice))} given more than once")
    return names


def compare_policies(requests, capacities, policies=None):
    """Every policy at every size next to OPT, with the share of the LRU-to-OPT gap closed.

    Parameters
    ----------
    requests : Trace or array_like of int
        The request trace, or the object id of every request (a 1-D sequence of integers,
        read as unit-size objects).
    capacities : sequence of int or float
        Cache sizes, at least one, each as ``capacity`` of :func:`simulate`; they must resolve
        to distinct sizes.
    policies : sequence of str, optional
        Distinct names in :data:`POLICIES` (any case); ``None`` (the default) takes them all.
        ``"lru"`` and ``"opt"`` are added when missing.

    Returns
    -------
    pandas.DataFrame
        ``policy``, ``capacity``, ``miss_ratio``, ``byte_miss_ratio``, ``opt_miss_ratio``,
        ``lru_miss_ratio``, ``gap_closed`` (1 = optimal, 0 = LRU, negative = worse than LRU;
        NaN where LRU is already optimal).

    Raises
    ------
    WorkbenchError
        If ``capacities`` or ``policies`` is not a non-empty list, a policy is given twice, or
        two capacities resolve to the same cache size.
    UnknownNameError
        If a policy is not in :data:`POLICIES`.
    CacheSizeError
        If a capacity is not a valid size for the trace.

    Examples
    --------
    >>> from workbench.cdn import compare_policies, zipf_trace
    >>> t = zipf_trace(2000, 200, 1.0, seed=0)
    >>> df = compare_policies(t, [20], ["lru", "s3fifo"])
    >>> df.set_index("policy").gap_closed.round(3).to_dict()
    {'lru': 0.0, 's3fifo': 0.366, 'opt': 1.0}
    """
    if policies is not None and (isinstance(policies, str) or not np.iterable(policies)):
        raise WorkbenchError(f"policies must be a list of policy names, got {policies!r}")
    policies = list(POLICIES) if policies is None else _distinct_policies(policies)
    for p in ("lru", "opt"):
        if p not in policies:
            policies.append(p)
    mrc = miss_ratio_curve(requests, capacities, policies)
    base = mrc.pivot(index="capacity", columns="policy", values="miss_ratio")
    out = mrc.merge(
        base[["opt", "lru"]].rename(columns={"opt": "opt_miss_ratio", "lru": "lru_miss_ratio"}),
        left_on="capacity",
        right_index=True,
    )
    gap = out.lru_miss_ratio - out.opt_miss_ratio
    out["gap_closed"] = np.where(gap > 0, (out.lru_miss_ratio - out.miss_ratio) / gap.where(gap > 0, 1), np.nan)
    return out[
        ["policy", "capacity", "miss_ratio", "byte_miss_ratio", "opt_miss_ratio", "lru_miss_ratio", "gap_closed"]
    ].reset_index(drop=True)
