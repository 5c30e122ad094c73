"""Node and link failures for the edge simulator: random (exponential up and down times) and scheduled outages,
with restart or checkpoint recovery.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import (
    check_int,
    check_real,
    unknown_name,
)
from .scenario import EdgeSimError


@dataclass(frozen=True)
class Failures:
    """Node failures: random (exponential up and down times) and/or scheduled outages.

    Parameters
    ----------
    mtbf_s, mttr_s : float
        Mean time between failures and mean time to repair, per node (0 = no random failures).
    scheduled : list of (node, time_s, duration_s)
        Outages at fixed times (node index or name).
    links : list of (u, v, time_s, duration_s)
        Backbone link outages at fixed times (``u``, ``v``: nodes of ``Scenario.graph``). Traffic
        reroutes over the remaining links; devices cut off from a node cannot use it.
    link_mtbf_s, link_mttr_s : float
        Random failures of every backbone link (0 = none).
    detect_s : float
        Time until the scheduler learns that a node is down (heartbeat time-out); tasks lost
        with a node are re-dispatched after it.
    recovery : {"restart", "checkpoint"}
        Lost tasks start over, or resume from their last checkpoint.
    checkpoint_s : float
        Execution time between checkpoints (recovery="checkpoint").
    max_tries : int
        Re-dispatch attempts before a task is dropped.
    tier : {"edge", "cloud", "all"}
        Which nodes fail at random.
    """

    mtbf_s: float = 0.0
    mttr_s: float = 0.0
    scheduled: tuple = ()
    detect_s: float = 3.0
    recovery: str = "restart"
    checkpoint_s: float = 1.0
    max_tries: int = 5
    tier: str = "edge"
    links: tuple = ()
    link_mtbf_s: float = 0.0
    link_mttr_s: float = 0.0

    def __post_init__(self):
        for nm in ("mtbf_s", "mttr_s", "detect_s", "checkpoint_s", "link_mtbf_s", "link_mttr_s"):
            object.__setattr__(self, nm, check_real(f"Failures.{nm}", getattr(self, nm), minimum=0, error=EdgeSimError))
        if (self.mtbf_s > 0) != (self.mttr_s > 0):
            raise EdgeSimError("random failures need both mtbf_s > 0 and mttr_s > 0")
        if (self.link_mtbf_s > 0) != (self.link_mttr_s > 0):
            raise EdgeSimError("random link failures need both link_mtbf_s > 0 and link_mttr_s > 0")
        if self.recovery not in ("restart", "checkpoint"):
            raise unknown_name("recovery mode", self.recovery, ("restart", "checkpoint"))
        if self.tier not in ("edge", "cloud", "all"):
            raise unknown_name("failure tier", self.tier, ("edge", "cloud", "all"))
        object.__setattr__(
            self, "max_tries", check_int("max_tries", self.max_tries, maximum=2**31 - 1, error=EdgeSimError)
        )
        for nm, width, what in (
            ("scheduled", 3, "(node, time_s, duration_s)"),
            ("links", 4, "(u, v, time_s, duration_s)"),
        ):
            v = getattr(self, nm)
            if isinstance(v, (str, bytes)) or not np.iterable(v):
                raise EdgeSimError(f"Failures.{nm} must be a list of {what} tuples, got {v!r}")
            items = tuple(tuple(x) if isinstance(x, (tuple, list)) else x for x in v)
            for item in items:
                if not isinstance(item, tuple) or len(item) != width:
                    raise EdgeSimError(f"Failures.{nm} holds {what} tuples, got {item!r}")
                _outage(f"Failures.{nm} {item[: width - 2]!r}", *item[-2:])  # times checked now, nodes at simulate
            object.__setattr__(self, nm, items)


#: The longest scheduled outage: durations travel through the event queue as int64 microseconds.
MAX_OUTAGE_S = 1e12


def _outage(what, t, dur):
    """A scheduled outage's start and duration, checked (time >= 0, 0 < duration <= MAX_OUTAGE_S)."""
    t = check_real(f"{what}: time_s", t, minimum=0, error=EdgeSimError)
    dur = check_real(
        f"{what}: duration_s", dur, minimum=0, exclusive_min=True, maximum=MAX_OUTAGE_S, error=EdgeSimError
    )
    return t, dur
