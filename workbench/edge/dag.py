"""Task graphs (workflows) and heterogeneous platforms for list scheduling."""

from __future__ import annotations

import json
from dataclasses import dataclass

import networkx as nx
import numpy as np
import pandas as pd

from .._data import data_path
from ..errors import WorkbenchError, check_int, check_memory, check_real, is_int, make_rng
from . import _kernels

__all__ = ["CycleError", "SchedulingInputError", "TaskGraph", "Platform", "load_heft_example", "random_dag"]


class SchedulingInputError(WorkbenchError):
    """A task graph, cost matrix or platform that cannot be scheduled as given.

    A :class:`~workbench.errors.WorkbenchError` (so a :class:`ValueError`) whose message names the offending
    entry.

    Examples
    --------
    >>> from workbench.edge import SchedulingInputError, TaskGraph
    >>> try:
    ...     TaskGraph([[1.0, -2.0]])
    ... except SchedulingInputError as err:
    ...     print(err)
    computation cost matrix comp must be finite and >= 0; entry (0, 1) is -2.0
    """


class CycleError(SchedulingInputError):
    """The task graph has a dependency cycle, so it is not a DAG.

    Examples
    --------
    >>> from workbench.edge import CycleError, TaskGraph
    >>> try:
    ...     TaskGraph([[1.0], [1.0]], [(0, 1, 1.0), (1, 0, 1.0)])
    ... except CycleError as err:
    ...     print(err)
    the task graph is not acyclic: 0 -> 1 -> 0
    """


def _matrix(x, what, ndim=2):
    try:
        a = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise SchedulingInputError(f"{what} must be numeric, got {type(x).__name__}") from exc
    if a.ndim != ndim:
        raise SchedulingInputError(f"{what} must be a {ndim}-D array, got shape {a.shape}")
    if a.size and (not np.all(np.isfinite(a)) or a.min() < 0):
        bad = np.argwhere(~np.isfinite(a) | (a < 0))[0]
        raise SchedulingInputError(
            f"{what} must be finite and >= 0; entry {tuple(int(b) for b in bad)} is {a[tuple(bad)]}"
        )
    return a


@dataclass(frozen=True)
class Platform:
    """Processors and the links between them.

    Communication of ``data`` units from processor a to b != a takes
    ``startup[a] + data / bandwidth[a, b]``; on the same processor it is free.

    Parameters
    ----------
    bandwidth : array-like of shape (p, p)
        Transfer rate between processors (data units per time unit): finite, >= 0, and > 0 off the
        diagonal; p >= 1.
    startup : array-like of shape (p,) or None, default None
        Per-processor communication start-up latency (time units), finite and >= 0; None: all 0.
    names : sequence or None, default None
        Processor labels used in schedules (converted to str); None: ``"P1"``, ``"P2"``, ...

    Raises
    ------
    SchedulingInputError
        If ``bandwidth`` is not a finite, non-negative square matrix with positive entries off the
        diagonal, or ``startup`` or ``names`` does not have one entry per processor.

    Examples
    --------
    >>> from workbench.edge import Platform
    >>> Platform.uniform(3).bandwidth.shape
    (3, 3)
    >>> Platform([[0, 2], [2, 0]], startup=[1, 1], names=["edge", "cloud"]).names
    ('edge', 'cloud')
    """

    bandwidth: np.ndarray
    startup: np.ndarray
    names: tuple

    def __init__(self, bandwidth, startup=None, names=None):
        bw = _matrix(bandwidth, "bandwidth")
        p = bw.shape[0]
        if bw.shape != (p, p) or p == 0:
            raise SchedulingInputError(f"bandwidth must be a square (p, p) matrix with p >= 1, got shape {bw.shape}")
        off = ~np.eye(p, dtype=bool)
        if p > 1 and bw[off].min() <= 0:
            raise SchedulingInputError("bandwidth between distinct processors must be > 0")
        su = np.zeros(p) if startup is None else _matrix(startup, "startup", ndim=1)
        if su.shape != (p,):
            raise SchedulingInputError(f"startup must have one entry per processor ({p}), got shape {su.shape}")
        names = tuple(f"P{q + 1}" for q in range(p)) if names is None else tuple(map(str, names))
        if len(names) != p:
            raise SchedulingInputError(f"names must have {p} entries, got {len(names)}")
        object.__setattr__(self, "bandwidth", bw)
        object.__setattr__(self, "startup", su)
        object.__setattr__(self, "names", names)

    @classmethod
    def uniform(cls, p: int, bandwidth: float = 1.0, startup: float = 0.0) -> Platform:
        """``p`` processors joined by identical links (the HEFT paper's setting with the defaults).

        Parameters
        ----------
        p : int
            Processors, >= 1.
        bandwidth : float, default 1.0
            Transfer rate of every link (data units per time unit), > 0 when p > 1.
        startup : float, default 0.0
            Communication start-up latency of every processor (time units), >= 0.

        Returns
        -------
        Platform
            The platform, processors named ``"P1"``, ``"P2"``, ...

        Raises
        ------
        SchedulingInputError
            If ``p`` is not an integer >= 1, or ``bandwidth`` or ``startup`` is out of range.
        """
        check_int("number of processors", p, minimum=1, error=SchedulingInputError)
        return cls(np.full((p, p), float(bandwidth)), np.full(p, float(startup)))

    @property
    def n_processors(self) -> int:
        """Number of processors.

        Returns
        -------
        int
            ``p``, the side of the bandwidth matrix.
        """
        return self.bandwidth.shape[0]

    def mean_comm(self, data: np.ndarray) -> np.ndarray:
        """HEFT's average communication cost: ``mean(startup) + data / mean(bandwidth over distinct pairs)``.

        This is Topcuoglu et al.'s definition (average start-up plus data over the average rate). Other
        implementations average ``data / bandwidth`` over pairs, or include the free same-processor
        pairs (scaling by (p-1)/p); ranks, and so schedules, can then differ by a few percent.

        Parameters
        ----------
        data : numpy.ndarray
            Data volumes (data units), any shape.

        Returns
        -------
        numpy.ndarray
            The average communication cost of each volume (time units), the shape of ``data``; all zeros
            on a single processor.
        """
        p = self.n_processors
        if p == 1:
            return np.zeros_like(data)
        off = ~np.eye(p, dtype=bool)
        return self.startup.mean() + data / self.bandwidth[off].mean()


