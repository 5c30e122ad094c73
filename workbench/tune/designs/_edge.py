"""The edge design: edge nodes placed on a Topology Zoo backbone, scheduler and its weights -> misses, energy, servers."""

from __future__ import annotations

import functools

import numpy as np

from ._shared import DesignError, _check_reps, _replicate

# =====================================================================================
# Edge
# =====================================================================================

#: Placement rules for the edge nodes over the backbone's attach points (PoPs):
#:
#: * ``"random"`` -- :func:`workbench.edge.build_scenario`'s own: round-robin over a seeded random
#:   permutation of the PoPs;
#: * ``"degree"`` -- the best-connected PoPs (highest degree) first;
#: * ``"kmedian"`` -- greedy k-median: each step adds the PoP that most reduces the devices' summed
#:   backbone latency to their nearest edge node;
#: * ``"spread"`` -- greedy k-center: start at the PoP with most devices, then add the PoP that is
#:   farthest (backbone latency) from every chosen node among the PoPs that host devices.
EDGE_PLACEMENTS = ("random", "degree", "kmedian", "spread")

#: Schedulers: :data:`workbench.edge.SCHEDULERS` plus ``"score"`` (a ScoreScheduler with the six weights).
EDGE_SCHEDULERS = ("random", "round_robin", "least_loaded", "nearest", "mct", "offload", "score")

#: Most edge nodes a design may have.
_MAX_NODES = 128


@functools.lru_cache(maxsize=64)
def _base_scenario(topology, n_devices, n_max, seed, scen_kwargs):
    """build_scenario with ``n_max`` edge nodes; the first ``k`` edge rows (plus the cloud rows) are
    exactly ``build_scenario(..., n_edge=k, ...)``: its random draws for devices do not depend on
    ``n_edge``, and the edge nodes' draws are prefixes."""
    from ...edge import build_scenario

    return build_scenario(topology, n_devices, n_max, 1, seed=seed, **dict(scen_kwargs))


def _edge_aps(sc, n_nodes: int, placement: str) -> np.ndarray:
    """Attach points of the ``n_nodes`` edge nodes under a placement rule (``sc`` is the base scenario)."""
    lat = sc.latency_ms
    a = lat.shape[0]
    if placement == "random":
        return sc.nodes.ap.to_numpy()[(sc.nodes.tier == "edge").to_numpy()][:n_nodes]
    if placement == "degree":
        g = sc.graph
        deg = np.array([g.degree(v) for v in g.nodes])
        return np.argsort(-deg, kind="stable")[np.arange(n_nodes) % a]
    dev = np.bincount(sc.devices.ap.to_numpy(int), minlength=a).astype(float)
    d = np.where(np.isfinite(lat), lat, 1e9)  # (ap, ap), one-way backbone ms
    hosts = np.flatnonzero(dev > 0)
    chosen, used = [], np.zeros(a, bool)
    if placement == "kmedian":
        best = np.full(a, 1e12)
        for _ in range(n_nodes):
            if used.all():  # more nodes than PoPs: start a second round
                used[:] = False
            cost = (dev[:, None] * np.minimum(best[:, None], d)).sum(0)
            cost[used] = np.inf
            j = int(np.argmin(cost))
            chosen.append(j)
            used[j] = True
            best = np.minimum(best, d[:, j])
        return np.array(chosen)
    if placement == "spread":
        j = int(np.argmax(dev))
        chosen.append(j)
        used[j] = True
        best = d[:, j].copy()
        while len(chosen) < n_nodes:
            if used.all():
                used[:] = False
            cand = hosts[~used[hosts]]
            j = int(cand[np.argmax(best[cand])]) if cand.size else int(np.argmin(used))
            chosen.append(j)
            used[j] = True
            best = np.minimum(best, d[:, j])
        return np.array(chosen)
    raise DesignError(f"unknown placement {placement!r}; choose from {list(EDGE_PLACEMENTS)}")


