"""Parameter sweeps over any lab function: in-process, or on a Dask cluster with the same call.

:func:`sweep` runs ``fn(**cell, seed=s)`` for every cell of a parameter grid and every seed, and
returns one tidy DataFrame (parameters and seed as columns), in grid order whatever ran where.
With ``client=None`` it runs here with a progress bar; with a ``dask.distributed.Client`` the
same cells run as tasks on that cluster (a :func:`local_cluster` on this machine, or any real
Dask cluster: only the client changes). Dask is the ``dask`` extra; nothing starts a cluster at
import.

Examples
--------
>>> def square(x, seed):
...     return {"y": x * x + seed}
>>> sweep(square, {"x": [1, 2]}, seeds=(0, 10), progress=False)
   x  seed   y
0  1     0   1
1  1    10  11
2  2     0   4
3  2    10  14
"""

from __future__ import annotations

import itertools
import numbers

import numpy as np
import pandas as pd

from .errors import Int, WorkbenchError, check, is_int
from .results import Result

__all__ = ["sweep", "grid_cells", "local_cluster", "SweepError"]


class SweepError(WorkbenchError):
    """A grid, seed list or result that a sweep cannot use.

    Examples
    --------
    >>> from workbench.sweeps import SweepError, grid_cells
    >>> try:
    ...     grid_cells({"n": []})
    ... except SweepError as exc:
    ...     print(exc)
    grid['n'] is empty
    """


def grid_cells(grid) -> list[dict]:
    """The cells of a grid: a dict of name -> list of values (their Cartesian product, in order)
    or a list of dicts (taken as they are).

    Parameters
    ----------
    grid : dict or list of dict
        ``{"name": [values...], ...}`` (each value list non-empty and not a string; the last name
        varies fastest), or a non-empty list (or tuple) of cells. An empty dict gives one empty cell.

    Returns
    -------
    list of dict
        One dict of parameter name -> value per cell (copies).

    Raises
    ------
    SweepError
        If a value list is empty, a string or not iterable, or ``grid`` is neither form.

    Examples
    --------
    >>> from workbench.sweeps import grid_cells
    >>> grid_cells({"n": [10, 20], "policy": ["lru", "fifo"]})
    [{'n': 10, 'policy': 'lru'}, {'n': 10, 'policy': 'fifo'}, {'n': 20, 'policy': 'lru'}, {'n': 20, 'policy': 'fifo'}]
    """
    if isinstance(grid, dict):
        if not grid:
            return [{}]
        names = list(grid)
        values = []
        for n in names:
            v = grid[n]
            if isinstance(v, (str, bytes)) or not np.iterable(v):
                raise SweepError(f"grid[{n!r}] must be a list of values, got {v!r}")
            v = list(v)
            if not v:
                raise SweepError(f"grid[{n!r}] is empty")
            values.append(v)
        return [dict(zip(names, combo)) for combo in itertools.product(*values)]
    if isinstance(grid, (list, tuple)) and grid and all(isinstance(c, dict) for c in grid):
        return [dict(c) for c in grid]
    raise SweepError("grid must be a dict of name -> list of values, or a non-empty list of dicts")


def _frame(out, cell: dict, seed, seed_arg: str) -> pd.DataFrame:
    """A result as rows, tagged with the cell's parameters and the seed."""
    if isinstance(out, Result):
        df = out.summary().reset_index(drop=True)
    elif isinstance(out, pd.DataFrame):
        df = out.reset_index(drop=True).copy()
    elif isinstance(out, pd.Series):
        df = out.to_frame().T.reset_index(drop=True)
    elif isinstance(out, dict):
        df = pd.DataFrame([out])
    elif isinstance(out, (numbers.Number, np.number, bool, np.bool_)):
        df = pd.DataFrame({"value": [out]})
    else:
        raise SweepError(
            f"the swept function returned {type(out).__name__}; return a result (its summary() row is used), a number, "
            "a dict, a Series or a DataFrame"
        )
    tags = {**cell, seed_arg: seed}
    for k in [k for k in tags if k in df.columns]:  # a result that echoes its parameters
        if not (df[k] == tags[k]).all():
            raise SweepError(f"the result's column {k!r} differs from the parameter {k!r}; rename one of them")
        df = df.drop(columns=k)
    for i, (k, v) in enumerate(tags.items()):
        df.insert(i, k, [v] * len(df))
    return df


def _call(fn, cell: dict, seed, seed_arg: str):
    """One task: pure, takes parameters and a seed, returns rows (runs in a worker with Dask)."""
    kwargs = dict(cell)
    if seed is not None:
        kwargs[seed_arg] = seed
    return _frame(fn(**kwargs), cell, seed, seed_arg)


