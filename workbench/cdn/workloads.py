r"""Synthetic request workloads with a seeded generator.

* :func:`zipf_trace` -- independent requests with bounded Zipf popularity,
  :math:`P(\text{rank } k) \propto k^{-\alpha}` over ``n_objects`` objects;
* :func:`shifting_zipf_trace` -- popularity that drifts over a day (diurnal rotation of the
  hot set) with optional flash crowds;
* :func:`scan_mix` -- a base trace with sequential scans of one-hit wonders spliced in;
* :func:`diurnal_traffic` -- hourly request rates per PoP with a daily and weekly rhythm (capacity
  planning and forecasting).

Object keys are popularity ranks permuted by the seed, so key order says nothing about
popularity.
"""

from __future__ import annotations

import numpy as np

from ..errors import MAX_COUNT, Int, Real, Seed, WorkbenchError, check_memory, checked, make_rng
from .traces import MAX_OBJECT_BYTES, Trace, fresh_keys

__all__ = ["zipf_probabilities", "zipf_trace", "shifting_zipf_trace", "scan_mix", "diurnal_traffic"]


def _rng(seed):
    return make_rng(seed)


_COUNT = Int(1, 2**31 - 1)  # requests and objects: a Trace holds int32 ids


def _memory(n_requests, n_objects=0):
    check_memory(f"a trace of {n_requests:,} requests over {n_objects:,} objects", 40.0 * n_requests + 24.0 * n_objects)


@checked(n_objects=_COUNT, alpha=Real(0))
def zipf_probabilities(n_objects: int, alpha: float) -> np.ndarray:
    """Request probability of each popularity rank (rank 0 most popular), summing to 1.

    Rank ``k`` (from 0) has probability proportional to ``(k + 1) ** -alpha``.

    Parameters
    ----------
    n_objects : int
        Number of ranks, an integer in [1, 2**31 - 1].
    alpha : float
        Zipf skew, a finite number >= 0 (0 is uniform).

    Returns
    -------
    numpy.ndarray of float64
        Shape ``(n_objects,)``, non-increasing, summing to 1.

    Raises
    ------
    WorkbenchError
        If ``n_objects`` or ``alpha`` is out of range.
    OutOfMemoryError
        If the array would not fit in the memory available.

    Examples
    --------
    >>> zipf_probabilities(3, 1.0).round(4).tolist()
    [0.5455, 0.2727, 0.1818]
    """
    check_memory(f"{n_objects:,} probabilities", 16.0 * n_objects)
    w = np.arange(1, n_objects + 1, dtype=np.float64) ** -alpha
    return w / w.sum()


@checked(n_requests=_COUNT, n_objects=_COUNT, alpha=Real(0), seed=Seed())
def zipf_trace(
    n_requests: int,
    n_objects: int,
    alpha: float = 1.0,
    *,
    seed=None,
    size_range: tuple[int, int] | None = None,
    name: str | None = None,
) -> Trace:
    """Independent requests with bounded Zipf(``alpha``) popularity over ``n_objects`` objects.

    Parameters
    ----------
    n_requests : int
        Number of requests, an integer in [1, 2**31 - 1].
    n_objects : int
        Number of objects (popularity ranks), an integer in [1, 2**31 - 1].
    alpha : float, default 1.0
        Zipf skew, a finite number >= 0 (0 is uniform popularity).
    seed : int, numpy.random.Generator or None, default None
        Seed of the random stream (an integer >= 0, a SeedSequence or a Generator); the same
        seed gives the same trace.
    size_range : (int, int), optional
        ``(low, high)``: give every object a fixed size drawn log-uniformly from ``[low, high]``
        bytes, ``1 <= low <= high`` (otherwise objects are unit-sized).
    name : str, optional
        Name of the trace; ``None`` (the default) gives ``"zipf(alpha=<alpha>)"``.

    Returns
    -------
    Trace
        ``n_requests`` requests without timestamps; keys are popularity ranks permuted by the
        seed, so at most ``n_objects`` distinct objects appear.

    Raises
    ------
    WorkbenchError
        If a count, ``alpha``, ``seed`` or ``size_range`` is out of range.
    OutOfMemoryError
        If the trace would not fit in the memory available.

    Examples
    --------
    >>> t = zipf_trace(10_000, 100, 1.0, seed=1)
    >>> t.n_requests, t.n_objects <= 100
    (10000, True)
    """
    _memory(n_requests, n_objects)
    rng = _rng(seed)
    cdf = np.cumsum(zipf_probabilities(n_objects, alpha))
    cdf[-1] = 1.0
    ranks = np.searchsorted(cdf, rng.random(n_requests), side="right")
    keys = rng.permutation(n_objects)[ranks]
    sizes = None
    if size_range is not None:
        try:
            lo, hi = (Int(1, MAX_OBJECT_BYTES).check("size_range", x) for x in size_range)
        except (TypeError, ValueError):
            raise WorkbenchError(
                f"size_range must be (low, high) integers with 1 <= low <= high, got {size_range!r}"
            ) from None
        if not lo <= hi:
            raise WorkbenchError(f"size_range must satisfy 1 <= low <= high, got {size_range!r}")
        obj_size = np.exp(rng.uniform(np.log(lo), np.log(hi) + 1e-12, n_objects)).astype(np.int64).clip(lo, hi)
        sizes = obj_size[keys]
    return Trace.from_keys(keys, sizes, None, name or f"zipf(alpha={alpha:g})")


