r"""Great-circle distances and a stated latency model for wide-area paths.

Light in fiber travels at about :math:`c / 1.468 \approx 204\,000` km/s, i.e. **4.9 us per
km one way** (about 1 ms of round-trip time per 100 km). Real routes are longer than the
great circle between their ends; the *path stretch* :math:`\sigma` captures that:

.. math::

    t_{\text{one-way}} = \sigma \cdot d_{\text{gc}} \cdot 4.9\,\mu\text{s/km}
        + t_{\text{access}} + h \cdot t_{\text{hop}}

with presets :math:`\sigma = 1.0` (physical floor), 1.3 (a good backbone) and 2.1 (the
Internet median), an access (last-mile) term per path end and a per-hop queueing and
processing term.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import Real, WorkbenchError, check, unknown_name

__all__ = [
    "EARTH_RADIUS_KM",
    "FIBER_US_PER_KM",
    "STRETCH_PRESETS",
    "great_circle_km",
    "propagation_delay_ms",
    "LatencyModel",
]

#: Mean Earth radius (IUGG), km.
EARTH_RADIUS_KM = 6371.0088
#: One-way propagation delay in optical fiber, microseconds per km.
FIBER_US_PER_KM = 4.9
#: Path-stretch presets: route length / great-circle length.
STRETCH_PRESETS = {"floor": 1.0, "good": 1.3, "internet": 2.1}


def _stretch(stretch) -> float:
    if isinstance(stretch, str):
        if stretch not in STRETCH_PRESETS:
            raise unknown_name("stretch preset", stretch, STRETCH_PRESETS)
        return STRETCH_PRESETS[stretch]
    try:
        s = float(stretch)
    except (TypeError, ValueError):
        s = float("nan")
    if not s >= 1.0 or not np.isfinite(s):
        raise WorkbenchError(f"stretch must be a finite number >= 1 (or a preset name), got {stretch!r}")
    return s


def _coords(name, x, lo, hi):
    try:
        a = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError):
        raise WorkbenchError(f"{name} must be numbers (degrees), got {x!r}"[:200]) from None
    if np.isnan(a).any():
        raise WorkbenchError(f"{name} contains NaN")
    if ((a < lo) | (a > hi)).any():
        raise WorkbenchError(f"{name} must lie in [{lo}, {hi}] degrees")
    return a


def great_circle_km(lat1, lon1, lat2, lon2):
    r"""Great-circle distance in km on a sphere of radius :data:`EARTH_RADIUS_KM` (haversine).

    Accepts scalars or broadcastable arrays of degrees.

    .. math::

        d = 2R \arcsin \sqrt{\sin^2\frac{\Delta\varphi}{2}
            + \cos\varphi_1 \cos\varphi_2 \sin^2\frac{\Delta\lambda}{2}}

    Parameters
    ----------
    lat1 : float or array_like of float
        Latitude of the first point(s) in degrees, in [-90, 90].
    lon1 : float or array_like of float
        Longitude of the first point(s) in degrees, in [-180, 180].
    lat2 : float or array_like of float
        Latitude of the second point(s) in degrees, in [-90, 90].
    lon2 : float or array_like of float
        Longitude of the second point(s) in degrees, in [-180, 180].

    Returns
    -------
    float or numpy.ndarray
        Distance in km: a float when every input is a scalar, else a float64 array of the
        broadcast shape.

    Raises
    ------
    WorkbenchError
        If a coordinate is not a number, is NaN or lies outside its range.

    Examples
    --------
    >>> round(float(great_circle_km(0, 0, 0, 1)), 3)   # one degree of the equator
    111.195
    """
    p1 = np.radians(_coords("lat1", lat1, -90, 90))
    p2 = np.radians(_coords("lat2", lat2, -90, 90))
    dl = np.radians(_coords("lon2", lon2, -180, 180) - _coords("lon1", lon1, -180, 180))
    h = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    d = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))
    return d if np.ndim(d) else float(d)


def _nonneg(name, x) -> np.ndarray:
    """A number or array of numbers >= 0 (inf allowed: unreachable), as float64; NaN refused."""
    try:
        d = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError):
        raise WorkbenchError(f"{name} must be a number or an array of numbers >= 0, got {x!r:.80}") from None
    if np.isnan(d).any() or (d < 0).any():
        raise WorkbenchError(f"{name} must be >= 0 (no NaN)")
    return d


def propagation_delay_ms(distance_km, stretch="floor"):
    """One-way fiber propagation delay in ms for a great-circle distance.

    The delay is ``distance_km * stretch * FIBER_US_PER_KM / 1000`` (4.9 us per km of fiber).

    Parameters
    ----------
    distance_km : float or array_like of float
        Great-circle distance(s) in km, >= 0 (``inf``, an unreachable pair, gives ``inf``).
    stretch : float or {"floor", "good", "internet"}, default "floor"
        Route length over great-circle length, a finite number >= 1, or a name in
        :data:`STRETCH_PRESETS` (1.0, 1.3 and 2.1).

    Returns
    -------
    float or numpy.ndarray
        One-way delay in ms: a float for a scalar distance, else a float64 array of its shape.

    Raises
    ------
    WorkbenchError
        If a distance is negative, NaN or not a number, or ``stretch`` is not a finite number >= 1.
    UnknownNameError
        If ``stretch`` is a string that is not a preset name.

    Examples
    --------
    >>> round(propagation_delay_ms(100.0), 6)   # 100 km: ~0.5 ms one way, ~1 ms RTT
    0.49
    >>> round(propagation_delay_ms(100.0, "internet"), 3)
    1.029
    """
    d = _nonneg("distance_km", distance_km)
    out = d * _stretch(stretch) * FIBER_US_PER_KM / 1000.0
    return out if np.ndim(out) else float(out)


@dataclass(frozen=True)
class LatencyModel:
    """One-way and round-trip latency of a path from its great-circle length.

    Parameters
    ----------
    stretch : float or {"floor", "good", "internet"}, default "good"
        Route length over great-circle length, a finite number >= 1 or a name in
        :data:`STRETCH_PRESETS` (1.0, 1.3, 2.1 for the presets); stored as a float.
    access_ms : float, default 0.0
        Last-mile delay in ms added once at each end of the path (one way), a finite number >= 0.
    per_hop_ms : float, default 0.0
        Queueing and processing delay in ms per router hop (one way), a finite number >= 0.

    Raises
    ------
    WorkbenchError
        If ``stretch`` is not a finite number >= 1, or ``access_ms`` or ``per_hop_ms`` is not
        a finite number >= 0.
    UnknownNameError
        If ``stretch`` is a string that is not a preset name.

    Examples
    --------
    >>> m = LatencyModel("good", access_ms=1.0, per_hop_ms=0.1)
    >>> round(m.one_way_ms(1000.0, hops=4), 3)
    8.77
    >>> round(m.rtt_ms(1000.0, hops=4), 3)
    17.54
    """

    stretch: float | str = "good"
    access_ms: float = 0.0
    per_hop_ms: float = 0.0

    def __post_init__(self):
        object.__setattr__(self, "stretch", _stretch(self.stretch))
        for name in ("access_ms", "per_hop_ms"):
            object.__setattr__(self, name, check(name, getattr(self, name), Real(0)))

    def one_way_ms(self, distance_km, hops=0):
        """One-way latency for a path of ``distance_km`` (great circle) over ``hops`` links.

        The propagation delay at the model's stretch, plus ``2 * access_ms`` (one access delay
        at each end) and ``hops * per_hop_ms``.

        Parameters
        ----------
        distance_km : float or array_like of float
            Great-circle length(s) of the path in km, >= 0 (``inf`` gives ``inf``).
        hops : float or array_like of float, default 0
            Router hops along the path, >= 0; broadcast against ``distance_km``.

        Returns
        -------
        float or numpy.ndarray
            One-way latency in ms: a float for scalar inputs, else a float64 array.

        Raises
        ------
        WorkbenchError
            If a distance or hop count is negative, NaN or not a number.
        """
        h = _nonneg("hops", hops)
        out = propagation_delay_ms(distance_km, self.stretch) + 2 * self.access_ms + h * self.per_hop_ms
        return out if np.ndim(out) else float(out)

    def rtt_ms(self, distance_km, hops=0):
        """Round-trip time: twice the one-way latency.

        Parameters
        ----------
        distance_km : float or array_like of float
            Great-circle length(s) of the path in km, >= 0 (``inf`` gives ``inf``).
        hops : float or array_like of float, default 0
            Router hops along the path, >= 0; broadcast against ``distance_km``.

        Returns
        -------
        float or numpy.ndarray
            Round-trip time in ms, ``2 * one_way_ms(distance_km, hops)``.

        Raises
        ------
        WorkbenchError
            If a distance or hop count is negative, NaN or not a number.
        """
        return 2 * self.one_way_ms(distance_km, hops)
