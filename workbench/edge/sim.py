"""The edge/fog/cloud discrete-event simulator: schedulers, the resumable engine, results and :func:`simulate`.

Scenarios live in :mod:`.scenario` and failures in :mod:`.faults`; both are re-exported here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx
import numpy as np
import pandas as pd

from .._kernels import heap_push
from ..errors import (
    MAX_COUNT,
    Bool,
    Int,
    Optional,
    Real,
    Seed,
    check,
    is_int,
    is_real,
    make_rng,
    unknown_name,
)
from ..results import Result
from . import _kernels as K
from .faults import Failures, _outage
from .scenario import _ARR, _DISC, _SD, EdgeSimError, Scenario, build_scenario, queue_scenario

__all__ = [
    "Scenario",
    "EdgeSimError",
    "SCHEDULERS",
    "ScoreScheduler",
    "Failures",
    "EdgeResult",
    "simulate",
    "build_scenario",
    "queue_scenario",
    "Engine",
    "FEATURES",
]


SCHEDULERS = {
    "random": (K.POL_RANDOM, "a uniformly random node that is believed up"),
    "round_robin": (K.POL_RR, "nodes in turn"),
    "least_loaded": (K.POL_LEAST, "fewest tasks (queued + in service) per core"),
    "nearest": (K.POL_NEAREST, "lowest network latency (latency-aware greedy)"),
    "mct": (K.POL_MCT, "minimum estimated completion: network + transfer + backlog + execution"),
    "offload": (K.POL_OFFLOAD, "local / edge / cloud: least device energy that meets the deadline, else fastest"),
}


FEATURES = ("latency_s", "load_per_core", "est_wait_s", "exec_s", "is_cloud", "transfer_s")


@dataclass(frozen=True)
class ScoreScheduler:
    """Send each task to the node with the lowest ``weights @ features`` (see :data:`FEATURES`).

    The built-in greedy schedulers are special cases (``nearest`` is weights (1, 0, 0, 0, 0, 0));
    a learned scheduler supplies its own weights.

    Parameters
    ----------
    weights : array-like of shape (6,)
        One finite weight per feature, in the order of :data:`FEATURES` (latency_s, load_per_core,
        est_wait_s, exec_s, is_cloud, transfer_s).

    Raises
    ------
    EdgeSimError
        If ``weights`` is not 6 finite numbers.

    Examples
    --------
    >>> from workbench.edge import ScoreScheduler, queue_scenario, simulate
    >>> ScoreScheduler([1, 0, 1, 1, 0, 1]).weights.shape
    (6,)
    >>> simulate(queue_scenario(0.5, 1.0), ScoreScheduler([1, 0, 1, 1, 0, 1]), n_tasks=50, seed=0).scheduler
    'score'
    """

    weights: np.ndarray

    def __init__(self, weights):
        try:
            w = np.asarray(weights, dtype=np.float64)
        except (TypeError, ValueError):
            w = np.full(0, np.nan)
        if w.shape != (K.N_FEATURES,) or not np.all(np.isfinite(w)):
            raise EdgeSimError(f"ScoreScheduler needs {K.N_FEATURES} finite weights for {FEATURES}, got {weights!r}")
        object.__setattr__(self, "weights", w)


# ---------------------------------------------------------------------------------------


#: Timeline buckets an explicit ``bucket_s`` may need (4,194,304 rows: 224 MiB).
MAX_BUCKETS = 2**22


#: The most tasks a duration-bounded run may be expected to generate (days of compute at any speed).
MAX_RUN_TASKS = 1e12


_SLICE_EVENTS = 1_000_000


def _inverse_bottleneck(g: nx.Graph, up: nx.Graph) -> np.ndarray:
    """8 / (narrowest link in Mbit/s) along each latency-shortest path of ``up`` (a subgraph of ``g``
    with its node order), in seconds per MB; 0 where links carry no ``bandwidth_mbps`` (no limit)."""
    n = g.number_of_nodes()
    if not any("bandwidth_mbps" in w for _, _, w in up.edges(data=True)):
        return np.zeros((n, n))
    if any("lat_ms" not in w for _, _, w in up.edges(data=True)):
        raise EdgeSimError("backbone links with bandwidth_mbps also need lat_ms (the routing weight)")
    from ..net import Router

    idx = {v: i for i, v in enumerate(g.nodes)}
    rate = np.full((n, n), np.inf)
    for u, v, w in up.edges(data=True):
        rate[idx[u], idx[v]] = rate[idx[v], idx[u]] = float(w.get("bandwidth_mbps", np.inf))
    dist, pred = Router(up, weight="lat_ms").matrix(predecessors=True)
    bn = K.path_bottleneck(dist, pred.astype(np.int64), rate)
    with np.errstate(divide="ignore"):
        return np.where(np.isfinite(bn), 8.0 / bn, 0.0)


class Engine:
    """The compiled simulator's state for one run, resumable (used by :func:`simulate` and the
    gymnasium environment). Most users call :func:`simulate`.

    Parameters
    ----------
    scenario : Scenario
        The devices, nodes and network to simulate.
    scheduler : str or ScoreScheduler, default "mct"
        One of :data:`SCHEDULERS`, a :class:`ScoreScheduler`, or ``"external"``: each decision is handed
        back to the caller (:meth:`advance` returns the decision status and takes the node as ``action``).
        Workflow scenarios do not support ``"offload"`` or ``"external"``.
    seed : int, numpy.random.Generator, numpy.random.SeedSequence or None, default None
        Seed of the run; the same seed gives the same run. An integer must be >= 0.
    warmup_s : float, default 0.0
        Tasks created before this simulated time (s) are not measured, >= 0.
    failures : Failures or None, default None
        Node and link failures; None: none.
    bucket_s : float or None, default None
        Width (s) of the timeline buckets, > 0; None: automatic (about ``horizon_hint_s / 100`` to start,
        doubled as the run grows).
    horizon_hint_s : float, default 100.0
        Expected simulated length of the run (s), which sets the automatic bucket width.

    Attributes
    ----------
    scheduler_name : str
        The scheduler's name (``"score"`` for a ScoreScheduler).
    feats : numpy.ndarray of shape (n_nodes, 6)
        The node features of the task awaiting a decision (``"external"`` scheduler).

    Raises
    ------
    EdgeSimError
        If ``scenario`` is not a Scenario, ``failures`` not a Failures, ``warmup_s``, ``bucket_s`` or
        ``seed`` is out of range, the scheduler does not support a workflow scenario, or a scheduled
        failure names an unknown node or link.
    UnknownNameError
        If ``scheduler`` is not a known name or a ScoreScheduler.

    Examples
    --------
    >>> from workbench.edge import Engine, queue_scenario
    >>> eng = Engine(queue_scenario(0.5, 1.0), "nearest", seed=0)
    >>> eng.advance(100)                 # 0: done, every task generated has finished
    0
    >>> eng.result().summary().completed.item()
    100
    """

    def __init__(
        self,
        scenario: Scenario,
        scheduler="mct",
        *,
        seed=None,
        warmup_s: float = 0.0,
        failures: Failures | None = None,
        bucket_s: float | None = None,
        horizon_hint_s: float = 100.0,
    ):
        if not isinstance(scenario, Scenario):
            raise EdgeSimError(f"expected a Scenario, got {type(scenario).__name__}")
        self.scenario = scenario
        self._arrays = None  # the state arrays in run_engine_arrays' order, cached between calls
        self.failures = failures or Failures()
        if not isinstance(self.failures, Failures):
            raise EdgeSimError(f"failures must be a Failures, got {type(failures).__name__}")
        self.weights = np.zeros(K.N_FEATURES)
        if isinstance(scheduler, ScoreScheduler):
            pol, self.scheduler_name, self.weights = K.POL_SCORE, "score", scheduler.weights
        elif scheduler == "external":
            pol, self.scheduler_name = K.POL_EXTERNAL, "external"
        elif isinstance(scheduler, str) and scheduler in SCHEDULERS:
            pol, self.scheduler_name = SCHEDULERS[scheduler][0], scheduler
        else:
            raise unknown_name("scheduler", scheduler, [*SCHEDULERS, "external", "ScoreScheduler(weights)"])
        if scenario.workflow is not None and pol in (K.POL_OFFLOAD, K.POL_EXTERNAL):
            raise EdgeSimError(
                f"the {self.scheduler_name!r} scheduler does not support workflow scenarios yet; "
                f"use one of {[k for k in SCHEDULERS if k != 'offload']} or a ScoreScheduler"
            )
        warmup_s = check("warmup_s", warmup_s, Real(0), EdgeSimError)
        bucket_s = check("bucket_s", bucket_s, Optional(Real(0, lo_open=True)), EdgeSimError)
        seed = check("seed", seed, Seed(), EdgeSimError)
        d, n = scenario.devices, scenario.nodes
        rng = make_rng(seed)
        f = self.failures
        self.prm = np.array([pol, f.max_tries, 1 if f.recovery == "checkpoint" else 0], np.int64)
        self.si = np.zeros(K.N_SI, np.int64)
        self.si[[K.SI_EV_FREE, K.SI_T_FREE, K.SI_PENDING]] = -1
        self.si[K.SI_RNG] = np.int64(rng.integers(0, 2**62))
        self.sf = np.zeros(K.N_SF)
        self.sf[K.SF_WARM] = warmup_s
        self.sf[K.SF_DETECT] = f.detect_s
        self.sf[K.SF_CKPT] = f.checkpoint_s
        rate = d.rate.to_numpy(float)
        self.bucket_s = bucket_s
        self.sf[K.SF_BUCKET] = self.bucket_s or min(max(horizon_hint_s / 100.0, 1e-9), 1e300)
        self.dev_f = np.column_stack(
            [
                rate,
                d.size_mi,
                d.data_in_mb,
                d.data_out_mb,
                d.deadline_s,
                d.access_ms,
                d.uplink_mbps,
                d.downlink_mbps,
                d.speed_mips,
                d.p_tx_w,
                d.p_cpu_w,
                d.on_s,
                d.off_s,
                8.0 / d.uplink_mbps,
                8.0 / d.downlink_mbps,
                d.mem_mb,
                d.dwell_s,
            ]
        ).astype(np.float64)
        self.dev_i = np.column_stack([d.ap, d.arrival.map(_ARR), d.size_dist.map(_SD)]).astype(np.int64)
        self.dev_s = np.zeros((len(d), K.N_DS))
        self.node_f = np.column_stack(
            [
                n.speed_mips,
                n.access_ms,
                n.bandwidth_mbps,
                n.p_idle_w,
                n.p_busy_w,
                np.zeros(len(n)),
                np.zeros(len(n)),
                8.0 / n.bandwidth_mbps,
                1.0 / n.speed_mips,
                1.0 / (n.cores * n.speed_mips),
                n.memory_mb,
            ]
        ).astype(np.float64)
        tier = (n.tier == "cloud").to_numpy().astype(np.int64)
        fails_here = {"edge": tier == 0, "cloud": tier == 1, "all": np.ones(len(n), bool)}[f.tier]
        self.node_f[fails_here, K.NF_MTBF] = f.mtbf_s
        self.node_f[fails_here, K.NF_MTTR] = f.mttr_s
        qcap = np.minimum(n.queue_cap.to_numpy(float), 2**62).astype(np.int64)
        self.node_i = np.column_stack([n.cores, n.ap, qcap, tier, n.discipline.map(_DISC)]).astype(np.int64)
        self.node_s = np.zeros((len(n), K.N_NS), np.int64)
        self.node_s[:, [K.NS_QHEAD, K.NS_QTAIL, K.NS_RES, K.NS_FID]] = -1
        self.node_s[:, [K.NS_UP, K.NS_KNOWN_UP]] = 1
        self.node_t = np.zeros((len(n), K.N_NT))
        # column-major: schedulers sweep one field across every node for each task
        self.node_f, self.node_i, self.node_s, self.node_t = (
            np.asfortranarray(a) for a in (self.node_f, self.node_i, self.node_s, self.node_t)
        )
        # the backbone as the kernels see it: [0] one-way latency (ms), [1] the narrowest link on each
        # path as seconds per MB (0: no limit); self.lat views [0]
        self.net = np.zeros((2, *scenario.latency_ms.shape))
        self.net[0] = scenario.latency_ms
        self.lat = self.net[0]
        if scenario.graph is not None and scenario.graph.number_of_nodes() == self.lat.shape[0]:
            self.net[1] = _inverse_bottleneck(scenario.graph, scenario.graph)
        cap = 1024
        self.ev = np.zeros((cap, 3), np.int64)
        self.hk = np.zeros(cap)
        self.hv = np.zeros(cap, np.int32)
        self.tf = np.zeros((cap, K.N_TF))
        self.ti = np.zeros((cap, K.N_TI), np.int64)
        self.hist = np.zeros(K.H_BINS, np.int64)
        self.buckets = np.zeros((128, K.N_B))
        self.fails = np.zeros((16, K.N_FR))
        self.feats = np.zeros((len(n), K.N_FEATURES))
        w = scenario.workflow
        if w is None:
            z = np.zeros(0, np.int64)
            self.wf = (np.zeros(0), np.zeros(1, np.int64), z, np.zeros(0), np.zeros(1, np.int64), z)
        else:
            self.wf = (
                w.comp[:, 0].copy(),
                w.pred_ptr,
                w.pred_src.astype(np.int64),
                w.pred_data,
                w.succ_ptr,
                w.succ_dst.astype(np.int64),
            )
        n_w = len(self.wf[0])
        self.job_f = np.zeros((16, K.N_JF))
        self.job_i = np.zeros((16, K.N_JI), np.int64)
        self.jt_i = np.zeros((16, 2 * n_w), np.int64)
        self.si[K.SI_J_FREE] = -1
        self._setup_mobility(rng)
        self.sf[K.SF_LMTBF] = f.link_mtbf_s
        self.sf[K.SF_LMTTR] = f.link_mttr_s
        self._setup_links(rng)
        # first arrivals (periodic sources start at a random phase; bursty ones in an on phase)
        kind = self.dev_i[:, K.DI_ARR]
        first = np.where(kind == K.ARR_PERIODIC, rng.uniform(0, 1, len(d)) / rate, rng.exponential(1 / rate))
        on = kind == K.ARR_BURSTY
        self.dev_s[on, K.DS_ON] = 1.0
        self.dev_s[on, K.DS_PHASE_END] = rng.exponential(d.on_s.to_numpy(float)[on])
        self._ensure_events(int(self.si[K.SI_EV_N]) + len(d) + len(n) + len(f.scheduled) + 8)
        for i in range(len(d)):
            self._push(first[i], K.E_ARR, i, 0)
        mt = self.node_f[:, K.NF_MTBF]
        for k in np.flatnonzero(mt > 0):
            self._push(rng.exponential(mt[k]), K.E_FAIL, k, 0)
        names = {nm: i for i, nm in enumerate(n.name)}
        for item in f.scheduled:
            try:
                node, t, dur = item
            except (TypeError, ValueError):
                raise EdgeSimError(f"scheduled failures are (node, time_s, duration_s), got {item!r}") from None
            k = names.get(node, node)
            if not is_int(k) or not 0 <= k < len(n):
                raise EdgeSimError(f"scheduled failure: unknown node {node!r} (use a name or an index 0..{len(n) - 1})")
            t, dur = _outage(f"scheduled failure of {node!r}", t, dur)
            self._push(float(t), K.E_FAIL, int(k), max(int(round(dur * 1e6)), 1))
        self.max_tasks = 0

    def _setup_links(self, rng):
        """Backbone links that can fail: their state array, first random failures, scheduled outages."""
        f, g = self.failures, self.scenario.graph
        self.links = np.ones(0, np.int64)
        self.link_list = []
        if not f.links and f.link_mtbf_s == 0:
            return
        if g is None or g.number_of_nodes() != self.lat.shape[0]:
            raise EdgeSimError(
                "link failures need a Scenario.graph whose nodes index the latency matrix (as build_scenario makes)"
            )
        if any("lat_ms" not in w for _, _, w in g.edges(data=True)):
            raise EdgeSimError("link failures need a 'lat_ms' (one-way latency) attribute on every graph edge")
        self.link_list = list(g.edges)
        index = {frozenset(e): i for i, e in enumerate(self.link_list)}
        self.links = np.ones(len(self.link_list), np.int64)
        self._ensure_events(self.si[K.SI_EV_N] + len(self.link_list) + len(f.links) + 8)
        if f.link_mtbf_s > 0:
            for i, t in enumerate(rng.exponential(f.link_mtbf_s, len(self.link_list))):
                self._push(t, K.E_LINK_FAIL, i, 0)
        for item in f.links:
            try:
                u, v, t, dur = item
            except (TypeError, ValueError):
                raise EdgeSimError(f"link failures are (u, v, time_s, duration_s), got {item!r}") from None
            try:
                i = index.get(frozenset((u, v)))
            except TypeError:  # an unhashable node
                i = None
            if i is None:
                raise EdgeSimError(f"link failure: ({u!r}, {v!r}) is not a link of the backbone graph")
            t, dur = _outage(f"link failure ({u!r}, {v!r})", t, dur)
            self._push(float(t), K.E_LINK_FAIL, i, max(int(round(dur * 1e6)), 1))

    def _setup_mobility(self, rng):
        """Backbone adjacency for handovers, and each mobile device's first move."""
        dwell = self.dev_f[:, K.DF_DWELL]
        g = self.scenario.graph
        self.adj = (np.zeros(self.lat.shape[0] + 1, np.int64), np.zeros(0, np.int64))
        if not (dwell > 0).any():
            return
        if g is None or g.number_of_nodes() != self.lat.shape[0]:
            raise EdgeSimError(
                "mobile devices (dwell_s > 0) need a Scenario.graph whose nodes index the latency "
                "matrix (as build_scenario makes)"
            )
        idx = {v: i for i, v in enumerate(g.nodes)}
        nbrs = [sorted(idx[u] for u in g.neighbors(v)) for v in g.nodes]
        self.adj = (
            np.concatenate([[0], np.cumsum([len(x) for x in nbrs])]).astype(np.int64),
            np.array([u for x in nbrs for u in x], np.int64),
        )
        mobile = np.flatnonzero(dwell > 0)
        self._ensure_events(int(self.si[K.SI_EV_N]) + len(mobile) + 8)
        for i, t in zip(mobile, rng.exponential(dwell[mobile])):
            self._push(t, K.E_MOVE, int(i), 0)

    def _reroute(self):
        """Recompute backbone latency over the links that are up (shortest paths, workbench.net)."""
        from ..net import distance_matrix

        g = self.scenario.graph
        up = nx.Graph()
        up.add_nodes_from(g.nodes)
        up.add_edges_from((u, v, g.edges[u, v]) for (u, v), ok in zip(self.link_list, self.links) if ok)
        self.lat[:] = distance_matrix(up, sources=list(g.nodes), weight="lat_ms").loc[:, list(g.nodes)].to_numpy()
        self.net[1] = _inverse_bottleneck(g, up)

    def _push(self, t, typ, a, b):
        e = self.si[K.SI_EV_N]
        self.si[K.SI_EV_N] += 1
        self.ev[e] = (typ, a, b)
        self.si[K.SI_HEAP] = heap_push(self.hk, self.hv, self.si[K.SI_HEAP], float(t), e)

    def _ensure_events(self, need):
        cap = self.ev.shape[0]
        if need <= cap:
            return
        self._arrays = None
        new = max(2 * cap, need)
        self.ev = np.concatenate([self.ev, np.zeros((new - cap, 3), np.int64)])
        self.hk = np.concatenate([self.hk, np.zeros(new - cap)])
        self.hv = np.concatenate([self.hv, np.zeros(new - cap, np.int32)])

    def _grow(self, status):
        self._arrays = None
        if status == K.ST_GROW_TASKS:
            cap = self.tf.shape[0]
            self.tf = np.concatenate([self.tf, np.zeros_like(self.tf)])
            self.ti = np.concatenate([self.ti, np.zeros((cap, K.N_TI), np.int64)])
        elif status == K.ST_GROW_EVENTS:
            self._ensure_events(
                2 * self.ev.shape[0] + int(self.node_s[:, K.NS_QLEN].max()) + int(self.node_s[:, K.NS_BUSY].max())
            )
        elif status == K.ST_GROW_BUCKETS:
            t = float(self.hk[0])  # the next event's time, which does not fit the series
            if not np.isfinite(t):
                raise EdgeSimError(
                    "simulated time overflowed to infinity (an arrival, transfer or service time "
                    "beyond 1.8e308 s): check the scenario's rates, sizes and speeds"
                )
            need = t / self.sf[K.SF_BUCKET] + 2.0
            if self.bucket_s is None and need > 512:
                # automatic width: merge pairs of buckets instead of growing (the series stays ~100-500 long)
                if self.buckets.shape[0] < 512:
                    self.buckets = np.concatenate([self.buckets, np.zeros((512 - self.buckets.shape[0], K.N_B))])
                while need > self.buckets.shape[0] - 1:
                    b = self.buckets
                    half = b[0::2].copy()
                    half[: b[1::2].shape[0]] += b[1::2]
                    self.buckets = np.concatenate([half, np.zeros_like(half)])
                    self.sf[K.SF_BUCKET] *= 2
                    need /= 2
            else:
                if need > MAX_BUCKETS:
                    raise EdgeSimError(
                        f"bucket_s={self.sf[K.SF_BUCKET]:g} s would need {need:.3g} timeline buckets by t = {t:.3g} s "
                        f"(at most {MAX_BUCKETS:,}, {MAX_BUCKETS * K.N_B * 8 / 2**20:.0f} MiB): use bucket_s >= "
                        f"{t / (MAX_BUCKETS - 2):.3g} s, or leave it out for an automatic width"
                    )
                rows = max(2 * self.buckets.shape[0], int(need) + 1)
                self.buckets = np.concatenate([self.buckets, np.zeros((rows - self.buckets.shape[0], K.N_B))])
        elif status == K.ST_GROW_JOBS:
            self.job_f = np.concatenate([self.job_f, np.zeros_like(self.job_f)])
            self.job_i = np.concatenate([self.job_i, np.zeros_like(self.job_i)])
            self.jt_i = np.concatenate([self.jt_i, np.zeros_like(self.jt_i)])
        elif status == K.ST_GROW_FAILS:
            self.fails = np.concatenate([self.fails, np.zeros_like(self.fails)])

    @property
    def now(self) -> float:
        """The current simulated time.

        Returns
        -------
        float
            Seconds since the start of the run.
        """
        return float(self.sf[K.SF_NOW])

    def _records(self) -> tuple:
        """The state arrays as the kernels take them: one named record per part of the model (the arrays
        themselves may have been replaced by a larger pool since the last call)."""
        return (
            K.Globals(self.prm, self.weights, self.si, self.sf),
            K.Devices(self.dev_f, self.dev_i, self.dev_s),
            K.Nodes(self.node_f, self.node_i, self.node_s, self.node_t),
            K.Network(self.net, self.links, *self.adj),
            K.Queue(self.ev, self.hk, self.hv),
            K.Tasks(self.tf, self.ti),
            K.Stats(self.hist, self.buckets, self.fails, self.feats),
            K.Workflow(*self.wf),
            K.Jobs(self.job_f, self.job_i, self.jt_i),
        )

    def advance(self, max_tasks: int, t_end: float = np.inf, max_events: int = 2**62, action: int = -3) -> int:
        """Run until done, paused, or a decision is needed; returns the status code.

        Parameters
        ----------
        max_tasks : int
            Stop generating tasks after this many in total (the run ends when they have all finished).
        t_end : float, default numpy.inf
            Stop at this simulated time (s).
        max_events : int, default 2**62
            Pause after about this many events (to return control between slices of a long run).
        action : int, default -3
            For the ``"external"`` scheduler: the node index chosen for the task awaiting a decision
            (-3: no decision given).

        Returns
        -------
        int
            The status: 0 (done: every task generated has finished, or ``t_end`` was reached), 5 (paused
            after ``max_events`` events) or 6 (a decision is needed: read ``feats`` and call again with
            ``action``).

        Raises
        ------
        EdgeSimError
            If simulated time overflows or an explicit ``bucket_s`` would need too many timeline buckets.
        """
        while True:
            if self._arrays is None:  # rebuilt after a pool grows (the arrays are replaced, not resized)
                self._arrays = [a for record in self._records() for a in record]
            K.run_engine_arrays(*self._arrays, max_tasks, t_end, max_events, action)
            action = -3
            st = int(self.si[K.SI_STATUS])
            if st in (K.ST_DONE, K.ST_PAUSE, K.ST_DECIDE):
                return st
            if st == K.ST_TOPOLOGY:
                self._reroute()
            else:
                self._grow(st)

    def result(self) -> EdgeResult:
        """What the run has measured so far.

        Returns
        -------
        EdgeResult
            A result over this engine's state (with empty ``params``; :func:`simulate` fills them).
        """
        return EdgeResult(self)


