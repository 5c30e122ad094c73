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
    mtbf_s : float, default 0.0
        Mean time between failures per node (s), >= 0; 0 = no random node failures (then ``mttr_s`` must
        be 0 too).
    mttr_s : float, default 0.0
        Mean time to repair per node (s), >= 0; > 0 exactly when ``mtbf_s`` > 0.
    scheduled : sequence of (node, time_s, duration_s), default ()
        Outages at fixed times (node index or name; time_s >= 0, 0 < duration_s <= ``MAX_OUTAGE_S``). The
        nodes are checked when the simulation starts.
    detect_s : float, default 3.0
        Time (s) until the scheduler learns that a node is down (heartbeat time-out); tasks lost
        with a node are re-dispatched after it. >= 0.
    recovery : {"restart", "checkpoint"}, default "restart"
        Lost tasks start over, or resume from their last checkpoint.
    checkpoint_s : float, default 1.0
        Execution time (s) between checkpoints (recovery="checkpoint"), >= 0.
    max_tries : int, default 5
        Re-dispatch attempts before a task is dropped, in [0, 2**31 - 1].
    tier : {"edge", "cloud", "all"}, default "edge"
        Which nodes fail at random.
    links : sequence of (u, v, time_s, duration_s), default ()
        Backbone link outages at fixed times (``u``, ``v``: nodes of ``Scenario.graph``). Traffic
        reroutes over the remaining links; devices cut off from a node cannot use it.
    link_mtbf_s : float, default 0.0
        Mean time between failures of every backbone link (s), >= 0; 0 = no random link failures.
    link_mttr_s : float, default 0.0
        Mean time to repair a backbone link (s), >= 0; > 0 exactly when ``link_mtbf_s`` > 0.

    Raises
    ------
    EdgeSimError
        If a time is negative or not finite, only one of ``mtbf_s`` / ``mttr_s`` (or of the link pair) is
        positive, ``max_tries`` is out of range, or an outage is not a tuple of the right length with
        valid times.
    UnknownNameError
        If ``recovery`` or ``tier`` is not one of the allowed names.

    Examples
    --------
    >>> from workbench.edge import Failures, queue_scenario, simulate
    >>> f = Failures(scheduled=[("queue", 10.0, 5.0)], detect_s=1.0)
    >>> r = simulate(queue_scenario(0.5, 1.0), n_tasks=50, seed=0, failures=f)
    >>> r.failures()[["time_s", "node", "down_s"]].values.tolist()
    [[10.0, 'queue', 5.0]]
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
