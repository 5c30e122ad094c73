"""Static schedulers: HEFT and CPOP for workflows, and the classic heuristics for independent tasks."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .._data import data_path
from ..errors import make_rng, unknown_name
from ..results import Result, one_row
from . import _kernels
from .dag import Platform, SchedulingInputError, TaskGraph, _matrix

__all__ = [
    "Schedule",
    "Mapping",
    "heft",
    "cpop",
    "ranks",
    "MAPPING_METHODS",
    "map_independent",
    "compare_heuristics",
    "load_braun",
    "BRAUN_INSTANCES",
]


@dataclass
class Schedule(Result):
    """A static schedule: where and when each task runs (a :class:`~workbench.results.Result`:
    ``summary()`` one row; frames ``table`` and ``ranks``; ``params`` the inputs).

    Parameters
    ----------
    table : pandas.DataFrame
        One row per task: task, processor, start, finish (sorted by start).
    makespan : float
        The schedule length (latest finish), in the cost matrix's time unit.
    ranks : pandas.DataFrame
        rank_u, rank_d and priority per task (the scheduler's inputs).
    method : str
        The scheduler that built it: ``"heft"`` or ``"cpop"``.
    critical_path : list, optional
        CPOP's critical path (task names), empty for HEFT. Default: an empty list.
    params : dict, optional
        The inputs (graph and platform). Default: an empty dict.

    Attributes
    ----------
    critical_path_processor : str
        Set by :func:`cpop` only: the processor that runs the critical path.

    Examples
    --------
    >>> from workbench.edge import heft, load_heft_example
    >>> g, _ = load_heft_example()
    >>> s = heft(g)
    >>> s.makespan, s.table.columns.tolist(), s.frames
    (80.0, ['task', 'processor', 'start', 'finish'], ('table', 'ranks'))
    """

    table: pd.DataFrame
    makespan: float
    ranks: pd.DataFrame
    method: str
    critical_path: list = field(default_factory=list)
    params: dict = field(default_factory=dict, repr=False)
    frames = ("table", "ranks")

    def summary(self) -> pd.DataFrame:
        """One row: method, tasks, processors, makespan (in the cost matrix's time unit).

        Returns
        -------
        pandas.DataFrame
            One row with columns method, tasks, processors (those used), makespan.
        """
        return one_row(
            method=self.method,
            tasks=len(self.table),
            processors=int(self.table.processor.nunique()),
            makespan=self.makespan,
        )

    def gantt(self, title: str | None = None):
        """An Altair Gantt chart (one bar per task, a row per processor).

        Parameters
        ----------
        title : str or None, default None
            Chart title; None: the method and the makespan (e.g. ``"HEFT schedule, makespan 80"``).

        Returns
        -------
        altair.LayerChart
            Bars from start to finish, labelled with the task, one row per processor.
        """
        import altair as alt

        t = self.table.assign(task=self.table.task.astype(str))
        base = alt.Chart(t, title=title or f"{self.method.upper()} schedule, makespan {self.makespan:g}")
        bars = base.mark_bar(stroke="white").encode(
            x=alt.X("start:Q", title="time"),
            x2="finish:Q",
            y=alt.Y("processor:N", title=None),
            color=alt.Color("task:N", legend=None),
            tooltip=["task", "processor", "start", "finish"],
        )
        text = (
            base.mark_text(color="white", fontWeight="bold")
            .encode(x=alt.X("mid:Q"), y="processor:N", text="task:N")
            .transform_calculate(mid="(datum.start + datum.finish) / 2")
        )
        return (bars + text).properties(width=520, height=40 * t.processor.nunique())

    def __repr__(self) -> str:
        return f"Schedule({self.method}, {len(self.table)} tasks, makespan {self.makespan:g})"


@dataclass
class Mapping(Result):
    """Independent tasks mapped to machines: ``table`` (task, machine, finish), ``makespan`` (the
    cost matrix's time unit) and ``method``; ``params`` the inputs.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per task: task (index), machine (index), finish (time).
    makespan : float
        The latest finish time (0 when there are no tasks).
    method : str
        The heuristic used (a key of :data:`MAPPING_METHODS`).
    params : dict, optional
        The inputs of :func:`map_independent`. Default: an empty dict.

    Examples
    --------
    >>> from workbench.edge import map_independent
    >>> m = map_independent([[3, 1], [2, 4], [1, 1]], "mct")
    >>> m.method, m.summary().columns.tolist()
    ('mct', ['method', 'tasks', 'processors', 'makespan', 'flowtime'])
    """

    table: pd.DataFrame
    makespan: float
    method: str
    params: dict = field(default_factory=dict, repr=False)
    frames = ("table",)

    def summary(self) -> pd.DataFrame:
        """One row: method, tasks, machines used, makespan and flowtime.

        Returns
        -------
        pandas.DataFrame
            One row with columns method, tasks, processors (machines used), makespan, flowtime (the sum of
            the finish times).
        """
        return one_row(
            method=self.method,
            tasks=len(self.table),
            processors=int(self.table.machine.nunique()),
            makespan=self.makespan,
            flowtime=float(self.table.finish.sum()),
        )


def _platform(graph: TaskGraph, platform) -> Platform:
    if not isinstance(graph, TaskGraph):
        raise SchedulingInputError(f"expected a TaskGraph, got {type(graph).__name__}")
    platform = Platform.uniform(graph.n_processors) if platform is None else platform
    if not isinstance(platform, Platform):
        raise SchedulingInputError(f"platform must be a Platform, got {type(platform).__name__}")
    if platform.n_processors != graph.n_processors:
        raise SchedulingInputError(
            f"the graph's cost matrix has {graph.n_processors} processor columns but the platform has "
            f"{platform.n_processors} processors"
        )
    return platform


def ranks(graph: TaskGraph, platform: Platform | None = None) -> pd.DataFrame:
    """Upward and downward ranks (Topcuoglu et al. 2002, eqs. 3 and 4).

    .. math::
        \\mathrm{rank}_u(n_i) = \\overline{w_i} + \\max_{n_j \\in succ(n_i)} (\\overline{c_{ij}} + \\mathrm{rank}_u(n_j))

    with mean computation cost :math:`\\overline{w_i}` over processors and mean communication cost
    :math:`\\overline{c_{ij}}` from :meth:`Platform.mean_comm`.

    Parameters
    ----------
    graph : TaskGraph
        The workflow.
    platform : Platform or None, default None
        The processors and links; None: :meth:`Platform.uniform` with unit bandwidth and no start-up cost.

    Returns
    -------
    pandas.DataFrame
        One row per task (in task order): task, rank_u, rank_d, priority (rank_u + rank_d).

    Raises
    ------
    SchedulingInputError
        If ``graph`` is not a TaskGraph, ``platform`` not a Platform, or their processor counts differ.

    Examples
    --------
    >>> from workbench.edge import load_heft_example
    >>> g, _ = load_heft_example()
    >>> float(ranks(g).rank_u.iloc[0])
    108.0
    """
    platform = _platform(graph, platform)
    wbar = graph.comp.mean(axis=1)
    ru = _kernels.upward_rank(graph.order, wbar, graph.succ_ptr, graph.succ_dst, platform.mean_comm(graph.succ_data))
    rd = _kernels.downward_rank(graph.order, wbar, graph.pred_ptr, graph.pred_src, platform.mean_comm(graph.pred_data))
    return pd.DataFrame({"task": graph.names, "rank_u": ru, "rank_d": rd, "priority": ru + rd})


def _run(graph, platform, priority, fixed, method, rk, cp=(), params=None):
    proc, start, finish = _kernels.list_schedule(
        graph.comp,
        graph.pred_ptr,
        graph.pred_src,
        graph.pred_data,
        graph.succ_ptr,
        graph.succ_dst,
        priority,
        fixed,
        platform.startup,
        platform.bandwidth,
    )
    table = pd.DataFrame(
        {"task": graph.names, "processor": [platform.names[q] for q in proc], "start": start, "finish": finish}
    )
    table = table.sort_values(["start", "processor"], kind="stable").reset_index(drop=True)
    return Schedule(table, float(finish.max()), rk, method, list(cp), params or {"graph": graph, "platform": platform})


def heft(graph: TaskGraph, platform: Platform | None = None) -> Schedule:
    """Heterogeneous Earliest Finish Time (Topcuoglu, Hariri & Wu 2002), insertion-based.

    Tasks are taken in decreasing upward rank (ties: lower index); each goes to the processor
    where it finishes earliest, possibly in an idle gap between scheduled tasks.

    Parameters
    ----------
    graph : TaskGraph
        The workflow.
    platform : Platform or None, default None
        The processors and links; None: identical unit-bandwidth links with no start-up cost (the paper's
        sample).

    Returns
    -------
    Schedule
        ``table`` (task, processor, start, finish), ``makespan`` and the ``ranks`` used.

    Raises
    ------
    SchedulingInputError
        If ``graph`` is not a TaskGraph, ``platform`` not a Platform, or their processor counts differ.

    See Also
    --------
    cpop : Critical-Path-on-a-Processor.

    Examples
    --------
    >>> from workbench.edge import load_heft_example
    >>> g, _ = load_heft_example()
    >>> heft(g).makespan
    80.0
    """
    platform = _platform(graph, platform)
    rk = ranks(graph, platform)
    fixed = np.full(graph.n_tasks, -1, np.int64)
    return _run(graph, platform, rk.rank_u.to_numpy(), fixed, "heft", rk)


def cpop(graph: TaskGraph, platform: Platform | None = None) -> Schedule:
    """Critical-Path-on-a-Processor (Topcuoglu, Hariri & Wu 2002), insertion-based.

    Priority is rank_u + rank_d; the tasks whose priority equals the entry task's lie on the
    critical path and all run on the one processor that minimises the path's total cost; the
    others go to their earliest-finish processor.

    Parameters
    ----------
    graph : TaskGraph
        The workflow.
    platform : Platform or None, default None
        The processors and links; None: identical unit-bandwidth links with no start-up cost.

    Returns
    -------
    Schedule
        ``table``, ``makespan``, ``ranks``, ``critical_path`` (task names) and
        ``critical_path_processor``.

    Raises
    ------
    SchedulingInputError
        If ``graph`` is not a TaskGraph, ``platform`` not a Platform, or their processor counts differ.

    See Also
    --------
    heft : Heterogeneous Earliest Finish Time.

    Examples
    --------
    >>> from workbench.edge import load_heft_example
    >>> g, _ = load_heft_example()
    >>> s = cpop(g)
    >>> s.makespan, s.critical_path
    (86.0, [1, 2, 9, 10])
    """
    platform = _platform(graph, platform)
    rk = ranks(graph, platform)
    prio = rk.priority.to_numpy()
    entries = [i for i in range(graph.n_tasks) if graph.pred_ptr[i] == graph.pred_ptr[i + 1]]
    cur = max(entries, key=lambda i: (prio[i], -i))
    cp_len = prio[cur]
    tol = 1e-9 * max(1.0, abs(cp_len))
    path = [cur]
    while graph.succ_ptr[cur] < graph.succ_ptr[cur + 1]:
        nxt = [j for j in graph.succ_dst[graph.succ_ptr[cur] : graph.succ_ptr[cur + 1]] if abs(prio[j] - cp_len) <= tol]
        if not nxt:
            break
        cur = int(min(nxt))
        path.append(cur)
    cp_proc = int(np.argmin(graph.comp[path].sum(axis=0)))
    fixed = np.full(graph.n_tasks, -1, np.int64)
    fixed[path] = cp_proc
    s = _run(graph, platform, prio, fixed, "cpop", rk, [graph.names[i] for i in path])
    s.critical_path_processor = platform.names[cp_proc]
    return s


# ---------------------------------------------------------------------------------------
# independent tasks

MAPPING_METHODS = {
    "olb": (_kernels.OLB, "Opportunistic Load Balancing: next task to the machine free earliest (least loaded)"),
    "met": (_kernels.MET, "Minimum Execution Time: each task to its fastest machine, ignoring load"),
    "mct": (_kernels.MCT, "Minimum Completion Time: each task, in order, to the machine finishing it first"),
    "min_min": (_kernels.MIN_MIN, "Min-Min: map the task with the smallest minimum completion time first"),
    "max_min": (_kernels.MAX_MIN, "Max-Min: map the task with the largest minimum completion time first"),
    "sufferage": (_kernels.SUFFERAGE, "Sufferage: each machine takes the task that would suffer most elsewhere"),
    "round_robin": (_kernels.ROUND_ROBIN, "task i to machine i mod m"),
    "random": (_kernels.RANDOM, "uniformly random machine (seeded)"),
}

BRAUN_INSTANCES = tuple(f"u_{c}_{h}" for c in "cis" for h in ("hihi", "hilo", "lohi", "lolo"))


def load_braun(name: str) -> np.ndarray:
    """One of the 12 Braun et al. (2001) ETC matrices: 512 tasks x 16 machines.

    Parameters
    ----------
    name : str
        One of :data:`BRAUN_INSTANCES`: ``"u_<c>_<th><mh>"`` with consistency ``c`` (``c`` consistent, ``i``
        inconsistent, ``s`` semi-consistent), task heterogeneity ``th`` and machine heterogeneity ``mh``
        (``hi`` or ``lo``), e.g. ``"u_c_hihi"``.

    Returns
    -------
    numpy.ndarray of shape (512, 16)
        Expected time to compute each task on each machine (float64).

    Raises
    ------
    UnknownNameError
        If ``name`` is not one of the 12 instances.

    Examples
    --------
    >>> load_braun("u_c_hihi").shape
    (512, 16)
    """
    if name not in BRAUN_INSTANCES:
        raise unknown_name("Braun instance", name, BRAUN_INSTANCES)
    text = data_path("scheduling", "braun", f"{name}.0").read_text().split()
    t, m = int(text[0]), int(text[1])
    return np.array(text[3 : 3 + t * m], dtype=np.float64).reshape(t, m)


def _etc(etc) -> np.ndarray:
    a = _matrix(etc, "ETC matrix")
    if a.shape[0] == 0 or a.shape[1] == 0:
        raise SchedulingInputError(f"ETC matrix needs at least one task and one machine, got shape {a.shape}")
    return a


def map_independent(etc, method: str = "min_min", *, ready=None, seed=None) -> pd.DataFrame:
    """Map independent tasks onto heterogeneous machines with a classic heuristic (Braun et al. 2001).

    Parameters
    ----------
    etc : (tasks, machines) array
        Expected time to compute each task on each machine.
    method : str, default "min_min"
        One of :data:`MAPPING_METHODS`. Ties go to the lower task / machine index.
    ready : array-like of shape (machines,) or None, default None
        Machine ready times (finite, >= 0); None: all 0.
    seed : int, numpy.random.Generator, numpy.random.SeedSequence or None, default None
        Seed of the ``"random"`` heuristic (unused by the others). An integer must be >= 0.

    Returns
    -------
    Mapping
        ``table`` (one row per task: task, machine, finish), ``makespan`` and ``method``.

    Raises
    ------
    SchedulingInputError
        If ``etc`` is not a finite, non-negative 2-D matrix with at least one task and one machine, or
        ``ready`` does not have one finite, non-negative entry per machine.
    UnknownNameError
        If ``method`` is not one of :data:`MAPPING_METHODS`.

    Examples
    --------
    >>> m = map_independent([[3, 1], [2, 4], [1, 1]], "min_min")
    >>> m.table.machine.tolist(), m.makespan
    ([1, 0, 0], 3.0)
    """
    a = _etc(etc)
    if not isinstance(method, str) or method not in MAPPING_METHODS:
        raise unknown_name("mapping method", method, MAPPING_METHODS)
    r0 = np.zeros(a.shape[1]) if ready is None else _matrix(ready, "ready", ndim=1)
    if r0.shape != (a.shape[1],):
        raise SchedulingInputError(f"ready must have one entry per machine ({a.shape[1]}), got shape {r0.shape}")
    draws = make_rng(seed).random(a.shape[0]) if method == "random" else np.zeros(0)
    mach, fin = _kernels.map_tasks(a, r0, MAPPING_METHODS[method][0], draws)
    table = pd.DataFrame({"task": np.arange(a.shape[0]), "machine": mach, "finish": fin})
    return Mapping(
        table, float(fin.max()) if fin.size else 0.0, method, {"etc": a, "method": method, "ready": ready, "seed": seed}
    )


def compare_heuristics(etc, methods=None, *, seed=0) -> pd.DataFrame:
    """Makespan, flowtime and machine utilisation of several mapping heuristics on one ETC matrix.

    Parameters
    ----------
    etc : array-like of shape (tasks, machines)
        Expected time to compute each task on each machine (finite, >= 0).
    methods : iterable of str or None, default None
        Heuristics to run (keys of :data:`MAPPING_METHODS`); None: all of them.
    seed : int, numpy.random.Generator, numpy.random.SeedSequence or None, default 0
        Seed of the ``"random"`` heuristic.

    Returns
    -------
    pandas.DataFrame
        One row per method: method, makespan, flowtime (sum of finish times) and utilisation (busy
        machine time / (makespan x machines)).

    Raises
    ------
    SchedulingInputError
        If ``etc`` is not a finite, non-negative matrix with at least one task and one machine.
    UnknownNameError
        If a method is not one of :data:`MAPPING_METHODS`.

    Examples
    --------
    >>> compare_heuristics(load_braun("u_c_lolo"), ["met", "min_min"]).method.tolist()
    ['met', 'min_min']
    """
    a = _etc(etc)
    methods = list(MAPPING_METHODS) if methods is None else list(methods)
    rows = []
    for m in methods:
        res = map_independent(a, m, seed=seed)
        df = res.table
        busy = np.bincount(df.machine, weights=a[np.arange(a.shape[0]), df.machine], minlength=a.shape[1])
        mk = res.makespan
        rows.append(
            {
                "method": m,
                "makespan": mk,
                "flowtime": float(df.finish.sum()),
                "utilisation": float(busy.sum() / (mk * a.shape[1])) if mk > 0 else 1.0,
            }
        )
    return pd.DataFrame(rows)