class TaskGraph:
    """A workflow: tasks with per-processor computation costs and data-carrying dependencies.

    Parameters
    ----------
    comp : array-like of shape (n, p)
        ``comp[i, q]``: time task i takes on processor q (finite, >= 0); n, p >= 1.
    edges : iterable of (src, dst, data), default ()
        Dependencies between task indices 0..n-1 with the data volume sent along each (finite, >= 0).
    names : sequence or None, default None
        Task labels, one per task; None: ``0..n-1``.

    Raises
    ------
    CycleError
        If the dependencies contain a cycle (the message names the tasks on it).
    SchedulingInputError
        For negative or non-finite costs, out-of-range or repeated edges, self-loops.

    Examples
    --------
    >>> g = TaskGraph([[2, 3], [1, 1], [4, 2]], [(0, 1, 5), (0, 2, 1)])
    >>> g.n_tasks, g.n_processors
    (3, 2)
    """

    def __init__(self, comp, edges=(), names=None):
        comp = _matrix(comp, "computation cost matrix comp")
        n, p = comp.shape
        if n == 0 or p == 0:
            raise SchedulingInputError(f"comp must have at least one task and one processor, got shape {comp.shape}")
        rows = [tuple(e) for e in edges]
        for e in rows:
            if len(e) != 3:
                raise SchedulingInputError(f"each edge must be (src, dst, data), got {e!r}")
        names = list(range(n)) if names is None else list(names)
        if len(names) != n:
            raise SchedulingInputError(f"names must have one entry per task ({n}), got {len(names)}")
        s = np.zeros(len(rows), np.int64)
        d = np.zeros(len(rows), np.int64)
        for k, (a, b, _) in enumerate(rows):
            for v, arr, which in ((a, s, "source"), (b, d, "target")):
                if not is_int(v) or not 0 <= v < n:
                    raise SchedulingInputError(f"edge {k} {rows[k]!r}: {which} must be a task index in 0..{n - 1}")
                arr[k] = v
            if a == b:
                raise SchedulingInputError(f"edge {k}: task {names[a]!r} depends on itself")
        data = _matrix([e[2] for e in rows], "edge data", ndim=1) if rows else np.zeros(0)
        key = s * n + d
        if np.unique(key).size != key.size:
            dup = pd.Series(key).duplicated().to_numpy().argmax()
            raise SchedulingInputError(f"edge {names[s[dup]]!r} -> {names[d[dup]]!r} appears more than once")
        self.comp = comp
        self.names = names
        self.src, self.dst, self.data = s, d, data
        # CSR both ways
        o = np.lexsort((s, d))
        self.pred_ptr = np.searchsorted(d[o], np.arange(n + 1)).astype(np.int64)
        self.pred_src, self.pred_data = s[o], data[o]
        o = np.lexsort((d, s))
        self.succ_ptr = np.searchsorted(s[o], np.arange(n + 1)).astype(np.int64)
        self.succ_dst, self.succ_data = d[o], data[o]
        order = _kernels.topo_order(n, self.pred_ptr, self.succ_ptr, self.succ_dst)
        if order.size < n:
            g = nx.DiGraph(list(zip(s.tolist(), d.tolist())))
            cyc = nx.find_cycle(g)
            path = " -> ".join(repr(names[a]) for a, _ in cyc) + f" -> {names[cyc[0][0]]!r}"
            raise CycleError(f"the task graph is not acyclic: {path}")
        self.order = order

    @property
    def n_tasks(self) -> int:
        """Number of tasks.

        Returns
        -------
        int
            The rows of ``comp``.
        """
        return self.comp.shape[0]

    @property
    def n_processors(self) -> int:
        """Number of processors the cost matrix has columns for.

        Returns
        -------
        int
            The columns of ``comp``.
        """
        return self.comp.shape[1]

    def edges_frame(self) -> pd.DataFrame:
        """The dependencies as a tidy frame (src, dst, data).

        Returns
        -------
        pandas.DataFrame
            One row per edge: src and dst (task names) and data (the volume sent).
        """
        return pd.DataFrame(
            {"src": [self.names[i] for i in self.src], "dst": [self.names[i] for i in self.dst], "data": self.data}
        )

    def to_networkx(self) -> nx.DiGraph:
        """A DiGraph with ``comp`` (list per processor) on nodes and ``data`` on edges.

        Returns
        -------
        networkx.DiGraph
            One node per task name, with attribute ``comp`` (its cost on each processor, a list), and one
            edge per dependency, with attribute ``data`` (float); :meth:`from_networkx` reads it back.
        """
        g = nx.DiGraph()
        for i, nm in enumerate(self.names):
            g.add_node(nm, comp=self.comp[i].tolist())
        for a, b, w in zip(self.src, self.dst, self.data):
            g.add_edge(self.names[a], self.names[b], data=float(w))
        return g

    @classmethod
    def from_networkx(cls, g: nx.DiGraph, comp: str = "comp", data: str = "data") -> TaskGraph:
        """Build from a DiGraph whose nodes carry a per-processor cost list and edges a data volume.

        Parameters
        ----------
        g : networkx.DiGraph
            The workflow; its node labels become the task names (in ``g.nodes`` order).
        comp : str, default "comp"
            Node attribute holding the task's cost on each processor (a list of the same length for every
            node).
        data : str, default "data"
            Edge attribute holding the data volume (0.0 where an edge lacks it).

        Returns
        -------
        TaskGraph
            The workflow as a TaskGraph.

        Raises
        ------
        SchedulingInputError
            If a node lacks the ``comp`` attribute, or the costs or volumes are invalid (as for the
            constructor; :class:`CycleError` if ``g`` has a cycle).
        """
        names = list(g.nodes)
        idx = {v: i for i, v in enumerate(names)}
        try:
            costs = [g.nodes[v][comp] for v in names]
        except KeyError as exc:
            raise SchedulingInputError(f"node {exc.args[0]!r} has no {comp!r} attribute") from None
        edges = [(idx[a], idx[b], w.get(data, 0.0)) for a, b, w in g.edges(data=True)]
        return cls(costs, edges, names=names)

    def __repr__(self) -> str:
        return f"TaskGraph({self.n_tasks} tasks, {self.src.size} edges, {self.n_processors} processors)"


