"""Edge scenarios: devices, nodes and the backbone latency between their attach points, checked column by
column; a single queue as a scenario; scenarios on real Topology Zoo backbones.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import numpy as np
import pandas as pd

from ..errors import (
    Int,
    Real,
    Seed,
    WorkbenchError,
    check_memory,
    checked,
    make_rng,
)
from . import _kernels as K
from .dag import TaskGraph


class EdgeSimError(WorkbenchError):
    """A scenario or simulation parameter that cannot be simulated as given.

    A :class:`~workbench.errors.WorkbenchError` (so a :class:`ValueError`) whose message names the offending
    device, node or parameter.

    Examples
    --------
    >>> from workbench.edge import EdgeSimError, queue_scenario
    >>> try:
    ...     queue_scenario(0.5, 0.0)
    ... except EdgeSimError as err:
    ...     print(err)
    mu must be a finite number > 0, got 0.0
    """


DEVICE_COLUMNS = {  # column: (default, meaning)
    "ap": (0, "backbone attach point (index into the latency matrix)"),
    "rate": (1.0, "tasks per second"),
    "arrival": ("poisson", "poisson | periodic | bursty"),
    "size_mi": (100.0, "mean task size, million instructions"),
    "size_dist": ("exp", "exp | det | uniform (0.5-1.5 x mean)"),
    "data_in_mb": (0.0, "input sent to the node, MB"),
    "data_out_mb": (0.0, "result sent back, MB"),
    "deadline_s": (np.inf, "relative deadline, s"),
    "access_ms": (0.0, "one-way access latency device -> attach point"),
    "uplink_mbps": (100.0, "device uplink"),
    "downlink_mbps": (100.0, "device downlink"),
    "speed_mips": (0.0, "local CPU (0 = cannot run tasks itself)"),
    "p_tx_w": (1.0, "radio power while sending, W"),
    "p_cpu_w": (2.0, "CPU power while computing locally, W"),
    "on_s": (1.0, "bursty: mean on-phase length"),
    "off_s": (4.0, "bursty: mean off-phase length"),
    "mem_mb": (0.0, "memory each task holds while it runs, MB"),
    "dwell_s": (
        0.0,
        "mobile devices: mean time at an attach point before a handover to a neighbouring one (0: static)",
    ),
}


NODE_COLUMNS = {
    "name": ("", "label"),
    "tier": ("edge", "edge | cloud"),
    "ap": (0, "backbone attach point"),
    "cores": (1, "servers (FCFS, shared queue)"),
    "speed_mips": (1000.0, "per core"),
    "access_ms": (0.0, "one-way latency attach point -> node"),
    "bandwidth_mbps": (1000.0, "node link"),
    "queue_cap": (1_000_000, "waiting room; arrivals to a full queue are dropped"),
    "p_idle_w": (50.0, "power when idle"),
    "p_busy_w": (150.0, "power with every core busy (linear in between)"),
    "memory_mb": (np.inf, "memory; a task starts only when a core is free and its memory fits"),
    "discipline": ("fcfs", "queue order: fcfs | edf (earliest deadline) | sjf (shortest task)"),
}


#: What :func:`build_scenario` gives a cloud data centre where it differs from :data:`NODE_COLUMNS`
#: (edge nodes take the defaults there): a wider link and a data centre's power draw, W.
CLOUD_NODE = {"bandwidth_mbps": 10_000.0, "p_idle_w": 2_000.0, "p_busy_w": 6_000.0}


_ARR = {"poisson": K.ARR_POISSON, "periodic": K.ARR_PERIODIC, "bursty": K.ARR_BURSTY}


_SD = {"exp": K.SD_EXP, "det": K.SD_DET, "uniform": K.SD_UNIF}


_DISC = {"fcfs": K.Q_FCFS, "edf": K.Q_EDF, "sjf": K.Q_SJF}


def _fill(frame: pd.DataFrame, columns: dict, what: str) -> pd.DataFrame:
    if not isinstance(frame, pd.DataFrame) or len(frame) == 0:
        raise EdgeSimError(f"{what} must be a non-empty DataFrame")
    unknown = set(frame.columns) - set(columns) - {"lat", "lon", "x", "y"}
    if unknown:
        raise EdgeSimError(f"{what} has unknown column(s) {sorted(unknown)}; allowed: {', '.join(columns)}")
    out = frame.copy()
    for c, (default, _) in columns.items():
        if c not in out:
            out[c] = default
    return out


@dataclass
class Scenario:
    """Devices, nodes and the backbone latency between their attach points.

    Parameters
    ----------
    devices : pandas.DataFrame
        One row per device; columns from :data:`DEVICE_COLUMNS` (missing ones take defaults).
    nodes : pandas.DataFrame
        One row per edge or cloud node; columns from :data:`NODE_COLUMNS`.
    latency_ms : array-like of shape (A, A)
        One-way backbone latency (ms) between attach points (``ap`` columns index it): >= 0, ``inf`` for
        unreachable pairs, no NaN.
    graph : networkx.Graph or None, default None
        The backbone, for maps, link failures and mobility (its node order must match ``latency_ms``).
    name : str, default "scenario"
        A label, shown in the repr and progress bars.
    workflow : TaskGraph or None, default None
        Make every arrival a job of this DAG: a one-column cost matrix holds each task's size (MI),
        edge data its output to the successor (MB). Entry tasks take the device's input, exit tasks
        return its output; a job meets its deadline when its last result is back. Without it, each
        arrival is one task whose size is drawn from the device's ``size_dist``.

    Raises
    ------
    EdgeSimError
        Naming the offending device or node: non-positive rates, speeds, cores or
        bandwidths, negative sizes, deadlines <= 0, attach points outside the latency
        matrix or not reachable (a disconnected device).

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> from workbench.edge import Scenario
    >>> devices = pd.DataFrame({"rate": [2.0, 1.0], "ap": [0, 1]})
    >>> nodes = pd.DataFrame({"cores": [4], "ap": [1]})
    >>> sc = Scenario(devices, nodes, np.array([[0.0, 5.0], [5.0, 0.0]]))
    >>> sc.n_devices, sc.n_nodes, sc.total_rate(), sc.nodes.name.tolist()
    (2, 1, 3.0, ['edge0'])
    """

    devices: pd.DataFrame
    nodes: pd.DataFrame
    latency_ms: np.ndarray
    graph: nx.Graph | None = None
    name: str = "scenario"
    workflow: TaskGraph | None = None

    def __post_init__(self):
        self.devices = _fill(self.devices, DEVICE_COLUMNS, "devices")
        self.nodes = _fill(self.nodes, NODE_COLUMNS, "nodes")
        lat = np.asarray(self.latency_ms, dtype=np.float64)
        if lat.ndim != 2 or lat.shape[0] != lat.shape[1] or lat.shape[0] == 0:
            raise EdgeSimError(f"latency_ms must be a square matrix, got shape {lat.shape}")
        if np.isnan(lat).any() or (lat < 0).any():
            raise EdgeSimError("latency_ms must be >= 0 (inf for unreachable pairs), with no NaN")
        self.latency_ms = lat
        if self.workflow is not None:
            if not isinstance(self.workflow, TaskGraph) or self.workflow.n_processors != 1:
                raise EdgeSimError("workflow must be a TaskGraph with one cost column: each task's size in MI")
        d, n = self.devices, self.nodes
        if (n.name == "").all():
            n["name"] = [f"{t}{i}" for i, t in enumerate(n.tier)]
        self._check(
            d,
            "device",
            [
                ("rate", "> 0"),
                ("size_mi", ">= 0"),
                ("data_in_mb", ">= 0"),
                ("data_out_mb", ">= 0"),
                ("deadline_s", "> 0"),
                ("access_ms", ">= 0"),
                ("uplink_mbps", "> 0"),
                ("downlink_mbps", "> 0"),
                ("speed_mips", ">= 0"),
                ("p_tx_w", ">= 0"),
                ("p_cpu_w", ">= 0"),
                ("on_s", "> 0"),
                ("off_s", ">= 0"),
                ("mem_mb", ">= 0"),
                ("dwell_s", ">= 0"),
            ],
        )
        self._check(
            n,
            "node",
            [
                ("cores", "> 0"),
                ("speed_mips", "> 0"),
                ("access_ms", ">= 0"),
                ("bandwidth_mbps", "> 0"),
                ("queue_cap", ">= 0"),
                ("p_idle_w", ">= 0"),
                ("p_busy_w", ">= 0"),
                ("memory_mb", "> 0"),
            ],
        )
        for what, frame, col, hi, inf_ok in (
            ("node", n, "cores", 2**31 - 1, False),
            ("node", n, "queue_cap", 2**62, True),
        ):
            v = frame[col].to_numpy(dtype=np.float64)
            bad = (v != np.floor(v)) | (v > hi) if not inf_ok else ((v != np.floor(v)) & np.isfinite(v))
            if bad.any():
                i = int(np.argmax(bad))
                raise EdgeSimError(
                    f"{what} {frame.index[i]!r}: {col} must be a whole number"
                    f"{' (or inf)' if inf_ok else f' <= {hi}'}, got {v[i]:g}"
                )
        bursty = (d.arrival == "bursty").to_numpy()
        if bursty.any():
            # expected on/off cycles per arrival: 1 + 1 / (rate (on_s + off_s)); each is a step of the
            # compiled loop, so a device whose bursts almost never hold an arrival would stall the run
            cycles = 1.0 + 1.0 / (d.rate.to_numpy(float) * (d.on_s.to_numpy(float) + d.off_s.to_numpy(float)))
            bad = bursty & ~(cycles <= 1e6)
            if bad.any():
                i = int(np.argmax(bad))
                raise EdgeSimError(
                    f"device {d.index[i]!r}: a bursty device with rate {d.rate.iloc[i]:g}, on_s {d.on_s.iloc[i]:g} and "
                    f"off_s {d.off_s.iloc[i]:g} averages {cycles[i]:.3g} on/off cycles per task; rate x (on_s + off_s) "
                    f"must be >= 1e-6"
                )
        for what, frame, col, allowed in (
            ("device", d, "arrival", _ARR),
            ("device", d, "size_dist", _SD),
            ("node", n, "tier", ("edge", "cloud")),
            ("node", n, "discipline", _DISC),
        ):
            bad = ~frame[col].isin(list(allowed))
            if bad.any():
                i = int(np.argmax(bad.to_numpy()))
                raise EdgeSimError(
                    f"{what} {frame.index[i]!r}: {col} {frame[col].iloc[i]!r} is not one of {list(allowed)}"
                )
        a = lat.shape[0]
        for what, frame in (("device", d), ("node", n)):
            try:
                ap = frame.ap.to_numpy(dtype=np.float64)
            except (TypeError, ValueError):
                raise EdgeSimError(f"{what} column 'ap' must hold integer attach points") from None
            bad = (ap < 0) | (ap >= a) | (ap != np.floor(ap))
            if bad.any():
                i = int(np.argmax(bad))
                raise EdgeSimError(f"{what} {frame.index[i]!r}: attach point {ap[i]:g} is not in 0..{a - 1}")
        reach = np.isfinite(lat[np.ix_(d.ap.to_numpy(int), n.ap.to_numpy(int))]).any(axis=1)
        if not reach.all():
            i = int(np.argmin(reach))
            raise EdgeSimError(
                f"device {d.index[i]!r} is disconnected: no node is reachable from attach point {d.ap.iloc[i]}"
            )

    @staticmethod
    def _check(frame, what, rules):
        for col, rule in rules:
            try:
                v = frame[col].to_numpy(dtype=np.float64)
            except (TypeError, ValueError):
                raise EdgeSimError(f"{what} column {col!r} must be numeric") from None
            ok = v > 0 if rule == "> 0" else v >= 0  # False for NaN
            if col not in ("deadline_s", "queue_cap", "memory_mb"):  # these may be unlimited (inf)
                ok &= np.isfinite(v)
            if not ok.all():
                i = int(np.argmin(ok))
                raise EdgeSimError(f"{what} {frame.index[i]!r}: {col} must be {rule}, got {v[i]:g}")

    @property
    def n_devices(self) -> int:
        """Number of devices.

        Returns
        -------
        int
            The rows of ``devices``.
        """
        return len(self.devices)

    @property
    def n_nodes(self) -> int:
        """Number of edge and cloud nodes.

        Returns
        -------
        int
            The rows of ``nodes``.
        """
        return len(self.nodes)

    def total_rate(self) -> float:
        """Total arrival rate of all devices.

        Returns
        -------
        float
            The sum of the devices' ``rate`` column (tasks per second).
        """
        return float(self.devices.rate.sum())

    def __repr__(self) -> str:
        tiers = self.nodes.tier.value_counts().to_dict()
        return (
            f"Scenario({self.name!r}: {self.n_devices:,} devices, {tiers.get('edge', 0):,} edge + "
            f"{tiers.get('cloud', 0):,} cloud nodes, {self.total_rate():,.1f} tasks/s)"
        )


@checked(EdgeSimError, lam=Real(0, lo_open=True), mu=Real(0, lo_open=True), c=Int(1, 2**31 - 1))
def queue_scenario(lam: float, mu: float, c: int = 1, service: str = "exp") -> Scenario:
    """A single queue as a scenario: Poisson arrivals at rate ``lam``, ``c`` servers of rate ``mu``.

    ``service`` is ``"exp"`` (M/M/c), ``"det"`` (M/D/c) or ``"uniform"``; no network, no data.

    Parameters
    ----------
    lam : float
        Arrival rate (tasks per second), > 0.
    mu : float
        Service rate of one server (tasks per second), > 0.
    c : int, default 1
        Servers (cores of the single node), in [1, 2**31 - 1].
    service : {"exp", "det", "uniform"}, default "exp"
        Service-time distribution, mean ``1/mu`` (``"uniform"``: 0.5-1.5 times the mean).

    Returns
    -------
    Scenario
        One device and one node named ``"queue"``, at the same attach point with zero latency.

    Raises
    ------
    EdgeSimError
        If ``lam`` or ``mu`` is not a finite number > 0, ``c`` is out of range, or ``service`` is unknown.

    Examples
    --------
    >>> queue_scenario(0.8, 1.0, 2).n_nodes
    1
    """
    dev = pd.DataFrame({"rate": [float(lam)], "size_mi": [1.0], "size_dist": [service]})
    node = pd.DataFrame({"cores": [int(c)], "speed_mips": [float(mu)], "name": ["queue"]})
    return Scenario(dev, node, np.zeros((1, 1)), name=f"M/{'M' if service == 'exp' else service}/{c}")


_POS = Real(0, lo_open=True)


_NONNEG = Real(0)


@checked(
    EdgeSimError,
    n_devices=Int(1, 2**31 - 1),
    n_edge=Int(0, 2**31 - 1),
    n_cloud=Int(0, 2**31 - 1),
    rate=_POS,
    size_mi=_POS,
    deadline_s=_POS,
    edge_cores=Int(1, 2**31 - 1),
    edge_mips=_POS,
    cloud_cores=Int(1, 2**31 - 1),
    cloud_mips=_POS,
    data_in_mb=_NONNEG,
    data_out_mb=_NONNEG,
    cloud_access_ms=_NONNEG,
    per_hop_ms=_NONNEG,
    link_mbps=_POS,
    seed=Seed(),
)
def build_scenario(
    topology: str = "Kdl",
    n_devices: int = 1000,
    n_edge: int = 100,
    n_cloud: int = 4,
    *,
    rate: float = 1.0,
    size_mi: float = 200.0,
    deadline_s: float = 0.5,
    arrival: str = "poisson",
    edge_cores: int = 4,
    edge_mips: float = 2000.0,
    cloud_cores: int = 64,
    cloud_mips: float = 4000.0,
    data_in_mb: float = 0.2,
    data_out_mb: float = 0.02,
    cloud_access_ms: float = 5.0,
    per_hop_ms: float = 0.1,
    link_mbps: float = 10_000.0,
    seed=None,
) -> Scenario:
    """A scenario on a real backbone from ``data/topologies`` with a generated access tree.

    Edge nodes sit at backbone PoPs (spread round-robin over a random permutation), cloud
    data centres at the best-connected PoPs (highest degree), and each device hangs off a
    random PoP with a 1-10 ms access link (radio + aggregation). Backbone latency is the
    shortest path over the links' fiber delay (4.9 us/km of great-circle length) plus
    ``per_hop_ms`` per hop, from :mod:`workbench.net`; every backbone link carries ``link_mbps``,
    and a transfer runs at the slowest of the device link, the node link and the path's
    narrowest backbone link (links are not shared: no contention).

    Devices get a 50 Mbit/s uplink, a 200 Mbit/s downlink and a 500 MIPS CPU; edge nodes a 0.2-1 ms
    access link and the defaults of :data:`NODE_COLUMNS`, cloud nodes those of :data:`CLOUD_NODE`.

    Parameters
    ----------
    topology : str, default "Kdl"
        A Topology Zoo backbone shipped in ``data/topologies`` (e.g. ``"Abilene"``); its largest connected
        component is used.
    n_devices : int, default 1000
        Devices, in [1, 2**31 - 1].
    n_edge : int, default 100
        Edge nodes, in [0, 2**31 - 1].
    n_cloud : int, default 4
        Cloud data centres, in [0, 2**31 - 1]; ``n_edge + n_cloud`` >= 1.
    rate : float, default 1.0
        Tasks per second of each device, > 0.
    size_mi : float, default 200.0
        Mean task size (million instructions), > 0.
    deadline_s : float, default 0.5
        Relative deadline of each task (s), > 0.
    arrival : {"poisson", "periodic", "bursty"}, default "poisson"
        Arrival process of every device.
    edge_cores : int, default 4
        Cores per edge node, in [1, 2**31 - 1].
    edge_mips : float, default 2000.0
        Speed of an edge core (MIPS), > 0.
    cloud_cores : int, default 64
        Cores per cloud data centre, in [1, 2**31 - 1].
    cloud_mips : float, default 4000.0
        Speed of a cloud core (MIPS), > 0.
    data_in_mb : float, default 0.2
        Input each task sends to its node (MB), >= 0.
    data_out_mb : float, default 0.02
        Result each task sends back (MB), >= 0.
    cloud_access_ms : float, default 5.0
        One-way latency from a cloud data centre to its attach point (ms), >= 0.
    per_hop_ms : float, default 0.1
        Latency added per backbone hop (ms), >= 0.
    link_mbps : float, default 10_000.0
        Capacity of every backbone link (Mbit/s), > 0.
    seed : int, numpy.random.Generator, numpy.random.SeedSequence or None, default None
        Seed of the placement of nodes and devices and of the access latencies; the same seed gives the
        same scenario. An integer must be >= 0.

    Returns
    -------
    Scenario
        Devices and nodes (with ``lat``/``lon`` of their PoP), the backbone latency matrix and the graph.

    Raises
    ------
    EdgeSimError
        If a count or value is out of range, there are no nodes, ``arrival`` is unknown, or the scenario
        would not fit in memory.
    UnknownTopologyError
        If ``topology`` is not a shipped topology.

    Examples
    --------
    >>> s = build_scenario("Abilene", 50, 5, 1, seed=0)
    >>> s.n_devices, s.n_nodes
    (50, 6)
    """
    from ..net import distance_matrix, load_topology

    if n_edge + n_cloud == 0:
        raise EdgeSimError("a scenario needs at least one device and one node")
    check_memory(
        f"a scenario of {n_devices:,} devices and {n_edge + n_cloud:,} nodes",
        200.0 * (n_devices + n_edge + n_cloud),
        error=EdgeSimError,
    )
    rng = make_rng(seed)
    g = load_topology(topology)
    g = g.subgraph(max(nx.connected_components(g), key=len)).copy()
    nodes = list(g.nodes)
    for _u, _v, w in g.edges(data=True):
        w["lat_ms"] = w["delay_ms"] + per_hop_ms
        w["bandwidth_mbps"] = float(link_mbps)
    lat = distance_matrix(g, weight="lat_ms").to_numpy()
    a = len(nodes)
    deg = np.array([g.degree(v) for v in nodes])
    edge_ap = rng.permutation(a)[np.arange(n_edge) % a]
    cloud_ap = np.argsort(-deg, kind="stable")[np.arange(n_cloud) % a]
    dev = pd.DataFrame(
        {
            "ap": rng.integers(0, a, n_devices),
            "rate": rate,
            "arrival": arrival,
            "size_mi": size_mi,
            "deadline_s": deadline_s,
            "data_in_mb": data_in_mb,
            "data_out_mb": data_out_mb,
            "access_ms": rng.uniform(1.0, 10.0, n_devices),
            "uplink_mbps": 50.0,
            "downlink_mbps": 200.0,
            "speed_mips": 500.0,
        }
    )
    node = pd.DataFrame(
        {
            "tier": ["edge"] * n_edge + ["cloud"] * n_cloud,
            "ap": np.concatenate([edge_ap, cloud_ap]),
            "cores": [edge_cores] * n_edge + [cloud_cores] * n_cloud,
            "speed_mips": [edge_mips] * n_edge + [cloud_mips] * n_cloud,
            "access_ms": np.concatenate([rng.uniform(0.2, 1.0, n_edge), np.full(n_cloud, cloud_access_ms)]),
            "bandwidth_mbps": [NODE_COLUMNS["bandwidth_mbps"][0]] * n_edge + [CLOUD_NODE["bandwidth_mbps"]] * n_cloud,
            "p_idle_w": [NODE_COLUMNS["p_idle_w"][0]] * n_edge + [CLOUD_NODE["p_idle_w"]] * n_cloud,
            "p_busy_w": [NODE_COLUMNS["p_busy_w"][0]] * n_edge + [CLOUD_NODE["p_busy_w"]] * n_cloud,
        }
    )
    node["name"] = [f"edge{i}" for i in range(n_edge)] + [f"cloud{i}" for i in range(n_cloud)]
    for frame, ap in ((dev, dev.ap), (node, node.ap)):
        frame["lat"] = [g.nodes[nodes[i]]["lat"] for i in ap]
        frame["lon"] = [g.nodes[nodes[i]]["lon"] for i in ap]
    return Scenario(dev, node, lat, graph=g, name=f"{topology}: {n_devices} devices")
