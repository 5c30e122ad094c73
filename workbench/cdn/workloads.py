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

from ..errors import WorkbenchError, check_int, check_real, make_rng
from .traces import Trace

__all__ = ["zipf_probabilities", "zipf_trace", "shifting_zipf_trace", "scan_mix", "diurnal_traffic"]


def _rng(seed):
    return make_rng(seed)


def _positive_int(name, v, minimum=1):
    return check_int(name, v, minimum=minimum)


def zipf_probabilities(n_objects: int, alpha: float) -> np.ndarray:
    """Request probability of each popularity rank (rank 0 most popular), summing to 1.

    Examples
    --------
    >>> zipf_probabilities(3, 1.0).round(4).tolist()
    [0.5455, 0.2727, 0.1818]
    """
    n_objects = _positive_int("n_objects", n_objects)
    alpha = check_real("alpha", alpha, minimum=0)
    w = np.arange(1, n_objects + 1, dtype=np.float64) ** -alpha
    return w / w.sum()


def zipf_trace(n_requests: int, n_objects: int, alpha: float = 1.0, *, seed=None,
               size_range: tuple[int, int] | None = None, name: str | None = None) -> Trace:
    """Independent requests with bounded Zipf(``alpha``) popularity over ``n_objects`` objects.

    Parameters
    ----------
    size_range : (low, high), optional
        Give every object a fixed size drawn log-uniformly from ``[low, high]`` bytes
        (otherwise objects are unit-sized).
    seed : int or numpy.random.Generator

    Examples
    --------
    >>> t = zipf_trace(10_000, 100, 1.0, seed=1)
    >>> t.n_requests, t.n_objects <= 100
    (10000, True)
    """
    n_requests = _positive_int("n_requests", n_requests)
    rng = _rng(seed)
    cdf = np.cumsum(zipf_probabilities(n_objects, alpha))
    cdf[-1] = 1.0
    ranks = np.searchsorted(cdf, rng.random(n_requests), side="right")
    keys = rng.permutation(n_objects)[ranks]
    sizes = None
    if size_range is not None:
        lo, hi = size_range
        if not (1 <= lo <= hi):
            raise WorkbenchError(f"size_range must satisfy 1 <= low <= high, got {size_range!r}")
        obj_size = np.exp(rng.uniform(np.log(lo), np.log(hi) + 1e-12, n_objects)).astype(np.int64).clip(lo, hi)
        sizes = obj_size[keys]
    return Trace.from_keys(keys, sizes, None, name or f"zipf(alpha={alpha:g})")


def shifting_zipf_trace(n_requests: int, n_objects: int, alpha: float = 1.0, *, days: float = 1.0,
                        shift: float = 0.5, flash_crowds: int = 0, flash_share: float = 0.3,
                        flash_duration: float = 0.02, seed=None) -> Trace:
    """Zipf popularity whose hot set rotates through the catalogue over each day, plus flash crowds.

    Requests are spread evenly over ``days`` (timestamps in seconds). Over one day the
    popularity ranking rotates by ``shift * n_objects`` positions, so yesterday's hits cool
    down (diurnal drift). Each flash crowd sends ``flash_share`` of the requests during
    ``flash_duration`` (fraction of the run) to one previously unseen object.
    """
    n_requests = _positive_int("n_requests", n_requests)
    _positive_int("n_objects", n_objects)
    if not (0 <= shift <= 1) or not (0 <= flash_share < 1) or not (0 < flash_duration <= 1) or days <= 0:
        raise WorkbenchError("need 0 <= shift <= 1, 0 <= flash_share < 1, 0 < flash_duration <= 1, days > 0")
    rng = _rng(seed)
    t = np.sort(rng.uniform(0, days * 86_400.0, n_requests))
    cdf = np.cumsum(zipf_probabilities(n_objects, alpha))
    cdf[-1] = 1.0
    ranks = np.searchsorted(cdf, rng.random(n_requests), side="right")
    offset = np.floor(shift * n_objects * t / 86_400.0).astype(np.int64)
    perm = rng.permutation(n_objects)
    keys = perm[(ranks + offset) % n_objects]
    for k in range(_positive_int("flash_crowds", flash_crowds, 0)):
        start = rng.uniform(0, 1 - flash_duration) * days * 86_400.0
        window = (t >= start) & (t < start + flash_duration * days * 86_400.0)
        hot = window & (rng.random(n_requests) < flash_share)
        keys[hot] = n_objects + k  # a new object nobody asked for before
    return Trace.from_keys(keys, None, t, f"shifting zipf(alpha={alpha:g}, shift={shift:g})")