@checked(
    n_requests=_COUNT,
    n_objects=_COUNT,
    alpha=Real(0),
    days=Real(0, 1e6, lo_open=True),
    shift=Real(0, 1),
    flash_crowds=Int(0, 10_000),
    flash_share=Real(0, 1, hi_open=True),
    flash_duration=Real(0, 1, lo_open=True),
    seed=Seed(),
)
def shifting_zipf_trace(
    n_requests: int,
    n_objects: int,
    alpha: float = 1.0,
    *,
    days: float = 1.0,
    shift: float = 0.5,
    flash_crowds: int = 0,
    flash_share: float = 0.3,
    flash_duration: float = 0.02,
    seed=None,
) -> Trace:
    """Zipf popularity whose hot set rotates through the catalogue over each day, plus flash crowds.

    Requests are spread evenly over ``days`` (timestamps in seconds). Over one day the
    popularity ranking rotates by ``shift * n_objects`` positions, so yesterday's hits cool
    down (diurnal drift). Each flash crowd sends ``flash_share`` of the requests during
    ``flash_duration`` (fraction of the run) to one previously unseen object.

    Parameters
    ----------
    n_requests : int
        Number of requests, an integer in [1, 2**31 - 1].
    n_objects : int
        Number of objects (popularity ranks), an integer in [1, 2**31 - 1].
    alpha : float, default 1.0
        Zipf skew, a finite number >= 0 (0 is uniform popularity).
    days : float, default 1.0
        Length of the run in days, in (0, 1e6].
    shift : float, default 0.5
        Share of the catalogue the popularity ranking rotates by per day, in [0, 1].
    flash_crowds : int, default 0
        Number of flash crowds, an integer in [0, 10000].
    flash_share : float, default 0.3
        Share of the requests during a flash crowd that go to its object, in [0, 1).
    flash_duration : float, default 0.02
        Length of each flash crowd as a fraction of the run, in (0, 1].
    seed : int, numpy.random.Generator or None, default None
        Seed of the random stream (an integer >= 0, a SeedSequence or a Generator); the same
        seed gives the same trace.

    Returns
    -------
    Trace
        A unit-size trace with timestamps in seconds (sorted), named
        ``"shifting zipf(alpha=<alpha>, shift=<shift>)"``.

    Raises
    ------
    WorkbenchError
        If a parameter is out of range.
    OutOfMemoryError
        If the trace would not fit in the memory available.

    Examples
    --------
    >>> from workbench.cdn import shifting_zipf_trace
    >>> t = shifting_zipf_trace(1000, 100, days=2, flash_crowds=1, seed=0)
    >>> t.n_requests, t.n_objects, bool(t.times[-1] < 2 * 86_400)
    (1000, 101, True)
    """
    _memory(n_requests, n_objects)
    rng = _rng(seed)
    t = np.sort(rng.uniform(0, days * 86_400.0, n_requests))
    cdf = np.cumsum(zipf_probabilities(n_objects, alpha))
    cdf[-1] = 1.0
    ranks = np.searchsorted(cdf, rng.random(n_requests), side="right")
    offset = np.floor(shift * n_objects * t / 86_400.0).astype(np.int64)
    perm = rng.permutation(n_objects)
    keys = perm[(ranks + offset) % n_objects]
    for k in range(flash_crowds):
        start = rng.uniform(0, 1 - flash_duration) * days * 86_400.0
        window = (t >= start) & (t < start + flash_duration * days * 86_400.0)
        hot = window & (rng.random(n_requests) < flash_share)
        keys[hot] = n_objects + k  # a new object nobody asked for before
    return Trace.from_keys(keys, None, t, f"shifting zipf(alpha={alpha:g}, shift={shift:g})")