@dataclass
class EdgeResult(Result):
    """What a simulation measured: streaming summaries, no per-task history.

    ``summary()`` is one row; the detail frames are ``by_node()``, ``timeline()`` and ``failures()``;
    ``params`` holds the inputs of :func:`simulate` (scenario, scheduler, sizes, seed, failures).

    Parameters
    ----------
    engine : Engine
        The engine whose run is reported (read, not copied).
    params : dict, optional
        The inputs of :func:`simulate`. Default: an empty dict.

    Attributes
    ----------
    scenario : Scenario
        The simulated scenario.
    duration_s : float
        Simulated time when the result was made (s).
    scheduler : str
        The scheduler's name.

    Examples
    --------
    >>> from workbench.edge import queue_scenario, simulate
    >>> r = simulate(queue_scenario(0.5, 1.0), n_tasks=200, seed=0)
    >>> r.scheduler, r.frames, r.summary().generated.item()
    ('mct', ('by_node', 'timeline', 'failures'), 200)
    """

    engine: Engine = field(repr=False)
    params: dict = field(default_factory=dict, repr=False)
    frames = ("by_node", "timeline", "failures")

    def __post_init__(self):
        e = self.engine
        self.scenario = e.scenario
        self.duration_s = e.now
        self.scheduler = e.scheduler_name

    # --- frames -----------------------------------------------------------------------
    def quantile(self, q) -> np.ndarray:
        """Response-time quantiles from the log-bucket sketch (relative error <= 1%).

        Parameters
        ----------
        q : float or array-like of float
            Quantile levels, in [0, 1].

        Returns
        -------
        numpy.ndarray
            Response times (s), the shape of ``q``; NaN when no task was measured.
        """
        h = self.engine.hist
        tot = h.sum()
        if tot == 0:
            return np.full(np.shape(q), np.nan)
        cum = np.cumsum(h)
        idx = np.searchsorted(cum, np.asarray(q) * tot, side="left")
        idx = np.clip(idx, 0, K.H_BINS - 1)
        # bin b >= 1 holds (H_MIN * g**(b-1), H_MIN * g**b]; report its geometric midpoint
        lo = K.H_MIN * K.H_GAMMA ** (np.maximum(idx, 1) - 1)
        return np.where(idx == 0, K.H_MIN, lo * np.sqrt(K.H_GAMMA))

    def summary(self) -> pd.DataFrame:
        """One row: tasks generated/completed/dropped/retried, response time mean and quantiles (ms),
        deadline-miss rate, mean queueing wait, utilisation, node and device energy.

        Returns
        -------
        pandas.DataFrame
            One row with columns scheduler, duration_s, generated, completed, local, dropped, retried,
            measured, latency_mean_ms, latency_sd_ms, latency_p50_ms, latency_p95_ms, latency_p99_ms,
            deadline_miss_ratio, wait_mean_ms, utilisation, node_energy_kj, device_energy_j, failures,
            link_failures, handovers, events (see :data:`workbench.results.COLUMNS`).
        """
        e = self.engine
        si, sf = e.si, e.sf
        n = max(int(si[K.SI_MEASURED]), 1)
        mean = sf[K.SF_RESP_SUM] / n
        with np.errstate(invalid="ignore", over="ignore"):  # NaN when the sum of squares overflowed
            sd = np.sqrt(max(sf[K.SF_RESP_SQ] / n - mean**2, 0.0)) if np.isfinite(sf[K.SF_RESP_SQ]) else np.nan
        p50, p95, p99 = self.quantile([0.5, 0.95, 0.99])
        t = max(self.duration_s, 1e-300)
        nodes = self.by_node()
        return pd.DataFrame(
            [
                {
                    "scheduler": self.scheduler,
                    "duration_s": self.duration_s,
                    "generated": int(si[K.SI_GEN]),
                    "completed": int(si[K.SI_DONE]),
                    "local": int(si[K.SI_LOCAL]),
                    "dropped": int(si[K.SI_DROPPED]),
                    "retried": int(si[K.SI_RETRIED]),
                    "measured": int(si[K.SI_MEASURED]),
                    "latency_mean_ms": 1e3 * mean,
                    "latency_sd_ms": 1e3 * sd,
                    "latency_p50_ms": 1e3 * p50,
                    "latency_p95_ms": 1e3 * p95,
                    "latency_p99_ms": 1e3 * p99,
                    "deadline_miss_ratio": si[K.SI_MISSED] / n,
                    "wait_mean_ms": 1e3 * sf[K.SF_WAIT_SUM] / max(sf[K.SF_WAIT_N], 1),
                    "utilisation": float(nodes.busy_core_s.sum() / (t * nodes.cores.sum())),
                    "node_energy_kj": float(nodes.energy_j.sum() / 1e3),
                    "device_energy_j": float(sf[K.SF_EDEV]),
                    "failures": int(si[K.SI_NFAIL]),
                    "link_failures": int(si[K.SI_NLINKFAIL]),
                    "handovers": int(si[K.SI_MOVES]),
                    "events": int(si[K.SI_EVENTS]),
                }
            ]
        )

    def by_node(self) -> pd.DataFrame:
        """Per node: tasks served, utilisation, max queue, failures, downtime, availability, energy.

        Returns
        -------
        pandas.DataFrame
            One row per node: node, tier, cores, served, busy_core_s, utilisation, max_queue, dropped,
            failures, down_s, availability, energy_j, latency_mean_ms.
        """
        e = self.engine
        n = self.scenario.nodes
        t = max(self.duration_s, 1e-300)
        busy = e.node_t[:, K.NT_BUSY_T] + e.node_s[:, K.NS_BUSY] * np.maximum(t - e.node_t[:, K.NT_LAST], 0)
        down = e.node_t[:, K.NT_DOWN_T] + np.where(e.node_s[:, K.NS_UP] == 0, t - e.node_t[:, K.NT_DOWN_SINCE], 0)
        cores = n.cores.to_numpy(float)
        energy = n.p_idle_w.to_numpy() * (t - down) + (n.p_busy_w - n.p_idle_w).to_numpy() * busy / cores
        served = e.node_s[:, K.NS_SERVED]
        return pd.DataFrame(
            {
                "node": n.name.to_numpy(),
                "tier": n.tier.to_numpy(),
                "cores": n.cores.to_numpy(),
                "served": served,
                "busy_core_s": busy,
                "utilisation": busy / (t * cores),
                "max_queue": e.node_s[:, K.NS_MAXQ],
                "dropped": e.node_s[:, K.NS_DROPPED],
                "failures": e.node_s[:, K.NS_FAILS],
                "down_s": down,
                "availability": 1 - down / t,
                "energy_j": energy,
                "latency_mean_ms": 1e3 * e.node_t[:, K.NT_RESP] / np.maximum(served, 1),
            }
        )

    def timeline(self) -> pd.DataFrame:
        """Time-bucketed series (by task creation time): created, completed, missed, dropped, retried,
        mean response (ms), and busy core-seconds.

        Returns
        -------
        pandas.DataFrame
            One row per bucket: t_s (its start), created, completed, missed, dropped, retried,
            latency_mean_ms, busy_core_s.
        """
        e = self.engine
        w = e.sf[K.SF_BUCKET]
        nb = int(min(np.floor(self.duration_s / w) + 1, e.buckets.shape[0]))
        b = e.buckets[:nb]
        return pd.DataFrame(
            {
                "t_s": np.arange(nb) * w,
                "created": b[:, K.B_CREATED],
                "completed": b[:, K.B_DONE],
                "missed": b[:, K.B_MISSED],
                "dropped": b[:, K.B_DROPPED],
                "retried": b[:, K.B_RETRIED],
                "latency_mean_ms": 1e3 * b[:, K.B_RESP] / np.maximum(b[:, K.B_DONE], 1),
                "busy_core_s": b[:, K.B_BUSY],
            }
        )

    def failures(self) -> pd.DataFrame:
        """One row per node failure: when, which node, how long down, tasks affected, and the
        recovery time (failure -> last affected task finished or given up).

        Returns
        -------
        pandas.DataFrame
            Columns time_s, node (name), down_s, affected, unfinished, recovery_s; no rows without failures.
        """
        e = self.engine
        m = int(e.si[K.SI_NFAIL])
        f = e.fails[:m]
        names = self.scenario.nodes.name.to_numpy()
        return pd.DataFrame(
            {
                "time_s": f[:, K.FR_TIME],
                "node": names[f[:, K.FR_NODE].astype(int)] if m else [],
                "down_s": f[:, K.FR_DUR],
                "affected": f[:, K.FR_AFFECTED].astype(int),
                "unfinished": f[:, K.FR_OUT].astype(int),
                "recovery_s": np.where(f[:, K.FR_AFFECTED] > 0, f[:, K.FR_LAST] - f[:, K.FR_TIME], 0.0),
            }
        )