def scan_mix(base: Trace, *, scan_length: int = 1000, every: int = 10_000, seed=None) -> Trace:
    """Splice a sequential scan of ``scan_length`` never-repeated objects in after every ``every`` requests.

    Scans (backups, crawlers) flood a cache with one-hit wonders; scan-resistant policies
    keep their hit ratio.
    """
    scan_length = _positive_int("scan_length", scan_length)
    every = _positive_int("every", every)
    raw = base.raw()
    fresh = int(raw.max()) + 1 if raw.size else 0
    parts = []
    for k, a in enumerate(range(0, raw.size, every)):
        parts.append(raw[a:a + every])
        parts.append(np.arange(fresh + k * scan_length, fresh + (k + 1) * scan_length, dtype=np.int64))
    keys = np.concatenate(parts) if parts else raw
    return Trace.from_keys(keys, None, None, f"{base.name} + scans of {scan_length}")


def diurnal_traffic(pops, hours: int = 24 * 35, *, base_rps: float = 1_000.0, peak_hour: float = 21.0,
                    trough_share: float = 0.25, weekend: float = 1.15, growth_per_week: float = 0.02,
                    noise: float = 0.04, size_spread: float = 0.5, start: str = "2026-01-05", seed=None):
    """Hourly request rate at each PoP: an evening peak in local solar time, heavier weekends,
    slow growth and persistent noise; one tidy row per PoP and hour.

    The rate at local hour ``h`` is ``base * (trough_share + (1 - trough_share) * shape(h))`` with
    ``shape = ((1 + cos(2 pi (h - peak_hour) / 24)) / 2) ** 1.5`` (the evening-peaked day of
    residential web traffic), local time being UTC + longitude / 15 h. Saturdays and Sundays are
    scaled by ``weekend``, the level grows by ``growth_per_week``, and an AR(1) log-noise
    (coefficient 0.7, innovation sd ``noise``) adds day-to-day deviations that no model can
    foresee. Each PoP's base rate is ``base_rps`` times a lognormal factor (sd ``size_spread``).

    Returns columns ``time`` (UTC), ``hour`` (0, 1, ...), ``pop`` (the PoP code) and ``rps``.

    Examples
    --------
    >>> from workbench.cdn import load_pops
    >>> df = diurnal_traffic(load_pops("aws").iloc[:2], hours=48, seed=0)
    >>> df.shape, sorted(df["pop"].unique()) == sorted(load_pops("aws").code[:2])
    ((96, 4), True)
    """
    import pandas as pd

    hours = _positive_int("hours", hours)
    for name, v, ok in (("base_rps", base_rps, base_rps > 0), ("trough_share", trough_share, 0 <= trough_share <= 1),
                        ("weekend", weekend, weekend > 0), ("noise", noise, noise >= 0),
                        ("size_spread", size_spread, size_spread >= 0),
                        ("growth_per_week", growth_per_week, growth_per_week > -1)):
        if not (np.isfinite(v) and ok):
            raise WorkbenchError(f"{name} has an invalid value {v!r}")
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
        rate = (level * (trough_share + (1 - trough_share) * shape) * np.where(day >= 5, weekend, 1.0)
                * (1 + growth_per_week) ** (utc / 168.0) * np.exp(eps))
        rows.append(pd.DataFrame({"time": t0 + pd.to_timedelta(utc, unit="h"), "hour": utc.astype(np.int64),
                                  "pop": code, "rps": rate}))
    return pd.concat(rows, ignore_index=True)
