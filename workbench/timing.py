"""Same-run timing: time our code and its anchors in one process and report ratios.

Absolute times on shared machines are noise; ratios of interleaved runs are not. Used by
``benchmarks/`` and by notebooks that show a speed comparison.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd

from .errors import MAX_COUNT, Int, WorkbenchError, checked, unknown_name

__all__ = ["time_call", "cpu_best", "race"]


@checked(WorkbenchError, number=Int(1, MAX_COUNT))
def time_call(fn: Callable[[], object], *, number: int = 1) -> float:
    """Seconds per call of ``fn`` averaged over ``number`` back-to-back calls (GC paused).

    Wall-clock time (``time.perf_counter``); the garbage collector is switched back on afterwards
    if it was on.

    Parameters
    ----------
    fn : callable
        Called with no arguments; its result is discarded.
    number : int, default 1
        Back-to-back calls to average over (>= 1).

    Returns
    -------
    float
        Mean wall-clock seconds per call.

    Raises
    ------
    WorkbenchError
        If ``number`` is not an integer >= 1.

    Examples
    --------
    >>> from workbench.timing import time_call
    >>> time_call(lambda: sum(range(1000)), number=10) > 0
    True
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        t0 = time.perf_counter()
        for _ in range(number):
            fn()
        return (time.perf_counter() - t0) / number
    finally:
        if enabled:
            gc.enable()


def cpu_best(fn: Callable[[], object], repeat: int = 3) -> tuple[float, object]:
    """(fewest CPU seconds of one call of ``fn`` over ``repeat`` calls, the last call's result).

    CPU time (``time.process_time``) rather than wall time: single-threaded contenders on a
    shared machine are compared without counting the time other processes took.

    Parameters
    ----------
    fn : callable
        Called with no arguments.
    repeat : int, default 3
        Calls to take the minimum over (a value below 1 counts as 1).

    Returns
    -------
    tuple of (float, object)
        The fewest CPU seconds of one call, and what the last call returned.

    Examples
    --------
    >>> seconds, value = cpu_best(lambda: sum(range(1000)), repeat=2)
    >>> value
    499500
    """
    best, out = np.inf, None
    for _ in range(max(1, repeat)):
        t0 = time.process_time()
        out = fn()
        best = min(best, time.process_time() - t0)
    return best, out


@checked(WorkbenchError, repeat=Int(1, MAX_COUNT), number=Int(1, MAX_COUNT))
def race(
    contenders: Mapping[str, Callable[[], object]],
    *,
    repeat: int = 7,
    number: int = 1,
    baseline: str | None = None,
    warmup: bool = True,
) -> pd.DataFrame:
    """Time several callables interleaved (round-robin) and compare them.

    Each round calls every contender ``number`` times; ``repeat`` rounds give the min and
    median seconds per call. Ratios are against ``baseline`` (default: the first).

    Parameters
    ----------
    contenders : mapping of str to callable
        Name -> a callable taking no arguments (timed with :func:`time_call`, wall-clock).
    repeat : int, default 7
        Rounds (>= 1).
    number : int, default 1
        Calls of each contender per round (>= 1).
    baseline : str or None, default None
        The contender the ratios divide by; None: the first.
    warmup : bool, default True
        Call every contender once, untimed, before the rounds (compiles numba kernels, fills caches).

    Returns
    -------
    pandas.DataFrame
        One row per contender: ``name``, ``min_s``, ``median_s``, ``ratio_min``,
        ``ratio_median`` (time / baseline's time; below 1 is faster).

    Raises
    ------
    WorkbenchError
        If ``contenders`` is empty, ``repeat`` or ``number`` is not an integer >= 1, or
        ``baseline`` is not one of the contenders (an ``UnknownNameError``).

    Examples
    --------
    >>> df = race({"sum": lambda: sum(range(100)), "np": lambda: np.arange(100).sum()}, repeat=3)
    >>> list(df.columns)
    ['name', 'min_s', 'median_s', 'ratio_min', 'ratio_median']
    """
    if not contenders:
        raise WorkbenchError("race needs at least one contender")
    names = list(contenders)
    baseline = names[0] if baseline is None else baseline
    if baseline not in contenders:
        raise unknown_name("baseline", baseline, names)
    if warmup:
        for fn in contenders.values():
            fn()
    times = {k: [] for k in names}
    for _ in range(repeat):
        for k in names:
            times[k].append(time_call(contenders[k], number=number))
    t = {k: np.asarray(v) for k, v in times.items()}
    rows = [
        {
            "name": k,
            "min_s": t[k].min(),
            "median_s": float(np.median(t[k])),
            "ratio_min": t[k].min() / t[baseline].min(),
            "ratio_median": float(np.median(t[k]) / np.median(t[baseline])),
        }
        for k in names
    ]
    return pd.DataFrame(rows)
