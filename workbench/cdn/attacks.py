"""Attack scenarios and protections: cache-busting floods, token-bucket rate limiting, PoP failure.

* :func:`cache_busting_flood` mixes requests for random, never-repeated objects from a few
  attacking clients into a trace: each one misses every tier and goes to the origin, and it
  evicts useful objects on the way.
* :func:`token_bucket` allows each client (or prefix) ``rate`` requests per second with bursts
  up to ``burst``; requests over the limit are dropped before they reach a cache.
* :func:`fail_pops` sends the traffic of failed PoPs to each client's next nearest live PoP
  from a given time on.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import Array, Int, Real, Seed, WorkbenchError, check, check_real, checked, make_rng
from . import _kernels
from .traces import Trace, fresh_keys

__all__ = ["Flood", "cache_busting_flood", "token_bucket", "fail_pops"]


@dataclass(frozen=True)
class Flood:
    """A trace with attack requests mixed in, and which requests and clients are the attacker's.

    Returned by :func:`cache_busting_flood`.

    Parameters
    ----------
    trace : Trace
        The merged trace, legitimate and attack requests in time order.
    client : numpy.ndarray of int64
        Client index of every request of ``trace``.
    attack : numpy.ndarray of bool
        ``True`` where the request is the attacker's.

    Examples
    --------
    >>> import numpy as np
    >>> from workbench.cdn import cache_busting_flood, zipf_trace
    >>> t = zipf_trace(1000, 100, seed=0)
    >>> f = cache_busting_flood(t, np.arange(1000) % 10, 10, share=0.2, seed=1)
    >>> f.trace.n_requests, int(f.attack.sum()), sorted(set(f.client[f.attack].tolist()))
    (1200, 200, [10, 11, 12, 13, 14])
    """

    trace: Trace
    client: np.ndarray  # client index of every request
    attack: np.ndarray  # True where the request is the attacker's


@checked(
    n_clients=Int(0, 2**62),
    share=Real(0, 10, lo_open=True, hi_open=True),
    attackers=Int(1, 2**31 - 1),
    start=Real(0, 1),
    end=Real(0, 1),
    seed=Seed(),
)
def cache_busting_flood(
    trace: Trace,
    client,
    n_clients: int,
    *,
    share: float = 0.3,
    attackers: int = 5,
    start: float = 0.25,
    end: float = 0.75,
    seed=None,
) -> Flood:
    """Mix a random-object flood into a trace.

    Between fractions ``start`` and ``end`` of the run, extra requests equal to ``share`` of
    the whole trace arrive from ``attackers`` clients (new client indices ``n_clients ..``),
    each for an object nobody ever requested before.

    Attack requests of a sized trace take sizes drawn from the trace's request sizes, and
    timestamps (if any) interpolated between those of their neighbours.

    Parameters
    ----------
    trace : Trace
        The legitimate requests.
    client : array_like of int
        Client index of every request of ``trace``.
    n_clients : int
        Number of legitimate clients, an integer in [0, 2**62]; the attackers get the indices
        ``n_clients .. n_clients + attackers - 1``.
    share : float, default 0.3
        Attack requests as a share of the trace's requests (``int(share * n_requests)`` of
        them), in (0, 10).
    attackers : int, default 5
        Number of attacking clients, an integer in [1, 2**31 - 1].
    start : float, default 0.25
        Start of the attack as a fraction of the run, in [0, 1].
    end : float, default 0.75
        End of the attack as a fraction of the run, in [0, 1] and > ``start``.
    seed : int, numpy.random.Generator or None, default None
        Seed of the random stream; the same seed gives the same flood.

    Returns
    -------
    Flood
        The merged ``trace`` (named ``"<name> + flood"``), the ``client`` of every request and
        the ``attack`` mask.

    Raises
    ------
    WorkbenchError
        If ``trace`` is not a Trace, ``client`` is not one index per request, a parameter is
        out of range, ``start >= end``, or the result would hold 2**31 requests or more.

    Examples
    --------
    >>> import numpy as np
    >>> from workbench.cdn import cache_busting_flood, zipf_trace
    >>> t = zipf_trace(1000, 100, seed=0)
    >>> f = cache_busting_flood(t, np.arange(1000) % 10, 10, share=0.2, seed=1)
    >>> f.trace.n_requests, int(f.attack.sum()), sorted(set(f.client[f.attack].tolist()))
    (1200, 200, [10, 11, 12, 13, 14])
    """
    if not start < end:
        raise WorkbenchError(f"need start < end, got {start} and {end}")
    if not isinstance(trace, Trace):
        raise WorkbenchError(f"cache_busting_flood takes a Trace, got {type(trace).__name__}")
    if trace.n_requests * (1 + share) >= 2**31:
        raise WorkbenchError("the trace with its flood would exceed 2**31 - 1 requests")
    client = np.asarray(client, dtype=np.int64)
    if client.shape != (trace.n_requests,):
        raise WorkbenchError("client must give one client index per request")
    rng = make_rng(seed)
    n = trace.n_requests
    n_attack = int(share * n)
    # positions in the merged order: attack requests land uniformly inside [start, end)
    pos = np.sort(rng.uniform(start * n, end * n, n_attack))
    base_keys = trace.raw()
    keys = np.concatenate([base_keys, fresh_keys(base_keys, n_attack)])
    when = np.concatenate([np.arange(n, dtype=np.float64), pos])
    order = np.argsort(when, kind="stable")
    attack = np.concatenate([np.zeros(n, bool), np.ones(n_attack, bool)])[order]
    who = np.concatenate([client, n_clients + rng.integers(0, attackers, n_attack)])[order]
    sizes = None
    if trace.sizes is not None:
        sizes = np.concatenate([trace.sizes, rng.choice(trace.sizes, n_attack)])[order]
    times = None
    if trace.times is not None:
        t = trace.times
        times = np.concatenate([t, np.interp(pos, np.arange(n), t)])[order]
    merged = Trace.from_keys(keys[order], sizes, times, f"{trace.name} + flood")
    return Flood(merged, who, attack)


def token_bucket(times, keys, rate: float, burst: float) -> np.ndarray:
    """Which requests a per-key token bucket lets through (``rate`` per second, bursts of ``burst``).

    Each key's bucket starts full with ``burst`` tokens and refills at ``rate`` tokens per
    second up to ``burst``; a request passes if its bucket holds a whole token, and takes it.

    Parameters
    ----------
    times : array_like of float
        Arrival time of every request in seconds, 1-D, finite and non-decreasing.
    keys : array_like of int
        The rate-limited key of every request (client id, prefix...), as many as ``times``.
    rate : float
        Refill rate in tokens (requests) per second, a finite number > 0.
    burst : float
        Bucket size, a finite number >= 1.

    Returns
    -------
    numpy.ndarray of bool
        ``True`` where the request is let through.

    Raises
    ------
    WorkbenchError
        If ``times`` and ``keys`` are not 1-D of equal length, ``times`` is not finite and
        non-decreasing, ``keys`` are not integers, or ``rate`` or ``burst`` is out of range.

    Examples
    --------
    >>> token_bucket([0, 0, 0, 1.0], [7, 7, 7, 7], rate=1.0, burst=2).tolist()
    [True, True, False, True]
    """
    t = check("times", times, Array(ndim=1))
    k = np.asarray(keys)
    if t.shape != k.shape or t.ndim != 1:
        raise WorkbenchError("times and keys must be 1-D arrays of the same length")
    if t.size and (np.isnan(t).any() or np.any(np.diff(t) < 0)):
        raise WorkbenchError("times must be non-decreasing numbers")
    if k.size and not np.issubdtype(k.dtype, np.integer):
        raise WorkbenchError(f"keys must be integers (client ids, prefixes), got dtype {k.dtype}")
    rate = check_real("rate", rate, minimum=0, exclusive_min=True)
    burst = check_real("burst", burst, minimum=1)
    dense, uniq = _kernels.densify(k.astype(np.int64))
    return _kernels.token_bucket(t, dense, uniq.size, float(rate), float(burst))


def fail_pops(client_lat, client_lon, pops, request_client, failed, *, from_request: int = 0, k: int = 4):
    """PoP of every request when the PoPs in ``failed`` (codes) go down at request ``from_request``.

    Before the failure each client uses its nearest PoP; afterwards, clients of a failed PoP
    shift to their nearest live PoP (among their ``k`` nearest; the nearest live PoP overall if
    none of those is up). Returns ``(pop_index, km)`` per request.

    Parameters
    ----------
    client_lat : array_like of float
        Latitude of every client in degrees, 1-D, in [-90, 90].
    client_lon : array_like of float
        Longitude of every client in degrees, as many as ``client_lat``, in [-180, 180].
    pops : pandas.DataFrame
        The PoPs, with ``code``, ``lat`` and ``lon`` columns (e.g. from
        :func:`workbench.cdn.load_pops`).
    request_client : array_like of int
        Client index (into ``client_lat``) of every request.
    failed : str or iterable of str
        The code, or codes, of the PoPs that fail (case-insensitive).
    from_request : int, default 0
        Index of the first request that sees the failure.
    k : int, default 4
        Nearest PoPs searched first for a live one, >= 1 (capped at the number of PoPs).

    Returns
    -------
    pop_index : numpy.ndarray of int
        Positional index (row of ``pops``) of the PoP serving every request.
    km : numpy.ndarray of float64
        Great-circle distance in km from the request's client to that PoP.

    Raises
    ------
    WorkbenchError
        If a code in ``failed`` is not in ``pops``, the coordinates are invalid, ``k`` is
        below 1, or every PoP fails.

    Examples
    --------
    >>> from workbench.cdn import fail_pops, load_pops
    >>> pops = load_pops("aws")
    >>> pop, km = fail_pops([48.86], [2.35], pops, [0, 0, 0], ["CDG"], from_request=1)   # Paris
    >>> pops.code[pop].tolist(), km.round().tolist()
    (['CDG', 'BRU', 'BRU'], [22.0, 274.0, 274.0])
    """
    from .routing import k_nearest_pops

    if isinstance(failed, str):  # one PoP code
        failed = [failed]
    if not np.iterable(failed) or not all(isinstance(c, str) for c in failed):
        raise WorkbenchError(f"failed must be a PoP code or a list of PoP codes, got {failed!r}")
    failed = set(map(str.upper, failed))
    unknown = failed - set(pops.code)
    if unknown:
        raise WorkbenchError(f"unknown PoP codes: {sorted(unknown)}")
    idx, km = k_nearest_pops(client_lat, client_lon, pops, min(k, len(pops)))
    down = pops.code.isin(failed).to_numpy()
    live = ~down[idx]
    first_live = np.where(live.any(1), live.argmax(1), -1)
    alt_idx = idx[np.arange(len(idx)), np.maximum(first_live, 0)]
    alt_km = km[np.arange(len(idx)), np.maximum(first_live, 0)]
    if (first_live < 0).any():  # fall back to a full search over live PoPs
        live_rows = np.flatnonzero(~down)  # row positions, whatever the frame's index
        if not live_rows.size:
            raise WorkbenchError("every PoP has failed: no PoP is left to serve the clients")
        need = first_live < 0
        i2, k2 = k_nearest_pops(np.asarray(client_lat)[need], np.asarray(client_lon)[need], pops.iloc[live_rows], 1)
        alt_idx[need] = live_rows[i2[:, 0]]
        alt_km[need] = k2[:, 0]
    request_client = np.asarray(request_client, dtype=np.int64)
    after = np.arange(request_client.size) >= from_request
    pop = np.where(after, alt_idx[request_client], idx[request_client, 0])
    dist = np.where(after, alt_km[request_client], km[request_client, 0])
    return pop, dist