def load_heft_example() -> tuple[TaskGraph, dict]:
    """The Topcuoglu-Hariri-Wu 2002 sample DAG (10 tasks, 3 processors) and its published results.

    Returns
    -------
    graph : TaskGraph
        The sample DAG, task names 1..10 (ints).
    expected : dict
        The paper's published values: ``rank_u`` and ``rank_d`` per task, ``heft_priority_order``,
        ``heft_schedule``, ``heft_makespan`` (80), ``cpop_critical_path``, ``cpop_critical_path_length``,
        ``cpop_critical_path_processor``, ``cpop_schedule``, ``cpop_makespan`` (86) and a note on ties.

    Examples
    --------
    >>> g, expected = load_heft_example()
    >>> g.n_tasks, expected["heft_makespan"], expected["cpop_makespan"]
    (10, 80, 86)
    """
    d = json.loads(data_path("scheduling", "heft_topcuoglu.json").read_text())
    names = sorted(d["computation_cost"], key=int)
    comp = [d["computation_cost"][k] for k in names]
    idx = {int(k): i for i, k in enumerate(names)}
    edges = [(idx[e["from"]], idx[e["to"]], e["cost"]) for e in d["edges"]]
    return TaskGraph(comp, edges, names=[int(k) for k in names]), d["expected"]