def simulate(
    scenario: Scenario,
    scheduler="mct",
    *,
    n_tasks: int | None = None,
    duration_s: float | None = None,
    seed=None,
    warmup_s: float = 0.0,
    failures: Failures | None = None,
    bucket_s: float | None = None,
    progress: bool = False,
) -> EdgeResult:
    """Run the discrete-event simulation of a scenario under one scheduler.

    The run goes in slices of about a million events, so Ctrl-C (a notebook's interrupt) stops it
    between two slices.

    Parameters
    ----------
    scenario : Scenario
        The devices, nodes and network to simulate (:func:`build_scenario`, :func:`queue_scenario`).
    scheduler : str or ScoreScheduler, default "mct"
        One of :data:`SCHEDULERS`, or a :class:`ScoreScheduler`.
    n_tasks : int or None, default None
        Stop generating after this many tasks (and run until they finish), >= 1.
    duration_s : float or None, default None
        Stop at this simulated time (s), > 0. At least one of ``n_tasks`` / ``duration_s``.
    seed : int, numpy.random.Generator, numpy.random.SeedSequence or None, default None
        Same seed, same result. An integer must be >= 0.
    warmup_s : float, default 0.0
        Tasks created before this time (s) are not measured (queueing transients), >= 0.
    failures : Failures or None, default None
        Node and link failures; None: none.
    bucket_s : float or None, default None
        Width (s) of the time buckets of :meth:`EdgeResult.timeline`, > 0; None: automatic (about
        100-500 buckets).
    progress : bool, default False
        Show a tqdm progress bar.

    Returns
    -------
    EdgeResult
        ``summary()`` (one row: counts, latency mean and quantiles in ms, deadline-miss ratio, utilisation,
        energy) and the frames ``by_node()``, ``timeline()`` and ``failures()``.

    Raises
    ------
    EdgeSimError
        If ``scenario`` is not a Scenario, neither ``n_tasks`` nor ``duration_s`` is given, a parameter is
        out of range, a duration-bounded run would generate more than ``MAX_RUN_TASKS`` tasks or need more
        than ``MAX_BUCKETS`` buckets, ``scheduler`` is ``"external"``, or the scenario and scheduler or
        failures do not fit together.
    UnknownNameError
        If ``scheduler`` is not a known name or a ScoreScheduler.

    Examples
    --------
    >>> r = simulate(queue_scenario(0.5, 1.0), "nearest", n_tasks=20_000, seed=1)
    >>> round(r.summary().wait_mean_ms.item() / 1e3, 1)  # M/M/1: rho / (mu - lam) = 1.0
    1.0
    """
    if not isinstance(scenario, Scenario):
        raise EdgeSimError(f"expected a Scenario, got {type(scenario).__name__}")
    n_tasks = check("n_tasks", n_tasks, Optional(Int(1, MAX_COUNT)), EdgeSimError)
    duration_s = check("duration_s", duration_s, Optional(Real(0, lo_open=True)), EdgeSimError)
    progress = check("progress", progress, Bool(), EdgeSimError)
    if n_tasks is None and duration_s is None:
        raise EdgeSimError("give n_tasks, duration_s or both")
    if n_tasks is None and duration_s * scenario.total_rate() > MAX_RUN_TASKS:
        raise EdgeSimError(
            f"duration_s={duration_s:g} at {scenario.total_rate():g} tasks/s is about "
            f"{duration_s * scenario.total_rate():.3g} tasks (at most {MAX_RUN_TASKS:.0e} per run): "
            "shorten the run or give n_tasks"
        )
    if (
        bucket_s is not None
        and duration_s is not None
        and is_real(bucket_s)
        and bucket_s > 0
        and duration_s / bucket_s > MAX_BUCKETS
    ):
        raise EdgeSimError(
            f"bucket_s={bucket_s:g} s over duration_s={duration_s:g} s is "
            f"{duration_s / bucket_s:.3g} timeline buckets (at most {MAX_BUCKETS:,}): use bucket_s >= "
            f"{duration_s / MAX_BUCKETS:.3g} s"
        )
    max_tasks = 2**62 if n_tasks is None else n_tasks
    t_end = np.inf if duration_s is None else duration_s
    hint = duration_s if duration_s is not None else n_tasks / scenario.total_rate()
    if isinstance(scheduler, str) and scheduler == "external":
        raise EdgeSimError("the 'external' scheduler is for step-by-step control (EdgeSchedulingEnv), not simulate()")
    eng = Engine(
        scenario, scheduler, seed=seed, warmup_s=warmup_s, failures=failures, bucket_s=bucket_s, horizon_hint_s=hint
    )
    params = {
        "scenario": scenario,
        "scheduler": scheduler,
        "n_tasks": n_tasks,
        "duration_s": duration_s,
        "seed": seed,
        "warmup_s": warmup_s,
        "failures": failures,
        "bucket_s": bucket_s,
    }
    if not progress:
        while eng.advance(max_tasks, t_end, max_events=_SLICE_EVENTS) != K.ST_DONE:
            pass
        return EdgeResult(eng, params)
    from tqdm.auto import tqdm

    total = n_tasks if n_tasks is not None else None
    with tqdm(total=total, unit="task", desc=f"{scenario.name} / {eng.scheduler_name}") as bar:
        while True:
            st = eng.advance(max_tasks, t_end, max_events=_SLICE_EVENTS // 5)
            bar.update(int(eng.si[K.SI_GEN]) - bar.n)
            if st == K.ST_DONE:
                break
    return EdgeResult(eng, params)
