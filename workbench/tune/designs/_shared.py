"""What every lab design shares: the named error and replications with running reports."""

from __future__ import annotations

import re

import numpy as np

from ..study import TuneError


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