@checked(scan_length=Int(1, 2**31 - 1), every=Int(1, MAX_COUNT), seed=Seed())
def scan_mix(base: Trace, *, scan_length: int = 1000, every: int = 10_000, seed=None) -> Trace:
    """Splice a sequential scan of ``scan_length`` never-repeated objects in after every ``every`` requests.

    Scans (backups, crawlers) flood a cache with one-hit wonders; scan-resistant policies
    keep their hit ratio.

    A scan follows every block of ``every`` requests, the last (possibly shorter) block
    included, and the scan objects' keys are new to the trace.

    Parameters
    ----------
    base : Trace
        The trace to splice scans into.
    scan_length : int, default 1000
        Objects per scan, an integer in [1, 2**31 - 1].
    every : int, default 10_000
        Requests of ``base`` between scans, an integer >= 1.
    seed : int, numpy.random.Generator or None, default None
        Checked like every seed, but the result does not depend on it (the splice is
        deterministic).

    Returns
    -------
    Trace
        A unit-size trace without timestamps (the base's sizes and times are not carried
        over), named ``"<base name> + scans of <scan_length>"``.

    Raises
    ------
    WorkbenchError
        If ``base`` is not a Trace, a parameter is out of range, or the result would hold
        2**31 requests or more.
    OutOfMemoryError
        If the trace would not fit in the memory available.

    Examples
    --------
    >>> from workbench.cdn import scan_mix, zipf_trace
    >>> t = scan_mix(zipf_trace(100, 20, seed=0), scan_length=10, every=50)
    >>> t.n_requests, t.summary()["one_hit_wonders"] >= 20
    (120, True)
    """
    if not isinstance(base, Trace):
        raise WorkbenchError(f"scan_mix takes a Trace, got {type(base).__name__}")
    raw = base.raw()
    n_scans = -(-raw.size // every)
    if raw.size + n_scans * scan_length >= 2**31:
        raise WorkbenchError(
            f"{n_scans:,} scans of {scan_length:,} objects make a trace of "
            f"{raw.size + n_scans * scan_length:,} requests; traces hold at most 2**31 - 1"
        )
    _memory(raw.size + n_scans * scan_length)
    new = fresh_keys(raw, n_scans * scan_length)
    parts = []
    for k, a in enumerate(range(0, raw.size, every)):
        parts.append(raw[a : a + every])
        parts.append(new[k * scan_length : (k + 1) * scan_length])
    keys = np.concatenate(parts) if parts else raw
    return Trace.from_keys(keys, None, None, f"{base.name} + scans of {scan_length}")


@checked(
    hours=Int(1, 10**7),
    base_rps=Real(0, lo_open=True),
    peak_hour=Real(0, 24),
    trough_share=Real(0, 1),
    weekend=Real(0, lo_open=True),
    growth_per_week=Real(-1, 10, lo_open=True),
    noise=Real(0, 10),
    size_spread=Real(0, 10),
    seed=Seed(),
)
def diurnal_traffic(
    pops,
    hours: int = 24 * 35,
    *,
    base_rps: float = 1_000.0,
    peak_hour: float = 21.0,
    trough_share: float = 0.25,
    weekend: float = 1.15,
    growth_per_week: float = 0.02,
    noise: float = 0.04,
    size_spread: float = 0.5,
    start: str = "2026-01-05",
    seed=None,
):
    """Hourly request rate at each PoP: an evening peak in local solar time, heavier weekends,
    slow growth and persistent noise; one tidy row per PoP and hour.

    The rate at local hour ``h`` is ``base * (trough_share + (1 - trough_share) * shape(h))`` with
    ``shape = ((1 + cos(2 pi (h - peak_hour) / 24)) / 2) ** 1.5`` (the evening-peaked day of
    residential web traffic), local time being UTC + longitude / 15 h. Saturdays and Sundays are
    scaled by ``weekend``, the level grows by ``growth_per_week``, and an AR(1) log-noise
    (coefficient 0.7, innovation sd ``noise``) adds day-to-day deviations that no model can
    foresee. Each PoP's base rate is ``base_rps`` times a lognormal factor (sd ``size_spread``).

    Returns columns ``time`` (UTC), ``hour`` (0, 1, ...), ``pop`` (the PoP code) and ``rps``.

    Parameters
    ----------
    pops : pandas.DataFrame
        The PoPs, at least one, with ``code`` and ``lon`` columns (e.g. from
        :func:`workbench.cdn.load_pops`).
    hours : int, default 24 * 35
        Hours to generate, an integer in [1, 10**7].
    base_rps : float, default 1_000.0
        Weekday peak rate in requests per second of a typical PoP (the median of the per-PoP
        levels, before growth and noise), a finite number > 0.
    peak_hour : float, default 21.0
        Local hour of the daily peak, in [0, 24].
    trough_share : float, default 0.25
        Rate at the daily trough as a share of the peak, in [0, 1].
    weekend : float, default 1.15
        Factor applied on Saturdays and Sundays (local time), a finite number > 0.
    growth_per_week : float, default 0.02
        Relative growth of the level per week (the rate is multiplied by
        ``(1 + growth_per_week) ** (hour / 168)``), in (-1, 10].
    noise : float, default 0.04
        Innovation standard deviation of the AR(1) log-noise, in [0, 10].
    size_spread : float, default 0.5
        Standard deviation of the lognormal per-PoP factor, in [0, 10].
    start : str, default "2026-01-05"
        First hour (UTC), anything :class:`pandas.Timestamp` parses.
    seed : int, numpy.random.Generator or None, default None
        Seed of the random stream; the same seed gives the same traffic.

    Returns
    -------
    pandas.DataFrame
        ``hours`` rows per PoP (PoP by PoP): ``time``, ``hour``, ``pop`` and ``rps``.

    Raises
    ------
    WorkbenchError
        If ``pops`` is empty or lacks ``code`` or ``lon``, or a parameter is out of range.

    Examples
    --------
    >>> from workbench.cdn import load_pops
    >>> df = diurnal_traffic(load_pops("aws").iloc[:2], hours=48, seed=0)
    >>> df.shape, sorted(df["pop"].unique()) == sorted(load_pops("aws").code[:2])
    ((96, 4), True)
    """
    import pandas as pd

    if not {"code", "lon"} <= set(getattr(pops, "columns", ())) or len(pops) == 0:
        raise WorkbenchError("pops must be a non-empty PoP frame with 'code' and 'lon' columns (see load_pops)")
    rng = _rng(seed)
    t0 = pd.Timestamp(start)
    utc = np.arange(hours, dtype=np.float64)
    rows = []
    for code, lon in zip(pops.code, pops.lon):
        local = utc + float(lon) / 15.0
        h = np.mod(local + t0.hour, 24.0)
        shape = ((1 + np.cos(2 * np.pi * (h - peak_hour) / 24.0)) / 2) ** 1.5
        day = (t0.day_of_week + np.floor((local + t0.hour) / 24.0)).astype(np.int64) % 7
        level = base_rps * np.exp(size_spread * rng.standard_normal())
        eps = np.empty(hours)
        e = rng.normal(0.0, noise / np.sqrt(1 - 0.49))
        for i in range(hours):
            e = 0.7 * e + rng.normal(0.0, noise)
            eps[i] = e
        rate = (
            level
            * (trough_share + (1 - trough_share) * shape)
            * np.where(day >= 5, weekend, 1.0)
            * (1 + growth_per_week) ** (utc / 168.0)
            * np.exp(eps)
        )
        rows.append(
            pd.DataFrame(
                {"time": t0 + pd.to_timedelta(utc, unit="h"), "hour": utc.astype(np.int64), "pop": code, "rps": rate}
            )
        )
    return pd.concat(rows, ignore_index=True)