def edge_design(
    n_nodes: int = 8,
    placement: str = "kmedian",
    scheduler: str = "mct",
    cores_per_node: int = 4,
    w_latency: float = 1.0,
    w_load: float = 0.0,
    w_wait: float = 1.0,
    w_exec: float = 1.0,
    w_cloud: float = 0.05,
    w_transfer: float = 1.0,
    *,
    topology: str = "Cogentco",
    n_devices: int = 300,
    rate: float = 4.0,
    size_mi: float = 50.0,
    data_in_mb: float = 0.05,
    deadline_s: float = 0.1,
    cloud_cores: int = 8,
    cloud_access_ms: float = 20.0,
    seed: int = 0,
    n_tasks: int = 50_000,
    replications: int = 1,
    report=None,
) -> dict:
    """Simulate one edge design with :func:`workbench.edge.simulate`; return its objectives.

    The scenario (per replication, seeded ``seed + r``) is :func:`workbench.edge.build_scenario` on the
    Topology Zoo backbone ``topology``: ``n_devices`` devices at random PoPs sending ``rate`` tasks/s
    each (Poisson; exponential sizes of mean ``size_mi`` MI; ``data_in_mb`` MB up, 0.02 MB back; a
    ``deadline_s`` deadline: by default small, latency-critical tasks, so that where the edge nodes
    sit matters), one cloud data centre at the best-connected PoP
    (``cloud_cores`` cores, ``cloud_access_ms`` away; its idle and busy power scaled by
    ``cloud_cores / 64`` so that it keeps the per-core draw of the lab's 64-core ``CLOUD_NODE``) and
    ``n_nodes`` edge nodes of ``cores_per_node`` cores (the lab's edge power: 50 W idle, 150 W with
    every core busy, whatever the core count), their attach points then set by ``placement``. The run
    stops after ``n_tasks`` tasks have been generated and have finished.

    Parameters
    ----------
    n_nodes : int
        Edge nodes, 1..128.
    placement : {"random", "degree", "kmedian", "spread"}
        Where the edge nodes sit (see :data:`EDGE_PLACEMENTS`).
    scheduler : str
        One of :data:`EDGE_SCHEDULERS`; ``"score"`` uses ``ScoreScheduler([w_latency, w_load, w_wait,
        w_exec, w_cloud, w_transfer])`` (the order of :data:`workbench.edge.FEATURES`); the weights are
        ignored by the other schedulers.
    cores_per_node : int
        Cores (servers, in the lab's words) per edge node, >= 1.
    w_latency, w_load, w_wait, w_exec, w_cloud, w_transfer : float
        ScoreScheduler weights (finite).
    topology : str
        The Topology Zoo backbone (:func:`workbench.net.load_topology`).
    n_devices : int
        Devices sending tasks.
    rate : float
        Tasks per second per device.
    size_mi : float
        Mean task size (million instructions).
    data_in_mb : float
        Input data per task (MB).
    deadline_s : float
        Deadline of every task (s).
    cloud_cores : int
        Cores of the cloud data centre.
    cloud_access_ms : float
        One-way latency from the backbone to the cloud (ms).
    seed : int
        Seed of replication 0; replication ``r`` uses ``seed + r``.
    n_tasks : int
        Tasks per replication.
    replications : int
        Independent simulations averaged (>= 1).
    report : callable or None
        ``report(value, step)`` after each replication with the running mean of ``deadline_miss_ratio``.

    Returns
    -------
    dict
        Means over the replications, first key the first objective: ``deadline_miss_ratio``,
        ``node_energy_kj`` (edge and cloud nodes, idle + busy), ``device_energy_j``, ``servers``
        (edge cores: ``n_nodes * cores_per_node``), and ``edge_nodes``, ``latency_p95_ms``,
        ``latency_mean_ms``, ``drop_ratio``, ``utilisation``, ``local_ratio`` (run on the device),
        ``duration_s``.

    Raises
    ------
    DesignError
        If a parameter is out of range (node count, placement, cores, scheduler, replications).

    Examples
    --------
    >>> from workbench.tune.designs import edge_design
    >>> r = edge_design(4, "kmedian", "mct", n_tasks=1_000)
    >>> 0 <= r["deadline_miss_ratio"] <= 1, r["servers"]
    (True, 16.0)
    """
    from ...edge import SCHEDULERS, Scenario, ScoreScheduler, simulate

    replications = _check_reps(replications, report)
    if isinstance(n_nodes, bool) or not isinstance(n_nodes, (int, np.integer)) or not 1 <= n_nodes <= _MAX_NODES:
        raise DesignError(f"n_nodes must be an integer in 1..{_MAX_NODES}, got {n_nodes!r}")
    if placement not in EDGE_PLACEMENTS:
        raise DesignError(f"unknown placement {placement!r}; choose from {list(EDGE_PLACEMENTS)}")
    if isinstance(cores_per_node, bool) or not isinstance(cores_per_node, (int, np.integer)) or cores_per_node < 1:
        raise DesignError(f"cores_per_node must be an integer >= 1, got {cores_per_node!r}")
    if scheduler == "score":
        sched = ScoreScheduler([w_latency, w_load, w_wait, w_exec, w_cloud, w_transfer])
    elif scheduler in SCHEDULERS:
        sched = scheduler
    else:
        raise DesignError(f"unknown scheduler {scheduler!r}; choose from {list(EDGE_SCHEDULERS)}")
    n_nodes, cores_per_node = int(n_nodes), int(cores_per_node)
    scen_kwargs = (
        ("rate", float(rate)),
        ("size_mi", float(size_mi)),
        ("data_in_mb", float(data_in_mb)),
        ("deadline_s", float(deadline_s)),
        ("cloud_cores", int(cloud_cores)),
        ("cloud_access_ms", float(cloud_access_ms)),
    )

    def one(s: int) -> dict:
        base = _base_scenario(topology, int(n_devices), _MAX_NODES, s, scen_kwargs)
        nodes = base.nodes
        edge = (nodes.tier == "edge").to_numpy()
        keep = np.concatenate([np.flatnonzero(edge)[:n_nodes], np.flatnonzero(~edge)])
        nodes = nodes.iloc[keep].reset_index(drop=True)
        ap = np.concatenate([_edge_aps(base, n_nodes, placement), nodes.ap.to_numpy()[n_nodes:]]).astype(np.int64)
        g = base.graph
        names = list(g.nodes)
        nodes["ap"] = ap
        nodes["lat"] = [g.nodes[names[i]]["lat"] for i in ap]
        nodes["lon"] = [g.nodes[names[i]]["lon"] for i in ap]
        cores = nodes.cores.to_numpy().copy()
        cores[:n_nodes] = cores_per_node
        nodes["cores"] = cores
        # the cloud keeps the lab's per-core power (CLOUD_NODE is a 64-core data centre's draw)
        scale = np.where(np.arange(len(nodes)) < n_nodes, 1.0, cloud_cores / 64.0)
        nodes["p_idle_w"] = nodes.p_idle_w.to_numpy() * scale
        nodes["p_busy_w"] = nodes.p_busy_w.to_numpy() * scale
        sc = Scenario(base.devices, nodes, base.latency_ms, graph=g, name=f"{topology}: {placement} x{n_nodes}")
        r = simulate(sc, sched, n_tasks=int(n_tasks), seed=s)
        row = r.summary().iloc[0]
        gen = max(int(row.generated), 1)
        return {
            "deadline_miss_ratio": float(row.deadline_miss_ratio),
            "node_energy_kj": float(row.node_energy_kj),
            "device_energy_j": float(row.device_energy_j),
            "servers": float(n_nodes * cores_per_node),
            "edge_nodes": float(n_nodes),
            "latency_p95_ms": float(row.latency_p95_ms),
            "latency_mean_ms": float(row.latency_mean_ms),
            "drop_ratio": float(row.dropped) / gen,
            "utilisation": float(row.utilisation),
            "local_ratio": float(row.local) / gen,
            "duration_s": float(row.duration_s),
        }

    return _replicate(one, seed, replications, report, "deadline_miss_ratio")


#: Objectives of :func:`edge_design` for a front (all minimised).
EDGE_OBJECTIVES = ("deadline_miss_ratio", "node_energy_kj", "servers")


#: A small grid (8 * 3 * 4 * 3 = 288 designs); ``"score"`` runs with the default weights (those of
#: :func:`edge_design`: latency + wait + execution + transfer, a small cloud penalty).
EDGE_GRID = {
    "n_nodes": [1, 2, 4, 6, 8, 12, 16, 24],
    "placement": ["random", "kmedian", "spread"],
    "scheduler": ["least_loaded", "mct", "offload", "score"],
    "cores_per_node": [2, 4, 8],
}

#: Keyword sizes for quick tests.
EDGE_SMALL = {"n_tasks": 1_000}