def sweep(
    fn, grid, *, seeds=(0,), client=None, progress: bool = True, seed_arg: str = "seed", record=None
) -> pd.DataFrame:
    """Run ``fn`` over a parameter grid and replications; one tidy frame.

    Parameters
    ----------
    fn : callable
        Called as ``fn(**cell, seed=s)``; returns a result (its ``summary()`` row), a number
        (column ``value``), a dict or Series (one row) or a DataFrame (its rows). With Dask it must
        be importable by the workers (a module-level function, not a lambda defined in a notebook
        cell).
    grid : dict or list of dicts
        ``{"name": [values...], ...}`` for the Cartesian product, or explicit cells.
    seeds : int, iterable of int, or None, default (0,)
        One run per cell and seed; ``None`` calls ``fn`` without a seed argument (and leaves out
        the seed column).
    client : dask.distributed.Client, optional
        Run the tasks on this cluster instead of in this process.
    progress : bool, default True
        A progress bar (tqdm here; Dask's progress bar with a client).
    seed_arg : str, default "seed"
        The name of ``fn``'s seed argument (and of the seed column).
    record : str or path-like, optional
        Also save the frame as an experiment record there (:func:`workbench.records.save_record`,
        with the function's name, the grid and the seeds as parameters); ``load_record(record)``
        gives it back with its content hash.

    Returns
    -------
    pandas.DataFrame
        The parameters and the seed as the first columns, then the results, in grid order (cell
        by cell, seeds within a cell) whether it ran here or on a cluster.

    Raises
    ------
    SweepError
        If ``fn`` is not callable, the grid is malformed (see :func:`grid_cells`), ``seeds`` is not
        a non-empty list of ints or None, ``seed_arg`` is not an identifier or is also a grid name,
        ``fn`` returns something else than the types above, or a result column of the same name as
        a parameter holds a different value.
    RecordError
        If ``record`` is given and the record cannot be written (see
        :func:`workbench.records.save_record`).

    Examples
    --------
    >>> from workbench.sweeps import sweep
    >>> def area(w, h):
    ...     return w * h
    >>> sweep(area, {"w": [1, 2], "h": [3]}, seeds=None, progress=False)
       w  h  value
    0  1  3      3
    1  2  3      6
    """
    if not callable(fn):
        raise SweepError(f"fn must be callable, got {type(fn).__name__}")
    cells = grid_cells(grid)
    if seeds is None:
        seed_list = [None]
    else:
        if isinstance(seeds, (int, np.integer)):
            seeds = [seeds]
        seed_list = list(seeds)
        if not seed_list or not all(is_int(s) for s in seed_list):
            raise SweepError(f"seeds must be a non-empty list of ints (or None), got {seeds!r}")
        seed_list = [int(s) for s in seed_list]
    if not isinstance(seed_arg, str) or not seed_arg.isidentifier():
        raise SweepError(f"seed_arg must be a parameter name, got {seed_arg!r}")
    if seeds is not None and any(seed_arg in cell for cell in cells):
        raise SweepError(
            f"the grid sets {seed_arg!r}, which is also the seed argument: give the seeds as "
            f"seeds=[...] (or rename the seed argument with seed_arg=, or pass seeds=None)"
        )
    tasks = [(cell, s) for cell in cells for s in seed_list]
    if client is None:
        it = tasks
        if progress:
            from tqdm.auto import tqdm

            it = tqdm(tasks, desc=getattr(fn, "__name__", "sweep"), unit="run")
        parts = [_call(fn, cell, s, seed_arg) for cell, s in it]
    else:
        futures = [client.submit(_call, fn, cell, s, seed_arg, pure=False) for cell, s in tasks]
        if progress:
            from distributed import progress as dask_progress

            dask_progress(futures)  # a widget in Jupyter, a text bar elsewhere
        parts = client.gather(futures)
    df = pd.concat(parts, ignore_index=True)
    if seeds is None:
        df = df.drop(columns=seed_arg)
    if record is not None:
        import json

        from .records import save_record

        name = f"{getattr(fn, '__module__', '')}.{getattr(fn, '__qualname__', repr(fn))}"
        params = json.loads(json.dumps({"function": name, "grid": cells, "seeds": seed_list}, default=repr))
        save_record(record, df, params=params)
    return df


def local_cluster(n_workers: int = 2, **kwargs):
    """A ``dask.distributed`` client on a cluster of ``n_workers`` single-threaded processes on
    loopback, each with ``NUMBA_NUM_THREADS=1`` (the numba cache is shared on disk, so workers
    load compiled kernels instead of compiling them); its dashboard link is
    ``client.dashboard_link``. ``client.close()`` (or a ``with`` block) stops the cluster too.

    Needs the ``dask`` extra: ``pip install -e '.[dask]'``.

    Parameters
    ----------
    n_workers : int, default 2
        Worker processes, in [1, 1024].
    **kwargs
        Passed on to :class:`distributed.Client` (and so to its ``LocalCluster``); they replace
        the defaults ``threads_per_worker=1``, ``processes=True``, ``host="127.0.0.1"``,
        ``dashboard_address=":0"`` and ``env`` (the thread limits above).

    Returns
    -------
    distributed.Client
        A client connected to the new cluster, which it owns: closing it stops the workers.

    Raises
    ------
    SweepError
        If Dask's ``distributed`` is not installed or ``n_workers`` is out of range.

    Examples
    --------
    Starting workers takes seconds, so the call below only shows the check of ``n_workers``;
    typical use is ``with local_cluster(4) as client: sweep(fn, grid, client=client)``.

    >>> from workbench.sweeps import SweepError, local_cluster
    >>> try:
    ...     local_cluster(n_workers=0)
    ... except SweepError as exc:
    ...     print(type(exc).__name__)
    SweepError
    """
    try:
        from distributed import Client
    except ImportError:
        raise SweepError("Dask is not installed: pip install -e '.[dask]' (dask[distributed])") from None
    n_workers = check("n_workers", n_workers, Int(1, 1024), SweepError)
    opts = {
        "threads_per_worker": 1,
        "processes": True,
        "host": "127.0.0.1",
        "dashboard_address": ":0",
        "env": {"NUMBA_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"},
    }
    opts.update(kwargs)
    return Client(n_workers=int(n_workers), **opts)  # the client owns its LocalCluster and closes it
