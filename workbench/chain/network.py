"""Block propagation over a peer-to-peer network, and what its delay costs: stale blocks,
partitions, eclipses and majority attacks.

A block travels hop by hop: each relay must *receive* it (link latency plus size over
bandwidth) and *validate* it before forwarding, so the arrival time at every node is a
shortest path with those per-hop costs (computed by :mod:`workbench.net`'s Dijkstra
kernel). Gossip with a ``fanout`` forwards to a random subset of peers only: the same
shortest path on a random directed subgraph. Miners who have not yet seen a block keep
mining on its parent; when they find a block meanwhile, one of the two becomes stale. With
a mean delay ``D`` and block interval ``T``, the chance that a block meets such a race is
about ``1 - exp(-D/T)`` (Decker & Wattenhofer 2013; Gervais et al. 2016 measured Bitcoin's
stale rate near 0.4-1.5% at 10 minutes and well above 20% at second-scale intervals).

Examples
--------
>>> G = p2p_network(300, degree=8, seed=1)
>>> net = GossipNetwork(G, block_kb=1000, bandwidth_mbps=8, verify_ms=200)
>>> df = net.propagate(0)
>>> bool(df.arrival_ms.min() == 0.0), bool(df.arrival_ms.notna().all())
(True, True)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx
import numpy as np
import pandas as pd

from .._data import data_path
from ..errors import MAX_COUNT, Array, Int, Real, WorkbenchError, check, check_memory, make_rng
from ..net import great_circle_km, propagation_delay_ms, to_csr
from ..net._kernels import multi_source_rows, sssp
from ..results import Result, one_row
from . import _kernels

__all__ = [
    "NetworkError",
    "p2p_network",
    "GossipNetwork",
    "MiningResult",
    "simulate_mining",
    "stale_rate_table",
    "partition_experiment",
    "eclipse_experiment",
    "PartitionResult",
    "EclipseResult",
]


class NetworkError(WorkbenchError):
    """Bad input to the network simulation (sizes, shares, unknown nodes, unreachable miners).

    Examples
    --------
    >>> from workbench.chain import p2p_network
    >>> p2p_network(5, degree=8)
    Traceback (most recent call last):
    ...
    workbench.chain.network.NetworkError: need n >= 2 and degree < n, got n=5, degree=8
    """


def _rng(seed):
    return make_rng(seed)


def _positive(name, x, integer=False, zero=False):
    if integer:
        return check(name, x, Int(0 if zero else 1, 2**31 - 1), NetworkError)
    return check(name, x, Real(0, lo_open=not zero), NetworkError)


def p2p_network(n: int = 1000, degree: int = 8, *, seed=None, stretch: str = "internet") -> nx.Graph:
    """A Bitcoin-like overlay: ``n`` nodes placed at real cities (weighted by population, a
    few km of jitter), each opening ``degree`` outbound connections to random peers.

    Edges carry ``length_km`` and ``latency_ms`` (great-circle fiber delay with the given
    stretch preset of :func:`workbench.net.propagation_delay_ms`); nodes carry ``lat``,
    ``lon``, ``city`` and ``country``.

    Parameters
    ----------
    n : int, default 1000
        Nodes, an integer >= 2 (at most 2**31 - 1).
    degree : int, default 8
        Outbound connections each node opens, an integer >= 1 and < ``n``. Peers are drawn
        independently (a pair drawn twice is one edge), so a node has about ``2 * degree``
        neighbours.
    seed : int, numpy.random.Generator or None, default None
        Seed of the random stream (placement and peers); the same seed gives the same graph.
    stretch : {"floor", "good", "internet"} or float, default "internet"
        Route length over great-circle length for the edge latencies, a preset name or a
        finite number >= 1 (see :func:`workbench.net.propagation_delay_ms`).

    Returns
    -------
    networkx.Graph
        Nodes ``0 .. n-1`` with ``lat``, ``lon``, ``city``, ``country``; edges with
        ``length_km`` and ``latency_ms`` (one way).

    Raises
    ------
    NetworkError
        If ``n`` or ``degree`` is not a positive integer, ``n`` < 2 or ``degree`` >= ``n``, or
        the overlay would not fit in memory.
    WorkbenchError
        If ``stretch`` is not a preset name (:class:`~workbench.errors.UnknownNameError`) or a
        finite number >= 1.

    Examples
    --------
    >>> from workbench.chain import p2p_network
    >>> G = p2p_network(50, degree=4, seed=1)
    >>> G.number_of_nodes(), sorted(G.nodes[0]), sorted(G.edges[next(iter(G.edges))])
    (50, ['city', 'country', 'lat', 'lon'], ['latency_ms', 'length_km'])
    """
    n = _positive("n", n, integer=True)
    degree = _positive("degree", degree, integer=True)
    check_memory(f"a {n:,}-node overlay of degree {degree}", 200.0 * n * degree, error=NetworkError)
    if n < 2 or degree >= n:
        raise NetworkError(f"need n >= 2 and degree < n, got n={n}, degree={degree}")
    rng = _rng(seed)
    cities = pd.read_csv(data_path("geo", "cities.csv"), keep_default_na=False)
    p = cities.population.to_numpy(float)
    pick = rng.choice(len(cities), size=n, p=p / p.sum())
    lat = np.clip(cities.lat.to_numpy()[pick] + rng.normal(0, 0.1, n), -89.9, 89.9)
    lon = (cities.lon.to_numpy()[pick] + rng.normal(0, 0.1, n) + 180) % 360 - 180
    u = np.repeat(np.arange(n), degree)
    v = rng.integers(0, n - 1, size=n * degree)
    v = v + (v >= u)  # never oneself
    G = nx.Graph()
    names, countries = cities.name.to_numpy(), cities.country.to_numpy()
    G.add_nodes_from(
        (i, {"lat": float(lat[i]), "lon": float(lon[i]), "city": names[pick[i]], "country": countries[pick[i]]})
        for i in range(n)
    )
    km = great_circle_km(lat[u], lon[u], lat[v], lon[v])
    ms = propagation_delay_ms(km, stretch)
    G.add_edges_from(
        (int(a), int(b), {"length_km": float(k), "latency_ms": float(t)}) for a, b, k, t in zip(u, v, km, ms)
    )
    return G


class GossipNetwork:
    """Per-hop cost model over a graph, precompiled to CSR arrays for repeated broadcasts.

    Parameters
    ----------
    G : networkx.Graph
        The overlay, at least 2 nodes. Edges need ``latency_ms`` (else ``length_km``,
        converted with the internet stretch).
    block_kb : float, default 1000.0
        Block size in kB, >= 0; each hop spends ``block_kb * 8 / bandwidth_mbps`` ms transmitting it.
    bandwidth_mbps : float, default 8.0
        Per-link bandwidth in Mbit/s, > 0.
    verify_ms : float, default 200.0
        Validation time in ms at every relay before it forwards (not at the block's miner), >= 0.
    fanout : int or None, default None
        Peers each node forwards to (random subset, drawn once here), an integer >= 1; None
        floods to all neighbors.
    seed : int, numpy.random.Generator or None, default None
        Seed drawing the gossip subsets (used only with ``fanout``).

    Attributes
    ----------
    graph : networkx.Graph
        The graph given.
    nodes : tuple
        Node labels in the order of every array returned (``arrival_ms``, ``delay_matrix`` columns).
    hop_ms : float
        Transmission time of one block over one link, ms.

    Raises
    ------
    NetworkError
        If ``G`` is not a networkx graph with at least 2 nodes, its edges have neither
        ``latency_ms`` nor ``length_km``, ``block_kb`` or ``verify_ms`` is negative or not
        finite, ``bandwidth_mbps`` is not a finite number > 0, or ``fanout`` is not an integer >= 1.

    Examples
    --------
    >>> import networkx as nx
    >>> from workbench.chain import GossipNetwork
    >>> G = nx.path_graph(3)
    >>> nx.set_edge_attributes(G, 10.0, "latency_ms")
    >>> net = GossipNetwork(G, block_kb=1000, bandwidth_mbps=8, verify_ms=200)
    >>> net.arrival_ms(0).tolist()   # 10 ms latency + 1000 ms transmission, + 200 ms at the relay
    [0.0, 1010.0, 2220.0]
    """

    def __init__(
        self,
        G: nx.Graph,
        *,
        block_kb: float = 1000.0,
        bandwidth_mbps: float = 8.0,
        verify_ms: float = 200.0,
        fanout: int | None = None,
        seed=None,
    ):
        if not isinstance(G, nx.Graph) or G.number_of_nodes() < 2:
            raise NetworkError("GossipNetwork needs a networkx graph with at least 2 nodes")
        _positive("block_kb", block_kb, zero=True)
        _positive("bandwidth_mbps", bandwidth_mbps)
        _positive("verify_ms", verify_ms, zero=True)
        if fanout is not None:
            _positive("fanout", fanout, integer=True)
        H = G
        if not all("latency_ms" in d for _, _, d in G.edges(data=True)):
            if not all("length_km" in d for _, _, d in G.edges(data=True)):
                raise NetworkError("edges need a latency_ms or length_km attribute")
            H = G.copy()
            for _a, _b, d in H.edges(data=True):
                d["latency_ms"] = propagation_delay_ms(d["length_km"], "internet")
        csr = to_csr(H, weight="latency_ms")
        self.nodes = csr.nodes
        self.index = csr.index
        self.hop_ms = float(block_kb) * 8.0 / float(bandwidth_mbps)
        self.verify_ms = float(verify_ms)
        indptr, indices, w = csr.indptr, csr.indices, csr.weights + self.hop_ms + self.verify_ms
        if fanout is not None:
            rng = _rng(seed)
            n = len(self.nodes)
            row = np.repeat(np.arange(n), np.diff(indptr))
            order = np.lexsort((rng.random(indices.size), row))  # random order within each row
            rank = np.empty(indices.size, np.int64)
            rank[order] = np.arange(indices.size) - indptr[row[order]]
            keep = rank < fanout
            indices, w = indices[keep], w[keep]
            indptr = np.zeros(n + 1, np.int64)
            np.cumsum(np.bincount(row[keep], minlength=n), out=indptr[1:])
        self.indptr, self.indices, self.weights = indptr, np.ascontiguousarray(indices), np.ascontiguousarray(w)
        self.graph = G

    def _idx(self, node) -> int:
        try:
            return self.index[node]
        except (KeyError, TypeError):
            raise NetworkError(f"node {node!r} is not in the network") from None

    def arrival_ms(self, source) -> np.ndarray:
        """Arrival time (ms) of a block mined at ``source`` at every node (inf: never reached).

        Parameters
        ----------
        source : hashable
            Label of the node that mined the block.

        Returns
        -------
        numpy.ndarray
            Float64 array of arrival times in ms, one per node in :attr:`nodes` order (0 at
            ``source``, the time the block is received, before the node validates it).

        Raises
        ------
        NetworkError
            If ``source`` is not a node of the network.
        """
        dist, _ = sssp(self.indptr, self.indices, self.weights, self._idx(source), np.inf)
        dist = dist - self.verify_ms  # the miner does not validate its own block
        dist[self._idx(source)] = 0.0
        return dist

    def propagate(self, source) -> pd.DataFrame:
        """One row per node: ``node, arrival_ms, hops, lat, lon`` (NaN arrival when unreached).

        Parameters
        ----------
        source : hashable
            Label of the node that mined the block.

        Returns
        -------
        pandas.DataFrame
            Columns ``node``, ``arrival_ms`` (NaN when unreached), ``hops`` (links on the
            fastest path, -1 when unreached), and ``lat``, ``lon`` when the nodes carry them.

        Raises
        ------
        NetworkError
            If ``source`` is not a node of the network.
        """
        s = self._idx(source)
        dist, pred = sssp(self.indptr, self.indices, self.weights, s, np.inf)
        arrival = dist - self.verify_ms
        arrival[s] = 0.0
        hops = np.full(dist.size, -1, np.int64)
        hops[s] = 0
        for v in np.argsort(dist, kind="stable"):
            if pred[v] >= 0:
                hops[v] = hops[pred[v]] + 1
        attrs = self.graph.nodes
        df = pd.DataFrame(
            {"node": list(self.nodes), "arrival_ms": np.where(np.isfinite(arrival), arrival, np.nan), "hops": hops}
        )
        if all("lat" in attrs[v] for v in self.nodes[:1]):
            df["lat"] = [attrs[v].get("lat", np.nan) for v in self.nodes]
            df["lon"] = [attrs[v].get("lon", np.nan) for v in self.nodes]
        return df

    def delay_matrix(self, miners) -> np.ndarray:
        """Propagation delays (ms) between the given nodes, ``D[a, b]`` from a to b.

        Parameters
        ----------
        miners : sequence of hashable
            Labels of the m nodes (the participants of :func:`simulate_mining`).

        Returns
        -------
        numpy.ndarray
            Float64 array of shape (m, m), in ms: 0 on the diagonal, inf where b never hears a.

        Raises
        ------
        NetworkError
            If a label is not a node of the network.
        """
        idx = np.array([self._idx(m) for m in miners], np.int32)
        out = np.empty((idx.size, len(self.nodes)))
        multi_source_rows(self.indptr, self.indices, self.weights, idx, np.inf, out, np.empty((0, 0), np.int32))
        D = out[:, idx] - self.verify_ms
        np.fill_diagonal(D, 0.0)
        return D


@dataclass
class MiningResult(Result):
    """Every block of a mining race: ``summary()`` one row (blocks, stale blocks, stale ratio simulated and
    in closed form), the frames ``blocks`` (time, miner, height, parent, on_main) and ``by_miner()``, and
    ``params`` the inputs.

    Made by :func:`simulate_mining`.

    Parameters
    ----------
    blocks : pandas.DataFrame
        One row per block in the order found: ``time_ms``, ``miner`` (participant index),
        ``height``, ``parent`` (row of the block it extends, -1 for genesis), ``on_main``.
    interval_s : float
        Mean block interval, s.
    mean_delay_ms : float
        Hash-weighted mean propagation delay between distinct miners, ms.
    delay : numpy.ndarray
        The (m, m) delay matrix in ms.
    side : numpy.ndarray
        Group label of each participant (int64, shape (m,)).
    cut : tuple of float
        ``(start_ms, end_ms)`` of the partition between sides.
    shares : numpy.ndarray
        Hash shares, normalized to sum to 1.
    params : dict, default {}
        The inputs of the run, the seed included.

    Examples
    --------
    >>> import numpy as np
    >>> from workbench.chain import simulate_mining
    >>> D = np.array([[0.0, 2000.0], [2000.0, 0.0]])
    >>> r = simulate_mining(D, [0.5, 0.5], interval_s=10, blocks=500, seed=1)
    >>> len(r.blocks), round(r.stale_rate, 3), round(r.closed_form, 3)
    (500, 0.092, 0.181)
    """

    blocks: pd.DataFrame
    interval_s: float
    mean_delay_ms: float
    delay: np.ndarray
    side: np.ndarray
    cut: tuple
    shares: np.ndarray
    params: dict = field(default_factory=dict, repr=False)
    frames = ("blocks", "by_miner")

    @property
    def stale_rate(self) -> float:
        """Fraction of the blocks that the final main chain does not hold.

        Returns
        -------
        float
            Stale blocks / blocks.
        """
        return float(1.0 - self.blocks.on_main.mean())

    @property
    def closed_form(self) -> float:
        """``1 - exp(-D/T)`` with D the hash-weighted mean delay between distinct miners."""
        return float(1.0 - np.exp(-self.mean_delay_ms / (self.interval_s * 1000.0)))

    @property
    def closed_form_pairs(self) -> float:
        """Per-miner form: ``sum_a s_a (1 - exp(-sum_{b != a} s_b D_ab / T))``, the chance that
        another miner finds a block before block a's reaches it (a miner never races itself)."""
        s = self.shares
        D = self.delay.copy()
        np.fill_diagonal(D, 0.0)
        return float(s @ (1.0 - np.exp(-(D @ s) / (self.interval_s * 1000.0))))

    def tip_of(self, who: int, t_ms: float) -> int:
        """Index (row of ``blocks``) of the block participant ``who`` builds on at ``t_ms`` (-1: genesis).

        Parameters
        ----------
        who : int
            Participant index (a row of ``delay``).
        t_ms : float
            Time in ms since the race started.

        Returns
        -------
        int
            Row of the highest block ``who`` has received by then (the earliest received on
            ties), -1 when it knows none.
        """
        b = self.blocks
        return int(
            _kernels.best_known(
                b.time_ms.to_numpy(),
                b.miner.to_numpy(),
                b.height.to_numpy(),
                self.delay,
                self.side,
                *self.cut,
                int(who),
                float(t_ms),
            )
        )

    def view(self, who: int, t_ms: float) -> int:
        """Height of the chain that participant ``who`` follows at ``t_ms``.

        Parameters
        ----------
        who : int
            Participant index (a row of ``delay``).
        t_ms : float
            Time in ms since the race started.

        Returns
        -------
        int
            Height of the block :meth:`tip_of` gives (0: genesis).
        """
        j = self.tip_of(who, t_ms)
        return 0 if j < 0 else int(self.blocks.height.iat[j])

    def dropped(self, who: int, t_ms: float) -> int:
        """Blocks of ``who``'s chain at ``t_ms`` that the final main chain does not keep.

        Parameters
        ----------
        who : int
            Participant index (a row of ``delay``).
        t_ms : float
            Time in ms since the race started.

        Returns
        -------
        int
            Blocks from :meth:`tip_of` back to the main chain (0 when ``who`` is on it).
        """
        j, n = self.tip_of(who, t_ms), 0
        parent, on_main = self.blocks.parent.to_numpy(), self.blocks.on_main.to_numpy()
        while j >= 0 and not on_main[j]:
            n += 1
            j = parent[j]
        return n

    def summary(self) -> pd.DataFrame:
        """One row: blocks, stale blocks, stale ratio (simulated, closed form), interval and mean delay.

        Returns
        -------
        pandas.DataFrame
            One row: ``blocks``, ``stale_blocks``, ``stale_ratio``, ``stale_ratio_closed_form``,
            ``interval_s``, ``mean_delay_ms``.
        """
        n = len(self.blocks)
        stale = int((~self.blocks.on_main).sum())
        return one_row(
            blocks=n,
            stale_blocks=stale,
            stale_ratio=stale / max(n, 1),
            stale_ratio_closed_form=self.closed_form,
            interval_s=self.interval_s,
            mean_delay_ms=self.mean_delay_ms,
        )

    def by_miner(self) -> pd.DataFrame:
        """Per miner: blocks mined, blocks on the main chain, its share of the main chain.

        Returns
        -------
        pandas.DataFrame
            One row per participant that mined: ``miner``, ``mined``, ``on_main``, ``share_of_main``.
        """
        g = self.blocks.groupby("miner").agg(mined=("height", "size"), on_main=("on_main", "sum")).reset_index()
        g["share_of_main"] = g.on_main / max(int(self.blocks.on_main.sum()), 1)
        return g


def _check_shares(shares, m):
    try:
        s = np.asarray(shares, dtype=float)
    except (TypeError, ValueError):
        s = np.full(0, np.nan)
    if s.shape != (m,) or (s < 0).any() or not np.isfinite(s).all() or s.sum() <= 0:
        raise NetworkError(f"hash shares must be {m} non-negative numbers with a positive sum")
    return s / s.sum()


def simulate_mining(
    delay, shares, *, interval_s: float = 600.0, blocks: int = 10_000, seed=None, side=None, cut_ms: tuple = (0.0, 0.0)
) -> MiningResult:
    """Run a mining race: Poisson block discoveries (mean ``interval_s``) split by hash ``shares``.

    Parameters
    ----------
    delay : array_like of float, shape (m, m)
        Propagation delay in ms between the m participants (``GossipNetwork.delay_matrix``),
        finite and >= 0.
    shares : array_like of float, shape (m,)
        Hash power of each participant, >= 0 with a positive sum (normalized; zeros for
        non-mining observers).
    interval_s : float, default 600.0
        Mean block interval in s, > 0.
    blocks : int, default 10_000
        Blocks to mine, an integer >= 1 (at most 2**31 - 1).
    seed : int, numpy.random.Generator or None, default None
        Seed of the random stream; the same seed gives the same race.
    side : array_like of int, shape (m,), or None, default None
        Optional partition: a group label per participant; participants with different
        ``side`` cannot hear each other between ``cut_ms[0]`` and ``cut_ms[1]``. None: one group.
    cut_ms : tuple of float, default (0.0, 0.0)
        ``(start_ms, end_ms)`` of the partition (infinities allowed).

    Returns
    -------
    MiningResult
        ``blocks`` (one row per block), ``summary()``, ``by_miner()``, ``stale_rate`` and the
        closed forms ``closed_form`` and ``closed_form_pairs``.

    Raises
    ------
    NetworkError
        If ``delay`` is not a square matrix of finite numbers >= 0, ``shares`` are not m
        numbers >= 0 with a positive sum, ``interval_s`` is not > 0, ``blocks`` is out of
        range or would not fit in memory, ``side`` is not m integers, or ``cut_ms`` is not
        a pair of numbers.

    Examples
    --------
    >>> import numpy as np
    >>> from workbench.chain import simulate_mining
    >>> D = np.array([[0.0, 2000.0], [2000.0, 0.0]])   # 2 s between two equal miners
    >>> r = simulate_mining(D, [0.5, 0.5], interval_s=10, blocks=500, seed=1)
    >>> r.summary()[["blocks", "stale_blocks"]].values.tolist()
    [[500, 46]]
    """
    try:
        D = np.asarray(delay, dtype=float)
    except (TypeError, ValueError):
        raise NetworkError("delay must be a square (m, m) matrix of numbers (ms)") from None
    if D.ndim != 2 or D.shape[0] != D.shape[1] or D.shape[0] < 1:
        raise NetworkError("delay must be a square (m, m) matrix")
    if not np.isfinite(D).all() or (D < 0).any():
        raise NetworkError(
            "every miner must reach every other (finite, non-negative delays); "
            "raise the gossip fanout or pick connected miners"
        )
    m = D.shape[0]
    s = _check_shares(shares, m)
    interval_s = _positive("interval_s", interval_s)
    blocks = _positive("blocks", blocks, integer=True)
    check_memory(f"a race of {blocks:,} blocks", 64.0 * blocks, error=NetworkError)
    side = (
        np.zeros(m, np.int64)
        if side is None
        else check("side", side, Array("int64", ndim=1, integer=True), NetworkError)
    )
    if side.shape != (m,):
        raise NetworkError(f"side must give one group label per participant ({m})")
    try:
        cut = (
            check("cut_ms[0]", cut_ms[0], Real(allow_inf=True), NetworkError),
            check("cut_ms[1]", cut_ms[1], Real(allow_inf=True), NetworkError),
        )
    except (TypeError, IndexError, KeyError):
        raise NetworkError(f"cut_ms must be (start_ms, end_ms), got {cut_ms!r}") from None
    rng = _rng(seed)
    times = np.cumsum(rng.exponential(interval_s * 1000.0, blocks))
    u = rng.random(blocks)
    miner, height, parent, on_main = _kernels.mining_race(D, np.cumsum(s), times, u, side, *cut)
    df = pd.DataFrame({"time_ms": times, "miner": miner, "height": height, "parent": parent, "on_main": on_main})
    mean_delay = float(s @ D @ s / max(1e-300, 1 - (s**2).sum()))  # mean over distinct miner pairs
    return MiningResult(
        df,
        float(interval_s),
        mean_delay,
        D,
        side,
        cut,
        s,
        {
            "delay": delay,
            "shares": shares,
            "interval_s": interval_s,
            "blocks": blocks,
            "seed": seed,
            "side": side,
            "cut_ms": cut_ms,
        },
    )


def stale_rate_table(
    delay, shares, intervals_s=(1, 2, 5, 10, 30, 60, 150, 600), *, blocks: int = 20_000, seed=None
) -> pd.DataFrame:
    """Simulated stale rate over block intervals against ``1 - exp(-D/T)`` and its per-pair
    refinement (:attr:`MiningResult.closed_form_pairs`); tidy, one row per interval.

    Parameters
    ----------
    delay : array_like of float, shape (m, m)
        Propagation delay in ms between the m participants, finite and >= 0.
    shares : array_like of float, shape (m,)
        Hash power of each participant, >= 0 with a positive sum.
    intervals_s : sequence of float, default (1, 2, 5, 10, 30, 60, 150, 600)
        Mean block intervals in s (each > 0), one race each.
    blocks : int, default 20_000
        Blocks mined per interval, an integer >= 1.
    seed : int, numpy.random.Generator or None, default None
        Seed of the random stream shared by the races; the same seed gives the same table.

    Returns
    -------
    pandas.DataFrame
        One row per interval: ``interval_s``, ``stale_rate``, ``closed_form``,
        ``closed_form_pairs``, ``mean_delay_ms``, ``blocks``.

    Raises
    ------
    NetworkError
        If ``intervals_s`` is not a non-empty sequence, or an input is refused by
        :func:`simulate_mining`.

    Examples
    --------
    >>> import numpy as np
    >>> from workbench.chain import stale_rate_table
    >>> D = np.array([[0.0, 2000.0], [2000.0, 0.0]])
    >>> df = stale_rate_table(D, [0.5, 0.5], intervals_s=(2, 20), blocks=500, seed=1)
    >>> df.interval_s.tolist(), df.stale_rate.round(3).tolist()
    ([2.0, 20.0], [0.264, 0.052])
    """
    rng = _rng(seed)
    if isinstance(intervals_s, (str, bytes)) or not np.iterable(intervals_s) or not len(intervals_s):
        raise NetworkError(f"intervals_s must be a non-empty list of block intervals, got {intervals_s!r}")
    rows = []
    for T in intervals_s:
        r = simulate_mining(delay, shares, interval_s=T, blocks=blocks, seed=rng)
        rows.append(
            {
                "interval_s": float(T),
                "stale_rate": r.stale_rate,
                "closed_form": r.closed_form,
                "closed_form_pairs": r.closed_form_pairs,
                "mean_delay_ms": r.mean_delay_ms,
                "blocks": blocks,
            }
        )
    return pd.DataFrame(rows)


@dataclass
class PartitionResult(Result):
    """A partition (or a private-mining attack): ``by_side()`` what each side mined during the cut and what the
    main chain kept; ``summary()`` one row; ``mining`` the underlying :class:`MiningResult`.

    Made by :func:`partition_experiment`.

    Parameters
    ----------
    sides : pandas.DataFrame
        One row per side: ``side``, ``hash_share``, ``mined_during_cut``, ``kept_on_main``, ``orphaned``.
    mining : MiningResult
        The whole race.
    params : dict, default {}
        The inputs of the experiment, the seed included.

    Examples
    --------
    >>> import numpy as np
    >>> from workbench.chain import partition_experiment
    >>> D = np.full((3, 3), 500.0)
    >>> np.fill_diagonal(D, 0.0)
    >>> r = partition_experiment(D, [0.6, 0.3, 0.1], [0, 1, 1], start_s=0, duration_s=3000,
    ...                          interval_s=60, blocks=200, seed=1)
    >>> r.summary().values.tolist()   # mined during the cut, kept, orphaned
    [[39, 25, 14]]
    """

    sides: pd.DataFrame
    mining: MiningResult = field(repr=False)
    params: dict = field(default_factory=dict, repr=False)
    frames = ("by_side",)

    def by_side(self) -> pd.DataFrame:
        """Per side: hash share, blocks mined during the cut, kept on the main chain, orphaned.

        Returns
        -------
        pandas.DataFrame
            One row per side: ``side``, ``hash_share``, ``mined_during_cut``, ``kept_on_main``,
            ``orphaned``.
        """
        return self.sides

    def summary(self) -> pd.DataFrame:
        """One row: blocks mined during the cut, blocks the main chain kept, blocks orphaned.

        Returns
        -------
        pandas.DataFrame
            One row: ``mined_during_cut``, ``kept_on_main``, ``orphaned`` (all sides together).
        """
        t = self.sides
        return one_row(
            mined_during_cut=int(t.mined_during_cut.sum()),
            kept_on_main=int(t.kept_on_main.sum()),
            orphaned=int(t.orphaned.sum()),
        )


@dataclass
class EclipseResult(Result):
    """An eclipse attack: the victim's and the honest chain's height when it ends, the victim's blocks that the
    honest chain erases, and whether the attacker reached the confirmations (a double spend).

    Made by :func:`eclipse_experiment`.

    Parameters
    ----------
    victim_height : int
        Height of the victim's chain when the eclipse ends.
    honest_height : int
        Height of the honest miners' chain then.
    victim_blocks_dropped : int
        Blocks of the victim's chain that the honest chain erases.
    attacker_blocks : int
        Blocks the attacker mined during the eclipse.
    double_spend : bool
        Whether ``attacker_blocks`` reached the confirmations the victim waits for.
    expected_attacker_blocks : float
        The attacker's expected blocks (share x duration / interval).
    mining : MiningResult
        The whole race.
    params : dict, default {}
        The inputs of the experiment, the seed included.

    Examples
    --------
    >>> import numpy as np
    >>> from workbench.chain import eclipse_experiment
    >>> D = np.full((4, 4), 500.0)
    >>> np.fill_diagonal(D, 0.0)
    >>> r = eclipse_experiment(D, [0.5, 0.2, 0.3, 0.0], victim=3, attacker=2, duration_s=6000, seed=1)
    >>> r.victim_height, r.honest_height, r.victim_blocks_dropped
    (1, 6, 1)
    """

    victim_height: int
    honest_height: int
    victim_blocks_dropped: int
    attacker_blocks: int
    double_spend: bool
    expected_attacker_blocks: float
    mining: MiningResult = field(repr=False)
    params: dict = field(default_factory=dict, repr=False)
    frames = ()

    def summary(self) -> pd.DataFrame:
        """One row of the attack's outcome.

        Returns
        -------
        pandas.DataFrame
            One row: ``victim_height``, ``honest_height``, ``victim_blocks_dropped``,
            ``attacker_blocks``, ``double_spend``, ``expected_attacker_blocks``.
        """
        return one_row(
            victim_height=self.victim_height,
            honest_height=self.honest_height,
            victim_blocks_dropped=self.victim_blocks_dropped,
            attacker_blocks=self.attacker_blocks,
            double_spend=self.double_spend,
            expected_attacker_blocks=self.expected_attacker_blocks,
        )


def partition_experiment(
    delay, shares, side, *, start_s: float, duration_s: float, interval_s: float = 600.0, blocks: int = 2_000, seed=None
) -> PartitionResult:
    """Split the miners into ``side`` groups for ``duration_s``; report what each side mined
    during the split and how many of those blocks the main chain kept afterwards.

    A side holding a majority of the hash power keeps its branch: this is also the 51%
    attack (an attacker with more than half the hash power mining in private, ``side`` 1,
    and releasing its chain when the cut ends).

    Parameters
    ----------
    delay : array_like of float, shape (m, m)
        Propagation delay in ms between the m participants, finite and >= 0.
    shares : array_like of float, shape (m,)
        Hash power of each participant, >= 0 with a positive sum.
    side : array_like of int, shape (m,)
        Group label of each participant; different groups cannot hear each other during the cut.
    start_s : float
        When the cut starts, s after the race starts, >= 0.
    duration_s : float
        How long the cut lasts, s, > 0.
    interval_s : float, default 600.0
        Mean block interval in s, > 0.
    blocks : int, default 2_000
        Blocks mined in the whole race (before, during and after the cut), an integer >= 1.
    seed : int, numpy.random.Generator or None, default None
        Seed of the random stream; the same seed gives the same result.

    Returns
    -------
    PartitionResult
        ``by_side()`` (hash share, blocks mined during the cut, kept on the main chain,
        orphaned, per side), ``summary()`` and ``mining`` (the whole race).

    Raises
    ------
    NetworkError
        If ``start_s`` is negative, ``duration_s`` is not > 0, or an input is refused by
        :func:`simulate_mining`.

    Examples
    --------
    >>> import numpy as np
    >>> from workbench.chain import partition_experiment
    >>> D = np.full((3, 3), 500.0)
    >>> np.fill_diagonal(D, 0.0)
    >>> r = partition_experiment(D, [0.6, 0.3, 0.1], [0, 1, 1], start_s=0, duration_s=3000,
    ...                          interval_s=60, blocks=200, seed=1)
    >>> r.by_side()[["side", "kept_on_main", "orphaned"]].values.tolist()   # the majority side wins
    [[0, 25, 0], [1, 0, 14]]
    """
    _positive("start_s", start_s, zero=True)
    _positive("duration_s", duration_s)
    cut = (start_s * 1000.0, (start_s + duration_s) * 1000.0)
    r = simulate_mining(delay, shares, interval_s=interval_s, blocks=blocks, seed=seed, side=side, cut_ms=cut)
    b = r.blocks
    during = b[(b.time_ms >= cut[0]) & (b.time_ms < cut[1])]
    s = _check_shares(shares, len(r.side))
    rows = []
    for g in np.unique(r.side):
        mine = during[r.side[during.miner.to_numpy()] == g]
        rows.append(
            {
                "side": int(g),
                "hash_share": float(s[r.side == g].sum()),
                "mined_during_cut": len(mine),
                "kept_on_main": int(mine.on_main.sum()),
                "orphaned": int((~mine.on_main).sum()),
            }
        )
    return PartitionResult(
        pd.DataFrame(rows),
        r,
        {
            "delay": delay,
            "shares": shares,
            "side": side,
            "start_s": start_s,
            "duration_s": duration_s,
            "interval_s": interval_s,
            "blocks": blocks,
            "seed": seed,
        },
    )


def eclipse_experiment(
    delay,
    shares,
    victim: int,
    attacker: int,
    *,
    duration_s: float,
    confirmations: int = 6,
    interval_s: float = 600.0,
    seed=None,
) -> EclipseResult:
    """Eclipse ``victim`` (a participant with no hash power) behind ``attacker`` for ``duration_s``.

    The victim hears only the attacker, so its chain grows at the attacker's share of the
    rate; a payment the victim sees ``confirmations`` deep on that chain is erased when the
    eclipse ends and the victim reorganizes onto the honest chain. Returns the victim's and
    the honest view at the end, the blocks the victim drops, and whether the attacker got
    ``confirmations`` blocks in before the end (the double spend against the victim).

    Parameters
    ----------
    delay : array_like of float, shape (m, m)
        Propagation delay in ms between the m participants, finite and >= 0.
    shares : array_like of float, shape (m,)
        Hash power of each participant, >= 0 with a positive sum; the victim's must be 0, and
        another participant than the attacker must mine.
    victim : int
        Index of the eclipsed participant, in [0, m - 1].
    attacker : int
        Index of the attacker, in [0, m - 1], not ``victim``.
    duration_s : float
        How long the eclipse lasts from the start of the race, s, > 0.
    confirmations : int, default 6
        Confirmations the victim waits for before it accepts a payment.
    interval_s : float, default 600.0
        Mean block interval in s, > 0.
    seed : int, numpy.random.Generator or None, default None
        Seed of the random stream; the same seed gives the same result.

    Returns
    -------
    EclipseResult
        ``victim_height``, ``honest_height``, ``victim_blocks_dropped``, ``attacker_blocks``,
        ``double_spend``, ``expected_attacker_blocks``, ``summary()`` and ``mining``.

    Raises
    ------
    NetworkError
        If ``victim`` or ``attacker`` is not a participant index, they are equal, the victim
        has hash power, no one else has any, ``duration_s`` or ``interval_s`` is not > 0,
        ``confirmations`` is not an integer >= 1, or an input is refused by :func:`simulate_mining`.

    Examples
    --------
    >>> import numpy as np
    >>> from workbench.chain import eclipse_experiment
    >>> D = np.full((4, 4), 500.0)
    >>> np.fill_diagonal(D, 0.0)
    >>> r = eclipse_experiment(D, [0.5, 0.2, 0.3, 0.0], victim=3, attacker=2, duration_s=6000,
    ...                        confirmations=1, seed=1)
    >>> r.attacker_blocks, r.double_spend
    (1, True)
    """
    m = np.asarray(delay).shape[0]
    for name, x in (("victim", victim), ("attacker", attacker)):
        check(f"{name} (a participant index)", x, Int(0, m - 1), NetworkError)
    if victim == attacker:
        raise NetworkError("victim and attacker must differ")
    side = np.zeros(m, np.int64)
    side[[victim, attacker]] = 1
    s = _check_shares(shares, m)
    if s[victim] > 0:
        raise NetworkError("the victim is an observer: give it hash share 0")
    _positive("duration_s", duration_s)
    _positive("interval_s", interval_s)
    confirmations = check("confirmations", confirmations, Int(1, MAX_COUNT), NetworkError)
    if not (s[side == 0] > 0).any():
        raise NetworkError("the honest side (everyone but the victim and the attacker) needs hash power")
    blocks = int(4 * duration_s / interval_s) + 50
    cut = (0.0, duration_s * 1000.0)
    r = simulate_mining(delay, s, interval_s=interval_s, blocks=blocks, seed=seed, side=side, cut_ms=cut)
    b = r.blocks
    end = cut[1] - 1e-6
    victim_h = r.view(victim, end)
    honest = next(i for i in range(m) if side[i] == 0 and s[i] > 0)
    attacker_blocks = int(((b.time_ms < cut[1]) & (b.miner == attacker)).sum())
    return EclipseResult(
        victim_h,
        r.view(honest, end),
        r.dropped(victim, end),
        attacker_blocks,
        attacker_blocks >= confirmations,
        float(s[attacker] * duration_s / interval_s),
        r,
        {
            "delay": delay,
            "shares": shares,
            "victim": victim,
            "attacker": attacker,
            "duration_s": duration_s,
            "confirmations": confirmations,
            "interval_s": interval_s,
            "seed": seed,
        },
    )