def random_dag(
    n_tasks: int,
    n_processors: int,
    *,
    edge_prob: float = 0.1,
    ccr: float = 1.0,
    heterogeneity: float = 0.5,
    mean_cost: float = 20.0,
    seed=None,
) -> TaskGraph:
    """A random layered-by-index DAG (edges only from lower to higher index) with heterogeneous costs.

    Costs follow Topcuoglu et al.'s generator: each task's mean cost ``w`` is uniform in
    ``[0, 2 * mean_cost]`` and its cost on each processor uniform in
    ``w * [1 - heterogeneity/2, 1 + heterogeneity/2]``; edge data is uniform in ``[0, 2 * mean_cost * ccr]``,
    so that on unit-bandwidth links the communication-to-computation ratio is ``ccr`` on average.

    Parameters
    ----------
    n_tasks : int
        Tasks, in [1, 2**31 - 1].
    n_processors : int
        Processors (columns of the cost matrix), in [1, 2**31 - 1].
    edge_prob : float, default 0.1
        Probability of an edge from each task to each higher-indexed task, in [0, 1].
    ccr : float, default 1.0
        Communication-to-computation ratio, >= 0.
    heterogeneity : float, default 0.5
        Relative spread of a task's cost across processors, in [0, 2].
    mean_cost : float, default 20.0
        Mean computation cost of a task, > 0.
    seed : int, numpy.random.Generator, numpy.random.SeedSequence or None, default None
        Seed of the random stream; the same seed gives the same graph. An integer must be >= 0.

    Returns
    -------
    TaskGraph
        The random workflow (task names ``0..n_tasks-1``).

    Raises
    ------
    SchedulingInputError
        If a size or parameter is out of range, or the cost matrix would not fit in memory.
    WorkbenchError
        If ``seed`` is not a valid seed.

    Examples
    --------
    >>> from workbench.edge import random_dag
    >>> random_dag(50, 4, seed=0).n_tasks
    50
    >>> random_dag(6, 2, edge_prob=0.5, seed=0)
    TaskGraph(6 tasks, 7 edges, 2 processors)
    """
    n_tasks = check_int("n_tasks", n_tasks, minimum=1, maximum=2**31 - 1, error=SchedulingInputError)
    n_processors = check_int("n_processors", n_processors, minimum=1, maximum=2**31 - 1, error=SchedulingInputError)
    check_memory(
        f"a {n_tasks:,} x {n_processors:,} cost matrix", 8.0 * n_tasks * n_processors, error=SchedulingInputError
    )
    for name, v in (("edge_prob", edge_prob), ("heterogeneity", heterogeneity), ("ccr", ccr), ("mean_cost", mean_cost)):
        check_real(name, v, error=SchedulingInputError)
    if not 0 <= edge_prob <= 1 or not 0 <= heterogeneity <= 2 or ccr < 0 or mean_cost <= 0:
        raise SchedulingInputError("need 0 <= edge_prob <= 1, 0 <= heterogeneity <= 2, ccr >= 0, mean_cost > 0")
    rng = make_rng(seed, error=SchedulingInputError)
    w = rng.uniform(0, 2 * mean_cost, n_tasks)
    comp = w[:, None] * rng.uniform(1 - heterogeneity / 2, 1 + heterogeneity / 2, (n_tasks, n_processors))
    # expected out-degree edge_prob * (n - 1 - i), sampled without building an n x n matrix
    src, dst = [], []
    for i in range(n_tasks - 1):
        k = rng.binomial(n_tasks - 1 - i, edge_prob)
        if k:
            src.append(np.full(k, i))
            dst.append(i + 1 + rng.choice(n_tasks - 1 - i, k, replace=False))
    s = np.concatenate(src) if src else np.zeros(0, np.int64)
    d = np.concatenate(dst) if dst else np.zeros(0, np.int64)
    data = rng.uniform(0, 2 * mean_cost * ccr, s.size)
    return TaskGraph(comp, list(zip(s.tolist(), d.tolist(), data.tolist())))
